/** One Modbus TCP request: the MBAP header's transaction and unit ids, and the PDU. */
export interface MbapFrame {
  transactionId: number;
  unitId: number;
  pdu: Buffer;
}

/** The stream cannot be Modbus TCP any more (wrong protocol id or length): the connection has to go. */
export class MbapFramingError extends Error {
  constructor(detail: string) {
    super(`Modbus TCP framing: ${detail}`);
    this.name = 'MbapFramingError';
  }
}

const HEADER_BYTES = 7;
/** MBAP length counts the unit id and the PDU; a PDU is at most 253 bytes. */
const MAX_LENGTH_FIELD = 254;

/** Cuts a TCP byte stream into MBAP frames, however the bytes arrive (split or coalesced). */
export class MbapFramer {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): MbapFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: MbapFrame[] = [];
    while (this.buffered.length >= HEADER_BYTES) {
      const protocolId = this.buffered.readUInt16BE(2);
      const length = this.buffered.readUInt16BE(4);
      if (protocolId !== 0) throw new MbapFramingError(`protocol id ${protocolId}, expected 0`);
      if (length < 2 || length > MAX_LENGTH_FIELD)
        throw new MbapFramingError(`length field ${length} outside 2..${MAX_LENGTH_FIELD}`);
      const total = 6 + length;
      if (this.buffered.length < total) break;
      frames.push({
        transactionId: this.buffered.readUInt16BE(0),
        unitId: this.buffered[6] ?? 0,
        pdu: Buffer.from(this.buffered.subarray(HEADER_BYTES, total)),
      });
      this.buffered = this.buffered.subarray(total);
    }
    return frames;
  }
}

export function encodeMbap(transactionId: number, unitId: number, pdu: Buffer): Buffer {
  const frame = Buffer.alloc(HEADER_BYTES + pdu.length);
  frame.writeUInt16BE(transactionId, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame[6] = unitId;
  pdu.copy(frame, HEADER_BYTES);
  return frame;
}
