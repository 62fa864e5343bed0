import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForecastTemperatureView, errorPath } from '../../src/forecasting/forecast-temperature.ts';
import { HourlySeries } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import { mixUsed, selectionLabel } from '../../src/forecasting/neural-forecaster.ts';
import { trainNeuralForecaster } from '../../src/forecasting/neural-training.ts';
import { smallSampleWidening, type ResidualQuantilesJson } from '../../src/forecasting/residual-quantiles.ts';
import { WIDTH_RANGE } from '../../src/forecasting/rolling-band-calibration.ts';
import { syntheticLoadSeries } from './synthetic-series.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const fast = { hiddenLayers: [8], epochs: 8, seeds: [1] };

/** The synthetic load with its noise multiplied by `factor` from `fromDay` on (a calm site turning erratic). */
function louderFrom(series: HourlySeries, fromDay: number, factor: number): HourlySeries {
  const data = series.toData();
  const values = data.values.map((v, i) => {
    if (i < fromDay * 24) return v;
    const smooth = (data.values[i - 24 * 7] as number) * 0.5 + (data.values[i - 24 * 14] as number) * 0.5;
    return smooth + (v - smooth) * factor;
  });
  return new HourlySeries({ ...data, values });
}

function meanWidth(band: ResidualQuantilesJson): number {
  return band.p90Offset.reduce((sum, high, hour) => sum + high - (band.p10Offset[hour] as number), 0) / 24;
}

let trained: { calm: HourlySeries } & ReturnType<typeof trainNeuralForecaster>;
/** A small model trained on days 0-84 of a calm synthetic load (its last 16 days are validation), trained once. */
function trainedOnCalmSeries(): typeof trained {
  if (!trained) {
    const calm = syntheticLoadSeries(START, 120, 11, 0.03);
    const features = new LoadFeatures({ timeZone: 'UTC', useTemperature: false });
    trained = { calm, ...trainNeuralForecaster(calm, features, { fromMs: START, toMs: START + 84 * DAY_MS }, fast) };
  }
  return trained;
}

describe('prediction bands that hold on days after validation', () => {
  it('a band from a week of validation is widened by t(6)/z x sqrt(8/7) = 1.20, from two weeks by 1.09, from eight by 1.02', () => {
    assert.equal(smallSampleWidening(7).toFixed(2), '1.20');
    assert.equal(smallSampleWidening(14).toFixed(2), '1.09');
    assert.equal(smallSampleWidening(56).toFixed(2), '1.02');
    assert.ok(smallSampleWidening(1000) < 1.002);
  });

  it('the chosen model calibrates its band on the days before the origin: wider when they went worse than validation, about the same when alike, narrower when calmer', () => {
    const { calm, forecaster, report } = trainedOnCalmSeries();
    assert.ok((report.selection.validationMeanAbsError ?? 0) > 0, 'validation error kept for the band');
    const chosenWeight = report.selection.netWeight;
    // Training ends at day 84 (its last 16 days are validation); the 14 days before this origin all lie after it, and
    // the noise changes from day 72 so that their lags and the weekly naive part see the change too.
    const origin = START + 100 * DAY_MS;
    // The mean width of the re-calibrated band as a multiple of the validation band's.
    const validationWidth = meanWidth(report.selection.bands);
    const factor = (s: HourlySeries) => meanWidth(forecaster.recentBands(s, origin, chosenWeight)) / validationWidth;
    const same = factor(calm);
    const erratic = louderFrom(calm, 72, 4);
    const louder = factor(erratic);
    const quieter = factor(louderFrom(calm, 72, 0.25));
    console.log(
      `band factor: same noise ${same.toFixed(2)}, four times the noise for the last 14 days ${louder.toFixed(2)}, a quarter ${quieter.toFixed(2)}`,
    );
    assert.ok(same >= WIDTH_RANGE[0] && same < 1.6, `same noise: ${same}`);
    assert.ok(louder > 1.8 * same, `louder: ${louder} vs ${same}`);
    assert.ok(quieter < 0.9 * same && quieter >= WIDTH_RANGE[0] - 1e-9, `quieter: ${quieter} vs ${same}`);
    const chosen = forecaster.chosen();
    const width = (s: HourlySeries) => {
      const f = chosen.forecast(s, origin, 24, HOUR_MS);
      return f.p90.reduce((a, v, i) => a + v - (f.p10[i] as number), 0);
    };
    assert.ok(width(erratic) > 1.5 * width(calm), 'the chosen forecast carries the wider band');
  });

  it('the chosen model picks its mix again at each origin: after days that weekly naive forecast exactly, it forecasts with weekly naive and says so', () => {
    const { calm, forecaster, report } = trainedOnCalmSeries();
    assert.ok(report.selection.netWeight > 0, report.selection.summary);
    assert.equal(report.selection.outOfSampleFromMs, report.validationWindow.fromMs);
    // From day 84 every week repeats the one before exactly: weekly naive makes no error there, the net does.
    const data = calm.toData();
    const values = data.values.map((v) => v);
    for (let i = 84 * 24; i < values.length; i++) values[i] = values[i - 7 * 24] as number;
    const weekly = new HourlySeries({ ...data, values });
    const chosen = forecaster.chosen();
    const origin = START + 100 * DAY_MS;
    const forecast = chosen.forecast(weekly, origin, 24, HOUR_MS);
    assert.match(forecast.source, /^chosen\(.*\), weekly naive on the recent days$/);
    assert.equal(mixUsed(forecast), 'weekly naive');
    forecast.p50.forEach((value, h) =>
      assert.ok(Math.abs(value - weekly.valueAt(origin + h * HOUR_MS)) < 1e-6, `hour ${h}: ${value}`),
    );
    // On the series it was trained on, the validation choice stands.
    const asValidated = chosen.forecast(calm, START + 86 * DAY_MS, 24, HOUR_MS);
    assert.equal(asValidated.source, chosen.name);
    assert.equal(mixUsed(asValidated), selectionLabel(report.selection.netWeight));
  });

  it('training rows can see temperatures as a forecast gives them: the error starts at the row day’s midnight and repeats per seed', () => {
    const series = syntheticLoadSeries(START, 30, 3, 0.03);
    const model = { sdC: 1.5, hourlyCorrelation: 0.9, seed: 4 };
    const view = new ForecastTemperatureView(series, model).from(START + 10 * DAY_MS);
    assert.equal(
      view.temperatureAt(START + 10 * DAY_MS - HOUR_MS),
      series.temperatureAt(START + 10 * DAY_MS - HOUR_MS),
    );
    const path = errorPath(model, START + 10 * DAY_MS, 24);
    for (const h of [0, 5, 23]) {
      const at = START + 10 * DAY_MS + h * HOUR_MS;
      assert.ok(Math.abs(view.temperatureAt(at) - series.temperatureAt(at) - (path[h] as number)) < 1e-9);
    }
    const errors = path.map(Math.abs);
    assert.ok(Math.max(...errors) > 0.1, 'an error is added');
    assert.deepEqual(errorPath(model, START + 10 * DAY_MS, 24), path, 'same seed, same path');
    assert.notDeepEqual(errorPath({ ...model, seed: 5 }, START + 10 * DAY_MS, 24), path);
  });
});
