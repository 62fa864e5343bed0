import { connect, type Socket } from 'node:net';
import { encodeMbap, MbapFramer, type MbapFrame } from '../../src/modbus/mbap-framer.ts';

/**
 * A bare Modbus TCP client for tests that need to send what modbus-serial will not (unknown function codes, oversize
 * reads) or to talk to a thousand devices cheaply. Answers are matched by transaction id.
 */
export class RawModbusClient {
  private readonly framer = new MbapFramer();
  private readonly pending = new Map<number, (frame: MbapFrame) => void>();
  private nextTransaction = 1;

  private constructor(private readonly socket: Socket) {
    // A reset (ECONNRESET) is followed by 'close', which fails whatever is pending.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.framer.push(chunk)) {
        this.pending.get(frame.transactionId)?.(frame);
        this.pending.delete(frame.transactionId);
      }
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawModbusClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new RawModbusClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a PDU and resolves with the answer's PDU, or rejects after `timeoutMs` or when the connection closes. */
  request(unitId: number, pdu: Buffer, timeoutMs = 2000): Promise<Buffer> {
    const transactionId = this.nextTransaction++ & 0xffff;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transactionId);
        reject(new Error(`no answer to transaction ${transactionId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onClose = (): void => {
        clearTimeout(timer);
        reject(new Error('connection closed'));
      };
      this.socket.once('close', onClose);
      this.pending.set(transactionId, (frame) => {
        clearTimeout(timer);
        this.socket.off('close', onClose);
        resolve(frame.pdu);
      });
      this.socket.write(encodeMbap(transactionId, unitId, pdu));
    });
  }

  async readHolding(unitId: number, address: number, count: number): Promise<Buffer> {
    const pdu = Buffer.alloc(5);
    pdu[0] = 3;
    pdu.writeUInt16BE(address, 1);
    pdu.writeUInt16BE(count, 3);
    return this.request(unitId, pdu);
  }

  close(): void {
    this.socket.destroy();
  }
}
