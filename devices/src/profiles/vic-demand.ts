import { VIC_ELEC_FILE } from './data-files.ts';
import { readGzipCsvColumn } from './gzip-csv.ts';
import { HalfHourlySeries } from './half-hourly-series.ts';

let demand: HalfHourlySeries | undefined;
let temperature: HalfHourlySeries | undefined;

/** Victoria's total demand in MW, 2012-2014, loaded on first use. */
export function vicDemandSeries(): HalfHourlySeries {
  demand ??= new HalfHourlySeries('vic demand MW', readGzipCsvColumn(VIC_ELEC_FILE, 'Demand'));
  return demand;
}

/** Melbourne temperature in °C alongside the demand. */
export function vicTemperatureSeries(): HalfHourlySeries {
  temperature ??= new HalfHourlySeries('vic temperature °C', readGzipCsvColumn(VIC_ELEC_FILE, 'Temperature'));
  return temperature;
}

/** A function of simulation time giving demand as a fraction of its 2012-2014 peak (about 0.3..1). */
export type DemandShapeProfile = (epochMs: number) => number;

export function victorianDemandShape(utcOffsetMinutes?: number): DemandShapeProfile {
  const series = vicDemandSeries();
  const peakMw = series.max();
  return (epochMs) => series.valueAt(epochMs, utcOffsetMinutes) / peakMw;
}
