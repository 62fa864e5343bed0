import { join } from 'node:path';
import type { ControllerConfig } from '../config/controller-config.ts';
import type { Scheduler } from '../cycle/scheduler.ts';
import { ForecastService } from '../forecasting/forecast-service.ts';
import { ASSUMED_DAY_AHEAD_TEMPERATURE_ERROR } from '../forecasting/forecast-temperature.ts';
import type { HistoryStore } from '../forecasting/history-store.ts';
import { LoadFeatures } from '../forecasting/load-features.ts';
import { PvFeatures } from '../forecasting/pv-features.ts';
import { CsvWeatherProvider } from '../forecasting/weather/csv-weather-provider.ts';
import { OpenMeteoProvider } from '../forecasting/weather/open-meteo-provider.ts';
import { WeatherFeed } from '../forecasting/weather/weather-feed.ts';
import { PV_SERIES, SITE_LOAD_SERIES } from './measured-history.ts';

const DAY_MS = 86_400_000;

/**
 * The planner's two forecast services (site load and PV) over the measured history. A saved model from
 * `forecasting.modelDir` is loaded at start and used while it beats seasonal naive; otherwise they answer with
 * seasonal naive. Training is seconds of CPU that would stall the cycle, so the service retrains daily in a worker
 * thread (scheduleRetraining) from its own measured history; `npm run train` trains from any CSV.
 * The controller measures no temperature: with `forecasting.weather` configured, each service also trains a weather
 * model (temperature for load, cloud cover for PV) on the feed's past hours and uses it while the feed is fresh;
 * without it, or while the provider is down, the calendar models answer. The feed's past hours are the provider's
 * analysis, close to observed, while the hours it forecasts carry a day-ahead error: the load's weather model trains
 * on the past hours plus ASSUMED_DAY_AHEAD_TEMPERATURE_ERROR, so it learns how far a forecast can be trusted (on
 * vic_elec 2014 that took the MAPE under forecast temperatures from 3.12 to 3.01 %, see `npm run bench
 * forecast-goals`).
 */
export function forecastServicesFor(
  config: ControllerConfig,
  store: HistoryStore,
  scheduler: Scheduler,
): { load: ForecastService; pv: ForecastService; weather: WeatherFeed | null } {
  const featureOptions = { timeZone: config.forecasting.timeZone, useTemperature: false };
  const weather = weatherFeedFor(config, scheduler);
  const modelPath = (name: string): string | null =>
    config.forecasting.modelDir ? join(config.forecasting.modelDir, `${name}.json`) : null;
  const common = { store, trainingDays: 56, retrainEveryMs: DAY_MS, now: () => scheduler.now() };
  const load = new ForecastService({
    ...common,
    seriesName: SITE_LOAD_SERIES,
    featureSet: new LoadFeatures(featureOptions),
    nonNegative: false, // a site's net load behind its PV meter may be negative: forecast it as such
    ...(weather
      ? {
          weather: {
            feed: weather,
            featureSet: new LoadFeatures({ ...featureOptions, useTemperature: true }),
            training: { temperatureError: ASSUMED_DAY_AHEAD_TEMPERATURE_ERROR },
          },
        }
      : {}),
    modelPath: modelPath(SITE_LOAD_SERIES),
  });
  const pv = new ForecastService({
    ...common,
    seriesName: PV_SERIES,
    featureSet: new PvFeatures(featureOptions),
    nonNegative: true,
    ...(weather
      ? { weather: { feed: weather, featureSet: new PvFeatures({ ...featureOptions, useCloudCover: true }) } }
      : {}),
    modelPath: modelPath(PV_SERIES),
  });
  load.start();
  pv.start();
  return { load, pv, weather };
}

function weatherFeedFor(config: ControllerConfig, scheduler: Scheduler): WeatherFeed | null {
  const source = config.forecasting.weather;
  if (!source) return null;
  const provider =
    source.provider === 'csv'
      ? new CsvWeatherProvider(source.path)
      : new OpenMeteoProvider({
          latitudeDeg: config.forecasting.location.latitudeDeg,
          longitudeDeg: config.forecasting.location.longitudeDeg,
          baseUrl: source.baseUrl,
        });
  return new WeatherFeed({ provider, now: () => scheduler.now() });
}

/**
 * The retrain schedule: every `checkEveryMs` each forecast service whose retrain is due (daily) trains in a worker
 * thread, one at a time, so brain.js never stalls the cycle. A retrain that fails (too little history yet) keeps the
 * model or the seasonal-naive fallback and waits for the next day; the reason is in the service's status.
 */
export function scheduleRetraining(
  services: { load: ForecastService; pv: ForecastService; weather?: WeatherFeed | null },
  scheduler: Scheduler,
  onRetrained: (name: string, status: ReturnType<ForecastService['status']>) => void,
  checkEveryMs = 3_600_000,
): () => void {
  let timer: unknown = null;
  let stopped = false;
  const check = async (): Promise<void> => {
    // The weather first: a retrain uses the feed's hours, and a fresh feed lets the weather models answer.
    // A provider that is down only leaves the feed stale (refresh never throws for it).
    if (services.weather) await services.weather.refresh();
    for (const [name, service] of [
      ['load', services.load],
      ['pv', services.pv],
    ] as const) {
      if (stopped) return;
      if (service.retrainDue()) onRetrained(name, await service.retrainInWorker());
    }
  };
  const loop = (): void => {
    timer = scheduler.setTimeout(() => {
      void check().finally(() => {
        if (!stopped) loop();
      });
    }, checkEveryMs);
  };
  if (services.weather) void services.weather.refresh();
  loop();
  return () => {
    stopped = true;
    scheduler.clearTimeout(timer);
  };
}
