/** The mean of the last `size` samples (open-dynamic-export averages readings over 5 s against oscillation). */
export class MovingAverage {
  private readonly samples: number[] = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`moving average size must be an integer >= 1, got ${size}`);
  }

  push(value: number): number {
    this.samples.push(value);
    if (this.samples.length > this.size) this.samples.shift();
    return this.value;
  }

  get value(): number {
    return this.samples.reduce((sum, v) => sum + v, 0) / Math.max(1, this.samples.length);
  }
}
