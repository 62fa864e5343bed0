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

export class ResidualQuantiles {
  constructor(readonly json: ResidualQuantilesJson) {}

  static fit(
    residuals: readonly { targetMs: number; forecast: number; actual: number; scale?: number }[],
    calendar: LocalCalendar,
  ): ResidualQuantiles {
    const byHour: number[][] = Array.from({ length: 24 }, () => []);
    const all: number[] = [];
    for (const r of residuals) {
      const error = (r.actual - r.forecast) / (r.scale ?? 1);
      if (!Number.isFinite(error)) continue;
      byHour[calendar.localTime(r.targetMs).hour]?.push(error);
      all.push(error);
    }
    const band = (p: number) =>
      byHour.map((hour) => (hour.length >= MIN_PER_HOUR ? quantile(hour, p) : quantile(all, p)) || 0);
    return new ResidualQuantiles({ p10Offset: band(0.1), p90Offset: band(0.9) });
  }

  band(forecast: number, localHour: number, scale = 1): { p10: number; p90: number } {
    const low = forecast + (this.json.p10Offset[localHour] ?? 0) * scale;
    const high = forecast + (this.json.p90Offset[localHour] ?? 0) * scale;
    return { p10: Math.min(low, forecast), p90: Math.max(high, forecast) };
  }
}
