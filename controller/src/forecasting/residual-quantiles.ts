import type { LocalCalendar } from './local-calendar.ts';
import { quantile } from './statistics.ts';

/**
 * P10/P90 bands from the model's own errors on days it did not train on, per local hour of day: night load is
 * easier to forecast than the evening peak, and PV at night has no error at all, so one band for all hours would
 * be too wide at night and too narrow at 18:00. Residuals are absolute, in the unit of the series the model learnt.
 */
export interface ResidualQuantilesJson {
  p10Offset: number[];
  p90Offset: number[];
}

export class ResidualQuantiles {
  constructor(readonly json: ResidualQuantilesJson) {}

  static fit(
    residuals: readonly { targetMs: number; forecast: number; actual: number }[],
    calendar: LocalCalendar,
  ): ResidualQuantiles {
    const byHour: number[][] = Array.from({ length: 24 }, () => []);
    const all: number[] = [];
    for (const r of residuals) {
      const error = r.actual - r.forecast;
      byHour[calendar.localTime(r.targetMs).hour]?.push(error);
      all.push(error);
    }
    // An hour with too few residuals borrows the band of all hours rather than trusting a handful of points.
    const band = (p: number) => byHour.map((hour) => (hour.length >= 10 ? quantile(hour, p) : quantile(all, p)) || 0);
    return new ResidualQuantiles({ p10Offset: band(0.1), p90Offset: band(0.9) });
  }

  band(forecast: number, localHour: number): { p10: number; p90: number } {
    const low = forecast + (this.json.p10Offset[localHour] ?? 0);
    const high = forecast + (this.json.p90Offset[localHour] ?? 0);
    return { p10: Math.min(low, forecast), p90: Math.max(high, forecast) };
  }
}
