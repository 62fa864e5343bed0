import brain from 'brain.js';
import type { INeuralNetworkJSON } from 'brain.js';
import type { FeatureSet } from './feature-set.ts';
import { ForecastError, type Forecast, type Forecaster } from './forecaster.ts';
import type { HourlySeries } from './hourly-series.ts';
import { LocalCalendar } from './local-calendar.ts';
import { MinMaxScaler, type MinMaxScalerJson } from './min-max-scaler.ts';
import { hoursCovering, resampleHourly } from './resample.ts';
import { ResidualQuantiles, type ResidualQuantilesJson } from './residual-quantiles.ts';
import { reselectOnRecentDays, type MixErrors, type ModelSelection } from './model-selection.ts';
import { calibrateOnRecentDays, RECENT_ERROR_DAYS, type DayErrors } from './rolling-band-calibration.ts';
import { PredictionOverlay, type ValueSource } from './value-source.ts';
import { weeklyNaivePoint } from './weekly-naive-point.ts';

/** One step of a past day: its local hour and the level-normalised errors of the net and of weekly naive. */
type StepErrors = MixErrors & { hour: number };

interface RecentDay {
  originMs: number;
  errors: StepErrors[];
}

/** Past days' errors remembered (the recent days are asked for again at every origin). */
const PAST_DAY_ERRORS_KEPT = 256;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Everything a trained model is, as saved in a model file (see model-file.ts for the versioned envelope). */
export interface NeuralModelState {
  featureSet: FeatureSet;
  inputScaler: MinMaxScalerJson;
  /** Maps the normalised target (see recent-level.ts) to the sigmoid's range. */
  targetScaler: MinMaxScalerJson;
  /** One brain.js net per seed; the forecast is their mean. */
  nets: INeuralNetworkJSON[];
  /** P10/P90 of the net alone on validation, in level-normalised units. */
  residualQuantiles: ResidualQuantilesJson;
  /** Clamp forecasts at 0 (PV) so a sigmoid's tail never yields negative power; a load may be negative. */
  nonNegative: boolean;
  selection: ModelSelection;
}

/**
 * A day-ahead forecaster on brain.js feed-forward nets (see neural-training.ts for how they are trained). Steps
 * whose "yesterday" lies after the origin are built from the model's own earlier predictions, step by step.
 * `forecast` is the net alone; `chosen()` is what training selected on validation (the net, a blend with weekly
 * seasonal naive, or seasonal naive), which the backtest reports next to it and the controller uses.
 */
export class NeuralForecaster implements Forecaster {
  readonly name: string;
  private readonly nets: InstanceType<typeof brain.NeuralNetwork>[];
  private readonly inputScaler: MinMaxScaler;
  private readonly targetScaler: MinMaxScaler;
  private readonly bands: ResidualQuantiles;
  private readonly calendar: LocalCalendar;
  /** Inputs the scaler's guard clamped since this forecaster was made (inputs outside their training range). */
  guardedInputs = 0;
  private readonly pastDayErrors = new Map<string, { fingerprint: number; errors: StepErrors[] | null }>();

  constructor(readonly state: NeuralModelState) {
    this.name = `neural-${state.featureSet.kind}${state.featureSet.options.useTemperature ? '+temperature' : ''}`;
    // JSON turns brain.js's `timeout: Infinity` into null, which its fromJSON then refuses: put Infinity back.
    this.nets = state.nets.map((json) =>
      new brain.NeuralNetwork().fromJSON({
        ...json,
        trainOpts: { ...json.trainOpts, timeout: json.trainOpts?.timeout ?? Number.POSITIVE_INFINITY },
      }),
    );
    this.inputScaler = MinMaxScaler.fromJSON(state.inputScaler);
    this.targetScaler = MinMaxScaler.fromJSON(state.targetScaler);
    this.bands = new ResidualQuantiles(state.residualQuantiles);
    this.calendar = new LocalCalendar(state.featureSet.options.timeZone);
  }

  /** The ensemble's normalised point forecast for one prepared (unscaled) feature row. */
  predictNormalised(row: readonly number[]): number {
    const { scaled, clamped } = this.inputScaler.scaleGuarded(row);
    this.guardedInputs += clamped;
    let sum = 0;
    for (const net of this.nets) sum += (net.run(scaled) as number[])[0] as number;
    return this.targetScaler.unscale(sum / this.nets.length);
  }

  /** The net's point forecast for `targetMs` in the series' unit, null when an input is unknown. */
  predictAt(source: ValueSource, targetMs: number): number | null {
    const level = this.state.featureSet.level(source, targetMs);
    const row = this.state.featureSet.build(source, targetMs);
    if (!level || !row) return null;
    const value = level.centre + level.scale * this.predictNormalised(row);
    return this.state.nonNegative ? Math.max(0, value) : value;
  }

