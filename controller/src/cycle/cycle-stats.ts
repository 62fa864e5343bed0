/** Figures about recent cycles, for the API and metrics. Durations are wall-clock milliseconds. */
export interface CycleStatsSnapshot {
  cycles: number;
  /** Cycles that took longer than the period. */
  overruns: number;
  /** Ticks skipped because the previous cycle was still running. */
  skippedTicks: number;
  lastMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** Keeps the last `windowSize` cycle durations and counts overruns over the whole run. */
export class CycleStats {
  private readonly durations: number[] = [];
  private next = 0;
  private cycles = 0;
  private overruns = 0;
  private skippedTicks = 0;
  private lastMs: number | null = null;

  constructor(
    private readonly periodMs: number,
    private readonly windowSize = 1_000,
  ) {}

  record(durationMs: number): void {
    if (this.durations.length < this.windowSize) this.durations.push(durationMs);
    else this.durations[this.next] = durationMs;
    this.next = (this.next + 1) % this.windowSize;
    this.cycles += 1;
    this.lastMs = durationMs;
    if (durationMs > this.periodMs) this.overruns += 1;
  }

  recordSkippedTick(): void {
    this.skippedTicks += 1;
  }

  snapshot(): CycleStatsSnapshot {
    const sorted = [...this.durations].sort((a, b) => a - b);
    return {
      cycles: this.cycles,
      overruns: this.overruns,
      skippedTicks: this.skippedTicks,
      lastMs: this.lastMs,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
    };
  }
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1]!;
}
