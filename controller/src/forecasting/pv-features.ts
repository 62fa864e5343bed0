import { FLAG, SINE, type FeatureSet, type FeatureSetOptions } from './feature-set.ts';
import { LocalCalendar } from './local-calendar.ts';
import type { RecentLevel } from './recent-level.ts';
import type { ValueSource } from './value-source.ts';

const DAY_MS = 86_400_000;
/** Days looked back for the clear-sky envelope: long enough to contain a sunny day most of the year. */
const ENVELOPE_DAYS = 10;

/**
 * Inputs for day-ahead PV at any resolution: time of day and of year, cyclic (where the sun is; the year only with
 * a year of training data), yesterday's and the day before's output at the same time (the weather tends to persist),
 * and the recent envelope: the best and the mean output at this time over the last days, which stand in for
 * clear-sky output. With a weather forecast, the step's cloud cover, and temperature if asked for.
 * Outputs are normalised by the recent peak (the envelope's maximum over all times of day), so the model learns
 * capacity factors whatever the plant's size.
 */
export class PvFeatures implements FeatureSet {
  readonly kind = 'pv' as const;
  readonly names: readonly string[];
  readonly fixedRanges: readonly (readonly [number, number] | null)[];
  private readonly calendar: LocalCalendar;

  constructor(readonly options: FeatureSetOptions) {
    this.calendar = new LocalCalendar(options.timeZone);
    const fixed: [string, readonly [number, number]][] = [
      ...Array.from({ length: 24 }, (_, h): [string, readonly [number, number]] => [`hour${h}`, FLAG]),
      ['todSin1', SINE],
      ['todCos1', SINE],
      ['todSin2', SINE],
      ['todCos2', SINE],
      ...(options.annualCycle
        ? ([
            ['doySin1', SINE],
            ['doyCos1', SINE],
            ['doySin2', SINE],
            ['doyCos2', SINE],
          ] as [string, readonly [number, number]][])
        : []),
      ...(options.useCloudCover ? ([['cloudCover', [0, 100]]] as [string, readonly [number, number]][]) : []),
    ];
    const learnt = [
      'lag1d',
      'lag2d',
      'yesterdayMean',
      'envelopeMax',
      'envelopeMean',
      ...(options.useTemperature ? ['tempC'] : []),
    ];
    this.names = [...fixed.map(([name]) => name), ...learnt];
    this.fixedRanges = [...fixed.map(([, range]) => range), ...learnt.map(() => null)];
  }

  /** Centre 0, scale the highest output of the last days (at least a tiny positive number). */
  level(source: ValueSource, targetMs: number): RecentLevel | null {
    const dayStart = this.calendar.localTime(targetMs).dayStartMs;
    let peak = 0;
    let known = 0;
    const step = source.stepMs;
    for (let t = dayStart - ENVELOPE_DAYS * DAY_MS; t < dayStart; t += step) {
      const v = source.valueAt(t);
      if (!Number.isFinite(v)) continue;
      known += 1;
      if (v > peak) peak = v;
    }
    if (known < (ENVELOPE_DAYS * DAY_MS) / step / 2) return null;
    return { centre: 0, scale: peak > 0 ? peak : 1 };
  }

  build(source: ValueSource, targetMs: number): number[] | null {
    const local = this.calendar.localTime(targetMs);
    const level = this.level(source, targetMs);
    if (!level) return null;
    const row: number[] = [];
    for (let h = 0; h < 24; h++) row.push(h === local.hour ? 1 : 0);
    const tod = (2 * Math.PI * local.minuteOfDay) / 1440;
    row.push(Math.sin(tod), Math.cos(tod), Math.sin(2 * tod), Math.cos(2 * tod));
    if (this.options.annualCycle) {
      const angle = (2 * Math.PI * local.dayOfYear) / 365.25;
      row.push(Math.sin(angle), Math.cos(angle), Math.sin(2 * angle), Math.cos(2 * angle));
    }
    if (this.options.useCloudCover) {
      const cloud = source.cloudCoverAt(targetMs);
      if (!Number.isFinite(cloud)) return null;
      row.push(Math.max(0, Math.min(100, cloud)));
    }
    const sameTime = Array.from({ length: ENVELOPE_DAYS }, (_, d) => source.valueAt(targetMs - (d + 1) * DAY_MS));
    let sum = 0;
    let count = 0;
    for (let t = local.dayStartMs - DAY_MS; t < local.dayStartMs; t += source.stepMs) {
      const v = source.valueAt(t);
      if (!Number.isFinite(v)) return null;
      sum += v;
      count += 1;
    }
    if (!sameTime.every(Number.isFinite) || count === 0) return null;
    const norm = (v: number) => v / level.scale;
    const best = Math.max(...sameTime);
    const average = sameTime.reduce((a, b) => a + b, 0) / sameTime.length;
    row.push(norm(sameTime[0] as number), norm(sameTime[1] as number), norm(sum / count), norm(best), norm(average));
    if (this.options.useTemperature) {
      const temp = source.temperatureAt(targetMs);
      if (!Number.isFinite(temp)) return null;
      row.push(temp);
    }
    return row;
  }
}
