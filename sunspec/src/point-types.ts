/**
 * The SunSpec point types: how many registers each takes and which raw value means "not implemented".
 * Raw values are what sits in the registers, interpreted by type (signed for int*, IEEE 754 bits decoded for
 * float32); 64-bit types are bigint so no precision is lost.
 */
export type PointType =
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'acc16'
  | 'acc32'
  | 'acc64'
  | 'enum16'
  | 'enum32'
  | 'bitfield16'
  | 'bitfield32'
  | 'sunssf'
  | 'string'
  | 'float32'
  | 'pad'
  | 'count';

export interface PointTypeInfo {
  /** Registers per value; strings take the size the model gives. */
  registers: number;
  /** Smallest and largest raw value the type can hold. */
  min: number | bigint;
  max: number | bigint;
  /** The raw value meaning "not implemented"; undefined when the type has none (count). */
  sentinel: number | bigint | undefined;
  /** Whether the scale factor applies (integers that carry a quantity). */
  scalable: boolean;
}

const u16 = 0xffff;
const u32 = 0xffffffff;
const u64 = 0xffffffffffffffffn;

export const POINT_TYPES: Readonly<Record<PointType, PointTypeInfo>> = {
  uint16: { registers: 1, min: 0, max: u16, sentinel: u16, scalable: true },
  int16: { registers: 1, min: -0x8000, max: 0x7fff, sentinel: -0x8000, scalable: true },
  uint32: { registers: 2, min: 0, max: u32, sentinel: u32, scalable: true },
  int32: { registers: 2, min: -0x80000000, max: 0x7fffffff, sentinel: -0x80000000, scalable: true },
  uint64: { registers: 4, min: 0n, max: u64, sentinel: u64, scalable: true },
  int64: { registers: 4, min: -(2n ** 63n), max: 2n ** 63n - 1n, sentinel: -(2n ** 63n), scalable: true },
  // Accumulators: 0 is both "not accumulated" (the specification's sentinel) and where a counter starts.
  acc16: { registers: 1, min: 0, max: u16, sentinel: 0, scalable: true },
  acc32: { registers: 2, min: 0, max: u32, sentinel: 0, scalable: true },
  acc64: { registers: 4, min: 0n, max: u64, sentinel: 0n, scalable: true },
  enum16: { registers: 1, min: 0, max: u16, sentinel: u16, scalable: false },
  enum32: { registers: 2, min: 0, max: u32, sentinel: u32, scalable: false },
  bitfield16: { registers: 1, min: 0, max: u16, sentinel: u16, scalable: false },
  bitfield32: { registers: 2, min: 0, max: u32, sentinel: u32, scalable: false },
  // Scale factors outside -10..10 are not allowed by the specification; the decoder treats them as unknown.
  sunssf: { registers: 1, min: -0x8000, max: 0x7fff, sentinel: -0x8000, scalable: false },
  string: { registers: 1, min: 0, max: 0, sentinel: undefined, scalable: false },
  float32: { registers: 2, min: -Infinity, max: Infinity, sentinel: Number.NaN, scalable: false },
  pad: { registers: 1, min: 0, max: u16, sentinel: 0x8000, scalable: false },
  // A count is structure (how many repeating groups follow), not a measurement: it has no sentinel.
  count: { registers: 1, min: 0, max: u16, sentinel: undefined, scalable: false },
};

export const SCALE_FACTOR_MIN = -10;
export const SCALE_FACTOR_MAX = 10;

export function isPointType(type: string): type is PointType {
  return Object.hasOwn(POINT_TYPES, type);
}
