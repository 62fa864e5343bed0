import type { LocalCalendar } from './local-calendar.ts';
import { quantile } from './statistics.ts';

/**
 * P10/P90 bands from a model's own errors on days it did not train on (the validation window), per local hour of
 * day: night load is easier to forecast than the evening peak, and PV at night has no error at all, so one band for
 * all hours would be too wide at night and too narrow at 18:00. Residuals are divided by the level scale of their
 * day (see recent-level.ts; 1 for absolute residuals), so a band learnt at one level holds at another.
 */
export interface ResidualQuantilesJson {
  p10Offset: number[];
  p90Offset: number[];
}

/**
 * An hour with fewer residuals borrows the band of all hours: a quantile of a dozen points is mostly luck, and a
 * band from two weeks of validation would otherwise cover far less than it claims.
 */
const MIN_PER_HOUR = 30;

/** Student's t at 0.9 for 1..30 degrees of freedom. */
const T90 = [
  3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356, 1.35, 1.345, 1.341, 1.337, 1.333,
  1.33, 1.328, 1.325, 1.323, 1.321, 1.319, 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.31,
];
const Z90 = 1.2816;

/**
 * How much wider a band learnt from `days` days must be to cover 80 % of a new day: the errors of one day move
 * together (a warm day is off all afternoon), so a validation window holds about one independent error per day, and
 * a quantile of n of them is the normal-theory prediction interval's t(n-1) x sqrt(1 + 1/n) away from the mean where
 * the true one is z away. 1.20 for a week, 1.09 for two, 1.02 for eight.
 */
export function smallSampleWidening(days: number): number {
  if (days < 2) return T90[0] as number;
  const df = days - 1;
  const t =
    df <= T90.length ? (T90[df - 1] as number) : Z90 + ((T90[T90.length - 1] as number) - Z90) * (T90.length / df);
  return (t / Z90) * Math.sqrt(1 + 1 / days);
}

export class ResidualQuantiles {
  constructor(readonly json: ResidualQuantilesJson) {}

  static fit(
    residuals: readonly { targetMs: number; forecast: number; actual: number; scale?: number }[],
    calendar: LocalCalendar,
  ): ResidualQuantiles {
    const byHour: number[][] = Array.from({ length: 24 }, () => []);
    const all: number[] = [];
    const days = new Set<number>();
    for (const r of residuals) {
      const error = (r.actual - r.forecast) / (r.scale ?? 1);
      if (!Number.isFinite(error)) continue;
      const local = calendar.localTime(r.targetMs);
      byHour[local.hour]?.push(error);
      all.push(error);
      days.add(local.dayStartMs);
    }
    const widen = smallSampleWidening(days.size);
    const band = (p: number) =>
      byHour.map((hour) => widen * (hour.length >= MIN_PER_HOUR ? quantile(hour, p) : quantile(all, p)) || 0);
    return new ResidualQuantiles({ p10Offset: band(0.1), p90Offset: band(0.9) });
  }

  band(forecast: number, localHour: number, scale = 1): { p10: number; p90: number } {
    const low = forecast + (this.json.p10Offset[localHour] ?? 0) * scale;
    const high = forecast + (this.json.p90Offset[localHour] ?? 0) * scale;
    return { p10: Math.min(low, forecast), p90: Math.max(high, forecast) };
  }
}
