import type { HourlySeries } from './hourly-series.ts';

/**
 * What the planner asks for: `steps` values of `stepMs` each from `fromMs`, as the median and a P10..P90 band.
 * Values are means over each step in the unit of the history (W for the controller's own history).
 */
export interface Forecast {
  fromMs: number;
  stepMs: number;
  p50: number[];
  p10: number[];
  p90: number[];
  /** Which forecaster produced it (a fallback is visible to the API and the logs). */
  source: string;
}

export interface Forecaster {
  readonly name: string;
  /** Uses only values of `history` before `fromMs`; exogenous inputs (temperature, holidays) may run further. */
  forecast(history: HourlySeries, fromMs: number, steps: number, stepMs: number): Forecast;
}

/** A forecast that cannot be made from what is known (a gap in history, no temperature for the horizon, ...). */
export class ForecastError extends Error {
  override readonly name = 'ForecastError';
  constructor(
    readonly forecaster: string,
    message: string,
    readonly atMs?: number,
  ) {
    super(`${forecaster}: ${message}${atMs === undefined ? '' : ` (at ${new Date(atMs).toISOString()})`}`);
  }
}
