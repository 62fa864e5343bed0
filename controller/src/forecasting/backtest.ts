import { ScoreAccumulator, type ForecastScores } from './forecast-scores.ts';
import { ForecastError, type Forecast, type Forecaster } from './forecaster.ts';
import type { HourlySeries } from './hourly-series.ts';
import { LocalCalendar } from './local-calendar.ts';

/**
 * Rolling-origin day-ahead backtest: at every local midnight of the test window each forecaster sees only the values
 * before that midnight and forecasts the next `horizonHours` at the series' own resolution (half-hourly data is
 * forecast and scored half-hourly); all are scored on the same days. A day on which any
 * forecaster cannot forecast (a gap in the data) is left out for all of them and counted, never silently dropped.
 */
export interface BacktestOptions {
  testFromMs: number;
  testToMs: number;
  timeZone: string;
  /** Horizon in hours (default 24), forecast and scored at the series' own resolution. */
  horizonHours?: number;
  /** MASE denominator (weekly seasonal naive MAE in training, see weeklyNaiveScale). */
  maseScale: number;
  /** Points with a smaller |actual| are left out of MAPE (not of MASE and RMSE); see ScoreAccumulator. */
  mapeMinActual?: number;
}

export interface IssuedDay {
  originMs: number;
  /** Resolution of `actual` and of every forecast's steps. */
  stepMs: number;
  actual: number[];
  forecasts: Record<string, Forecast>;
}

export interface BacktestResult {
  days: IssuedDay[];
  skippedDays: { originMs: number; reason: string }[];
  scores: { forecaster: string; scores: ForecastScores }[];
}

export function runBacktest(
  series: HourlySeries,
  forecasters: readonly Forecaster[],
  options: BacktestOptions,
): BacktestResult {
  const step = series.stepMs;
  const horizon = ((options.horizonHours ?? 24) * 3_600_000) / step;
  const calendar = new LocalCalendar(options.timeZone);
  const accumulators = forecasters.map(() => new ScoreAccumulator(options.mapeMinActual ?? 0));
  const days: IssuedDay[] = [];
  const skippedDays: BacktestResult['skippedDays'] = [];
  for (const originMs of calendar.midnightsBetween(options.testFromMs, options.testToMs)) {
    const actual = Array.from({ length: horizon }, (_, h) => series.valueAt(originMs + h * step));
    if (!actual.some(Number.isFinite)) {
      skippedDays.push({ originMs, reason: 'no actual values' });
      continue;
    }
    const forecasts: Record<string, Forecast> = {};
    try {
      for (const forecaster of forecasters)
        forecasts[forecaster.name] = forecaster.forecast(series, originMs, horizon, step);
    } catch (error) {
      if (!(error instanceof ForecastError)) throw error;
      skippedDays.push({ originMs, reason: error.message });
      continue;
    }
    forecasters.forEach((forecaster, i) => {
      const p50 = forecasts[forecaster.name]?.p50 ?? [];
      actual.forEach((value, h) => accumulators[i]?.add(value, p50[h] ?? Number.NaN));
    });
    days.push({ originMs, stepMs: step, actual, forecasts });
  }
  return {
    days,
    skippedDays,
    scores: forecasters.map((f, i) => ({
      forecaster: f.name,
      scores: (accumulators[i] as ScoreAccumulator).scores(options.maseScale),
    })),
  };
}

/**
 * Share of actual values inside the P10..P90 band (0.8 is what a calibrated band should reach). With `minActual`,
 * only steps with |actual| >= minActual count, as in MAPE: PV's night hours (0 forecast, 0 actual, a band of no width)
 * would otherwise count as covered and hide how the band does in daylight.
 */
export function bandCoverage(result: BacktestResult, forecaster: string, minActual = 0): number {
  let inside = 0;
  let total = 0;
  for (const day of result.days) {
    const forecast = day.forecasts[forecaster];
    if (!forecast) continue;
    day.actual.forEach((value, h) => {
      if (!Number.isFinite(value) || Math.abs(value) < minActual) return;
      total += 1;
      if (value >= (forecast.p10[h] ?? Number.NaN) && value <= (forecast.p90[h] ?? Number.NaN)) inside += 1;
    });
  }
  return total ? inside / total : Number.NaN;
}
