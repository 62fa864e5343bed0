import type { Forecaster } from './forecaster.ts';
import { HourlySeries } from './hourly-series.ts';
import { seededRandom } from './seeded-random.ts';
import type { ValueSource } from './value-source.ts';

const HOUR_MS = 3_600_000;

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

/**
 * The day-ahead temperature error this project assumes where no archive of real forecasts is at hand: a mean
 * absolute error of about 1.2 °C, the size we take for a national weather service's next-day forecast (an assumption,
 * not checked against a published verification). The benchmark's honest figure and the controller's weather model
 * both use it.
 */
export const ASSUMED_DAY_AHEAD_TEMPERATURE_ERROR: Omit<TemperatureErrorModel, 'seed'> = {
  sdC: 1.5,
  hourlyCorrelation: 0.9,
};

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
      const first = Math.max(0, Math.ceil((fromMs - history.startMs) / step));
      // Errors live per hour (the model is stated per hour); sub-hour steps share their hour's error.
      const perHour = HOUR_MS / step;
      const horizonSteps = Math.ceil((steps * stepMs) / step) + 2 * perHour;
      const path = errorPath(model, fromMs, Math.ceil(horizonSteps / perHour) + 1);
      for (let i = 0; i < horizonSteps && first + i < noisy.length; i++)
        noisy[first + i] = (noisy[first + i] as number) + (path[Math.floor(i / perHour)] as number);
      const seen = new HourlySeries({ ...data, temperatureC: noisy }, history.knownUntilMs);
      return inner.forecast(seen, fromMs, steps, stepMs);
    },
  };
}

/** The error of each hour from `originMs` on, for one issued forecast: an AR(1) path, the same for the same seed. */
export function errorPath(model: TemperatureErrorModel, originMs: number, hours: number): number[] {
  const random = seededRandom((model.seed * 2_654_435_761) ^ Math.floor(originMs / 60_000));
  const innovation = Math.sqrt(1 - model.hourlyCorrelation ** 2);
  const path: number[] = [];
  let error = model.sdC * gaussian(random);
  for (let h = 0; h < hours; h++) {
    if (h > 0) error = model.hourlyCorrelation * error + innovation * model.sdC * gaussian(random);
    path.push(error);
  }
  return path;
}

/**
 * Training rows as the controller will meet them: a view of a series whose temperatures from the row's origin (its
 * local midnight, set with `from`) on carry a forecast error, so the net learns how far to trust a forecast
 * temperature instead of a perfect one. Earlier temperatures (yesterday's, the hours before the origin) stay
 * observed, as they are at forecast time.
 */
export class ForecastTemperatureView implements ValueSource {
  private originMs = Number.NaN;
  private path: number[] = [];

  constructor(
    private readonly base: ValueSource,
    private readonly model: TemperatureErrorModel,
  ) {}

  /** Rows of the day issued at `originMs` read through the view after this call. */
  from(originMs: number): this {
    if (originMs !== this.originMs) {
      this.originMs = originMs;
      this.path = errorPath(this.model, originMs, 50);
    }
    return this;
  }

  get hasTemperature(): boolean {
    return this.base.hasTemperature;
  }
  get stepMs(): number {
    return this.base.stepMs;
  }
  valueAt(ms: number): number {
    return this.base.valueAt(ms);
  }
  temperatureAt(ms: number): number {
    const observed = this.base.temperatureAt(ms);
    if (!(ms >= this.originMs)) return observed;
    const hour = Math.min(this.path.length - 1, Math.floor((ms - this.originMs) / HOUR_MS));
    return observed + (this.path[hour] as number);
  }
  holidayAt(ms: number): boolean {
    return this.base.holidayAt(ms);
  }
  cloudCoverAt(ms: number): number {
    return this.base.cloudCoverAt(ms);
  }
}

/** Box-Muller. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
