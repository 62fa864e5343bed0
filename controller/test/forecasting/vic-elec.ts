import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../../src/forecasting/csv-series.ts';
import type { HourlySeries } from '../../src/forecasting/hourly-series.ts';

/** Real Victorian demand (MW) and Melbourne temperature, hourly: the vendored data (see devices/data/README.md). */
export const VIC_ELEC_PATH = fileURLToPath(new URL('../../../devices/data/vic_elec.csv.gz', import.meta.url));
export const VIC_PV_PATH = fileURLToPath(
  new URL('../../../devices/data/vic_pv_capacity_factor_2012_2014.csv.gz', import.meta.url),
);
export const VIC_TIME_ZONE = 'Australia/Melbourne';

let cached: HourlySeries | null = null;
export function vicElec(): HourlySeries {
  cached ??= readCsvFile(VIC_ELEC_PATH).series;
  return cached;
}
