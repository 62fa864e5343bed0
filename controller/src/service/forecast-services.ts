import { join } from 'node:path';
import type { ControllerConfig } from '../config/controller-config.ts';
import type { Scheduler } from '../cycle/scheduler.ts';
import { ForecastService } from '../forecasting/forecast-service.ts';
import type { HistoryStore } from '../forecasting/history-store.ts';
import { LoadFeatures } from '../forecasting/load-features.ts';
import { PvFeatures } from '../forecasting/pv-features.ts';
import { PV_SERIES, SITE_LOAD_SERIES } from './measured-history.ts';

const DAY_MS = 86_400_000;

/**
 * The planner's two forecast services (site load and PV) over the measured history. A saved model from
 * `forecasting.modelDir` is loaded at start and used while it beats seasonal naive; otherwise they answer with
 * seasonal naive. Training is seconds of CPU that would stall the cycle, so the service retrains daily in a worker
 * thread (scheduleRetraining) from its own measured history; `npm run train` trains from any CSV.
 * The controller measures no temperature, so the models are the calendar-only variants.
 */
export function forecastServicesFor(
  config: ControllerConfig,
  store: HistoryStore,
  scheduler: Scheduler,
): { load: ForecastService; pv: ForecastService } {
  const featureOptions = { timeZone: config.forecasting.timeZone, useTemperature: false };
  const modelPath = (name: string): string | null =>
    config.forecasting.modelDir ? join(config.forecasting.modelDir, `${name}.json`) : null;
  const common = { store, trainingDays: 28, retrainEveryMs: DAY_MS, now: () => scheduler.now() };
  const load = new ForecastService({
    ...common,
    seriesName: SITE_LOAD_SERIES,
    featureSet: new LoadFeatures(featureOptions),
    nonNegative: false, // a site's net load behind its PV meter may be negative: forecast it as such
    modelPath: modelPath(SITE_LOAD_SERIES),
  });
  const pv = new ForecastService({
    ...common,
    seriesName: PV_SERIES,
    featureSet: new PvFeatures(featureOptions),
    nonNegative: true,
    modelPath: modelPath(PV_SERIES),
  });
  load.start();
  pv.start();
  return { load, pv };
}

/**
 * The retrain schedule: every `checkEveryMs` each forecast service whose retrain is due (daily) trains in a worker
 * thread, one at a time, so brain.js never stalls the cycle. A retrain that fails (too little history yet) keeps the
 * model or the seasonal-naive fallback and waits for the next day; the reason is in the service's status.
 */
export function scheduleRetraining(
  services: { load: ForecastService; pv: ForecastService },
  scheduler: Scheduler,
  onRetrained: (name: string, status: ReturnType<ForecastService['status']>) => void,
  checkEveryMs = 3_600_000,
): () => void {
  let timer: unknown = null;
  let stopped = false;
  const check = async (): Promise<void> => {
    for (const [name, service] of Object.entries(services)) {
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
  loop();
  return () => {
    stopped = true;
    scheduler.clearTimeout(timer);
  };
}
