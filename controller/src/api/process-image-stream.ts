import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CycleReport } from '../cycle/control-cycle.ts';

/** What each Server-Sent Event carries: the frozen process image of one cycle and what was decided on it. */
export function streamEventOf(report: CycleReport): string {
  const body = {
    cycleIndex: report.cycleIndex,
    atMs: report.atMs,
    plantState: report.plantState,
    gridTargetW: report.decision?.dispatch.gridTargetW ?? null,
    image: report.image,
  };
  return `id: ${report.cycleIndex}\nevent: process-image\ndata: ${JSON.stringify(body)}\n\n`;
}

/** Comment lines keep proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/**
 * GET /api/stream: every cycle's process image as Server-Sent Events (`event: process-image`). A new client gets the
 * latest image at once. A client that cannot keep up (its socket buffer full) skips images rather than making the
 * controller buffer without limit.
 */
export class ProcessImageStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  open(req: IncomingMessage, res: ServerResponse, latest: CycleReport | null): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    if (latest) res.write(streamEventOf(latest));
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
    };
    req.on('close', drop);
    res.on('error', drop);
  }

  publish(report: CycleReport): void {
    if (this.clients.size === 0) return;
    const event = streamEventOf(report);
    for (const res of this.clients) {
      if (res.writableNeedDrain) continue;
      res.write(event);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