  forecast(history: HourlySeries, fromMs: number, steps: number, stepMs: number): Forecast {
    return this.forecastMix(history, fromMs, steps, stepMs, 1, this.bands, this.name);
  }

  /**
   * What training chose on validation, as a forecaster of its own; at each origin the mix is chosen again on the days
   * before it (recentMix) and its band re-calibrated on them (recentBands). Its forecasts' `source` names the mix
   * used when it differs from the validation choice.
   */
  chosen(): Forecaster {
    const { netWeight } = this.state.selection;
    const name = `chosen(${selectionLabel(netWeight)})`;
    return {
      name,
      forecast: (history, fromMs, steps, stepMs) => {
        const recent = this.recentDays(history, fromMs);
        const weight = this.recentMix(recent);
        const source = weight === netWeight ? name : `${name}${MIX_SEPARATOR}${selectionLabel(weight)}${MIX_SUFFIX}`;
        return this.forecastMix(
          history,
          fromMs,
          steps,
          stepMs,
          weight,
          new ResidualQuantiles(this.bandsOn(recent, weight)),
          source,
        );
      },
    };
  }

  /**
   * The mix to use at an origin: chosen again, by the same rule as on validation, on the RECENT_ERROR_DAYS days before
   * it that the nets did not train on, recent days weighing more (reselectOnRecentDays). Validation chose once, on days
   * that may have been calmer or stormier than the ones ahead; on the 50 windows of `npm run bench forecast-windows`
   * the re-selection took the windows where the chosen model was more than 2 % worse than weekly naive from 5 to none
   * (worst 33 % -> 2.0 %, see README). Weekly naive stays weekly naive: when validation chose it (or the net was not
   * eligible) the nets are not trusted at all. The validation choice when fewer than half of those days are known.
   */
  recentMix(recent: readonly RecentDay[]): number {
    const { netWeight, outOfSampleFromMs } = this.state.selection;
    if (netWeight <= 0 || outOfSampleFromMs === undefined) return netWeight;
    const outOfSample = recent.filter((day) => day.originMs >= outOfSampleFromMs).map((day) => day.errors);
    return reselectOnRecentDays(outOfSample) ?? netWeight;
  }

  /** The band of the mix with `netWeight` re-calibrated on the recent days (see rolling-band-calibration.ts). */
  recentBands(history: HourlySeries, fromMs: number, netWeight: number): ResidualQuantilesJson {
    return this.bandsOn(this.recentDays(history, fromMs), netWeight);
  }

  /**
   * The validation band re-calibrated on the errors the mix with `netWeight` made on the recent days; the validation
   * band as it is for model files without a validation figure. A mix's error is the same mix of the net's and weekly
   * naive's errors: a day-ahead forecast from midnight builds every step from days before it, so neither depends on
   * the other (PV's clamp at 0 aside).
   */
  private bandsOn(recent: readonly RecentDay[], netWeight: number): ResidualQuantilesJson {
    const { bands, validationMeanAbsError } = this.state.selection;
    if (!(validationMeanAbsError !== undefined && validationMeanAbsError > 0)) return bands;
    const days: DayErrors[] = recent.map((day) =>
      day.errors.map(({ hour, net, naive }) => ({ hour, error: netWeight * net + (1 - netWeight) * naive })),
    );
    return calibrateOnRecentDays(bands, days);
  }

  /**
   * The RECENT_ERROR_DAYS days before the origin (oldest first) whose forecasts could be made again from what was
   * known at their midnight and have actuals, with the net's and weekly naive's errors.
   */
  private recentDays(history: HourlySeries, fromMs: number): RecentDay[] {
    const recent: RecentDay[] = [];
    let dayStart = this.calendar.dayStartMs(fromMs);
    for (let d = 0; d < RECENT_ERROR_DAYS; d++) {
      const origin = this.calendar.dayStartMs(dayStart - DAY_MS + 12 * HOUR_MS);
      const steps = Math.round((dayStart - origin) / history.stepMs);
      dayStart = origin;
      const errors = this.pastDayErrorsOf(history, origin, steps);
      if (errors) recent.unshift({ originMs: origin, errors });
    }
    return recent;
  }

