import { connect, type Socket } from 'node:net';
import { endianness } from 'node:os';

/** MBAP header: transaction id, protocol id (0), length (unit id + PDU), unit id. */
const HEADER_BYTES = 7;
/** Largest MBAP length field: the unit id and a PDU of at most 253 bytes. */
const MAX_LENGTH_FIELD = 254;
const FC_READ_HOLDING = 3;
const FC_WRITE_MULTIPLE = 16;

/** Registers are big-endian on the wire; a Uint16Array holds them in this machine's order. */
const LITTLE_ENDIAN = endianness() === 'LE';

/** The `count` registers after a read answer's function code and byte count, in one copy and one native swap. */
function decodeRegisters(pdu: Buffer, count: number): Uint16Array {
  const registers = new Uint16Array(count);
  const bytes = Buffer.from(registers.buffer, registers.byteOffset, 2 * count);
  pdu.copy(bytes, 0, 2, 2 + 2 * count);
  if (LITTLE_ENDIAN) bytes.swap16();
  return registers;
}

/** Names of the exception codes (Modbus application protocol 7), for messages. */
const EXCEPTION_NAMES: Record<number, string> = {
  1: 'Illegal function',
  2: 'Illegal data address',
  3: 'Illegal data value',
  4: 'Server device failure',
  5: 'Acknowledge',
  6: 'Server device busy',
  10: 'Gateway path unavailable',
  11: 'Gateway target device failed to respond',
};

/**
 * An answer that is not the one asked for: a Modbus exception (`modbusCode` set, as modbus-serial sets it, so
 * that classifyModbusFailure reads both alike) or a frame that does not fit the request (wrong unit, function,
 * length or framing).
 */
export class MbapAnswerError extends Error {
  constructor(
    message: string,
    readonly modbusCode?: number,
  ) {
    super(message);
    this.name = 'MbapAnswerError';
  }
}

/** The request waiting for its answer; one at a time on a connection. */
interface Pending {
  transactionId: number;
  unitId: number;
  functionCode: number;
  address: number;
  count: number;
  resolve: (registers: Uint16Array) => void;
  reject: (error: Error) => void;
}

/**
 * A Modbus TCP client for one connection, one request at a time (the caller queues). Written for the read path:
 * modbus-serial turns every TCP answer into an RTU frame, computes a CRC over it, checks it again and copies the
 * registers twice; here an answer is checked against its request and decoded once into a Uint16Array.
 *
 * Answers with another transaction id (late ones, after the caller gave up on them) are dropped. A stream that
 * loses its framing (protocol id, length) fails the waiting request and the connection, since it cannot be
 * resynchronised. Socket errors keep their `code` (ECONNREFUSED, ECONNRESET...). Timeouts are the caller's.
 */
export class MbapTcpClient {
  private socket: Socket | undefined;
  private open = false;
  private pending: Pending | undefined;
  private nextTransactionId = 1;
  /** Bytes of an answer that arrived split over several chunks. */
  private received: Buffer | undefined;
  private lastError: Error | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    /** Called once when an open connection goes (closed by the peer, reset, or a framing error). */
    private readonly onLost: (why: string) => void,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /** Connects; rejects with the socket's error (with its `code`) if the connection cannot be made. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, noDelay: true });
      this.socket = socket;
      const refused = (error: Error): void => reject(error);
      socket.once('error', refused);
      socket.once('connect', () => {
        socket.off('error', refused);
        this.open = true;
        resolve();
      });
      socket.on('error', (error: Error) => {
        this.lastError = error; // 'close' follows; it reports the loss
      });
      socket.on('close', () => this.closed());
      socket.on('data', (chunk: Buffer) => this.receive(chunk));
    });
  }

  /** FC3: `count` holding registers from `address`. */
  readHoldingRegisters(unitId: number, address: number, count: number): Promise<Uint16Array> {
    const frame = Buffer.allocUnsafe(HEADER_BYTES + 5);
    frame[HEADER_BYTES] = FC_READ_HOLDING;
    frame.writeUInt16BE(address, HEADER_BYTES + 1);
    frame.writeUInt16BE(count, HEADER_BYTES + 3);
    return this.send(frame, unitId, FC_READ_HOLDING, address, count);
  }

  /** FC16: `values` into consecutive holding registers from `address`. */
  writeRegisters(unitId: number, address: number, values: ArrayLike<number>): Promise<Uint16Array> {
    const frame = Buffer.allocUnsafe(HEADER_BYTES + 6 + 2 * values.length);
    frame[HEADER_BYTES] = FC_WRITE_MULTIPLE;
    frame.writeUInt16BE(address, HEADER_BYTES + 1);
    frame.writeUInt16BE(values.length, HEADER_BYTES + 3);
    frame[HEADER_BYTES + 5] = 2 * values.length;
    for (let i = 0; i < values.length; i += 1) frame.writeUInt16BE(values[i]! & 0xffff, HEADER_BYTES + 6 + 2 * i);
    return this.send(frame, unitId, FC_WRITE_MULTIPLE, address, values.length); // resolves with no registers
  }

