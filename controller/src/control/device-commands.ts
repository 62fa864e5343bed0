import type { BatterySetpoint, FlexibleLoadSetpoint, PvInverterSetpoint } from '../natures/index.ts';
import type { ControlInputs } from './control-inputs.ts';
import { controllableDevices, pvRatedPowerW } from './controllable-devices.ts';
import type { Dispatch } from './dispatcher.ts';

/** What is written to one device, in its nature's own terms. */
export type DeviceCommand =
  | { kind: 'pv-inverter'; deviceId: string; setpoint: PvInverterSetpoint }
  | { kind: 'battery'; deviceId: string; setpoint: BatterySetpoint }
  | { kind: 'flexible-load'; deviceId: string; setpoints: FlexibleLoadSetpoint[] };

/**
 * Translates dispatched powers into driver setpoints, each paired with the device-side reversion time from the plant
 * spec, so a dead controller leaves every device to fall back by itself. A PV limit is never below the inverter's
 * floor (never 0 %); a miner is paused or resumed only when its state needs it.
 */
export function deviceCommands(inputs: ControlInputs, dispatch: Dispatch): DeviceCommand[] {
  const commands: DeviceCommand[] = [];
  for (const device of controllableDevices(inputs)) {
    const powerW = dispatch.powersW[device.spec.id];
    if (powerW === undefined) continue;
    if (device.kind === 'pv-inverter') {
      const pct = Math.round((powerW / pvRatedPowerW(device)) * 1000) / 10;
      const powerLimitPct = Math.min(100, Math.max(device.spec.minPowerLimitPct, pct));
      commands.push({
        kind: 'pv-inverter',
        deviceId: device.spec.id,
        setpoint: { powerLimitPct, reversionS: device.spec.reversionS },
      });
    } else if (device.kind === 'battery') {
      commands.push({
        kind: 'battery',
        deviceId: device.spec.id,
        setpoint: { powerW: Math.round(powerW), reversionS: device.spec.reversionS },
      });
    } else {
      const consumptionW = Math.round(-powerW);
      const paused = device.reading.state === 'paused' || device.reading.state === 'ramping-down';
      const setpoints: FlexibleLoadSetpoint[] =
        consumptionW <= 0
          ? paused
            ? []
            : [{ kind: 'pause' }]
          : [...(paused ? [{ kind: 'resume' } as const] : []), { kind: 'power-target', powerTargetW: consumptionW }];
      commands.push({ kind: 'flexible-load', deviceId: device.spec.id, setpoints });
    }
  }
  return commands;
}
