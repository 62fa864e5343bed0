import type { Forecaster } from './forecaster.ts';
import { HourlySeries } from './hourly-series.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * Day-ahead temperature as a controller would really have it: the observed temperature plus a forecast error.
 * The error model: for every issued forecast, a fresh AR(1) path over the forecast's hours, stationary with standard
 * deviation `sdC` and correlation `hourlyCorrelation` between consecutive hours (forecast errors persist: a front
 * that comes late makes a whole afternoon too warm). Temperatures before the origin stay observed.
 */
export interface TemperatureErrorModel {
  sdC: number;
  hourlyCorrelation: number;
  seed: number;
}

export function describeTemperatureError(model: Omit<TemperatureErrorModel, 'seed'>): string {
  return `observed temperature + AR(1) error, sd ${model.sdC} °C, hour-to-hour correlation ${model.hourlyCorrelation}, fresh for every issued day`;
}

/** Wraps a forecaster so that every forecast sees temperatures from `fromMs` on with a simulated forecast error. */
export function withForecastTemperature(inner: Forecaster, model: TemperatureErrorModel): Forecaster {
  return {
    name: inner.name,
    forecast(history, fromMs, steps, stepMs) {
      const data = history.toData();
      const temperatures = data.temperatureC;
      if (!temperatures) return inner.forecast(history, fromMs, steps, stepMs);
      const noisy = [...temperatures];
      const step = history.stepMs;
      const random = seededRandom((model.seed * 2_654_435_761) ^ Math.floor(fromMs / 60_000));
      const first = Math.max(0, Math.ceil((fromMs - history.startMs) / step));
      // Errors live per hour (the model is stated per hour); sub-hour steps share their hour's error.
      const perHour = 3_600_000 / step;
      const innovation = Math.sqrt(1 - model.hourlyCorrelation ** 2);
      let error = model.sdC * gaussian(random);
      const horizonSteps = Math.ceil((steps * stepMs) / step) + 2 * perHour;
      for (let i = 0; i < horizonSteps && first + i < noisy.length; i++) {
        if (i > 0 && i % perHour === 0)
          error = model.hourlyCorrelation * error + innovation * model.sdC * gaussian(random);
        noisy[first + i] = (noisy[first + i] as number) + error;
      }
      const seen = new HourlySeries({ ...data, temperatureC: noisy }, history.knownUntilMs);
      return inner.forecast(seen, fromMs, steps, stepMs);
    },
  };
}

/** Box-Muller. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
