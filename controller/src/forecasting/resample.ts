const HOUR_MS = 3_600_000;

/**
 * Turns hourly means starting at `hourStartMs` into `steps` values of `stepMs` from `fromMs`: steps of an hour or
 * more average the hours they cover; shorter steps (the planner's 15 min) interpolate linearly between hour
 * centres, so a 15-min profile ramps instead of jumping at every full hour.
 */
export function resampleHourly(
  hourStartMs: number,
  hourly: readonly number[],
  fromMs: number,
  steps: number,
  stepMs: number,
): number[] {
  const at = (index: number) => hourly[Math.max(0, Math.min(hourly.length - 1, index))] as number;
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const start = fromMs + s * stepMs;
    if (stepMs >= HOUR_MS) {
      const first = Math.floor((start - hourStartMs) / HOUR_MS);
      const count = Math.max(1, Math.round(stepMs / HOUR_MS));
      let sum = 0;
      for (let h = 0; h < count; h++) sum += at(first + h);
      out.push(sum / count);
    } else {
      const centreHours = (start + stepMs / 2 - hourStartMs) / HOUR_MS - 0.5;
      const below = Math.floor(centreHours);
      const fraction = centreHours - below;
      out.push(at(below) * (1 - fraction) + at(below + 1) * fraction);
    }
  }
  return out;
}

/** The hour starts a forecast of `steps` x `stepMs` from `fromMs` needs, with one hour either side for interpolation. */
export function hoursCovering(fromMs: number, steps: number, stepMs: number): { firstHourMs: number; count: number } {
  const firstHourMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS - (stepMs < HOUR_MS ? HOUR_MS : 0);
  const endMs = fromMs + steps * stepMs + (stepMs < HOUR_MS ? HOUR_MS : 0);
  return { firstHourMs, count: Math.ceil((endMs - firstHourMs) / HOUR_MS) };
}