  /**
   * The signed level-normalised errors (actual - forecast) of the net's and of weekly naive's forecasts of the day
   * from `origin`, made from what was known then, with the local hour of each step; null when that day cannot be
   * forecast or has no actuals. Remembered per day with a fingerprint of what the forecast read (loads of the two
   * weeks before and the day, temperatures of the day before and the day), so a backtest or a controller asking day
   * after day forecasts each past day once, and a corrected reading is noticed.
   */
  private pastDayErrorsOf(history: HourlySeries, origin: number, steps: number): StepErrors[] | null {
    const stepMs = history.stepMs;
    let fingerprint = 0;
    for (let t = origin - 14 * DAY_MS; t < origin + steps * stepMs; t += stepMs) {
      const v = history.valueAt(t);
      const temperature = t >= origin - DAY_MS ? history.temperatureAt(t) : Number.NaN;
      fingerprint =
        fingerprint * 1.000_001 + (Number.isFinite(v) ? v : 0.123) + (Number.isFinite(temperature) ? temperature : 0);
    }
    const key = `${origin}:${stepMs}`;
    const cached = this.pastDayErrors.get(key);
    if (cached && cached.fingerprint === fingerprint) return cached.errors;
    let errors: StepErrors[] | null = null;
    try {
      const known = history.until(origin);
      const net = this.forecastMix(known, origin, steps, stepMs, 1, this.bands, this.name).p50;
      const naive = this.forecastMix(known, origin, steps, stepMs, 0, this.bands, this.name).p50;
      const found: StepErrors[] = [];
      net.forEach((value, i) => {
        const targetMs = origin + i * stepMs;
        const actual = history.valueAt(targetMs);
        const level = this.state.featureSet.level(history, targetMs);
        if (!Number.isFinite(actual) || !level) return;
        found.push({
          hour: this.calendar.localTime(targetMs).hour,
          net: (actual - value) / level.scale,
          naive: (actual - (naive[i] as number)) / level.scale,
        });
      });
      errors = found.length > 0 ? found : null;
    } catch (thrown) {
      if (!(thrown instanceof ForecastError)) throw thrown; // a gap in history: that day says nothing
    }
    this.pastDayErrors.set(key, { fingerprint, errors });
    if (this.pastDayErrors.size > PAST_DAY_ERRORS_KEPT) {
      const oldest = this.pastDayErrors.keys().next().value;
      if (oldest !== undefined) this.pastDayErrors.delete(oldest);
    }
    return errors;
  }

  /**
   * The forecast loop at the series' own resolution: `netWeight` x net + (1 - `netWeight`) x weekly seasonal naive,
   * each step remembered for the steps after it, then resampled to the requested steps.
   */
  private forecastMix(
    history: HourlySeries,
    fromMs: number,
    steps: number,
    stepMs: number,
    netWeight: number,
    bands: ResidualQuantiles,
    name: string,
  ): Forecast {
    const source = new PredictionOverlay(history.until(fromMs));
    const base = history.stepMs;
    const { firstHourMs, count } = hoursCovering(fromMs, steps, stepMs, base);
    const p50: number[] = [];
    const p10: number[] = [];
    const p90: number[] = [];
    for (let s = 0; s < count; s++) {
      const targetMs = firstHourMs + s * base;
      const observed = targetMs < fromMs ? source.valueAt(targetMs) : Number.NaN;
      if (Number.isFinite(observed)) {
        p50.push(observed);
        p10.push(observed);
        p90.push(observed);
        continue;
      }
      const level = this.state.featureSet.level(source, targetMs);
      const net = netWeight > 0 ? this.predictAt(source, targetMs) : 0;
      const naive = netWeight < 1 ? weeklyNaivePoint(source, fromMs, targetMs) : 0;
      if (!level || net === null || !Number.isFinite(naive))
        throw new ForecastError(
          name,
          'an input is unknown (gap in history or no temperature for the horizon)',
          targetMs,
        );
      let value = netWeight * net + (1 - netWeight) * naive;
      if (this.state.nonNegative) value = Math.max(0, value);
      source.remember(targetMs, value);
      const band = bands.band(value, this.calendar.localTime(targetMs).hour, level.scale);
      p50.push(value);
      p10.push(this.state.nonNegative ? Math.max(0, band.p10) : band.p10);
      p90.push(band.p90);
    }
    return {
      fromMs,
      stepMs,
      p50: resampleHourly(firstHourMs, p50, fromMs, steps, stepMs, base),
      p10: resampleHourly(firstHourMs, p10, fromMs, steps, stepMs, base),
      p90: resampleHourly(firstHourMs, p90, fromMs, steps, stepMs, base),
      source: name,
    };
  }
}

const MIX_SEPARATOR = ', ';
const MIX_SUFFIX = ' on the recent days';

/** The mix a chosen model's forecast used ("net", "blend 75 % net", ...), read from its source. */
export function mixUsed(forecast: Forecast): string {
  const at = forecast.source.indexOf(MIX_SEPARATOR);
  if (at >= 0 && forecast.source.endsWith(MIX_SUFFIX))
    return forecast.source.slice(at + MIX_SEPARATOR.length, -MIX_SUFFIX.length);
  return forecast.source.replace(/^chosen\((.*)\)$/, '$1');
}

/** "net", "weekly naive" or "blend 75 % net". */
export function selectionLabel(netWeight: number): string {
  if (netWeight >= 1) return 'net';
  if (netWeight <= 0) return 'weekly naive';
  return `blend ${Math.round(netWeight * 100)} % net`;
}
