import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { FaultSetting } from '../faults/fault.ts';

/**
 * A TCP relay in front of the OPC UA server that misbehaves like a failing device's network stack. node-opcua has
 * no hooks to refuse, stall or slow its own connections, so the connection-level faults live here, below OPC UA:
 * - refuse-connections: open connections are closed and the port stops listening (clients get ECONNREFUSED);
 * - drop-connection: open connections are destroyed, and each new one is destroyed as soon as it is accepted;
 * - stop-answering: bytes from clients are read and discarded, so nothing is ever answered; when the fault clears,
 *   those connections are closed, because the OPC UA streams on them were cut mid-message;
 * - slow: every chunk from the server reaches the client `delayMs` late (order kept).
 * Any other fault kind relays normally. The relay serves every device behind the server, so these faults act on all
 * of the server's connections at once.
 */
export class ConnectionFaultProxy {
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<Socket>();
  private listener: Server | null = null;
  private fault: FaultSetting = { kind: 'none' };
  private boundPort: number;

  /** Where connections are relayed to; set once the server behind has started (it must advertise our port first). */
  upstreamPort: number | null = null;

  private constructor(port: number) {
    this.boundPort = port;
  }

  /** Listens on 127.0.0.1:`port` (0 = the OS picks); relays to 127.0.0.1:`upstreamPort` once it is set. */
  static async start(options: { port: number }): Promise<ConnectionFaultProxy> {
    const proxy = new ConnectionFaultProxy(options.port);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Applies a connection-level fault to every connection, open and future. */
  async setFault(setting: FaultSetting): Promise<void> {
    const previous = this.fault;
    this.fault = { ...setting };
    if (setting.kind === 'refuse-connections' || setting.kind === 'drop-connection') this.destroyAll();
    if (previous.kind === 'stop-answering' && setting.kind !== 'stop-answering') {
      for (const socket of this.stalled) socket.destroy();
      this.stalled.clear();
    }
    if (setting.kind === 'refuse-connections') await this.closeListener();
    else if (this.listener === null) await this.listen();
  }

  async stop(): Promise<void> {
    this.destroyAll();
    await this.closeListener();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (address !== null && typeof address === 'object') this.boundPort = address.port;
        this.listener = server;
        resolve();
      });
    });
  }

  private closeListener(): Promise<void> {
    const server = this.listener;
    this.listener = null;
    if (server === null) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.stalled.clear();
  }

  private accept(client: Socket): void {
    if (
      this.fault.kind === 'drop-connection' ||
      this.fault.kind === 'refuse-connections' ||
      this.upstreamPort === null
    ) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.upstreamPort });
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      this.stalled.delete(client);
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);

    client.on('data', (chunk: Buffer) => {
      if (this.fault.kind === 'stop-answering') {
        this.stalled.add(client);
        return;
      }
      upstream.write(chunk);
    });
    // Chunks are released in order: one delayed while 'slow' holds back every later one, even after the fault clears.
    let lastDueMs = 0;
    upstream.on('data', (chunk: Buffer) => {
      const fault = this.fault;
      if (fault.kind === 'stop-answering') {
        this.stalled.add(client);
        return;
      }
      const nowMs = Date.now();
      const dueMs = Math.max(lastDueMs, fault.kind === 'slow' ? nowMs + (fault.delayMs ?? 0) : nowMs);
      lastDueMs = dueMs;
      if (dueMs <= nowMs) {
        client.write(chunk);
        return;
      }
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, dueMs - nowMs);
    });
  }
}
