/**
 * A half-hourly series of the 2012-2014 data (52,608 values from 2012-01-01 00:00 local time) that answers for any
 * simulation time: the time is moved to the site's local time, then to the same day of year and time of day in one of
 * the three data years, and the two neighbouring half-hours are interpolated linearly.
 */
export const DATA_FIRST_YEAR = 2012;
export const DATA_YEARS = 3;
const HALF_HOUR_MS = 30 * 60 * 1000;
const DATA_START_MS = Date.UTC(DATA_FIRST_YEAR, 0, 1);

/** Melbourne standard time (AEST), the clock both vendored files are on. */
export const DEFAULT_UTC_OFFSET_MINUTES = 600;

const HALF_HOURS_PER_DAY = 48;

export class HalfHourlySeries {
  private readonly values: Float64Array;
  private lastEpochMs = Number.NaN;
  private lastOffsetMinutes = Number.NaN;
  private lastValue = 0;

  /** Missing values (NaN) are filled from the same half-hour of the day before: the PV file misses two whole days. */
  constructor(
    readonly name: string,
    values: Float64Array,
  ) {
    if (values.length === 0) throw new RangeError(`series ${name} is empty`);
    this.values = Float64Array.from(values);
    for (let i = 0; i < this.values.length; i++) {
      if (!Number.isNaN(this.values[i])) continue;
      const dayBefore = i >= HALF_HOURS_PER_DAY ? this.values[i - HALF_HOURS_PER_DAY] : undefined;
      const previous = i > 0 ? this.values[i - 1] : undefined;
      this.values[i] = dayBefore ?? previous ?? 0;
    }
    if (this.values.some((v) => Number.isNaN(v))) throw new RangeError(`series ${name} has gaps that cannot be filled`);
  }

  get length(): number {
    return this.values.length;
  }

  /** Largest value of the whole series, for scaling a shape to a site. */
  max(): number {
    let best = -Infinity;
    for (const v of this.values) if (v > best) best = v;
    return best;
  }

  /** Value at simulation time `epochMs`, read at the same local time of year in the data. */
  valueAt(epochMs: number, utcOffsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
    // Every device of a plant asks for the same instant in each sub-step: answer repeats from the last lookup.
    if (epochMs === this.lastEpochMs && utcOffsetMinutes === this.lastOffsetMinutes) return this.lastValue;
    const value = this.lookUp(epochMs, utcOffsetMinutes);
    this.lastEpochMs = epochMs;
    this.lastOffsetMinutes = utcOffsetMinutes;
    this.lastValue = value;
    return value;
  }

  private lookUp(epochMs: number, utcOffsetMinutes: number): number {
    const position = dataPositionOf(epochMs, utcOffsetMinutes);
    const count = this.values.length;
    const lower = Math.floor(position) % count;
    const upper = (lower + 1) % count; // the last half-hour of 2014 leads back to the first of 2012
    const weight = position - Math.floor(position);
    const a = this.values[lower] ?? 0;
    const b = this.values[upper] ?? 0;
    return a + (b - a) * weight;
  }
}

/**
 * Fractional index into the half-hourly data for a simulation time: local date and time of day, with the year folded
 * into 2012-2014 (29 February in a data year without it reads 1 March).
 */
export function dataPositionOf(epochMs: number, utcOffsetMinutes: number): number {
  const local = new Date(epochMs + utcOffsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  const dataYear = DATA_FIRST_YEAR + ((((year - DATA_FIRST_YEAR) % DATA_YEARS) + DATA_YEARS) % DATA_YEARS);
  const msIntoDay = epochMs + utcOffsetMinutes * 60_000 - Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  const dataMs = Date.UTC(dataYear, local.getUTCMonth(), local.getUTCDate()) + msIntoDay;
  return (dataMs - DATA_START_MS) / HALF_HOUR_MS;
}
