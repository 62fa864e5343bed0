import { VIC_PV_CAPACITY_FACTOR_FILE } from './data-files.ts';
import { readGzipCsvColumn } from './gzip-csv.ts';
import { HalfHourlySeries } from './half-hourly-series.ts';

let cached: HalfHourlySeries | undefined;

/** Victorian rooftop-PV capacity factor (0..~0.67), loaded on first use and shared by every inverter. */
export function pvCapacityFactorSeries(): HalfHourlySeries {
  cached ??= new HalfHourlySeries(
    'vic PV capacity factor',
    readGzipCsvColumn(VIC_PV_CAPACITY_FACTOR_FILE, 'PV_capacity_factor'),
  );
  return cached;
}

/** A function of simulation time giving the capacity factor; what a PV inverter model is driven by. */
export type CapacityFactorProfile = (epochMs: number) => number;

export function victorianPvProfile(utcOffsetMinutes?: number): CapacityFactorProfile {
  const series = pvCapacityFactorSeries();
  return (epochMs) => Math.max(0, series.valueAt(epochMs, utcOffsetMinutes));
}
