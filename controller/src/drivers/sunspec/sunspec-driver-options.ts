import type { DeviceError } from '../../natures/device-error.ts';
import type { SunSpecClientOptions } from './sunspec-client.ts';
import type { RefreshTimer } from './setpoint-refresher.ts';

export interface SunSpecDriverOptions extends SunSpecClientOptions {
  /** Timers for the setpoint refresh; default real timers. */
  timer?: RefreshTimer;
  /** Called with each failed setpoint refresh (the driver keeps trying); default: ignored, see lastRefreshError. */
  onRefreshError?: (error: DeviceError) => void;
}

export interface SunSpecPvInverterOptions extends SunSpecDriverOptions {
  /** The lowest power limit ever written, %: several inverters go to standby on 0 %. Default 1. */
  minPowerLimitPct?: number;
}

export const DEFAULT_MIN_POWER_LIMIT_PCT = 1;
