import {
  plausibleBatteryReading,
  plausibleFlexibleLoadReading,
  plausiblePvReading,
  type ImplausiblePoint,
} from '../natures/plausibility.ts';
import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';
import type { DeviceSpec } from '../plant/plant-spec.ts';

type AnyReading = PvInverterReading | BatteryReading | FlexibleLoadReading | MeterReading;

/**
 * A reading with every point its nature cannot show in the state it reports set to unknown, checked against the
 * device's spec. The meter is left alone: the connection point may well be beyond its caps, and that is exactly what
 * the controllers must see.
 */
export function plausibleReading(
  spec: DeviceSpec,
  reading: AnyReading,
): { reading: AnyReading; implausible: ImplausiblePoint[] } {
  switch (spec.kind) {
    case 'pv-inverter':
      return plausiblePvReading(reading as PvInverterReading, spec);
    case 'battery':
      return plausibleBatteryReading(reading as BatteryReading, spec);
    case 'flexible-load':
      return plausibleFlexibleLoadReading(reading as FlexibleLoadReading, spec);
    case 'meter':
      return { reading, implausible: [] };
  }
}
