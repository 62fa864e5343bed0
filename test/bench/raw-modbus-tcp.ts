/**
 * The read-cycle benchmark's floor: Modbus TCP read-holding-registers (FC3) on a bare node:net socket, frames built
 * by hand, one request in flight per connection. It checks only what it must to pair an answer with its request
 * (transaction id, length, function code); it decodes nothing, so what it costs is the wire and the event loop.
 */
import { connect, type Socket } from 'node:net';

const MBAP_HEADER_BYTES = 7;

export class RawModbusTcp {
  private buffer: Buffer = Buffer.alloc(0);
  private transactionId = 0;
  private pending: { id: number; resolve: (registers: Buffer) => void; reject: (error: Error) => void } | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly unitId: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(host: string, port: number, unitId: number): Promise<RawModbusTcp> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => {
        socket.off('error', reject);
        resolve(new RawModbusTcp(socket, unitId));
      });
      socket.once('error', reject);
    });
  }

  /** FC3: `count` registers from `address`; resolves with their raw bytes. */
  readHoldingRegisters(address: number, count: number): Promise<Buffer> {
    if (this.pending) return Promise.reject(new Error('one request at a time'));
    this.transactionId = (this.transactionId + 1) & 0xffff;
    const frame = Buffer.alloc(12);
    frame.writeUInt16BE(this.transactionId, 0);
    frame.writeUInt16BE(0, 2); // protocol id: Modbus
    frame.writeUInt16BE(6, 4); // bytes that follow: unit id + PDU
    frame.writeUInt8(this.unitId, 6);
    frame.writeUInt8(3, 7);
    frame.writeUInt16BE(address, 8);
    frame.writeUInt16BE(count, 10);
    return new Promise((resolve, reject) => {
      this.pending = { id: this.transactionId, resolve, reject };
      this.socket.write(frame);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= MBAP_HEADER_BYTES) {
      const frameBytes = 6 + this.buffer.readUInt16BE(4);
      if (this.buffer.length < frameBytes) return;
      const frame = this.buffer.subarray(0, frameBytes);
      this.buffer = this.buffer.subarray(frameBytes);
      const pending = this.pending;
      if (!pending || frame.readUInt16BE(0) !== pending.id) continue; // a late answer to nothing we wait for
      this.pending = null;
      const functionCode = frame.readUInt8(7);
      if (functionCode !== 3)
        pending.reject(new Error(`Modbus exception ${frame.readUInt8(8)} (function ${functionCode})`));
      else pending.resolve(frame.subarray(9, 9 + frame.readUInt8(8)));
    }
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}
