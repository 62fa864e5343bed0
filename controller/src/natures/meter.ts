import type { DeviceDriver } from './driver.ts';
import type { Measured } from './measured.ts';

export interface MeterReading {
  /** Power at the connection point: import from the grid positive, export negative. */
  powerW: Measured;
  energyImportedWh: Measured;
  energyExportedWh: Measured;
  frequencyHz: Measured;
  voltageV: Measured;
}

/** A meter takes no setpoints. */
export type Meter = DeviceDriver<MeterReading, never> & { readonly nature: 'meter' };
