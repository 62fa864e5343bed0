import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ForecastService } from '../../src/forecasting/forecast-service.ts';
import { InMemoryHistoryStore } from '../../src/forecasting/history-store.ts';
import { HOUR_MS } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import { seededRandom } from '../../src/forecasting/seeded-random.ts';
import { CsvWeatherProvider } from '../../src/forecasting/weather/csv-weather-provider.ts';
import { WeatherFeed } from '../../src/forecasting/weather/weather-feed.ts';

const DAY_MS = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-weather-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A site whose load follows the weather far more than the week: heating and cooling around 18 °C. */
function site(startMs: number, days: number) {
  const random = seededRandom(4);
  const hours = Array.from({ length: days * 24 }, (_, h) => {
    const day = Math.floor(h / 24);
    const hour = h % 24;
    const temp = 18 + 9 * Math.sin(day / 2.7) + 4 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + (random() - 0.5);
    const load = 30 + 2.5 * Math.abs(temp - 18) + 8 * Math.exp(-((hour - 19) ** 2) / 6) + (random() - 0.5);
    return { t: startMs + h * HOUR_MS, temp, load };
  });
  return hours;
}

const START = Date.UTC(2024, 0, 1);

/**
 * 42 days of the site from START: its measured load before `historyToMs` in a history store, and a weather feed over
 * a CSV of all 42 days' temperatures (written to `csvName`), refreshed once.
 */
async function siteWithWeatherFeed(csvName: string, historyToMs: number, now: () => number) {
  const hours = site(START, 42);
  const store = new InMemoryHistoryStore();
  store.append(
    'site-load',
    hours.filter((h) => h.t < historyToMs).map((h) => ({ hourStartMs: h.t, value: h.load })),
  );
  const weatherCsv = join(dir, csvName);
  writeFileSync(
    weatherCsv,
    `time,temperature_c\n${hours.map((h) => `${new Date(h.t).toISOString()},${h.temp.toFixed(2)}`).join('\n')}\n`,
  );
  const feed = new WeatherFeed({ provider: new CsvWeatherProvider(weatherCsv), now, pastDays: 45 });
  assert.equal(await feed.refresh(), true);
  return { store, weatherCsv, feed };
}

describe('forecast service with a weather feed', () => {
  it('uses the temperature model while the feed is fresh and falls back to the calendar model, saying why, when the provider is down', async () => {
    const nowStart = START + 40 * DAY_MS;
    let nowMs = nowStart;
    const { store, weatherCsv, feed } = await siteWithWeatherFeed('weather.csv', nowStart, () => nowMs);
    const service = new ForecastService({
      seriesName: 'site-load',
      store,
      featureSet: new LoadFeatures({ timeZone: 'UTC', useTemperature: false }),
      weather: { feed, featureSet: new LoadFeatures({ timeZone: 'UTC', useTemperature: true }) },
      modelPath: null,
      trainingDays: 24,
      retrainEveryMs: DAY_MS,
      training: { hiddenLayers: [8], epochs: 10, seeds: [1], validationDays: 7, minTrainingDaysForNet: 14 },
      now: () => nowMs,
    });
    const status = service.retrain();
    assert.equal(status.weather?.active, true, status.weather?.reason);
    const withWeather = service.forecast(nowMs, 24, HOUR_MS);
    assert.match(withWeather.source, /^neural-load\+temperature chosen\(/);
    assert.equal(service.status().lastFallback, null);

    rmSync(weatherCsv);
    nowMs += 7 * HOUR_MS;
    assert.equal(await feed.refresh(), false, 'the provider is down');
    const degraded = service.forecast(nowStart, 24, HOUR_MS);
    assert.doesNotMatch(degraded.source, /temperature/);
    assert.equal(degraded.p50.length, 24);
    assert.match(
      service.status().lastFallback?.reason ?? '',
      /^weather from csv .*weather\.csv is 7\.0 h old \(csv .*cannot read: .*\); calendar model$/,
    );
    assert.match(service.status().weather?.feed.lastError ?? '', /cannot read/);
  });

  it('trains the weather model on temperatures with a forecast error when asked (the controller asks for the assumed day-ahead error)', async () => {
    const nowMs = START + 40 * DAY_MS;
    const { store, feed } = await siteWithWeatherFeed('weather-error.csv', nowMs, () => nowMs);
    const serviceWith = (weatherTraining: { temperatureError?: { sdC: number; hourlyCorrelation: number } }) =>
      new ForecastService({
        seriesName: 'site-load',
        store,
        featureSet: new LoadFeatures({ timeZone: 'UTC', useTemperature: false }),
        weather: {
          feed,
          featureSet: new LoadFeatures({ timeZone: 'UTC', useTemperature: true }),
          training: weatherTraining,
        },
        modelPath: null,
        trainingDays: 24,
        retrainEveryMs: DAY_MS,
        training: { hiddenLayers: [8], epochs: 10, seeds: [1], validationDays: 7, minTrainingDaysForNet: 14 },
        now: () => nowMs,
      });
    const observed = serviceWith({});
    const withError = serviceWith({ temperatureError: { sdC: 1.5, hourlyCorrelation: 0.9 } });
    observed.retrain();
    withError.retrain();
    const a = observed.forecast(nowMs, 24, HOUR_MS);
    const b = withError.forecast(nowMs, 24, HOUR_MS);
    assert.match(b.source, /temperature/);
    assert.notDeepEqual(a.p50, b.p50, 'the error reached the weather model’s training');
  });
});
