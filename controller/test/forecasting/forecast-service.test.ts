import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ForecastService } from '../../src/forecasting/forecast-service.ts';
import { InMemoryHistoryStore, type HistoryPoint } from '../../src/forecasting/history-store.ts';
import { HOUR_MS, type HourlySeries } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import { loadModelFile } from '../../src/forecasting/model-file.ts';
import { syntheticLoadSeries } from './synthetic-series.ts';

const DAY_MS = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-service-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const start = Date.UTC(2020, 0, 6);
const features = new LoadFeatures({ timeZone: 'UTC', useTemperature: false });
const training = {
  hiddenLayers: [8],
  epochs: 6,
  seeds: [1],
  validationDays: 7,
  learningRate: 0.6,
  momentum: 0.2,
  minTrainingDaysForNet: 14,
};

function storeWith(series: HourlySeries, days: number): InMemoryHistoryStore {
  const store = new InMemoryHistoryStore();
  const points: HistoryPoint[] = [];
  for (let h = 0; h < days * 24; h++)
    points.push({ hourStartMs: start + h * HOUR_MS, value: series.valueAt(start + h * HOUR_MS) });
  store.append('site-load', points);
  return store;
}

describe('forecast service', () => {
  it('answers with seasonal naive before any model exists, and says why', () => {
    const store = storeWith(syntheticLoadSeries(start, 30), 30);
    const service = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath: null,
      trainingDays: 21,
      retrainEveryMs: DAY_MS,
      now: () => start + 30 * DAY_MS,
    });
    service.start();
    const forecast = service.forecast(start + 30 * DAY_MS, 96, 15 * 60_000);
    assert.equal(forecast.source, 'seasonal-naive-weekly');
    assert.equal(forecast.p50.length, 96);
    assert.deepEqual(
      { active: service.status().active, reason: service.status().reason },
      { active: 'seasonal-naive', reason: 'no model trained yet' },
    );
    assert.equal(service.retrainDue(), true);
  });

  it('retrains on schedule from its store, saves the model file and uses the model its validation chose over seasonal naive', () => {
    let nowMs = start + 40 * DAY_MS;
    const store = storeWith(syntheticLoadSeries(start, 40, 7, 0.15), 40);
    const modelPath = join(dir, 'site-load.json');
    const service = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath,
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      training,
      now: () => nowMs,
    });
    const status = service.maybeRetrain();
    assert.ok(status);
    assert.equal(status.active, 'neural', status.reason);
    assert.ok(status.netWeight > 0, status.reason);
    assert.ok((status.validation?.chosen?.mae ?? Infinity) < (status.validation?.seasonalNaive.mae ?? 0));
    assert.equal(loadModelFile(modelPath).createdAtMs, nowMs);
    assert.match(service.forecast(nowMs, 24, HOUR_MS).source, /^chosen\((net|blend \d+ % net)\)$/);
    assert.equal(service.maybeRetrain(), null, 'not due again within the day');
    nowMs += DAY_MS;
    assert.equal(service.retrainDue(), true);

    const restarted = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath,
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      now: () => nowMs,
    });
    restarted.start();
    assert.equal(restarted.status().active, 'neural', 'the saved model is picked up after a restart');
  });

  it('keeps seasonal naive when the net scores worse on the validation window', () => {
    // A series that repeats exactly every week: seasonal naive is perfect, no net can beat it.
    const weekly = syntheticLoadSeries(start, 7, 3, 0.1);
    const store = new InMemoryHistoryStore();
    const points: HistoryPoint[] = [];
    for (let h = 0; h < 40 * 24; h++)
      points.push({ hourStartMs: start + h * HOUR_MS, value: weekly.valueAt(start + (h % 168) * HOUR_MS) });
    store.append('site-load', points);
    const service = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath: null,
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      training,
      now: () => start + 40 * DAY_MS,
    });
    const status = service.retrain();
    assert.equal(status.active, 'seasonal-naive');
    assert.equal(status.netWeight, 0);
    assert.match(
      status.reason,
      /the net does not beat weekly seasonal naive on validation: using weekly seasonal naive \(validation MAE net [\d.]+, weekly naive 0\.000/,
    );
    assert.equal(service.forecast(start + 40 * DAY_MS, 24, HOUR_MS).source, 'seasonal-naive-weekly');
  });

  it('a corrupt model file is reported, left in place, and seasonal naive answers until a retrain', () => {
    const modelPath = join(dir, 'corrupt.json');
    writeFileSync(modelPath, 'not a model');
    const store = storeWith(syntheticLoadSeries(start, 30), 30);
    const service = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath,
      trainingDays: 21,
      retrainEveryMs: DAY_MS,
      now: () => start + 30 * DAY_MS,
    });
    service.start();
    assert.match(service.status().reason, /corrupt\.json: is not JSON/);
    assert.equal(readFileSync(modelPath, 'utf8'), 'not a model');
    assert.equal(service.forecast(start + 30 * DAY_MS, 24, HOUR_MS).source, 'seasonal-naive-weekly');
  });

  it('a retrain without enough history keeps the previous state and reports the training error', () => {
    const store = storeWith(syntheticLoadSeries(start, 10), 10);
    const service = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath: null,
      trainingDays: 9,
      retrainEveryMs: DAY_MS,
      training,
      now: () => start + 10 * DAY_MS,
    });
    const status = service.retrain();
    assert.equal(status.active, 'seasonal-naive');
    assert.match(status.reason, /retrain failed: only \d+ complete training rows/);
  });
});

