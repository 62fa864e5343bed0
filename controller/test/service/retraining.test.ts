import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { ForecastService } from '../../src/forecasting/forecast-service.ts';
import { InMemoryHistoryStore, type HistoryPoint } from '../../src/forecasting/history-store.ts';
import { HOUR_MS } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import { scheduleRetraining } from '../../src/service/forecast-services.ts';
import { syntheticLoadSeries } from '../forecasting/synthetic-series.ts';

const DAY_MS = 86_400_000;
const start = Date.UTC(2020, 0, 6);
const series = syntheticLoadSeries(start, 40, 7, 0.15);

/** The controller's retrain schedule over `days` of measured history, with the clock at the end of it. */
async function retrainAfter(days: number): Promise<{ outcomes: string[]; reason: string }> {
  const scheduler = new ManualScheduler(start + days * DAY_MS);
  const store = new InMemoryHistoryStore();
  const points: HistoryPoint[] = [];
  for (let h = 0; h < days * 24; h++)
    points.push({ hourStartMs: start + h * HOUR_MS, value: series.valueAt(start + h * HOUR_MS) });
  store.append('site-load', points);
  const service = () =>
    new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: new LoadFeatures({ timeZone: 'UTC', useTemperature: false }),
      modelPath: null,
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      training: {
        hiddenLayers: [8],
        epochs: 6,
        seeds: [1],
        validationDays: 7,
        learningRate: 0.6,
        momentum: 0.2,
        minTrainingDaysForNet: 14, // 17 days of rows here: the schedule is under test, not the history threshold
      },
      now: () => scheduler.now(),
    });
  const services = { load: service(), pv: service() };
  const outcomes: string[] = [];
  const bothDone = new Promise<void>((resolve) => {
    const stop = scheduleRetraining(services, scheduler, (name, status) => {
      outcomes.push(`${name}:${status.active}`);
      if (outcomes.length === 2) {
        stop();
        resolve();
      }
    });
  });
  await scheduler.advance(HOUR_MS); // the first check is an hour after start; training runs in worker threads
  await bothDone;
  return { outcomes, reason: services.load.status().reason };
}

test('with too little measured history the retrain fails softly and the forecasters stay on seasonal naive', async () => {
  const { outcomes, reason } = await retrainAfter(20);
  assert.deepEqual(outcomes, ['load:seasonal-naive', 'pv:seasonal-naive']);
  assert.match(reason, /retrain failed/);
});

test('once enough history is measured, the scheduled retrain in a worker thread puts the neural model in use', async () => {
  const { outcomes } = await retrainAfter(40);
  assert.deepEqual(outcomes, ['load:neural', 'pv:neural']);
});
