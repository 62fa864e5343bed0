/** Descriptive statistics the forecasters and scores share. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length ? sum / values.length : Number.NaN;
}

/** Linear-interpolation quantile (type 7, as R's default) of unsorted values; NaN for an empty list. */
export function quantile(values: readonly number[], probability: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lower = sorted[below] as number;
  return lower + ((sorted[above] as number) - lower) * (position - below);
}
