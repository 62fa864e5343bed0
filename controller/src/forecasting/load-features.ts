import { FLAG, SINE, type FeatureSet, type FeatureSetOptions } from './feature-set.ts';
import { LocalCalendar } from './local-calendar.ts';
import { RecentLevels, type RecentLevel } from './recent-level.ts';
import { mean } from './statistics.ts';
import type { ValueSource } from './value-source.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Degree-hour thresholds: demand rises for heating below and for cooling above (typical for temperate grids). */
const HEATING_BELOW_C = 16;
const COOLING_ABOVE_C = 22;
/** Every day of the last week (each weekday's own level) and the fortnight's same weekday. */
const LAG_DAYS = [1, 2, 3, 4, 5, 6, 7, 14];
/**
 * Yesterday's and last week's load an hour either side of the target's time: the peak moves by an hour or so from
 * day to day, and the net sees the shape around it rather than one point.
 */
const NEIGHBOUR_LAGS = [
  ['lag1dHourBefore', 1, -1],
  ['lag1dHourAfter', 1, 1],
  ['lag7dHourBefore', 7, -1],
  ['lag7dHourAfter', 7, 1],
] as const;

/**
 * Inputs for day-ahead load at any resolution (15, 30, 60 min):
 * - calendar, all cyclic so nothing extrapolates: local hour (one-hot) and time of day (two harmonics, which also
 *   place half-hours and quarter-hours), weekday (one-hot) and the phase of the week, the time of year (two
 *   harmonics, only with a year of training data), holidays around the day;
 * - the loads of each of the last seven days and of two weeks ago at the same time of day, yesterday's and last week's
 *   an hour either side, and yesterday's level, all normalised by the recent level;
 * - when asked for, temperature of the hour and of the day, with heating and cooling degrees so a small net does not
 *   have to learn the U-shape of demand against temperature by itself.
 */
export class LoadFeatures implements FeatureSet {
  readonly kind = 'load' as const;
  readonly names: readonly string[];
  readonly fixedRanges: readonly (readonly [number, number] | null)[];
  private readonly calendar: LocalCalendar;
  private readonly levels = new RecentLevels();

  constructor(readonly options: FeatureSetOptions) {
    this.calendar = new LocalCalendar(options.timeZone);
    const calendarColumns: [string, readonly [number, number]][] = [
      ...Array.from({ length: 24 }, (_, h): [string, readonly [number, number]] => [`hour${h}`, FLAG]),
      ['todSin1', SINE],
      ['todCos1', SINE],
      ['todSin2', SINE],
      ['todCos2', SINE],
      ...Array.from({ length: 7 }, (_, d): [string, readonly [number, number]] => [`weekday${d}`, FLAG]),
      ['weekSin', SINE],
      ['weekCos', SINE],
      ...(options.annualCycle
        ? ([
            ['doySin1', SINE],
            ['doyCos1', SINE],
            ['doySin2', SINE],
            ['doyCos2', SINE],
          ] as [string, readonly [number, number]][])
        : []),
      ['holiday', FLAG],
      ['holidayYesterday', FLAG],
      ['holidayTomorrow', FLAG],
      ['holidayLastWeek', FLAG],
    ];
    const learnt = [
      ...LAG_DAYS.map((d) => `lag${d}d`),
      ...NEIGHBOUR_LAGS.map(([name]) => name),
      'yesterdayLast',
      'yesterdayMean',
      'yesterdayMax',
      'yesterdayMin',
      ...(options.useTemperature
        ? [
            'tempC',
            'tempPrev3hC',
            'heatingDegC',
            'coolingDegC',
            'dayMaxC',
            'dayMinC',
            'dayMeanC',
            'tempLag1dC',
            'yesterdayMaxC',
          ]
        : []),
    ];
    this.names = [...calendarColumns.map(([name]) => name), ...learnt];
    this.fixedRanges = [...calendarColumns.map(([, range]) => range), ...learnt.map(() => null)];
  }

  level(source: ValueSource, targetMs: number): RecentLevel | null {
    return this.levels.at(source, this.calendar.localTime(targetMs).dayStartMs);
  }

  build(source: ValueSource, targetMs: number): number[] | null {
    const local = this.calendar.localTime(targetMs);
    const level = this.levels.at(source, local.dayStartMs);
    if (!level) return null;
    const row: number[] = [];
    for (let h = 0; h < 24; h++) row.push(h === local.hour ? 1 : 0);
    const tod = (2 * Math.PI * local.minuteOfDay) / 1440;
    row.push(Math.sin(tod), Math.cos(tod), Math.sin(2 * tod), Math.cos(2 * tod));
    for (let d = 0; d < 7; d++) row.push(d === local.weekday ? 1 : 0);
    const week = (2 * Math.PI * (local.weekday * 1440 + local.minuteOfDay)) / (7 * 1440);
    row.push(Math.sin(week), Math.cos(week));
    if (this.options.annualCycle) {
      const angle = (2 * Math.PI * local.dayOfYear) / 365.25;
      row.push(Math.sin(angle), Math.cos(angle), Math.sin(2 * angle), Math.cos(2 * angle));
    }
    row.push(
      flag(source.holidayAt(targetMs)),
      flag(source.holidayAt(targetMs - DAY_MS)),
      flag(source.holidayAt(targetMs + DAY_MS)),
      flag(source.holidayAt(targetMs - 7 * DAY_MS)),
    );
    const norm = (v: number) => (v - level.centre) / level.scale;
    const step = source.stepMs;
    const dayStart = local.dayStartMs;
    const lags = [
      ...LAG_DAYS.map((days) => source.valueAt(targetMs - days * DAY_MS)),
      // An hour after the target's time yesterday is today for the day's last hour: the last step before today then.
      ...NEIGHBOUR_LAGS.map(([, days, hours]) =>
        source.valueAt(Math.min(targetMs - days * DAY_MS + hours * HOUR_MS, dayStart - step)),
      ),
    ];
    let sum = 0;
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    let count = 0;
    for (let t = dayStart - DAY_MS; t < dayStart; t += step) {
      const v = source.valueAt(t);
      if (!Number.isFinite(v)) return null;
      sum += v;
      count += 1;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    const yesterdayLast = source.valueAt(dayStart - step);
    if (!lags.every(Number.isFinite) || !Number.isFinite(yesterdayLast) || count === 0) return null;
    row.push(...lags.map(norm), norm(yesterdayLast), norm(sum / count), norm(max), norm(min));
    if (this.options.useTemperature) {
      const temp = source.temperatureAt(targetMs);
      const prev3 = [1, 2, 3].map((h) => source.temperatureAt(targetMs - h * HOUR_MS));
      const today = Array.from({ length: 24 }, (_, h) => source.temperatureAt(dayStart + h * HOUR_MS));
      const yesterdayTemps = Array.from({ length: 24 }, (_, h) =>
        source.temperatureAt(dayStart - DAY_MS + h * HOUR_MS),
      );
      const tempLag = source.temperatureAt(targetMs - DAY_MS);
      const all = [temp, tempLag, ...prev3, ...today, ...yesterdayTemps];
      if (!all.every(Number.isFinite)) return null;
      row.push(
        temp,
        mean(prev3),
        Math.max(0, HEATING_BELOW_C - temp),
        Math.max(0, temp - COOLING_ABOVE_C),
        Math.max(...today),
        Math.min(...today),
        mean(today),
        tempLag,
        Math.max(...yesterdayTemps),
      );
    }
    return row;
  }
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}
