import type { FaultKind } from '../faults/fault.ts';
import type { ModelBlock } from '@gridcoop/sunspec';

/** A measurement point and the raw value it shows under the 'out-of-range' fault: one no real device could measure. */
export interface MeasurementPoint {
  name: string;
  impossibleRaw: number;
}

/**
 * Overwrites measurement points after a refresh when the device is told to lie: 'sentinels' shows every one as
 * "not implemented", 'out-of-range' as a physically impossible raw value. Other faults leave readings alone.
 * Energy counters are never made impossible: the controller must be able to recover them after the fault.
 */
export function applyReadingFault(block: ModelBlock, fault: FaultKind, points: readonly MeasurementPoint[]): void {
  if (fault === 'sentinels') for (const point of points) block.set(point.name, null);
  else if (fault === 'out-of-range') for (const point of points) block.setRaw(point.name, point.impossibleRaw);
}
