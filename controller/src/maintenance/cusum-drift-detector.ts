/**
 * One-sided CUSUM (Page 1954) on a health indicator: it first learns the indicator's normal mean and spread from
 * `baselineCount` observations, then accumulates standardised shortfalls (or excesses) beyond a slack of `k` sigmas
 * and signals when the sum passes `h` sigmas. With k = 0.5 and h = 5 a normally distributed indicator gives a false
 * signal about once in 900 observations, while a shift of 2 sigmas is caught within about 4.
 * The spread has a floor (a fraction of the mean) so a simulated, noise-free device does not alarm on rounding.
 * With `minShiftFraction` (the smallest drift worth an alert, e.g. a monitor's warning threshold) the slack is half of
 * that drift when it is larger than `k` sigmas: the textbook choice for detecting a shift of that size, and what keeps
 * a precise indicator (sigma far below the drift that matters) from alarming on drifts nobody would act on. Real
 * meters showed why (noisy-plant tests): with k = 0.5 a miner sampled every minute alarmed 56 times a year.
 */
export interface CusumOptions {
  direction: 'down' | 'up';
  baselineCount: number;
  k?: number;
  h?: number;
  /** Smallest sigma, as a fraction of the baseline mean. */
  minSigmaFraction?: number;
  /** Smallest drift worth an alert, as a fraction of the baseline mean: the slack is at least half of it. */
  minShiftFraction?: number;
  /**
   * When set, the normal mean follows every observation while there is no alarm, as an average
   * over about this many of them: seasons move a battery's capacity and efficiency by a few percent, which a mean
   * learnt in summer took for a fault in winter (about one false alarm per battery-year in the noisy-plant tests).
   * A step such as a lost module is caught before the mean can follow it; slow ageing is followed, not alarmed.
   * (Following only while the statistic rests at 0 would skip the low values and push the mean up.)
   */
  followSlowDriftCount?: number;
}

export interface CusumState {
  learning: boolean;
  alarm: boolean;
  baselineMean: number;
  baselineSigma: number;
  statistic: number;
  /** How far the last observation is from normal, relative to the baseline mean, in the watched direction (0.2 = 20 %). */
  relativeShift: number;
}

export class CusumDriftDetector {
  private readonly baseline: number[] = [];
  private mean = Number.NaN;
  private sigma = Number.NaN;
  private sum = 0;
  private k: number;
  private readonly h: number;

  constructor(private readonly options: CusumOptions) {
    this.k = options.k ?? 0.5;
    this.h = options.h ?? 5;
  }

  observe(value: number): CusumState {
    if (!Number.isFinite(value)) return this.state(value);
    if (this.baseline.length < this.options.baselineCount) {
      this.baseline.push(value);
      if (this.baseline.length === this.options.baselineCount) {
        this.mean = this.baseline.reduce((a, b) => a + b, 0) / this.baseline.length;
        const variance =
          this.baseline.reduce((a, b) => a + (b - this.mean) ** 2, 0) / Math.max(1, this.baseline.length - 1);
        this.sigma = Math.max(
          Math.sqrt(variance),
          Math.abs(this.mean) * (this.options.minSigmaFraction ?? 0.01),
          1e-12,
        );
        const minShift = (this.options.minShiftFraction ?? 0) * Math.abs(this.mean);
        this.k = Math.max(this.options.k ?? 0.5, minShift / this.sigma / 2);
      }
      return this.state(value);
    }
    const shift = this.options.direction === 'down' ? this.mean - value : value - this.mean;
    this.sum = Math.max(0, this.sum + shift / this.sigma - this.k);
    const follow = this.options.followSlowDriftCount;
    if (follow && this.sum <= this.h) this.mean += (value - this.mean) / follow;
    return this.state(value);
  }

  /** After a repair (or an acknowledged alert) the detector learns normal again from scratch. */
  reset(): void {
    this.baseline.length = 0;
    this.mean = Number.NaN;
    this.sigma = Number.NaN;
    this.sum = 0;
    this.k = this.options.k ?? 0.5;
  }

  private state(value: number): CusumState {
    const learning = this.baseline.length < this.options.baselineCount;
    const shift = this.options.direction === 'down' ? this.mean - value : value - this.mean;
    return {
      learning,
      alarm: !learning && this.sum > this.h,
      baselineMean: this.mean,
      baselineSigma: this.sigma,
      statistic: this.sum,
      relativeShift: learning || !Number.isFinite(value) ? 0 : shift / Math.abs(this.mean),
    };
  }
}
