import { SunSpecError } from './sunspec-error.ts';
import { POINT_TYPES, type PointType } from './point-types.ts';
import type { PointDef } from './model-def.ts';

/**
 * Raw register codec: a point's registers <-> its raw value. Multi-register values are big-endian, high word first,
 * as the SunSpec specification (and Modbus convention) requires. `at` is the index of the point's first register.
 */

function typeOf(point: PointDef): PointType {
  return point.type as PointType;
}

function reg(registers: ArrayLike<number>, index: number): number {
  const value = registers[index];
  if (value === undefined) throw new RangeError(`register ${index} is outside the ${registers.length} given`);
  return value & 0xffff;
}

const f32 = new DataView(new ArrayBuffer(4));

export function readRaw(point: PointDef, registers: ArrayLike<number>, at: number): number | bigint {
  const type = typeOf(point);
  switch (type) {
    case 'int16':
    case 'sunssf': {
      const v = reg(registers, at);
      return v >= 0x8000 ? v - 0x10000 : v;
    }
    case 'uint16':
    case 'acc16':
    case 'enum16':
    case 'bitfield16':
    case 'pad':
    case 'count':
    case 'string':
      return reg(registers, at);
    case 'uint32':
    case 'acc32':
    case 'enum32':
    case 'bitfield32':
      return reg(registers, at) * 0x10000 + reg(registers, at + 1);
    case 'int32': {
      const v = reg(registers, at) * 0x10000 + reg(registers, at + 1);
      return v >= 0x80000000 ? v - 0x100000000 : v;
    }
    case 'float32':
      f32.setUint16(0, reg(registers, at));
      f32.setUint16(2, reg(registers, at + 1));
      return f32.getFloat32(0);
    case 'uint64':
    case 'acc64':
    case 'int64': {
      let v = 0n;
      for (let i = 0; i < 4; i += 1) v = (v << 16n) | BigInt(reg(registers, at + i));
      return type === 'int64' ? BigInt.asIntN(64, v) : v;
    }
  }
}

/** Throws a typed error unless `raw` fits the point's type. */
export function checkRaw(modelId: number, point: PointDef, raw: number | bigint): void {
  const type = typeOf(point);
  const info = POINT_TYPES[type];
  if (type === 'string')
    throw new SunSpecError('wrong-type', modelId, point.name, 'a string point takes a string, not a raw number');
  if (type === 'float32') {
    if (typeof raw !== 'number') throw new SunSpecError('wrong-type', modelId, point.name, 'float32 takes a number');
    if (Number.isFinite(raw) && Math.abs(raw) > 3.4028234663852886e38) {
      throw new SunSpecError('value-out-of-range', modelId, point.name, `${raw} does not fit a float32`);
    }
    return;
  }
  const wide = info.registers === 4;
  if (typeof raw === 'number' && !Number.isInteger(raw)) {
    throw new SunSpecError('value-out-of-range', modelId, point.name, `raw value ${raw} is not an integer`);
  }
  if (!wide && typeof raw === 'bigint') {
    throw new SunSpecError('wrong-type', modelId, point.name, `${type} takes a number, not a bigint`);
  }
  const big = BigInt(raw);
  if (big < BigInt(info.min) || big > BigInt(info.max)) {
    throw new SunSpecError(
      'value-out-of-range',
      modelId,
      point.name,
      `raw value ${raw} is outside ${type} (${info.min}..${info.max})`,
    );
  }
}

/** Writes an already checked raw value. */
export function writeRaw(point: PointDef, raw: number | bigint, registers: Uint16Array, at: number): void {
  const type = typeOf(point);
  if (type === 'float32') {
    f32.setFloat32(0, Number(raw));
    registers[at] = f32.getUint16(0);
    registers[at + 1] = f32.getUint16(2);
    return;
  }
  const size = POINT_TYPES[type].registers;
  let v = BigInt.asUintN(size * 16, BigInt(raw));
  for (let i = size - 1; i >= 0; i -= 1) {
    registers[at + i] = Number(v & 0xffffn);
    v >>= 16n;
  }
}

/** Whether a raw value is the point type's "not implemented" sentinel. */
export function isSentinel(point: PointDef, raw: number | bigint): boolean {
  const sentinel = POINT_TYPES[typeOf(point)].sentinel;
  if (sentinel === undefined) return false;
  if (typeof sentinel === 'number' && Number.isNaN(sentinel)) return typeof raw === 'number' && Number.isNaN(raw);
  if (typeof raw === typeof sentinel) return raw === sentinel; // the common case, without allocating bigints
  return BigInt(raw) === BigInt(sentinel);
}

export function sentinelOf(point: PointDef): number | bigint {
  return POINT_TYPES[typeOf(point)].sentinel ?? 0;
}

/** Strings are ASCII/UTF-8 bytes, two per register, high byte first, padded with NUL; all NUL means unset. */
export function readString(point: PointDef, registers: ArrayLike<number>, at: number): string | null {
  const bytes = new Uint8Array(point.size * 2);
  for (let i = 0; i < point.size; i += 1) {
    const v = reg(registers, at + i);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  }
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  if (end === 0) return null;
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, end));
}

export function encodeString(modelId: number, point: PointDef, text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > point.size * 2) {
    throw new SunSpecError(
      'value-out-of-range',
      modelId,
      point.name,
      `'${text}' is ${bytes.length} bytes; the point holds ${point.size * 2}`,
    );
  }
  if (bytes.includes(0))
    throw new SunSpecError('value-out-of-range', modelId, point.name, 'a string cannot hold NUL characters');
  return bytes;
}

export function writeString(point: PointDef, bytes: Uint8Array, registers: Uint16Array, at: number): void {
  for (let i = 0; i < point.size; i += 1) {
    registers[at + i] = ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0);
  }
}
