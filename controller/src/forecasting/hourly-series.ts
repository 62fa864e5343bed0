/**
 * An hourly series on a regular UTC grid: the observed values (load in W or MW, PV output, ...) and, where known, the
 * exogenous inputs a forecaster may use. Exogenous inputs (temperature, holiday) may run past the last observed value:
 * a weather forecast for tomorrow is known today, tomorrow's load is not.
 */
export const HOUR_MS = 3_600_000;

export interface HourlySeriesData {
  /** UTC epoch ms of the first hour (period start); must be a whole hour. */
  startMs: number;
  /** Hour means; NaN where unknown. */
  values: readonly number[];
  /** Hour means in °C; NaN where unknown; may be longer than `values`. */
  temperatureC?: readonly number[] | null;
  /** Whether the hour falls on a public holiday; may be longer than `values`. */
  holiday?: readonly boolean[] | null;
}

export class SeriesError extends Error {
  override readonly name = 'SeriesError';
}

export class HourlySeries {
  readonly startMs: number;
  private readonly values: readonly number[];
  private readonly temperatures: readonly number[] | null;
  private readonly holidays: readonly boolean[] | null;
  /** Values at or after this instant are hidden (see `until`); exogenous inputs stay visible. */
  readonly knownUntilMs: number;

  constructor(data: HourlySeriesData, knownUntilMs = Number.POSITIVE_INFINITY) {
    if (!Number.isFinite(data.startMs) || data.startMs % HOUR_MS !== 0) {
      throw new SeriesError(`series start ${data.startMs} is not a whole UTC hour`);
    }
    this.startMs = data.startMs;
    this.values = data.values;
    this.temperatures = data.temperatureC ?? null;
    this.holidays = data.holiday ?? null;
    this.knownUntilMs = knownUntilMs;
  }

  get hasTemperature(): boolean {
    return this.temperatures !== null;
  }
  get hasHoliday(): boolean {
    return this.holidays !== null;
  }
  /** End (exclusive) of the observed values, before any `until` cut. */
  get endMs(): number {
    return this.startMs + this.values.length * HOUR_MS;
  }
  /** End (exclusive) of the exogenous inputs. */
  get exogenousEndMs(): number {
    const length = Math.max(this.values.length, this.temperatures?.length ?? 0, this.holidays?.length ?? 0);
    return this.startMs + length * HOUR_MS;
  }

  private indexOf(ms: number): number {
    return Math.floor((ms - this.startMs) / HOUR_MS);
  }

  /** The observed value of the hour containing `ms`, NaN when unknown, outside the series or hidden by `until`. */
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

  /** Plain data (what `until` hides is dropped), e.g. to hand the series to a worker thread. */
  toData(): HourlySeriesData {
    const cut = Math.max(0, Math.min(this.values.length, Math.ceil((this.knownUntilMs - this.startMs) / HOUR_MS)));
    const values = Number.isFinite(this.knownUntilMs)
      ? [...this.values.slice(0, cut), ...new Array<number>(this.values.length - cut).fill(Number.NaN)]
      : [...this.values];
    return { startMs: this.startMs, values, temperatureC: this.temperatures, holiday: this.holidays };
  }

  /** The same series with every value at or after `cutoffMs` hidden: what a forecaster issued at `cutoffMs` may see. */
  until(cutoffMs: number): HourlySeries {
    return new HourlySeries(
      { startMs: this.startMs, values: this.values, temperatureC: this.temperatures, holiday: this.holidays },
      Math.min(cutoffMs, this.knownUntilMs),
    );
  }

  /** Hour starts of [fromMs, toMs) that lie inside the series. */
  hoursBetween(fromMs: number, toMs: number): number[] {
    const hours: number[] = [];
    const first = Math.max(this.startMs, Math.ceil(fromMs / HOUR_MS) * HOUR_MS);
    const last = Math.min(this.endMs, toMs);
    for (let t = first; t < last; t += HOUR_MS) hours.push(t);
    return hours;
  }
}