  /** Ends the connection at once; a waiting request fails with 'the connection was closed'. */
  destroy(): void {
    this.socket?.destroy();
  }

  private send(
    frame: Buffer,
    unitId: number,
    functionCode: number,
    address: number,
    count: number,
  ): Promise<Uint16Array> {
    const socket = this.socket;
    if (!socket || !this.open) {
      const error = Object.assign(new Error(`no connection to ${this.host}:${this.port}`), { code: 'ECONNRESET' });
      return Promise.reject(error);
    }
    const transactionId = this.nextTransactionId;
    this.nextTransactionId = transactionId === 0xffff ? 1 : transactionId + 1;
    frame.writeUInt16BE(transactionId, 0);
    frame.writeUInt16BE(0, 2);
    frame.writeUInt16BE(frame.length - 6, 4);
    frame[6] = unitId;
    return new Promise<Uint16Array>((resolve, reject) => {
      // A request left waiting (its caller timed out) is replaced: its answer, if it comes, is dropped.
      this.pending = { transactionId, unitId, functionCode, address, count, resolve, reject };
      socket.write(frame);
    });
  }

  private receive(chunk: Buffer): void {
    let data = this.received === undefined ? chunk : Buffer.concat([this.received, chunk]);
    this.received = undefined;
    while (data.length >= HEADER_BYTES) {
      const protocolId = data.readUInt16BE(2);
      const length = data.readUInt16BE(4);
      if (protocolId !== 0 || length < 2 || length > MAX_LENGTH_FIELD) {
        this.loseFraming(`an answer with protocol id ${protocolId} and length ${length} is not Modbus TCP`);
        return;
      }
      const total = 6 + length;
      if (data.length < total) break;
      this.answer(data.readUInt16BE(0), data[6]!, data.subarray(HEADER_BYTES, total));
      data = data.subarray(total);
    }
    if (data.length > 0) this.received = Buffer.from(data); // a copy: the socket may reuse its chunk
  }

  /** Checks one answer against the waiting request and settles it. */
  private answer(transactionId: number, unitId: number, pdu: Buffer): void {
    const pending = this.pending;
    if (!pending || pending.transactionId !== transactionId) return; // late or unasked-for: dropped
    this.pending = undefined;
    const what = `FC${pending.functionCode} at ${pending.address}`;
    const functionCode = pdu[0]!;
    if (unitId !== pending.unitId) {
      pending.reject(new MbapAnswerError(`${what}: the answer came from unit ${unitId}, not ${pending.unitId}`));
    } else if (functionCode === (pending.functionCode | 0x80)) {
      const code = pdu[1] ?? 0;
      pending.reject(new MbapAnswerError(`Modbus exception ${code}: ${EXCEPTION_NAMES[code] ?? 'unknown'}`, code));
    } else if (functionCode !== pending.functionCode) {
      pending.reject(new MbapAnswerError(`${what}: the answer has function code ${functionCode}`));
    } else if (functionCode === FC_READ_HOLDING) {
      const byteCount = pdu[1] ?? 0;
      if (byteCount !== 2 * pending.count || pdu.length !== 2 + byteCount) {
        pending.reject(
          new MbapAnswerError(
            `${what}: asked ${pending.count} registers, the answer carries ${byteCount} bytes in ${pdu.length - 2}`,
          ),
        );
        return;
      }
      pending.resolve(decodeRegisters(pdu, pending.count));
    } else if (pdu.length !== 5 || pdu.readUInt16BE(1) !== pending.address || pdu.readUInt16BE(3) !== pending.count) {
      pending.reject(
        new MbapAnswerError(`${what}: the answer does not echo address ${pending.address}+${pending.count}`),
      );
    } else {
      pending.resolve(new Uint16Array(0));
    }
  }

  /** A stream that lost its framing cannot be resynchronised: the waiting request fails, then the connection. */
  private loseFraming(why: string): void {
    const pending = this.pending;
    this.pending = undefined;
    this.open = false; // the next request opens a new connection rather than write into this one
    pending?.reject(new MbapAnswerError(why));
    this.lastError = new MbapAnswerError(why);
    // After the rejection's handlers (microtasks), so that the caller sees the framing error, not the drop.
    queueMicrotask(() => this.socket?.destroy());
  }

  private closed(): void {
    const wasOpen = this.open;
    this.open = false;
    const why = this.lastError ? `the connection was lost: ${this.lastError.message}` : 'the connection closed';
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(
      Object.assign(new Error(why), {
        code: (this.lastError as NodeJS.ErrnoException | undefined)?.code ?? 'ECONNRESET',
      }),
    );
    if (wasOpen) this.onLost(why);
  }
}
