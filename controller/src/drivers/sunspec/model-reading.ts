import {
  decodeModel,
  decodePointValue,
  ModelBlock,
  POINT_TYPES,
  type ModelDef,
  type PointDef,
  type PointType,
} from '@gridcoop/sunspec';
import type { SunSpecModelLocation } from './sunspec-map.ts';

/**
 * The raw value a measurement register is pinned at when it overflows. Devices in the field answer 0x7FFF watts
 * or 0xFFFE volts when a value does not fit or a sensor fails; such a reading is not a measurement.
 */
const SATURATED_RAW: Partial<Record<PointType, number>> = {
  int16: 0x7fff,
  uint16: 0xfffe,
  int32: 0x7fffffff,
  uint32: 0xfffffffe,
};

/**
 * Whether a read-only measurement point (one with units, scaled) sits at its type's saturation value. Settings
 * and counters are left alone: a large reversion time or energy total is a real value.
 */
function isSaturated(point: PointDef, registers: Uint16Array): boolean {
  const saturated = SATURATED_RAW[point.type as PointType];
  if (saturated === undefined || point.access !== 'R' || point.units === undefined) return false;
  if (!POINT_TYPES[point.type as PointType].scalable) return false;
  const raw =
    point.size === 1 ? registers[point.offset]! : registers[point.offset]! * 0x10000 + registers[point.offset + 1]!;
  return raw === saturated; // registers are unsigned words, and so are the saturation patterns above
}

/** Points by name, built once per model definition (definitions are shared and never change). */
const pointIndexes = new WeakMap<ModelDef, Map<string, PointDef>>();

function pointIndex(def: ModelDef): Map<string, PointDef> {
  let index = pointIndexes.get(def);
  if (!index) {
    index = new Map(def.points.map((p) => [p.name, p]));
    pointIndexes.set(def, index);
  }
  return index;
}

/**
 * One model as read from a device. Points are decoded when asked for (a nature needs five of 153), with scale
 * factors applied and sentinels and saturated measurement registers as null.
 */
export class SunSpecModelReading {
  private decoded: Record<string, number | string | null> | undefined;
  private asBlock: ModelBlock | undefined;

  constructor(
    readonly location: SunSpecModelLocation,
    readonly def: ModelDef,
    /** From the ID register on, def.length + 2 long (points a shorter device lacks read as not implemented). */
    readonly registers: Uint16Array,
  ) {}

  /** One point's engineering value; undefined for a point the model does not have. */
  value(pointName: string): number | string | null | undefined {
    const point = pointIndex(this.def).get(pointName);
    if (!point) return undefined;
    if (isSaturated(point, this.registers)) return null;
    return decodePointValue(this.def, point, this.registers);
  }

  /** Every point's engineering value. */
  get values(): Record<string, number | string | null> {
    if (!this.decoded) {
      this.decoded = decodeModel(this.def, this.registers);
      for (const point of this.def.points) if (isSaturated(point, this.registers)) this.decoded[point.name] = null;
    }
    return this.decoded;
  }

  /** The registers as a block, e.g. to encode a write against the values read. */
  get block(): ModelBlock {
    if (!this.asBlock) {
      this.asBlock = new ModelBlock(this.def);
      this.asBlock.registers.set(this.registers);
    }
    return this.asBlock;
  }
}
