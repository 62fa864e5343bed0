import type { FeatureSet, FeatureSetOptions } from './feature-set.ts';
import { LocalCalendar } from './local-calendar.ts';
import { mean } from './statistics.ts';
import type { ValueSource } from './value-source.ts';

const DAY_MS = 86_400_000;
/** Days looked back for the clear-sky envelope: long enough to contain a sunny day most of the year. */
const ENVELOPE_DAYS = 10;

/**
 * Inputs for day-ahead PV: time of day and season (where the sun is), yesterday's and the day before's output at the
 * same hour (the weather tends to persist), and the recent envelope: the best and the mean output at this hour over
 * the last days, which stand in for clear-sky output and for the recent weather without an irradiance forecast.
 */
export class PvFeatures implements FeatureSet {
  readonly kind = 'pv' as const;
  readonly names: readonly string[];
  private readonly calendar: LocalCalendar;

  constructor(readonly options: FeatureSetOptions) {
    this.calendar = new LocalCalendar(options.timeZone);
    this.names = [
      ...Array.from({ length: 24 }, (_, h) => `hour${h}`),
      'doySin1',
      'doyCos1',
      'doySin2',
      'doyCos2',
      'lag1d',
      'lag2d',
      'yesterdayTotal',
      'envelopeMax',
      'envelopeMean',
      ...(options.useTemperature ? ['tempC'] : []),
    ];
  }

  build(source: ValueSource, targetMs: number): number[] | null {
    const local = this.calendar.localTime(targetMs);
    const row: number[] = [];
    for (let h = 0; h < 24; h++) row.push(h === local.hour ? 1 : 0);
    const angle = (2 * Math.PI * local.dayOfYear) / 365.25;
    row.push(Math.sin(angle), Math.cos(angle), Math.sin(2 * angle), Math.cos(2 * angle));
    const sameHour = Array.from({ length: ENVELOPE_DAYS }, (_, d) => source.valueAt(targetMs - (d + 1) * DAY_MS));
    const yesterday = Array.from({ length: 24 }, (_, h) => source.valueAt(local.dayStartMs - DAY_MS + h * 3_600_000));
    if (!sameHour.every(Number.isFinite) || !yesterday.every(Number.isFinite)) return null;
    row.push(sameHour[0] as number, sameHour[1] as number, mean(yesterday) * 24, Math.max(...sameHour), mean(sameHour));
    if (this.options.useTemperature) {
      const temp = source.temperatureAt(targetMs);
      if (!Number.isFinite(temp)) return null;
      row.push(temp);
    }
    return row;
  }
}
