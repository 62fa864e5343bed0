import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR_MS, HourlySeries } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import { MinMaxScaler } from '../../src/forecasting/min-max-scaler.ts';
import { trainNeuralForecaster } from '../../src/forecasting/neural-training.ts';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';
import { syntheticLoadSeries } from './synthetic-series.ts';

const DAY_MS = 86_400_000;
const fast = { hiddenLayers: [8], epochs: 8, seeds: [1] };
const noTemperature = new LoadFeatures({ timeZone: 'UTC', useTemperature: false });

/** A site's net load behind its PV meter: consumption minus a midday PV bell that exceeds it on sunny days. */
function netLoad(startMs: number, days: number, stepMs: number): HourlySeries {
  const random = seededRandom(9);
  const values = Array.from({ length: (days * DAY_MS) / stepMs }, (_, i) => {
    const hour = ((startMs + i * stepMs) % DAY_MS) / HOUR_MS;
    const day = Math.floor((i * stepMs) / DAY_MS);
    const sun = 0.6 + 0.4 * Math.sin(day / 1.7);
    const consumption = 4 + 2 * Math.exp(-((hour - 19) ** 2) / 4);
    const pv = 9 * sun * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 12));
    return consumption - pv + 0.2 * (random() - 0.5);
  });
  return new HourlySeries({ startMs, stepMs, values });
}

describe('forecaster robust by construction', () => {
  it('uses the time of year only with a year of training data, so a short history cannot extrapolate it', () => {
    const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 60);
    const { forecaster, report } = trainNeuralForecaster(
      series,
      noTemperature,
      { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 2, 5) },
      fast,
    );
    assert.equal(report.annualCycle, false);
    assert.ok(!forecaster.state.featureSet.names.some((n) => n.startsWith('doy')));
    for (const name of ['todSin1', 'todCos1', 'weekSin', 'weekCos'])
      assert.ok(forecaster.state.featureSet.names.includes(name), name);
    const long = new LoadFeatures({ timeZone: 'UTC', useTemperature: false, annualCycle: true });
    assert.ok(long.names.includes('doySin1') && long.names.includes('doyCos2'));
    // Cyclic and one-hot columns keep their natural range in the scaler, whatever the training window covered.
    const cyclic = forecaster.state.featureSet.names.indexOf('todSin1');
    assert.deepEqual([forecaster.state.inputScaler.min[cyclic], forecaster.state.inputScaler.max[cyclic]], [-1, 1]);
  });

  it('an input outside its training range is clamped by the guard and counted', () => {
    const scaler = MinMaxScaler.fit(
      [
        [0, 10],
        [1, 20],
      ],
      0,
      1,
      [[0, 1], null],
      0.1,
    );
    assert.deepEqual(scaler.scaleGuarded([0.5, 15]), { scaled: [0.5, 0.5], clamped: 0 });
    assert.deepEqual(scaler.scaleGuarded([0.5, 21]), { scaled: [0.5, 1.1], clamped: 0 }, 'within the margin');
    assert.deepEqual(scaler.scaleGuarded([0.5, 1000]), { scaled: [0.5, 1.1], clamped: 1 });
    assert.deepEqual(scaler.scaleGuarded([0.5, -1000]), { scaled: [0.5, -0.1], clamped: 1 });
  });

  it('with too little history the net is not eligible: weekly seasonal naive is chosen and the summary says why', () => {
    const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 40);
    const { forecaster, report } = trainNeuralForecaster(
      series,
      noTemperature,
      { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 1, 9) },
      fast,
    );
    assert.equal(report.selection.netWeight, 0);
    assert.match(report.selection.summary, /too few to trust the net .*: using weekly seasonal naive/);
    assert.equal(forecaster.chosen().name, 'chosen(weekly naive)');
    const forecast = forecaster.chosen().forecast(series, Date.UTC(2020, 1, 9), 24, HOUR_MS);
    assert.deepEqual(
      forecast.p50,
      Array.from({ length: 24 }, (_, h) => series.valueAt(Date.UTC(2020, 1, 2) + h * HOUR_MS)),
    );
  });

  it('a net load that goes negative at midday is forecast negative, half-hourly, not clamped at 0', () => {
    const step = 30 * 60_000;
    const series = netLoad(Date.UTC(2021, 0, 4), 63, step);
    const { forecaster } = trainNeuralForecaster(
      series,
      noTemperature,
      { fromMs: Date.UTC(2021, 0, 18), toMs: Date.UTC(2021, 2, 1) },
      { ...fast, epochs: 15 },
    );
    assert.equal(forecaster.state.nonNegative, false, 'a load is not clamped by default');
    const forecast = forecaster.chosen().forecast(series, Date.UTC(2021, 2, 1), 48, step);
    assert.equal(forecast.p50.length, 48, 'native half-hourly steps');
    const midday = forecast.p50.slice(22, 28);
    assert.ok(
      midday.every((v) => v < 0),
      `midday forecast ${midday.map((v) => v.toFixed(2)).join(', ')}`,
    );
    assert.ok(forecast.p10.slice(22, 28).every((v, i) => v <= (midday[i] as number)));
  });
});
