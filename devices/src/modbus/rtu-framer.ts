import { crc16Modbus } from './crc16.ts';

/** One Modbus RTU request: slave address and PDU, CRC already checked. */
export interface RtuFrame {
  unitId: number;
  pdu: Buffer;
}

/**
 * Cuts a serial byte stream into RTU request frames. RTU has no length field: a frame ends after 3.5 character times
 * of silence. Over a pty that timing means nothing, so requests are framed by their function code's known length
 * (3, 4, 6: 8 bytes; 16: 9 + byte count), which is how a slave can answer as soon as the last byte is in. Another
 * function code is framed where a CRC first matches (so the server can answer "illegal function"). A known frame that
 * fails its CRC is noise: the framer drops one byte and looks again; whatever is left when the line goes quiet is
 * dropped by `reset()` (a slave never answers a frame it could not check).
 */
const MAX_RTU_FRAME_BYTES = 256;

export class RtuFramer {
  private buffered: Buffer = Buffer.alloc(0);
  /** Bytes thrown away as noise, for tests and logs. */
  discardedBytes = 0;

  push(chunk: Buffer): RtuFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: RtuFrame[] = [];
    for (;;) {
      if (this.buffered.length < 2) break;
      const length = expectedLength(this.buffered) ?? this.lengthByCrc();
      if (length === undefined) {
        // Noise in front of a good frame: skip to the first offset where a whole, CRC-valid request starts.
        const resync = this.nextValidFrameOffset();
        if (resync !== undefined) {
          this.discard(resync);
          continue;
        }
        if (this.buffered.length <= MAX_RTU_FRAME_BYTES) break; // maybe the rest is still on its way
        this.discard();
        continue;
      }
      if (length === 0 || this.buffered.length < length) break; // need more bytes
      const crc = crc16Modbus(this.buffered, 0, length - 2);
      if (this.buffered.readUInt16LE(length - 2) !== crc) {
        this.discard();
        continue;
      }
      frames.push({ unitId: this.buffered[0] ?? 0, pdu: Buffer.from(this.buffered.subarray(1, length - 2)) });
      this.buffered = this.buffered.subarray(length);
    }
    return frames;
  }

  /** The line went quiet: whatever is left cannot become a frame any more. */
  reset(): void {
    this.discardedBytes += this.buffered.length;
    this.buffered = Buffer.alloc(0);
  }

  /** Shortest prefix (at least address, function, one byte, CRC) whose last two bytes are its CRC. */
  private lengthByCrc(): number | undefined {
    for (let length = 5; length <= Math.min(this.buffered.length, MAX_RTU_FRAME_BYTES); length++) {
      if (this.buffered.readUInt16LE(length - 2) === crc16Modbus(this.buffered, 0, length - 2)) return length;
    }
    return undefined;
  }

  private nextValidFrameOffset(): number | undefined {
    for (let offset = 1; offset + 8 <= this.buffered.length; offset++) {
      const rest = this.buffered.subarray(offset);
      const length = expectedLength(rest);
      if (length === undefined || length === 0 || rest.length < length) continue;
      if (rest.readUInt16LE(length - 2) === crc16Modbus(rest, 0, length - 2)) return offset;
    }
    return undefined;
  }

  private discard(count = 1): void {
    this.buffered = this.buffered.subarray(count);
    this.discardedBytes += count;
  }
}

/** Whole frame length for the function code at byte 1; 0 = not known yet; undefined = not a request we frame. */
function expectedLength(buffer: Buffer): number | undefined {
  const functionCode = buffer[1];
  if (functionCode === 3 || functionCode === 4 || functionCode === 6) return 8;
  if (functionCode === 16) return buffer.length < 7 ? 0 : 9 + (buffer[6] ?? 0);
  return undefined;
}

export function encodeRtu(unitId: number, pdu: Buffer): Buffer {
  const frame = Buffer.alloc(1 + pdu.length + 2);
  frame[0] = unitId;
  pdu.copy(frame, 1);
  frame.writeUInt16LE(crc16Modbus(frame, 0, 1 + pdu.length), 1 + pdu.length);
  return frame;
}
