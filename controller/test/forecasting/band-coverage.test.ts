import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bandCoverage, type BacktestResult } from '../../src/forecasting/backtest.ts';

const HOUR_MS = 3_600_000;

/** One issued day of PV: night hours 0 with a band of no width, daylight hours half inside their band. */
function pvDay(): BacktestResult {
  const actual: number[] = [];
  const p10: number[] = [];
  const p50: number[] = [];
  const p90: number[] = [];
  for (let h = 0; h < 24; h++) {
    const daylight = h >= 6 && h < 18;
    actual.push(daylight ? (h % 2 === 0 ? 0.5 : 0.9) : 0);
    p50.push(daylight ? 0.5 : 0);
    p10.push(daylight ? 0.4 : 0);
    p90.push(daylight ? 0.6 : 0);
  }
  return {
    days: [
      {
        originMs: 0,
        stepMs: HOUR_MS,
        actual,
        forecasts: { pv: { fromMs: 0, stepMs: HOUR_MS, p10, p50, p90, source: 'pv' } },
      },
    ],
    skippedDays: [],
    scores: [],
  };
}

test('band coverage counts every step, or with a minimum actual only the steps MAPE counts (PV in daylight)', () => {
  const result = pvDay();
  assert.equal(bandCoverage(result, 'pv'), 18 / 24, 'the 12 night hours are trivially inside');
  assert.equal(bandCoverage(result, 'pv', 0.05), 6 / 12, 'in daylight half the hours are inside');
  assert.ok(Number.isNaN(bandCoverage(result, 'other')), 'no such forecaster: no coverage');
});
