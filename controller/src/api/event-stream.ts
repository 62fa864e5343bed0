import type { IncomingMessage, ServerResponse } from 'node:http';

/** Comment lines keep proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/**
 * A Server-Sent Events stream of one kind of item (the controller's process images, the aggregator's fleet): a new
 * client gets the latest item at once, and a client that cannot keep up (its socket buffer full) skips items rather
 * than making the server buffer without limit.
 */
export class EventStream<Item> {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  /** `eventOf` renders one item as a whole SSE event (id, event name, data, blank line). */
  constructor(private readonly eventOf: (item: Item) => string) {
    this.heartbeat = setInterval(() => {
      for (const res of this.clients) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  open(req: IncomingMessage, res: ServerResponse, latest: Item | null): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    if (latest !== null) res.write(this.eventOf(latest));
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
    };
    req.on('close', drop);
    res.on('error', drop);
  }

  publish(item: Item): void {
    if (this.clients.size === 0) return;
    const event = this.eventOf(item);
    for (const res of this.clients) if (!res.writableNeedDrain) res.write(event);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
