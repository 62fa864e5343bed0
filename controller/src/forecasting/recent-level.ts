import type { ValueSource } from './value-source.ts';

const DAY_MS = 86_400_000;

/**
 * Where a series stood over the days before a target day: the mean of those days and their mean absolute deviation
 * from it. Loads, lags and targets are expressed as (value - centre) / scale, so a model trained on ten winter weeks
 * of one grid in MW sees the same numbers as one trained on years of a site in kW, a level it never saw in training
 * (a new record, a site that grew) is still in its training range, and a net load that goes negative behind a PV
 * meter is just a lower value, never clamped.
 */
export interface RecentLevel {
  centre: number;
  scale: number;
}

/** Days looked back: a week holds every weekday once, so the weekly shape does not move the level. */
export const LEVEL_DAYS = 7;

/**
 * The level of the `LEVEL_DAYS` days before `dayStartMs`; null when fewer than half their steps are known.
 * Cached per source and day: every step of a day shares it.
 */
export class RecentLevels {
  private readonly cache = new WeakMap<ValueSource, Map<number, RecentLevel | null>>();

  at(source: ValueSource, dayStartMs: number): RecentLevel | null {
    let bySource = this.cache.get(source);
    if (!bySource) {
      bySource = new Map();
      this.cache.set(source, bySource);
    }
    const cached = bySource.get(dayStartMs);
    if (cached !== undefined) return cached;
    const level = measure(source, dayStartMs);
    // A source is one origin's view (a PredictionOverlay lives for one forecast), and a day's level is only asked
    // for once the days before it are known or predicted, so a cached level never goes stale.
    bySource.set(dayStartMs, level);
    return level;
  }
}

function measure(source: ValueSource, dayStartMs: number): RecentLevel | null {
  const step = source.stepMs;
  const values: number[] = [];
  const expected = (LEVEL_DAYS * DAY_MS) / step;
  for (let t = dayStartMs - LEVEL_DAYS * DAY_MS; t < dayStartMs; t += step) {
    const v = source.valueAt(t);
    if (Number.isFinite(v)) values.push(v);
  }
  if (values.length < expected / 2) return null;
  let sum = 0;
  for (const v of values) sum += v;
  const centre = sum / values.length;
  let deviation = 0;
  let magnitude = 0;
  for (const v of values) {
    deviation += Math.abs(v - centre);
    magnitude += Math.abs(v);
  }
  deviation /= values.length;
  magnitude /= values.length;
  // A flat week (a constant test series, a PV string at night all week) has no spread: fall back to a share of its
  // magnitude, and to 1 for an all-zero week, so the division stays finite.
  const scale = Math.max(deviation, 0.05 * magnitude) || 1;
  return { centre, scale };
}
