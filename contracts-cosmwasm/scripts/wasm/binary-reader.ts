// A cursor over a wasm binary: bytes, LEB128 integers and names, failing with the offset of what was malformed.

export class WasmFormatError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`malformed wasm at byte ${offset}: ${reason}`);
    this.name = 'WasmFormatError';
  }
}

export class BinaryReader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset = 0,
    private readonly end = bytes.length,
  ) {}

  get atEnd(): boolean {
    return this.offset >= this.end;
  }

  byte(): number {
    if (this.offset >= this.end) throw new WasmFormatError(this.offset, 'unexpected end of data');
    return this.bytes[this.offset++]!;
  }

  take(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.end) {
      throw new WasmFormatError(this.offset, `needs ${length} bytes, ${this.end - this.offset} left`);
    }
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** A reader over the next `length` bytes (a section or a function body); this reader moves past them. */
  sub(length: number): BinaryReader {
    const start = this.offset;
    this.take(length);
    return new BinaryReader(this.bytes, start, start + length);
  }

  skip(length: number): void {
    this.take(length);
  }

  /** Unsigned LEB128 of at most `bits` bits (32 for indices and counts). */
  u32(): number {
    return Number(this.unsigned(32));
  }

  unsigned(bits: number): bigint {
    const start = this.offset;
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
      if (shift >= BigInt(bits + 7)) throw new WasmFormatError(start, `LEB128 longer than ${bits} bits`);
    }
    if (result >= 1n << BigInt(bits)) throw new WasmFormatError(start, `integer does not fit in ${bits} bits`);
    return result;
  }

  /** Signed LEB128 (i32/i64 constants, block types); only skipped, so the value is not sign-extended. */
  skipSigned(bits: number): void {
    const start = this.offset;
    let count = 0;
    for (;;) {
      const b = this.byte();
      count += 7;
      if ((b & 0x80) === 0) break;
      if (count >= bits + 7) throw new WasmFormatError(start, `signed LEB128 longer than ${bits} bits`);
    }
  }

  name(): string {
    const length = this.u32();
    return new TextDecoder('utf-8', { fatal: true }).decode(this.take(length));
  }
}
