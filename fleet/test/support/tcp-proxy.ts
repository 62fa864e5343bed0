import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between clients and the broker that a test can cut, as a broken network would: every connection is
 * reset at once without an MQTT DISCONNECT, and new ones are refused until restore().
 */
export class TcpProxy {
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;
  #cut = false;
  #port = 0;

  private constructor(targetPort: number, targetHost: string) {
    this.#server = createServer((client) => this.#accept(client, targetPort, targetHost));
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    const address = proxy.#server.address();
    proxy.#port = typeof address === 'object' && address !== null ? address.port : 0;
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.#port}`;
  }

  /** Cuts every connection through the proxy (TCP reset, no DISCONNECT) and refuses new ones. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.resetAndDestroy();
    this.#sockets.clear();
  }

  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket, targetPort: number, targetHost: string): void {
    if (this.#cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined); // a reset is what the test asked for
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
