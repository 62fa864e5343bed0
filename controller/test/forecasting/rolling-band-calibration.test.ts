import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResidualQuantilesJson } from '../../src/forecasting/residual-quantiles.ts';
import {
  calibrateOnRecentDays,
  RECENT_ERROR_DAYS,
  WIDTH_RANGE,
  type DayErrors,
} from '../../src/forecasting/rolling-band-calibration.ts';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';

const symmetric: ResidualQuantilesJson = { p10Offset: Array(24).fill(-1), p90Offset: Array(24).fill(1) };

/** A standard normal draw (Box-Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A day of 24 errors as a day-ahead load forecast makes them: a shift shared by the whole day (a warm day is off all
 * afternoon) plus a smaller hourly part, with a standard deviation of `spread` in all.
 */
function day(random: () => number, centre: number, spread: number): DayErrors {
  const shift = 0.9 * spread * normal(random);
  return Array.from({ length: 24 }, (_, hour) => ({
    hour,
    error: centre + shift + Math.sqrt(1 - 0.81) * spread * normal(random),
  }));
}

function days(count: number, centre: number, spread: number, seed = 1): DayErrors[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => day(random, centre, spread));
}

/** Share of the errors of `test` inside the band (with the forecast itself always inside, as the forecaster clamps). */
function coverage(band: ResidualQuantilesJson, test: readonly DayErrors[]): number {
  let inside = 0;
  let total = 0;
  for (const d of test)
    for (const { hour, error } of d) {
      total += 1;
      const low = Math.min(0, band.p10Offset[hour] as number);
      const high = Math.max(0, band.p90Offset[hour] as number);
      if (error >= low && error <= high) inside += 1;
    }
  return inside / total;
}

describe('band calibration on the days before the origin', () => {
  it('keeps the validation band when fewer than half the recent days could be forecast', () => {
    const band = calibrateOnRecentDays(symmetric, days(RECENT_ERROR_DAYS / 2 - 1, 0, 5));
    assert.deepEqual(band, symmetric);
  });

  it('covers about 80 % of new days drawn like the recent ones, whatever the validation band said', () => {
    // Over many draws of the recent fortnight: one fortnight of day-correlated errors is a small sample. Spreads from
    // 0.4 to 3 need about 0.6 to 4.8 times the validation band (with the widening for few days): a calm fortnight after
    // stormy validation, and a change of regime the validation window never saw.
    for (const spread of [0.4, 0.7, 1.25, 2, 3]) {
      let share = 0;
      const draws = 40;
      for (let seed = 1; seed <= draws; seed++) {
        const band = calibrateOnRecentDays(symmetric, days(RECENT_ERROR_DAYS, 0, spread, seed));
        share += coverage(band, days(50, 0, spread, 1000 + seed)) / draws;
      }
      console.log(`spread ${spread}: coverage of new days ${share.toFixed(3)}`);
      assert.ok(share > 0.75 && share < 0.88, `spread ${spread}: coverage ${share}`);
    }
  });

  it('follows errors that lean one way: the upper side moves out, the lower side in', () => {
    const band = calibrateOnRecentDays(symmetric, days(RECENT_ERROR_DAYS, 1.5, 0.5, 5));
    assert.ok((band.p90Offset[12] as number) > 2, `P90 offset ${band.p90Offset[12]}`);
    assert.ok((band.p10Offset[12] as number) > 0, `P10 offset ${band.p10Offset[12]}`);
  });

  it('a one-sided validation band (every validation error positive) and errors on its other side give a finite band inside the width bounds', () => {
    const oneSided: ResidualQuantilesJson = { p10Offset: Array(24).fill(0.2), p90Offset: Array(24).fill(1.2) };
    const band = calibrateOnRecentDays(oneSided, days(RECENT_ERROR_DAYS, -0.3, 0.4, 8));
    for (let hour = 0; hour < 24; hour++) {
      const width = (band.p90Offset[hour] as number) - (band.p10Offset[hour] as number);
      assert.ok(Number.isFinite(width));
      assert.ok(width >= WIDTH_RANGE[0] - 1e-9 && width <= WIDTH_RANGE[1] + 1e-9, `width ${width}`);
      assert.ok((band.p10Offset[hour] as number) < -0.3, 'the lower side now reaches the negative errors');
    }
  });

  it('recent days weigh more: bad days just before the origin widen the band more than the same days ten days earlier', () => {
    const calm = days(RECENT_ERROR_DAYS - 3, 0, 0.8, 11);
    const bad = days(3, 0, 3, 12);
    const badLast = calibrateOnRecentDays(symmetric, [...calm, ...bad]);
    const badFirst = calibrateOnRecentDays(symmetric, [...bad, ...calm]);
    const width = (band: ResidualQuantilesJson) => (band.p90Offset[0] as number) - (band.p10Offset[0] as number);
    assert.ok(width(badLast) > 1.3 * width(badFirst), `${width(badLast)} vs ${width(badFirst)}`);
  });

  it('an hour the band gives no width (PV at night) keeps no width and does not move the others', () => {
    const night: ResidualQuantilesJson = {
      p10Offset: symmetric.p10Offset.map((v, h) => (h < 6 ? 0 : v)),
      p90Offset: symmetric.p90Offset.map((v, h) => (h < 6 ? 0 : v)),
    };
    const band = calibrateOnRecentDays(night, days(RECENT_ERROR_DAYS, 0, 1, 4));
    assert.equal(band.p10Offset[2], 0);
    assert.equal(band.p90Offset[2], 0);
    assert.ok((band.p90Offset[12] as number) > 0.5);
  });
});
