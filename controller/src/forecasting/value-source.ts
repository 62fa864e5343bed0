/** What feature builders read: an hourly series as seen from a forecast origin, possibly topped up with predictions. */
export interface ValueSource {
  readonly hasTemperature: boolean;
  /** NaN when unknown. */
  valueAt(ms: number): number;
  temperatureAt(ms: number): number;
  holidayAt(ms: number): boolean;
}

/**
 * A series whose unknown values are filled with the forecaster's own earlier predictions, so that a horizon longer
 * than a day (or an origin in the middle of a day) can still build "yesterday" features.
 */
export class PredictionOverlay implements ValueSource {
  private readonly predicted = new Map<number, number>();
  constructor(private readonly base: ValueSource) {}
  get hasTemperature(): boolean {
    return this.base.hasTemperature;
  }
  valueAt(ms: number): number {
    const observed = this.base.valueAt(ms);
    if (Number.isFinite(observed)) return observed;
    return this.predicted.get(Math.floor(ms / 3_600_000)) ?? Number.NaN;
  }
  temperatureAt(ms: number): number {
    return this.base.temperatureAt(ms);
  }
  holidayAt(ms: number): boolean {
    return this.base.holidayAt(ms);
  }
  remember(ms: number, value: number): void {
    this.predicted.set(Math.floor(ms / 3_600_000), value);
  }
}
