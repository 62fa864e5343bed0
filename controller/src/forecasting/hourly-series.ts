/**
 * A series on a regular UTC grid, hourly unless its data says otherwise (15 or 30 min: half-hourly data is forecast
 * and scored half-hourly, natively): the observed values (load in W or MW, PV output, ...) and, where known, the
 * exogenous inputs a forecaster may use. Exogenous inputs (temperature, holiday) may run past the last observed value:
 * a weather forecast for tomorrow is known today, tomorrow's load is not.
 */
export const HOUR_MS = 3_600_000;
/** The resolutions a series may have: each divides an hour, so local days and weeks hold whole steps. */
export const SUPPORTED_STEPS_MS: readonly number[] = [15 * 60_000, 30 * 60_000, HOUR_MS];

export interface HourlySeriesData {
  /** UTC epoch ms of the first step (period start); must be a whole step. */
  startMs: number;
  /** Length of one step: 15 min, 30 min or an hour (the default). */
  stepMs?: number;
  /** Step means; NaN where unknown. */
  values: readonly number[];
  /** Hour means in °C; NaN where unknown; may be longer than `values`. */
  temperatureC?: readonly number[] | null;
  /** Whether the hour falls on a public holiday; may be longer than `values`. */
  holiday?: readonly boolean[] | null;
  /** Cloud cover in % (0-100) from a weather forecast or observation; NaN where unknown; may be longer than `values`. */
  cloudCoverPct?: readonly number[] | null;
}

export class SeriesError extends Error {
  override readonly name = 'SeriesError';
}

export class HourlySeries {
  readonly startMs: number;
  readonly stepMs: number;
  private readonly values: readonly number[];
  private readonly temperatures: readonly number[] | null;
  private readonly holidays: readonly boolean[] | null;
  private readonly cloudCover: readonly number[] | null;
  /** Values at or after this instant are hidden (see `until`); exogenous inputs stay visible. */
  readonly knownUntilMs: number;

  constructor(data: HourlySeriesData, knownUntilMs = Number.POSITIVE_INFINITY) {
    const stepMs = data.stepMs ?? HOUR_MS;
    if (!SUPPORTED_STEPS_MS.includes(stepMs)) {
      throw new SeriesError(`series step ${stepMs / 60_000} min is not one of 15, 30 or 60 min`);
    }
    if (!Number.isFinite(data.startMs) || data.startMs % stepMs !== 0) {
      throw new SeriesError(`series start ${data.startMs} is not a whole UTC ${stepMs / 60_000}-min step`);
    }
    this.startMs = data.startMs;
    this.stepMs = stepMs;
    this.values = data.values;
    this.temperatures = data.temperatureC ?? null;
    this.holidays = data.holiday ?? null;
    this.cloudCover = data.cloudCoverPct ?? null;
    this.knownUntilMs = knownUntilMs;
  }

  get hasTemperature(): boolean {
    return this.temperatures !== null;
  }
  get hasCloudCover(): boolean {
    return this.cloudCover !== null;
  }
  get hasHoliday(): boolean {
    return this.holidays !== null;
  }
  /** End (exclusive) of the observed values, before any `until` cut. */
  get endMs(): number {
    return this.startMs + this.values.length * this.stepMs;
  }
  /** End (exclusive) of the exogenous inputs. */
  get exogenousEndMs(): number {
    const length = Math.max(
      this.values.length,
      this.temperatures?.length ?? 0,
      this.holidays?.length ?? 0,
      this.cloudCover?.length ?? 0,
    );
    return this.startMs + length * this.stepMs;
  }

  private indexOf(ms: number): number {
    return Math.floor((ms - this.startMs) / this.stepMs);
  }

  /** Steps per hour (1, 2 or 4). */
  get stepsPerHour(): number {
    return HOUR_MS / this.stepMs;
  }

  /** The observed value of the step containing `ms`, NaN when unknown, outside the series or hidden by `until`. */
  valueAt(ms: number): number {
    if (ms >= this.knownUntilMs) return Number.NaN;
    return this.values[this.indexOf(ms)] ?? Number.NaN;
  }
  temperatureAt(ms: number): number {
    return this.temperatures?.[this.indexOf(ms)] ?? Number.NaN;
  }
  holidayAt(ms: number): boolean {
    return this.holidays?.[this.indexOf(ms)] ?? false;
  }
  cloudCoverAt(ms: number): number {
    return this.cloudCover?.[this.indexOf(ms)] ?? Number.NaN;
  }

  /** Plain data (what `until` hides is dropped), e.g. to hand the series to a worker thread. */
  toData(): HourlySeriesData {
    const cut = Math.max(0, Math.min(this.values.length, Math.ceil((this.knownUntilMs - this.startMs) / this.stepMs)));
    const values = Number.isFinite(this.knownUntilMs)
      ? [...this.values.slice(0, cut), ...new Array<number>(this.values.length - cut).fill(Number.NaN)]
      : [...this.values];
    return {
      startMs: this.startMs,
      stepMs: this.stepMs,
      values,
      temperatureC: this.temperatures,
      holiday: this.holidays,
      cloudCoverPct: this.cloudCover,
    };
  }

  /** The same series with every value at or after `cutoffMs` hidden: what a forecaster issued at `cutoffMs` may see. */
  until(cutoffMs: number): HourlySeries {
    return new HourlySeries(
      {
        startMs: this.startMs,
        stepMs: this.stepMs,
        values: this.values,
        temperatureC: this.temperatures,
        holiday: this.holidays,
        cloudCoverPct: this.cloudCover,
      },
      Math.min(cutoffMs, this.knownUntilMs),
    );
  }

  /** Step starts of [fromMs, toMs) that lie inside the series (hour starts for an hourly series). */
  hoursBetween(fromMs: number, toMs: number): number[] {
    const steps: number[] = [];
    const first = Math.max(this.startMs, Math.ceil(fromMs / this.stepMs) * this.stepMs);
    const last = Math.min(this.endMs, toMs);
    for (let t = first; t < last; t += this.stepMs) steps.push(t);
    return steps;
  }
}
