import { quantile } from './statistics.ts';

/**
 * Maps each feature to [low, high]. A column with a range fixed by its nature (a sine, a flag) keeps that range; the
 * others take the range seen in the training rows only, so nothing about the test period leaks into the model.
 * With `tailShare`, that range is the central part of the training values (from the `tailShare` quantile to the
 * 1 - `tailShare` one) rather than min..max: a few extreme rows (the heat-wave afternoons of vic_elec) would
 * otherwise stretch the range so far that every ordinary day lands in a sliver of it, and a sigmoid net learns
 * slowly from differences that small.
 * The guard: an input outside that range is clamped to it widened by `margin` of its span on each side (a record
 * heat day may be somewhat hotter than any training day, not arbitrarily), and counted, so a forecaster can say how
 * often it was asked about inputs it never saw. Training rows pass the same guard, so the extreme ones are clamped
 * alike.
 */
export interface MinMaxScalerJson {
  min: number[];
  max: number[];
  low: number;
  high: number;
  /** Share of each column's span an input may lie outside its training range before it is clamped. */
  margin?: number;
}

export const DEFAULT_GUARD_MARGIN = 0.1;

export class MinMaxScaler {
  private constructor(private readonly state: MinMaxScalerJson) {}

  static fit(
    rows: readonly (readonly number[])[],
    low = 0,
    high = 1,
    fixedRanges: readonly (readonly [number, number] | null)[] = [],
    margin = DEFAULT_GUARD_MARGIN,
    tailShare = 0,
  ): MinMaxScaler {
    const width = rows[0]?.length ?? 0;
    if (tailShare > 0) {
      const central = Array.from({ length: width }, (_, i): readonly [number, number] | null => {
        const fixed = fixedRanges[i];
        if (fixed) return fixed;
        const column = rows.map((row) => row[i] as number);
        return [quantile(column, tailShare), quantile(column, 1 - tailShare)];
      });
      return MinMaxScaler.fit(rows, low, high, central, margin);
    }
    const min = new Array<number>(width).fill(Number.POSITIVE_INFINITY);
    const max = new Array<number>(width).fill(Number.NEGATIVE_INFINITY);
    for (const row of rows) {
      for (let i = 0; i < width; i++) {
        const v = row[i] as number;
        if (v < (min[i] as number)) min[i] = v;
        if (v > (max[i] as number)) max[i] = v;
      }
    }
    fixedRanges.forEach((range, i) => {
      if (range && i < width) {
        min[i] = range[0];
        max[i] = range[1];
      }
    });
    return new MinMaxScaler({ min, max, low, high, margin });
  }

  static fromJSON(json: MinMaxScalerJson): MinMaxScaler {
    return new MinMaxScaler(json);
  }
  toJSON(): MinMaxScalerJson {
    return this.state;
  }

  scale(row: readonly number[]): number[] {
    return this.scaleGuarded(row).scaled;
  }

  /** The scaled row and how many of its inputs the guard clamped. */
  scaleGuarded(row: readonly number[]): { scaled: number[]; clamped: number } {
    const { min, max, low, high } = this.state;
    const margin = this.state.margin ?? Number.POSITIVE_INFINITY;
    let clamped = 0;
    const scaled = row.map((v, i) => {
      const lo = min[i] as number;
      const span = (max[i] as number) - lo;
      if (!(span > 0)) return low;
      let unit = (v - lo) / span;
      if (unit < -margin) {
        unit = -margin;
        clamped += 1;
      } else if (unit > 1 + margin) {
        unit = 1 + margin;
        clamped += 1;
      }
      return low + unit * (high - low);
    });
    return { scaled, clamped };
  }

  /** Inverse for a single-column scaler (the target). */
  unscale(scaled: number, column = 0): number {
    const { min, max, low, high } = this.state;
    return (
      (min[column] as number) + ((scaled - low) / (high - low)) * ((max[column] as number) - (min[column] as number))
    );
  }
}
