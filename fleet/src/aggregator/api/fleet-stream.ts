import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FleetSnapshot } from '../fleet-snapshot.ts';

const HEARTBEAT_MS = 15_000;

export function fleetEventOf(snapshot: FleetSnapshot): string {
  return `id: ${snapshot.cycle}\nevent: fleet\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

/**
 * GET /api/stream: the fleet after every aggregator cycle as Server-Sent Events (`event: fleet`). A new client gets
 * the latest snapshot at once; a client that cannot keep up skips snapshots rather than making the aggregator buffer.
 */
export class FleetStream {
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

  open(req: IncomingMessage, res: ServerResponse, latest: FleetSnapshot): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    res.write(fleetEventOf(latest));
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
    };
    req.on('close', drop);
    res.on('error', drop);
  }

  publish(snapshot: FleetSnapshot): void {
    if (this.clients.size === 0) return;
    const event = fleetEventOf(snapshot);
    for (const res of this.clients) if (!res.writableNeedDrain) res.write(event);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
