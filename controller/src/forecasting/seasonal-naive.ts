import { ForecastError, type Forecast, type Forecaster } from './forecaster.ts';
import type { HourlySeries } from './hourly-series.ts';
import { LocalCalendar } from './local-calendar.ts';
import { hoursCovering, resampleHourly } from './resample.ts';
import { ResidualQuantiles } from './residual-quantiles.ts';
import { calibrateOnRecentDays, RECENT_ERROR_DAYS, type DayErrors } from './rolling-band-calibration.ts';
import { weeklyNaivePoint } from './weekly-naive-point.ts';

const DAY_MS = 86_400_000;
/** How many recent weeks of the baseline's own errors set its P10/P90 band. */
const BAND_WEEKS = 4;

/**
 * "Same hour one season ago": the value `periodMs` before, or, when the horizon is longer than the season, the
 * baseline's own earlier prediction. With a week as the season this is the weekly seasonal naive every forecaster
 * here must beat; with a day it is persistence ("tomorrow is like today").
 * When a value is missing it looks one more season back (up to four), so a short gap in history does not stop it.
 */
export class SeasonalNaiveForecaster implements Forecaster {
  private readonly calendar: LocalCalendar;

  constructor(
    readonly name: string,
    private readonly periodMs: number,
    timeZone = 'UTC',
  ) {
    this.calendar = new LocalCalendar(timeZone);
  }

  static weekly(timeZone = 'UTC'): SeasonalNaiveForecaster {
    return new SeasonalNaiveForecaster('seasonal-naive-weekly', 7 * DAY_MS, timeZone);
  }
  static persistence(timeZone = 'UTC'): SeasonalNaiveForecaster {
    return new SeasonalNaiveForecaster('persistence-daily', DAY_MS, timeZone);
  }

  /** The point forecast for `targetMs` from values before `fromMs`, NaN when four seasons back are all missing. */
  pointAt(history: HourlySeries, fromMs: number, targetMs: number): number {
    return weeklyNaivePoint(history, fromMs, targetMs, this.periodMs);
  }

  forecast(history: HourlySeries, fromMs: number, steps: number, stepMs: number): Forecast {
    const known = history.until(fromMs);
    const base = history.stepMs;
    const { firstHourMs, count } = hoursCovering(fromMs, steps, stepMs, base);
    const hourly: number[] = [];
    for (let h = 0; h < count; h++) {
      const targetMs = firstHourMs + h * base;
      const observed = targetMs < fromMs ? known.valueAt(targetMs) : Number.NaN;
      const value = Number.isFinite(observed) ? observed : this.pointAt(known, fromMs, targetMs);
      if (!Number.isFinite(value)) throw new ForecastError(this.name, 'no value one to four seasons back', targetMs);
      hourly.push(value);
    }
    const bands = this.recentBands(known, fromMs);
    const lows: number[] = [];
    const highs: number[] = [];
    hourly.forEach((value, h) => {
      const { p10, p90 } = bands.band(value, this.calendar.localTime(firstHourMs + h * base).hour);
      lows.push(p10);
      highs.push(p90);
    });
    return {
      fromMs,
      stepMs,
      p50: resampleHourly(firstHourMs, hourly, fromMs, steps, stepMs, base),
      p10: resampleHourly(firstHourMs, lows, fromMs, steps, stepMs, base),
      p90: resampleHourly(firstHourMs, highs, fromMs, steps, stepMs, base),
      source: this.name,
    };
  }

  /**
   * The baseline's own errors over the last BAND_WEEKS weeks before the origin, per hour of day, re-calibrated on the
   * RECENT_ERROR_DAYS days just before it as the neural model's band is (rolling-band-calibration.ts). Four evenly
   * weighted weeks alone covered 75-85 % on 21 of 57 short-history fortnights (the windows of `npm run bench
   * forecast-windows` and the suite); the controller plans on this band until its first model is trained.
   */
  private recentBands(known: HourlySeries, fromMs: number): ResidualQuantiles {
    const residuals: { targetMs: number; forecast: number; actual: number }[] = [];
    const recentDays = new Map<number, { hour: number; error: number }[]>();
    const step = known.stepMs;
    const start = Math.floor(fromMs / step) * step - BAND_WEEKS * 7 * DAY_MS;
    let recentFromMs = this.calendar.dayStartMs(fromMs);
    for (let d = 0; d < RECENT_ERROR_DAYS; d++) recentFromMs = this.calendar.dayStartMs(recentFromMs - DAY_MS / 2);
    for (let t = start; t < fromMs; t += step) {
      const actual = known.valueAt(t);
      const forecast = known.valueAt(t - this.periodMs);
      if (!(Number.isFinite(actual) && Number.isFinite(forecast))) continue;
      residuals.push({ targetMs: t, forecast, actual });
      if (t < recentFromMs) continue;
      const local = this.calendar.localTime(t);
      const day = recentDays.get(local.dayStartMs) ?? [];
      day.push({ hour: local.hour, error: actual - forecast });
      recentDays.set(local.dayStartMs, day);
    }
    const days: DayErrors[] = [...recentDays.entries()].sort(([a], [b]) => a - b).map(([, errors]) => errors);
    return new ResidualQuantiles(calibrateOnRecentDays(ResidualQuantiles.fit(residuals, this.calendar).json, days));
  }
}
