import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBacktest } from '../../src/forecasting/backtest.ts';
import { weeklyNaiveScale } from '../../src/forecasting/forecast-scores.ts';
import { ForecastError } from '../../src/forecasting/forecaster.ts';
import { HOUR_MS, HourlySeries } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import { LocalCalendar } from '../../src/forecasting/local-calendar.ts';
import { trainNeuralForecaster } from '../../src/forecasting/neural-training.ts';
import { SeasonalNaiveForecaster } from '../../src/forecasting/seasonal-naive.ts';
import { syntheticLoadSeries } from './synthetic-series.ts';
import { VIC_TIME_ZONE, vicElec } from './vic-elec.ts';

const DAY_MS = 86_400_000;
const fast = { hiddenLayers: [12], epochs: 12, learningRate: 0.6, momentum: 0.2, seeds: [1], validationDays: 14 };

describe('neural day-ahead load forecaster', () => {
  it('trained on a year of real Victorian demand, it beats weekly seasonal naive on the next four weeks', () => {
    const series = vicElec();
    const calendar = new LocalCalendar(VIC_TIME_ZONE);
    const train = { fromMs: calendar.localDateToUtcMs('2012-07-01'), toMs: calendar.localDateToUtcMs('2013-07-01') };
    const testToMs = train.toMs + 28 * DAY_MS;
    const features = new LoadFeatures({ timeZone: VIC_TIME_ZONE, useTemperature: true });
    const { forecaster, report } = trainNeuralForecaster(series, features, train, fast);
    assert.ok(report.validation.model.mapePct < report.validation.seasonalNaive.mapePct, 'validation window');
    const result = runBacktest(series, [forecaster, SeasonalNaiveForecaster.weekly(VIC_TIME_ZONE)], {
      testFromMs: train.toMs,
      testToMs,
      timeZone: VIC_TIME_ZONE,
      maseScale: weeklyNaiveScale(series, train.fromMs, train.toMs),
    });
    assert.equal(result.days.length, 28);
    const [neural, naive] = result.scores.map((s) => s.scores);
    assert.ok(neural && naive);
    assert.ok(
      neural.mapePct < naive.mapePct,
      `neural ${neural.mapePct.toFixed(2)} % vs seasonal naive ${naive.mapePct.toFixed(2)} %`,
    );
    assert.ok(neural.mase < 1, `MASE ${neural.mase}`);
  });

  it('the same seed gives the same model, another seed a different one, and Math.random is left as it was', () => {
    const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 60);
    const features = new LoadFeatures({ timeZone: 'UTC', useTemperature: true });
    const window = { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 2, 5) };
    const original = Math.random;
    const options = { ...fast, epochs: 3 };
    const a = trainNeuralForecaster(series, features, window, options).forecaster.state.nets;
    const b = trainNeuralForecaster(series, features, window, options).forecaster.state.nets;
    const c = trainNeuralForecaster(series, features, window, { ...options, seeds: [2] }).forecaster.state.nets;
    assert.equal(Math.random, original);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('never looks at values after its origin: changing the future leaves the forecast unchanged', () => {
    const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 60);
    const features = new LoadFeatures({ timeZone: 'UTC', useTemperature: true });
    const { forecaster } = trainNeuralForecaster(
      series,
      features,
      { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 1, 25) },
      { ...fast, epochs: 3 },
    );
    const originMs = Date.UTC(2020, 1, 26);
    const values = Array.from({ length: 60 * 24 }, (_, h) => series.valueAt(series.startMs + h * HOUR_MS));
    const temperatureC = Array.from({ length: 60 * 24 }, (_, h) => series.temperatureAt(series.startMs + h * HOUR_MS));
    const future = values.map((v, h) => (series.startMs + h * HOUR_MS >= originMs ? v * 10 : v));
    const tampered = new HourlySeries({ startMs: series.startMs, values: future, temperatureC });
    assert.deepEqual(
      forecaster.forecast(tampered, originMs, 24, HOUR_MS).p50,
      forecaster.forecast(series, originMs, 24, HOUR_MS).p50,
    );
  });

  it('gives P10 <= P50 <= P90 for 48 hours, and a 15-min forecast that follows the hourly one', () => {
    const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 60);
    const features = new LoadFeatures({ timeZone: 'UTC', useTemperature: true });
    const { forecaster } = trainNeuralForecaster(
      series,
      features,
      { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 1, 25) },
      { ...fast, epochs: 4 },
    );
    const originMs = Date.UTC(2020, 1, 26, 13); // mid-afternoon: the second day is built from its own predictions
    const hourly = forecaster.forecast(series, originMs, 48, HOUR_MS);
    assert.equal(hourly.p50.length, 48);
    hourly.p50.forEach((p50, i) => {
      assert.ok(Number.isFinite(p50) && p50 > 0);
      assert.ok((hourly.p10[i] as number) <= p50 && p50 <= (hourly.p90[i] as number), `step ${i}`);
    });
    assert.ok(
      hourly.p90.some((p90, i) => p90 > (hourly.p10[i] as number)),
      'the band has a width',
    );
    const quarter = forecaster.forecast(series, originMs, 96, 15 * 60_000);
    assert.equal(quarter.p50.length, 96);
    for (let h = 1; h < 23; h++) {
      const quarters = quarter.p50.slice(h * 4, h * 4 + 4);
      const low = Math.min(hourly.p50[h - 1] as number, hourly.p50[h] as number, hourly.p50[h + 1] as number);
      const high = Math.max(hourly.p50[h - 1] as number, hourly.p50[h] as number, hourly.p50[h + 1] as number);
      for (const q of quarters)
        assert.ok(q >= low - 1e-9 && q <= high + 1e-9, `hour ${h}: ${q} outside ${low}..${high}`);
    }
  });

  it('refuses to forecast across a gap in history with a ForecastError naming the hour', () => {
    const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 60);
    const features = new LoadFeatures({ timeZone: 'UTC', useTemperature: true });
    const { forecaster } = trainNeuralForecaster(
      series,
      features,
      { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 1, 25) },
      { ...fast, epochs: 2 },
    );
    const gapStart = Date.UTC(2020, 1, 24);
    const values = Array.from({ length: 60 * 24 }, (_, h) => {
      const t = series.startMs + h * HOUR_MS;
      return t >= gapStart && t < gapStart + DAY_MS ? Number.NaN : series.valueAt(t);
    });
    const withGap = new HourlySeries({
      startMs: series.startMs,
      values,
      temperatureC: values.map((_, h) => series.temperatureAt(series.startMs + h * HOUR_MS)),
    });
    assert.throws(
      () => forecaster.forecast(withGap, Date.UTC(2020, 1, 25), 24, HOUR_MS),
      (error: unknown) =>
        error instanceof ForecastError &&
        /2020-02-25T00:00/.test(error.message) &&
        error.forecaster.startsWith('neural-load'),
    );
  });
});
