import { SunSpecError } from './sunspec-error.ts';
import { POINT_TYPES, SCALE_FACTOR_MAX, SCALE_FACTOR_MIN, type PointType } from './point-types.ts';
import { isSentinel, readRaw, readString } from './raw-codec.ts';
import { scaleFactorPoint } from './point-index.ts';
import type { ModelDef, PointDef } from './model-def.ts';

/**
 * Engineering values: raw x 10^SF. Shared by the simulator's encoder and the driver's decoder so both sides agree
 * on every rounding and every "unknown".
 */

/** Multiplies by 10^sf in the way that keeps decimal results exact where they can be (12345 x 10^-1 = 1234.5). */
export function applyScale(raw: number, sf: number): number {
  return sf < 0 ? raw / 10 ** -sf : raw * 10 ** sf;
}

export function removeScale(value: number, sf: number): number {
  return sf < 0 ? value * 10 ** -sf : value / 10 ** sf;
}

/** The exponent that applies to a point: 0 when it has none, null when its scale-factor point is unset or invalid. */
export function scaleExponent(def: ModelDef, point: PointDef, registers: ArrayLike<number>): number | null {
  if (!POINT_TYPES[point.type as PointType].scalable || point.sf === undefined) return 0;
  if (typeof point.sf === 'number') return point.sf;
  const sfPoint = scaleFactorPoint(def, point);
  if (!sfPoint) return 0;
  const raw = readRaw(sfPoint, registers, sfPoint.offset) as number;
  if (isSentinel(sfPoint, raw) || raw < SCALE_FACTOR_MIN || raw > SCALE_FACTOR_MAX) return null;
  return raw;
}

/** A point's engineering value from a model's registers (ID register first): sentinel or invalid SF -> null. */
export function decodePointValue(def: ModelDef, point: PointDef, registers: ArrayLike<number>): number | string | null {
  if (point.type === 'string') return readString(point, registers, point.offset);
  if (point.type === 'pad') return null;
  const raw = readRaw(point, registers, point.offset);
  if (isSentinel(point, raw)) return null;
  if (point.type === 'sunssf' && ((raw as number) < SCALE_FACTOR_MIN || (raw as number) > SCALE_FACTOR_MAX))
    return null;
  if (point.type === 'float32') return Number.isFinite(raw) ? (raw as number) : null;
  const sf = scaleExponent(def, point, registers);
  if (sf === null) return null;
  return applyScale(Number(raw), sf);
}

/** Whether the registers hold at least the whole model `def` describes, starting at its ID register. */
export function checkModelRegisters(def: ModelDef, registers: ArrayLike<number>): void {
  if (registers.length < def.length + 2) {
    throw new SunSpecError(
      'malformed-registers',
      def.id,
      undefined,
      `${registers.length} registers given; the model needs ${def.length + 2}`,
    );
  }
}
