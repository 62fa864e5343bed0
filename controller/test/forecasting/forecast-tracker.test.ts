import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForecastTracker, ForecastTrackerError } from '../../src/forecasting/forecast-tracker.ts';

const QUARTER_MS = 15 * 60_000;
const t0 = Date.UTC(2024, 5, 1);

describe('forecast versus actual', () => {
  it('keeps the forecast each step was planned with, pairs it with the measurement and scores the pairs', () => {
    const tracker = new ForecastTracker();
    tracker.recordForecast('site-load', {
      fromMs: t0,
      stepMs: QUARTER_MS,
      p50: [100, 200, 300],
      p10: [90, 180, 270],
      p90: [110, 220, 330],
      source: 'neural-load',
    });
    tracker.recordActual('site-load', t0, 110);
    // 15 min later the planner re-forecasts: the step already begun keeps its forecast, later ones are replaced.
    tracker.recordForecast('site-load', {
      fromMs: t0 + QUARTER_MS,
      stepMs: QUARTER_MS,
      p50: [250, 350],
      p10: [240, 340],
      p90: [260, 360],
      source: 'seasonal-naive-weekly',
    });
    tracker.recordActual('site-load', t0 + QUARTER_MS, 250);
    const series = tracker.series('site-load', t0, t0 + 3 * QUARTER_MS);
    assert.deepEqual(
      series.map((p) => [p.p50, p.actual, p.source]),
      [
        [100, 110, 'neural-load'],
        [250, 250, 'seasonal-naive-weekly'],
        [350, null, 'seasonal-naive-weekly'],
      ],
    );
    const scores = tracker.scores('site-load', t0, t0 + 3 * QUARTER_MS);
    assert.equal(scores.points, 2);
    assert.ok(Math.abs(scores.mapePct - (100 * (10 / 110)) / 2) < 1e-9);
    assert.ok(Math.abs(scores.rmse - Math.sqrt(100 / 2)) < 1e-9);
  });

  it('refuses a non-finite measurement or forecast with a typed error and keeps what it had', () => {
    const tracker = new ForecastTracker();
    tracker.recordActual('pv', t0, 5);
    assert.throws(
      () => tracker.recordActual('pv', t0, Number.NaN),
      (e: unknown) => e instanceof ForecastTrackerError && /pv: actual NaN/.test(e.message),
    );
    assert.throws(
      () =>
        tracker.recordForecast('pv', {
          fromMs: t0,
          stepMs: QUARTER_MS,
          p50: [1, Number.POSITIVE_INFINITY],
          p10: [1, 1],
          p90: [1, 1],
          source: 'neural-pv',
        }),
      /non-finite value at step 1/,
    );
    assert.deepEqual(tracker.series('pv', t0, t0 + QUARTER_MS), [
      { timeMs: t0, p50: null, p10: null, p90: null, actual: 5, source: null },
    ]);
  });
});
