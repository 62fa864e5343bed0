/** What feature builders read: a series as seen from a forecast origin, possibly topped up with predictions. */
export interface ValueSource {
  readonly hasTemperature: boolean;
  /** The series' resolution (15, 30 or 60 min). */
  readonly stepMs: number;
  /** NaN when unknown. */
  valueAt(ms: number): number;
  temperatureAt(ms: number): number;
  holidayAt(ms: number): boolean;
  /** Cloud cover in % of the step, NaN when unknown. */
  cloudCoverAt(ms: number): number;
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
  get stepMs(): number {
    return this.base.stepMs;
  }
  valueAt(ms: number): number {
    const observed = this.base.valueAt(ms);
    if (Number.isFinite(observed)) return observed;
    return this.predicted.get(Math.floor(ms / this.base.stepMs)) ?? Number.NaN;
  }
  temperatureAt(ms: number): number {
    return this.base.temperatureAt(ms);
  }
  holidayAt(ms: number): boolean {
    return this.base.holidayAt(ms);
  }
  cloudCoverAt(ms: number): number {
    return this.base.cloudCoverAt(ms);
  }
  remember(ms: number, value: number): void {
    this.predicted.set(Math.floor(ms / this.base.stepMs), value);
  }
}
