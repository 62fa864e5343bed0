import type { Battery, FlexibleLoad, Meter, PvInverter } from '../natures/index.ts';
import { PlantSpecError, type BatterySpec, type MeterSpec, type MinerSpec, type PvInverterSpec } from './plant-spec.ts';

/** A device of the plant: its spec (limits) paired with the driver that talks to it. */
export type PlantDevice =
  | { spec: PvInverterSpec; driver: PvInverter }
  | { spec: BatterySpec; driver: Battery }
  | { spec: MinerSpec; driver: FlexibleLoad }
  | { spec: MeterSpec; driver: Meter };

/** Pairs specs with drivers by id; a spec without a driver (or the other way round) is a configuration error. */
export function pairDevices(
  specs: readonly (PvInverterSpec | BatterySpec | MinerSpec | MeterSpec)[],
  drivers: readonly (PvInverter | Battery | FlexibleLoad | Meter)[],
): PlantDevice[] {
  const byId = new Map(drivers.map((driver) => [driver.deviceId, driver]));
  const natureOf = {
    'pv-inverter': 'pv-inverter',
    battery: 'battery',
    'flexible-load': 'flexible-load',
    meter: 'meter',
  } as const;
  const paired = specs.map((spec): PlantDevice => {
    const driver = byId.get(spec.id);
    if (!driver) throw new PlantSpecError([`device ${spec.id}: no driver configured`]);
    if (driver.nature !== natureOf[spec.kind]) {
      throw new PlantSpecError([`device ${spec.id}: spec says ${spec.kind} but its driver is a ${driver.nature}`]);
    }
    byId.delete(spec.id);
    return { spec, driver } as PlantDevice;
  });
  if (byId.size > 0) throw new PlantSpecError([`drivers without a spec: ${[...byId.keys()].join(', ')}`]);
  return paired;
}
