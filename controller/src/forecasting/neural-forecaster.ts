import brain from 'brain.js';
import type { INeuralNetworkJSON } from 'brain.js';
import type { FeatureSet } from './feature-set.ts';
import { ForecastError, type Forecast, type Forecaster } from './forecaster.ts';
import type { HourlySeries } from './hourly-series.ts';
import { LocalCalendar } from './local-calendar.ts';
import { MinMaxScaler, type MinMaxScalerJson } from './min-max-scaler.ts';
import { hoursCovering, resampleHourly } from './resample.ts';
import { ResidualQuantiles, type ResidualQuantilesJson } from './residual-quantiles.ts';
import { PredictionOverlay } from './value-source.ts';

const HOUR_MS = 3_600_000;

/** Everything a trained model is, as saved in a model file (see model-file.ts for the versioned envelope). */
export interface NeuralModelState {
  featureSet: FeatureSet;
  inputScaler: MinMaxScalerJson;
  targetScaler: MinMaxScalerJson;
  /** One brain.js net per seed; the forecast is their mean. */
  nets: INeuralNetworkJSON[];
  residualQuantiles: ResidualQuantilesJson;
  /** Clamp forecasts at 0 (PV, load) so a sigmoid's tail never yields negative power. */
  nonNegative: boolean;
}

/**
 * A day-ahead forecaster on brain.js feed-forward nets (see neural-training.ts for how they are trained). Hours whose
 * "yesterday" lies after the origin are built from the model's own earlier predictions, hour by hour.
 */
export class NeuralForecaster implements Forecaster {
  readonly name: string;
  private readonly nets: InstanceType<typeof brain.NeuralNetwork>[];
  private readonly inputScaler: MinMaxScaler;
  private readonly targetScaler: MinMaxScaler;
  private readonly bands: ResidualQuantiles;
  private readonly calendar: LocalCalendar;

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

  /** The ensemble's point forecast for one prepared (unscaled) feature row. */
  predictRow(row: readonly number[]): number {
    const scaled = this.inputScaler.scale(row);
    let sum = 0;
    for (const net of this.nets) sum += (net.run(scaled) as number[])[0] as number;
    const value = this.targetScaler.unscale(sum / this.nets.length);
    return this.state.nonNegative ? Math.max(0, value) : value;
  }

  forecast(history: HourlySeries, fromMs: number, steps: number, stepMs: number): Forecast {
    const source = new PredictionOverlay(history.until(fromMs));
    const { firstHourMs, count } = hoursCovering(fromMs, steps, stepMs);
    const p50: number[] = [];
    const p10: number[] = [];
    const p90: number[] = [];
    for (let h = 0; h < count; h++) {
      const targetMs = firstHourMs + h * HOUR_MS;
      const observed = targetMs < fromMs ? source.valueAt(targetMs) : Number.NaN;
      let value = observed;
      if (!Number.isFinite(value)) {
        const row = this.state.featureSet.build(source, targetMs);
        if (!row)
          throw new ForecastError(
            this.name,
            'an input is unknown (gap in history or no temperature for the horizon)',
            targetMs,
          );
        value = this.predictRow(row);
        source.remember(targetMs, value);
      }
      const band = Number.isFinite(observed)
        ? { p10: observed, p90: observed }
        : this.bands.band(value, this.calendar.localTime(targetMs).hour);
      p50.push(value);
      p10.push(this.state.nonNegative ? Math.max(0, band.p10) : band.p10);
      p90.push(band.p90);
    }
    return {
      fromMs,
      stepMs,
      p50: resampleHourly(firstHourMs, p50, fromMs, steps, stepMs),
      p10: resampleHourly(firstHourMs, p10, fromMs, steps, stepMs),
      p90: resampleHourly(firstHourMs, p90, fromMs, steps, stepMs),
      source: this.name,
    };
  }
}
