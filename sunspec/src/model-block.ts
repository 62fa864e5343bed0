import { SunSpecError } from './sunspec-error.ts';
import { POINT_TYPES, type PointType } from './point-types.ts';
import { checkRaw, encodeString, isSentinel, readRaw, sentinelOf, writeRaw, writeString } from './raw-codec.ts';
import { findPoint } from './point-index.ts';
import { decodePointValue, removeScale, scaleExponent } from './point-value.ts';
import type { ModelDef, PointDef } from './model-def.ts';

/**
 * One model's registers as a device presents them: ID, L, then L registers. A simulator keeps one per model and
 * serves `registers` over Modbus. Every setter validates first and writes second, so a rejected value leaves the
 * block exactly as it was.
 */
export class ModelBlock {
  readonly registers: Uint16Array;

  constructor(readonly def: ModelDef) {
    this.registers = new Uint16Array(def.length + 2);
    // Until a device says otherwise, every point is "not implemented".
    for (const point of def.points) {
      if (point.type === 'string') continue; // all NUL = unset
      writeRaw(point, sentinelOf(point), this.registers, point.offset);
    }
    this.registers[0] = def.id;
    this.registers[1] = def.length;
  }

  /**
   * Sets a point by engineering value, scaled by its scale factor (set the SF point first). Enumerations and
   * bitfields take their raw number, strings a string. `null` writes the "not implemented" sentinel.
   */
  set(pointName: string, value: number | string | null): void {
    const point = findPoint(this.def, pointName);
    this.refuseStructural(point);
    if (value === null) {
      if (point.type === 'string') this.registers.fill(0, point.offset, point.offset + point.size);
      else writeRaw(point, sentinelOf(point), this.registers, point.offset);
      return;
    }
    if (point.type === 'string') {
      if (typeof value !== 'string')
        throw new SunSpecError(
          'wrong-type',
          this.def.id,
          point.name,
          `a string point takes a string, not ${typeof value}`,
        );
      writeString(point, encodeString(this.def.id, point, value), this.registers, point.offset);
      return;
    }
    if (typeof value !== 'number')
      throw new SunSpecError(
        'wrong-type',
        this.def.id,
        point.name,
        `a ${point.type} point takes a number, not a string`,
      );
    if (point.type === 'float32') {
      if (Number.isNaN(value))
        throw new SunSpecError(
          'value-out-of-range',
          this.def.id,
          point.name,
          'NaN is the sentinel; set null for "not implemented"',
        );
      checkRaw(this.def.id, point, value);
      writeRaw(point, value, this.registers, point.offset);
      return;
    }
    if (!Number.isFinite(value))
      throw new SunSpecError('value-out-of-range', this.def.id, point.name, `${value} is not a finite number`);
    const sf = scaleExponent(this.def, point, this.registers);
    if (sf === null) {
      throw new SunSpecError(
        'missing-scale-factor',
        this.def.id,
        point.name,
        `its scale factor ${String(point.sf)} is unset: set it first`,
      );
    }
    const scaled = Math.round(removeScale(value, sf));
    const raw = POINT_TYPES[point.type as PointType].registers === 4 ? BigInt(scaled) : scaled;
    this.setChecked(point, raw, `${value} at scale 10^${sf}`);
  }

  /** Sets a point's raw register value (no scaling); the sentinel itself is allowed here. */
  setRaw(pointName: string, raw: number | bigint): void {
    const point = findPoint(this.def, pointName);
    this.refuseStructural(point);
    checkRaw(this.def.id, point, raw);
    writeRaw(point, raw, this.registers, point.offset);
  }

  /** A point's engineering value: sentinel or unset scale factor -> null. */
  get(pointName: string): number | string | null {
    return decodePointValue(this.def, findPoint(this.def, pointName), this.registers);
  }

  getRaw(pointName: string): number | bigint {
    const point = findPoint(this.def, pointName);
    if (point.type === 'string')
      throw new SunSpecError('wrong-type', this.def.id, point.name, 'a string point has no raw number; use get');
    return readRaw(point, this.registers, point.offset);
  }

  private setChecked(point: PointDef, raw: number | bigint, what: string): void {
    checkRaw(this.def.id, point, raw);
    // A value that would encode to the sentinel would read back as "unknown": refuse it rather than lose it.
    // Accumulators are the exception: 0 is where every counter starts.
    if (isSentinel(point, raw) && !point.type.startsWith('acc')) {
      throw new SunSpecError(
        'value-out-of-range',
        this.def.id,
        point.name,
        `${what} encodes to the ${point.type} sentinel; set null for "not implemented"`,
      );
    }
    writeRaw(point, raw, this.registers, point.offset);
  }

  private refuseStructural(point: PointDef): void {
    if (point.name === 'ID' || point.name === 'L') {
      throw new SunSpecError('wrong-type', this.def.id, point.name, 'ID and L follow from the model definition');
    }
  }
}
