import type { DeviceDriver } from './driver.ts';
import type { Measured } from './measured.ts';

/** SunSpec inverter operating states (model 103 St / 701 InvSt), plus `unknown` for sentinels. */
export type PvInverterState =
  'off' | 'sleeping' | 'starting' | 'mppt' | 'throttled' | 'shutting-down' | 'fault' | 'standby' | 'unknown';

export interface PvInverterReading {
  /** AC output, generation positive. */
  powerW: Measured;
  ratedPowerW: Measured;
  /** Active power limit in force, % of rated power (100 when not limited). */
  powerLimitPct: Measured;
  /** Lifetime AC energy produced. */
  energyWh: Measured;
  state: PvInverterState;
}

export interface PvInverterSetpoint {
  /** Power limit in % of rated power. Never 0: several inverters go to standby on 0 %; use a disconnect for a stop. */
  powerLimitPct: number;
  /** The inverter returns to 100 % by itself if the limit is not refreshed within this time. */
  reversionS: number;
}

export type PvInverter = DeviceDriver<PvInverterReading, PvInverterSetpoint> & { readonly nature: 'pv-inverter' };
