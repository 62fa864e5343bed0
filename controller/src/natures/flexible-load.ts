import type { DeviceDriver } from './driver.ts';
import type { Measured } from './measured.ts';

/** A miner (or any flexible load) as the controller sees it. */
export type FlexibleLoadState = 'running' | 'paused' | 'ramping-up' | 'ramping-down' | 'fault' | 'unknown';

export interface FlexibleLoadReading {
  /** Consumption, positive. */
  powerW: Measured;
  powerTargetW: Measured;
  minPowerW: Measured;
  maxPowerW: Measured;
  hashrateThs: Measured;
  temperatureC: Measured;
  /** Lifetime energy consumed (the OPC UA EnergyConsumed point): what metering records for the node. */
  energyWh: Measured;
  state: FlexibleLoadState;
}

export type FlexibleLoadSetpoint =
  { kind: 'pause' } | { kind: 'resume' } | { kind: 'power-target'; powerTargetW: number };

export type FlexibleLoad = DeviceDriver<FlexibleLoadReading, FlexibleLoadSetpoint> & {
  readonly nature: 'flexible-load';
};
