/**
 * Maps each feature to [low, high] with the range seen in the training rows only, so nothing about the test
 * period leaks into the model. Values outside the training range extrapolate linearly (a record heat day is allowed
 * to be hotter than any training day).
 */
export interface MinMaxScalerJson {
  min: number[];
  max: number[];
  low: number;
  high: number;
}

export class MinMaxScaler {
  private constructor(private readonly state: MinMaxScalerJson) {}

  static fit(rows: readonly (readonly number[])[], low = 0, high = 1): MinMaxScaler {
    const width = rows[0]?.length ?? 0;
    const min = new Array<number>(width).fill(Number.POSITIVE_INFINITY);
    const max = new Array<number>(width).fill(Number.NEGATIVE_INFINITY);
    for (const row of rows) {
      for (let i = 0; i < width; i++) {
        const v = row[i] as number;
        if (v < (min[i] as number)) min[i] = v;
        if (v > (max[i] as number)) max[i] = v;
      }
    }
    return new MinMaxScaler({ min, max, low, high });
  }

  static fromJSON(json: MinMaxScalerJson): MinMaxScaler {
    return new MinMaxScaler(json);
  }
  toJSON(): MinMaxScalerJson {
    return this.state;
  }

  scale(row: readonly number[]): number[] {
    const { min, max, low, high } = this.state;
    return row.map((v, i) => {
      const span = (max[i] as number) - (min[i] as number);
      return span > 0 ? low + ((v - (min[i] as number)) / span) * (high - low) : low;
    });
  }

  /** Inverse for a single-column scaler (the target). */
  unscale(scaled: number, column = 0): number {
    const { min, max, low, high } = this.state;
    return (
      (min[column] as number) + ((scaled - low) / (high - low)) * ((max[column] as number) - (min[column] as number))
    );
  }
}
