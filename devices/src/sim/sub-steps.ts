/**
 * Models integrate in sub-steps of at most this long, so a clock jump of 15 minutes still ramps, reverts and
 * integrates as if the time had passed second by second.
 */
export const MAX_SUB_STEP_MS = 1000;

/**
 * Walks from `fromMs` to `toMs` in steps of at most MAX_SUB_STEP_MS, also stopping exactly at each of `breakpointsMs`
 * that falls inside (a reversion deadline, for instance), and calls `step(startMs, endMs)` for each.
 */
export function forEachSubStep(
  fromMs: number,
  toMs: number,
  breakpointsMs: readonly number[],
  step: (startMs: number, endMs: number) => void,
): void {
  let t = fromMs;
  while (t < toMs) {
    let end = Math.min(toMs, t + MAX_SUB_STEP_MS);
    for (const b of breakpointsMs) if (b > t && b < end) end = b;
    step(t, end);
    t = end;
  }
}