describe('forecast service fallback on a gap', () => {
  it('answers with seasonal naive when the neural model cannot forecast across a gap, and reports why', () => {
    const nowMs = start + 40 * DAY_MS;
    const series = syntheticLoadSeries(start, 40, 7, 0.15);
    const store = new InMemoryHistoryStore();
    const points: HistoryPoint[] = [];
    for (let h = 0; h < 40 * 24; h++) {
      const t = start + h * HOUR_MS;
      if (t < nowMs - 2 * DAY_MS || t >= nowMs - DAY_MS) points.push({ hourStartMs: t, value: series.valueAt(t) });
    }
    store.append('site-load', points);
    // Train on the full history first, then forecast with yesterday-but-one missing from the store.
    const full = new InMemoryHistoryStore();
    full.append(
      'site-load',
      Array.from({ length: 40 * 24 }, (_, h) => ({
        hourStartMs: start + h * HOUR_MS,
        value: series.valueAt(start + h * HOUR_MS),
      })),
    );
    const trainer = new ForecastService({
      seriesName: 'site-load',
      store: full,
      featureSet: features,
      modelPath: join(dir, 'gap.json'),
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      training,
      now: () => nowMs,
    });
    assert.equal(trainer.retrain().active, 'neural');
    const gapped = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: features,
      modelPath: join(dir, 'gap.json'),
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      now: () => nowMs,
    });
    gapped.start();
    assert.deepEqual([gapped.status().active, gapped.status().lastFallback], ['neural', null]);
    const forecast = gapped.forecast(nowMs, 24, HOUR_MS);
    assert.equal(forecast.source, 'seasonal-naive-weekly');
    assert.match(gapped.status().lastFallback?.reason ?? '', /chosen\([^)]*\): an input is unknown/);
  });
});

describe('forecast service retraining in a worker thread', () => {
  it('gives the same model as training in the main thread, while the event loop stays free', async () => {
    const nowMs = start + 40 * DAY_MS;
    const store = storeWith(syntheticLoadSeries(start, 40, 7, 0.15), 40);
    const options = {
      seriesName: 'site-load',
      store,
      featureSet: features,
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      training,
      now: () => nowMs,
    };
    const inThread = new ForecastService({ ...options, modelPath: join(dir, 'in-thread.json') });
    const inWorker = new ForecastService({ ...options, modelPath: join(dir, 'in-worker.json') });
    inThread.retrain();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    try {
      const status = await inWorker.retrainInWorker();
      assert.equal(status.active, 'neural', status.reason);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'timers fired while the worker trained');
    assert.deepEqual(loadModelFile(join(dir, 'in-worker.json')).nets, loadModelFile(join(dir, 'in-thread.json')).nets);
    assert.deepEqual(inWorker.forecast(nowMs, 24, HOUR_MS), inThread.forecast(nowMs, 24, HOUR_MS));
  });
});
