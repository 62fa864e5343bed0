import type { HourlySeries } from './hourly-series.ts';

/**
 * Accuracy of a forecast against what happened.
 * - mapePct: mean absolute percentage error over points whose |actual| is at least `minActualForPercent` (default:
 *   not 0, where percent errors are undefined). For PV, dawn and dusk hours of a few watts make MAPE explode
 *   whatever the forecaster; a floor such as 5 % of capacity makes it say something about the daylight hours.
 * - mase: mean absolute error divided by the in-sample MAE of the weekly seasonal naive on the training window
 *   (Hyndman & Koehler 2006 with the weekly season), so 1.0 means "as good as last week's profile was in training".
 * - mae and rmse in the unit of the series.
 */
export interface ForecastScores {
  mapePct: number;
  mase: number;
  mae: number;
  rmse: number;
  points: number;
}

export class ScoreAccumulator {
  private absoluteSum = 0;
  private squaredSum = 0;
  private percentSum = 0;
  private percentPoints = 0;
  private count = 0;

  constructor(private readonly minActualForPercent = 0) {}

  add(actual: number, forecast: number): void {
    if (!Number.isFinite(actual) || !Number.isFinite(forecast)) return;
    const error = forecast - actual;
    this.absoluteSum += Math.abs(error);
    this.squaredSum += error * error;
    this.count += 1;
    if (actual !== 0 && Math.abs(actual) >= this.minActualForPercent) {
      this.percentSum += Math.abs(error / actual);
      this.percentPoints += 1;
    }
  }

  scores(maseScale: number): ForecastScores {
    return {
      mapePct: this.percentPoints ? (100 * this.percentSum) / this.percentPoints : Number.NaN,
      mase: this.count && maseScale > 0 ? this.absoluteSum / this.count / maseScale : Number.NaN,
      mae: this.count ? this.absoluteSum / this.count : Number.NaN,
      rmse: this.count ? Math.sqrt(this.squaredSum / this.count) : Number.NaN,
      points: this.count,
    };
  }
}

/** In-sample MAE of the weekly seasonal naive over [fromMs, toMs): the MASE denominator. */
export function weeklyNaiveScale(series: HourlySeries, fromMs: number, toMs: number): number {
  const weekMs = 7 * 86_400_000;
  let sum = 0;
  let count = 0;
  for (const t of series.hoursBetween(fromMs, toMs)) {
    const error = series.valueAt(t) - series.valueAt(t - weekMs);
    if (Number.isFinite(error)) {
      sum += Math.abs(error);
      count += 1;
    }
  }
  return count ? sum / count : Number.NaN;
}
