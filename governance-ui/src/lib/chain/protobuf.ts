/**
 * The few protobuf messages the app reads without CosmJS (so the first page loads no CosmJS chunk): a query is a
 * message of string/bytes fields, an answer is read field by field. Only wire types 0 (varint) and 2 (bytes) occur.
 */
const encoder = new TextEncoder();

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Encodes a message whose fields (numbered from 1 in order) are strings or bytes. */
export function encodeFields(fields: readonly (string | Uint8Array)[]): Uint8Array {
  const bytes: number[] = [];
  fields.forEach((value, i) => {
    const data = typeof value === 'string' ? encoder.encode(value) : value;
    bytes.push(...varint(((i + 1) << 3) | 2), ...varint(data.length), ...data);
  });
  return Uint8Array.from(bytes);
}

/** The length-delimited fields of a message, by field number (the last one wins, as protobuf says). */
export function decodeFields(message: Uint8Array): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  let pos = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (pos >= message.length) throw new Error('protobuf: truncated varint');
      const byte = message[pos++]!;
      result += (byte & 0x7f) * shift;
      if (byte < 0x80) return result;
      shift *= 128;
    }
  };
  while (pos < message.length) {
    const key = readVarint();
    const wireType = key & 7;
    const field = key >>> 3;
    if (wireType === 0) readVarint();
    else if (wireType === 2) {
      const length = readVarint();
      if (pos + length > message.length) throw new Error('protobuf: truncated field');
      fields.set(field, message.subarray(pos, pos + length));
      pos += length;
    } else throw new Error(`protobuf: unexpected wire type ${wireType}`);
  }
  return fields;
}
