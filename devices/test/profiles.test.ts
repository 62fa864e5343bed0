import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataPositionOf, HalfHourlySeries } from '../src/profiles/half-hourly-series.ts';
import { pvCapacityFactorSeries, victorianPvProfile } from '../src/profiles/pv-capacity-factor.ts';
import { vicDemandSeries, victorianDemandShape } from '../src/profiles/vic-demand.ts';

const AEST_MINUTES = 600;
/** Epoch ms of a Melbourne standard-time wall clock. */
const melbourne = (y: number, m: number, d: number, h: number, min = 0): number => Date.UTC(y, m - 1, d, h - 10, min);

test('both vendored series load whole, 2012-2014 half-hourly, with no gaps left', () => {
  assert.equal(pvCapacityFactorSeries().length, 52_608);
  assert.equal(vicDemandSeries().length, 52_608);
  assert.ok(pvCapacityFactorSeries().max() > 0.5 && pvCapacityFactorSeries().max() < 1);
});

test('a simulation time maps to the same local time of year in the 2012-2014 data', () => {
  // 2012-01-01 00:00 local is index 0; 2015 folds onto 2012, 2026 onto 2014 (2026 - 2012 = 14, 14 mod 3 = 2).
  assert.equal(dataPositionOf(melbourne(2012, 1, 1, 0), AEST_MINUTES), 0);
  assert.equal(dataPositionOf(melbourne(2015, 1, 1, 0), AEST_MINUTES), 0);
  assert.equal(
    dataPositionOf(melbourne(2026, 1, 1, 12, 15), AEST_MINUTES),
    dataPositionOf(melbourne(2014, 1, 1, 12, 15), AEST_MINUTES),
  );
  assert.equal(dataPositionOf(melbourne(2012, 1, 1, 12, 15), AEST_MINUTES), 24.5);
});

test('values between two half-hours are interpolated linearly', () => {
  const series = new HalfHourlySeries('ramp', Float64Array.from([0, 10, 20, 30]));
  assert.equal(series.valueAt(melbourne(2012, 1, 1, 0, 15), AEST_MINUTES), 5);
  assert.equal(series.valueAt(melbourne(2012, 1, 1, 1, 0), AEST_MINUTES), 20);
});

test('missing data are filled from the same half-hour of the day before', () => {
  const values = new Float64Array(96).map((_, i) => i % 48);
  values[50] = Number.NaN;
  const series = new HalfHourlySeries('gappy', values);
  assert.equal(series.valueAt(melbourne(2012, 1, 2, 1, 0), AEST_MINUTES), 2);
});

test('PV follows the sun: summer noon is bright, midnight is dark, winter noon is dimmer', () => {
  const pv = victorianPvProfile();
  const summerNoon = pv(melbourne(2026, 1, 15, 12));
  assert.ok(summerNoon > 0.3, `summer noon capacity factor ${summerNoon}`);
  assert.equal(pv(melbourne(2026, 1, 15, 0)), 0);
  assert.ok(pv(melbourne(2026, 7, 15, 12)) < summerNoon);
});

test('the demand shape peaks at 1 and is higher on a summer afternoon than at 4 am', () => {
  const shape = victorianDemandShape();
  const afternoon = shape(melbourne(2014, 1, 15, 16));
  const night = shape(melbourne(2014, 1, 15, 4));
  assert.ok(afternoon > night, `afternoon ${afternoon} vs night ${night}`);
  assert.ok(afternoon <= 1 && night > 0.2);
});

test('a data file with garbage in the column fails with the file and line named', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { readGzipCsvColumn, ProfileDataError } = await import('../src/profiles/gzip-csv.ts');
  const path = join(mkdtempSync(join(tmpdir(), 'gridcoop-profile-')), 'bad.csv.gz');
  writeFileSync(path, gzipSync('Time,PV\n1,0.5\n2,oops\n'));
  assert.throws(
    () => readGzipCsvColumn(path, 'PV'),
    (error: unknown) => error instanceof ProfileDataError && error.line === 3 && /oops/.test(error.message),
  );
  assert.throws(() => readGzipCsvColumn(path, 'Missing'), ProfileDataError);
  const { rmSync } = await import('node:fs');
  const { dirname } = await import('node:path');
  rmSync(dirname(path), { recursive: true, force: true });
});
