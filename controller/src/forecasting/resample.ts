const HOUR_MS = 3_600_000;

/**
 * Turns step means of `baseStepMs` (the model's native resolution) starting at `baseStartMs` into `steps` values of
 * `stepMs` from `fromMs`: requested steps of a base step or more average the base steps they cover; shorter steps
 * (the planner's 15 min from an hourly model) interpolate linearly between step centres, so a 15-min profile ramps
 * instead of jumping at every full hour.
 */
export function resampleHourly(
  baseStartMs: number,
  base: readonly number[],
  fromMs: number,
  steps: number,
  stepMs: number,
  baseStepMs = HOUR_MS,
): number[] {
  const at = (index: number) => base[Math.max(0, Math.min(base.length - 1, index))] as number;
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const start = fromMs + s * stepMs;
    if (stepMs >= baseStepMs) {
      const first = Math.floor((start - baseStartMs) / baseStepMs);
      const count = Math.max(1, Math.round(stepMs / baseStepMs));
      let sum = 0;
      for (let h = 0; h < count; h++) sum += at(first + h);
      out.push(sum / count);
    } else {
      const centre = (start + stepMs / 2 - baseStartMs) / baseStepMs - 0.5;
      const below = Math.floor(centre);
      const fraction = centre - below;
      out.push(at(below) * (1 - fraction) + at(below + 1) * fraction);
    }
  }
  return out;
}

/**
 * The base-step starts a forecast of `steps` x `stepMs` from `fromMs` needs, with one base step either side when the
 * request is finer than the base (for interpolation).
 */
export function hoursCovering(
  fromMs: number,
  steps: number,
  stepMs: number,
  baseStepMs = HOUR_MS,
): { firstHourMs: number; count: number } {
  const margin = stepMs < baseStepMs ? baseStepMs : 0;
  const firstHourMs = Math.floor(fromMs / baseStepMs) * baseStepMs - margin;
  const endMs = fromMs + steps * stepMs + margin;
  return { firstHourMs, count: Math.ceil((endMs - firstHourMs) / baseStepMs) };
}
