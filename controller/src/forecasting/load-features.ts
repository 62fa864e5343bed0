import type { FeatureSet, FeatureSetOptions } from './feature-set.ts';
import { LocalCalendar } from './local-calendar.ts';
import { mean } from './statistics.ts';
import type { ValueSource } from './value-source.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Degree-hour thresholds: demand rises for heating below and for cooling above (typical for temperate grids). */
const HEATING_BELOW_C = 16;
const COOLING_ABOVE_C = 22;

/**
 * Inputs for day-ahead load: calendar (hour, weekday, season, holidays around the day), the loads of the last days at
 * the same hour and yesterday's level, and, when asked for, temperature of the hour and of the day, with heating and
 * cooling degrees so a small net does not have to learn the U-shape of demand against temperature by itself.
 */
export class LoadFeatures implements FeatureSet {
  readonly kind = 'load' as const;
  readonly names: readonly string[];
  private readonly calendar: LocalCalendar;

  constructor(readonly options: FeatureSetOptions) {
    this.calendar = new LocalCalendar(options.timeZone);
    this.names = [
      ...Array.from({ length: 24 }, (_, h) => `hour${h}`),
      ...Array.from({ length: 7 }, (_, d) => `weekday${d}`),
      'doySin1',
      'doyCos1',
      'doySin2',
      'doyCos2',
      'holiday',
      'holidayYesterday',
      'holidayTomorrow',
      'holidayLastWeek',
      'lag1d',
      'lag2d',
      'lag3d',
      'lag7d',
      'lag14d',
      'yesterdayLastHour',
      'yesterdayMean',
      'yesterdayMax',
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
  }

  build(source: ValueSource, targetMs: number): number[] | null {
    const local = this.calendar.localTime(targetMs);
    const dayStart = local.dayStartMs;
    const row: number[] = [];
    for (let h = 0; h < 24; h++) row.push(h === local.hour ? 1 : 0);
    for (let d = 0; d < 7; d++) row.push(d === local.weekday ? 1 : 0);
    const angle = (2 * Math.PI * local.dayOfYear) / 365.25;
    row.push(Math.sin(angle), Math.cos(angle), Math.sin(2 * angle), Math.cos(2 * angle));
    row.push(
      flag(source.holidayAt(targetMs)),
      flag(source.holidayAt(targetMs - DAY_MS)),
      flag(source.holidayAt(targetMs + DAY_MS)),
      flag(source.holidayAt(targetMs - 7 * DAY_MS)),
    );
    const lags = [1, 2, 3, 7, 14].map((days) => source.valueAt(targetMs - days * DAY_MS));
    const yesterday = Array.from({ length: 24 }, (_, h) => source.valueAt(dayStart - DAY_MS + h * HOUR_MS));
    const yesterdayLast = source.valueAt(dayStart - HOUR_MS);
    if (!lags.every(Number.isFinite) || !yesterday.every(Number.isFinite) || !Number.isFinite(yesterdayLast))
      return null;
    row.push(...lags, yesterdayLast, mean(yesterday), Math.max(...yesterday));
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
