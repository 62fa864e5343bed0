import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandCoverage, runBacktest } from '../../src/forecasting/backtest.ts';
import { HourlySeries } from '../../src/forecasting/hourly-series.ts';
import { SeasonalNaiveForecaster } from '../../src/forecasting/seasonal-naive.ts';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';
import { syntheticLoadSeries } from './synthetic-series.ts';

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const CHANGE_DAY = 35;

/**
 * The noise-free synthetic load plus errors as real load shows them, a shift shared by the whole day (a warm day is off
 * all afternoon) and a smaller hourly part, with a standard deviation of `before` kW until CHANGE_DAY and `after` kW
 * from then on.
 */
function noiseChangingAt(before: number, after: number): HourlySeries {
  const data = syntheticLoadSeries(START, 84, 5, 0).toData();
  const random = seededRandom(9);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let shift = 0;
  const values = data.values.map((v, i) => {
    const sd = i < CHANGE_DAY * 24 ? before : after;
    if (i % 24 === 0) shift = normal();
    return v + sd * (0.9 * shift + Math.sqrt(1 - 0.81) * normal());
  });
  return new HourlySeries({ ...data, values });
}

/** Weekly naive's P10-P90 coverage on the four weeks from two weeks after the change (the recent days all changed). */
function coverageAfterChange(series: HourlySeries): number {
  const weekly = SeasonalNaiveForecaster.weekly('UTC');
  const result = runBacktest(series, [weekly], {
    testFromMs: START + (CHANGE_DAY + 14) * DAY_MS,
    testToMs: START + 84 * DAY_MS,
    timeZone: 'UTC',
    maseScale: 1,
  });
  return bandCoverage(result, weekly.name);
}

describe('the seasonal naive fallback band', () => {
  it('covers about 80 % when the noise has changed: its four weeks re-calibrated on the last fortnight', () => {
    const louder = coverageAfterChange(noiseChangingAt(1, 4));
    const quieter = coverageAfterChange(noiseChangingAt(4, 1));
    console.log(
      `weekly naive P10-P90 after the noise went up 4x: ${louder.toFixed(3)}, down 4x: ${quieter.toFixed(3)}`,
    );
    assert.ok(louder > 0.75 && louder < 0.85, `louder: ${louder}`);
    assert.ok(quieter > 0.75 && quieter < 0.85, `quieter: ${quieter}`);
  });
});
