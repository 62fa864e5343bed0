import {
  DeviceError,
  type BatteryReading,
  type FlexibleLoadReading,
  type MeterReading,
  type PvInverterReading,
} from '../natures/index.ts';
import type { DeviceSpec } from '../plant/plant-spec.ts';

/**
 * The points without which a reading of a nature is no use to the controller: what it balances on (power) and, for
 * a battery, what keeps it safe (state of charge).
 */
export const keyPointsByKind = {
  'pv-inverter': ['powerW'],
  battery: ['powerW', 'socPct'],
  'flexible-load': ['powerW'],
  meter: ['powerW'],
} as const satisfies Record<
  DeviceSpec['kind'],
  ReadonlyArray<keyof PvInverterReading | keyof BatteryReading | keyof FlexibleLoadReading | keyof MeterReading>
>;

/**
 * A device that answers with sentinels or impossible values for every key point answers, but says nothing: such a
 * reading counts as a failed read (a `bad-value` DeviceError naming the device and the points), so its supervisor
 * isolates the device (stale, then faulted and retried) as it would a silent one, and the last good reading is
 * held. Returns null when at least one key point is known (the controllers handle a single unknown point).
 */
export function keyPointsUnknownError(
  deviceId: string,
  kind: DeviceSpec['kind'],
  reading: PvInverterReading | BatteryReading | FlexibleLoadReading | MeterReading,
  implausible: ReadonlyArray<{ reason: string }> = [],
): DeviceError | null {
  const points: readonly string[] = keyPointsByKind[kind];
  const values = reading as unknown as Record<string, unknown>;
  const anyKnown = points.some((point) => typeof values[point] === 'number' && Number.isFinite(values[point]));
  if (anyKnown) return null;
  return new DeviceError(
    deviceId,
    'bad-value',
    `every key point unknown (${points.join(', ')}): ${
      implausible.length > 0 ? implausible.map((p) => p.reason).join('; ') : 'sentinels or out-of-range values'
    }, reading not used`,
  );
}
