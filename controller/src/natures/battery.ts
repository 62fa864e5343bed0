import type { DeviceDriver } from './driver.ts';
import type { Measured } from './measured.ts';

export type BatteryState =
  'off' | 'standby' | 'charging' | 'discharging' | 'holding' | 'full' | 'empty' | 'fault' | 'unknown';

export interface BatteryReading {
  /** AC power, discharge positive, charge negative (generation-positive, like an inverter). */
  powerW: Measured;
  socPct: Measured;
  capacityWh: Measured;
  maxChargeW: Measured;
  maxDischargeW: Measured;
  /** The reserve the battery itself keeps (SunSpec MinRsvPct). */
  minReservePct: Measured;
  /** Lifetime energy taken in (charging) and given out (discharging). */
  energyInWh: Measured;
  energyOutWh: Measured;
  state: BatteryState;
}

export interface BatterySetpoint {
  /** Discharge positive, charge negative; 0 holds. */
  powerW: number;
  /** The battery falls back to idle by itself if the setpoint is not refreshed within this time. */
  reversionS: number;
}

export type Battery = DeviceDriver<BatteryReading, BatterySetpoint> & { readonly nature: 'battery' };
