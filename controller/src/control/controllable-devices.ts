import type { BatteryReading, FlexibleLoadReading, PvInverterReading } from '../natures/index.ts';
import { isControllable } from '../cycle/process-image.ts';
import type { BatterySpec, MinerSpec, PvInverterSpec } from '../plant/plant-spec.ts';
import type { ControlInputs } from './control-inputs.ts';

/** A device the controllers may command this cycle: its spec with this cycle's (fresh) reading. */
export type ControllableDevice =
  | { kind: 'pv-inverter'; spec: PvInverterSpec; reading: PvInverterReading }
  | { kind: 'battery'; spec: BatterySpec; reading: BatteryReading }
  | { kind: 'flexible-load'; spec: MinerSpec; reading: FlexibleLoadReading };

/**
 * The devices with a fresh reading this cycle, in the plant spec's order (so every pass over them is deterministic).
 * Devices without one are not commanded: whatever they do is part of what the grid meter sees.
 */
export function controllableDevices(inputs: ControlInputs): ControllableDevice[] {
  const out: ControllableDevice[] = [];
  for (const spec of inputs.plant.devices) {
    const snapshot = inputs.image.devices[spec.id];
    if (!snapshot || !isControllable(snapshot) || snapshot.kind !== spec.kind) continue;
    if (spec.kind === 'pv-inverter' && snapshot.kind === 'pv-inverter' && snapshot.reading) {
      out.push({ kind: spec.kind, spec, reading: snapshot.reading });
    } else if (spec.kind === 'battery' && snapshot.kind === 'battery' && snapshot.reading) {
      out.push({ kind: spec.kind, spec, reading: snapshot.reading });
    } else if (spec.kind === 'flexible-load' && snapshot.kind === 'flexible-load' && snapshot.reading) {
      out.push({ kind: spec.kind, spec, reading: snapshot.reading });
    }
  }
  return out;
}

/** A PV inverter's rating for this cycle: the stricter of its spec and what it reports. */
export function pvRatedPowerW(device: { spec: PvInverterSpec; reading: PvInverterReading }): number {
  const reported = device.reading.ratedPowerW;
  return reported !== null && reported > 0 ? Math.min(device.spec.ratedPowerW, reported) : device.spec.ratedPowerW;
}

/** A miner's power range for this cycle: the stricter of its spec and what it reports. */
export function minerPowerRangeW(device: { spec: MinerSpec; reading: FlexibleLoadReading }): {
  minW: number;
  maxW: number;
} {
  const maxW = Math.min(device.spec.maxPowerW, device.reading.maxPowerW ?? Number.POSITIVE_INFINITY);
  const minW = Math.min(maxW, Math.max(device.spec.minPowerW, device.reading.minPowerW ?? 0));
  return { minW, maxW };
}
