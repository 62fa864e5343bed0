/** Moves `current` towards `target` by at most `maxStep`: one step of a rate-limited ramp. */
export function rampTowards(current: number, target: number, maxStep: number): number {
  if (Math.abs(target - current) <= maxStep) return target;
  return current + Math.sign(target - current) * maxStep;
}
