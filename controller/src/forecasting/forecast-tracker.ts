import { ScoreAccumulator, type ForecastScores } from './forecast-scores.ts';
import type { Forecast } from './forecaster.ts';

/**
 * Forecast versus actual for the operator API and the metrics: for every step, the forecast the planner last used
 * before the step began, and what was then measured. Steps older than `keepMs` are dropped so memory stays bounded.
 */
export interface ForecastVsActualPoint {
  timeMs: number;
  p50: number | null;
  p10: number | null;
  p90: number | null;
  actual: number | null;
  /** The forecaster that made the forecast (shows fallbacks to seasonal naive). */
  source: string | null;
}

export class ForecastTrackerError extends Error {
  override readonly name = 'ForecastTrackerError';
}

interface Step {
  p50: number | null;
  p10: number | null;
  p90: number | null;
  actual: number | null;
  source: string | null;
}

export class ForecastTracker {
  private readonly steps = new Map<string, Map<number, Step>>();

  constructor(private readonly keepMs = 7 * 86_400_000) {}

  /** A new forecast replaces the earlier one for the steps it covers; steps already begun keep what they had. */
  recordForecast(seriesName: string, forecast: Forecast): void {
    const bad = forecast.p50.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new ForecastTrackerError(
        `${seriesName}: forecast from ${forecast.source} has a non-finite value at step ${bad}`,
      );
    const steps = this.seriesSteps(seriesName);
    forecast.p50.forEach((p50, i) => {
      const timeMs = forecast.fromMs + i * forecast.stepMs;
      const step = steps.get(timeMs) ?? { p50: null, p10: null, p90: null, actual: null, source: null };
      Object.assign(step, { p50, p10: forecast.p10[i] ?? null, p90: forecast.p90[i] ?? null, source: forecast.source });
      steps.set(timeMs, step);
    });
    this.prune(steps, forecast.fromMs);
  }

  recordActual(seriesName: string, stepStartMs: number, value: number): void {
    if (!Number.isFinite(value) || !Number.isFinite(stepStartMs)) {
      throw new ForecastTrackerError(`${seriesName}: actual ${value} at ${stepStartMs} is not a finite measurement`);
    }
    const steps = this.seriesSteps(seriesName);
    const step = steps.get(stepStartMs) ?? { p50: null, p10: null, p90: null, actual: null, source: null };
    step.actual = value;
    steps.set(stepStartMs, step);
  }

  series(seriesName: string, fromMs: number, toMs: number): ForecastVsActualPoint[] {
    return [...(this.steps.get(seriesName) ?? new Map<number, Step>())]
      .filter(([t]) => t >= fromMs && t < toMs)
      .sort(([a], [b]) => a - b)
      .map(([timeMs, s]) => ({ timeMs, ...s }));
  }

  /** Scores over the steps with both a forecast and an actual (MASE needs a scale; NaN without). */
  scores(seriesName: string, fromMs: number, toMs: number, maseScale = Number.NaN): ForecastScores {
    const accumulator = new ScoreAccumulator();
    for (const point of this.series(seriesName, fromMs, toMs)) {
      if (point.p50 !== null && point.actual !== null) accumulator.add(point.actual, point.p50);
    }
    return accumulator.scores(maseScale);
  }

  private seriesSteps(seriesName: string): Map<number, Step> {
    let steps = this.steps.get(seriesName);
    if (!steps) {
      steps = new Map();
      this.steps.set(seriesName, steps);
    }
    return steps;
  }

  private prune(steps: Map<number, Step>, nowMs: number): void {
    for (const t of steps.keys()) if (t < nowMs - this.keepMs) steps.delete(t);
  }
}
