import type { ValueSource } from './value-source.ts';

const WEEK_MS = 7 * 86_400_000;

/**
 * The weekly seasonal naive point for `targetMs` seen from `fromMs`: the value a week before, or, when the horizon is
 * longer than a week, the last week's; a missing value looks one more week back (up to four). NaN when all are
 * missing. The seasonal-naive forecaster and the blends of the chosen model share it.
 */
export function weeklyNaivePoint(source: ValueSource, fromMs: number, targetMs: number, periodMs = WEEK_MS): number {
  for (let back = 1; back <= 4; back++) {
    let at = targetMs - back * periodMs;
    while (at >= fromMs) at -= periodMs;
    const value = source.valueAt(at);
    if (Number.isFinite(value)) return value;
  }
  return Number.NaN;
}
