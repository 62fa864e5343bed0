import { POINT_TYPES, type ModelBlock, type PointType } from '@gridcoop/devices/sunspec/index';

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
 * Names of the read-only measurement points (those with units) whose registers sit at their type's saturation
 * value. Settings and counters are left alone: a large reversion time or energy total is a real value.
 */
export function saturatedMeasurements(block: ModelBlock): Set<string> {
  const names = new Set<string>();
  for (const point of block.def.points) {
    const saturated = SATURATED_RAW[point.type as PointType];
    if (saturated === undefined || point.access !== 'R' || point.units === undefined) continue;
    if (!POINT_TYPES[point.type as PointType].scalable) continue;
    if (block.getRaw(point.name) === saturated) names.add(point.name);
  }
  return names;
}
