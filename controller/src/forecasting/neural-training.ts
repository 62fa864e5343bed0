import brain from 'brain.js';
import type { INeuralNetworkJSON } from 'brain.js';
import type { FeatureSet } from './feature-set.ts';
import { ScoreAccumulator, weeklyNaiveScale, type ForecastScores } from './forecast-scores.ts';
import type { HourlySeries } from './hourly-series.ts';
import { LocalCalendar } from './local-calendar.ts';
import { MinMaxScaler } from './min-max-scaler.ts';
import { NeuralForecaster } from './neural-forecaster.ts';
import { ResidualQuantiles } from './residual-quantiles.ts';
import { SeasonalNaiveForecaster } from './seasonal-naive.ts';
import { seededRandom, shuffleInPlace, withSeededMathRandom } from './seeded-random.ts';

const DAY_MS = 86_400_000;

export interface NeuralTrainingOptions {
  hiddenLayers: number[];
  epochs: number;
  /** Learning rate of the first epoch; it decays linearly to a tenth by the last (plain SGD needs that to settle). */
  learningRate: number;
  momentum: number;
  /** One net per seed, averaged: a few seeds smooth out the luck of the initial weights. */
  seeds: number[];
  /**
   * The last days of the window are held out: they set the P10/P90 bands and the validation scores.
   * Default: a fifth of the window, at most 56 days.
   */
  validationDays?: number;
  /** Called after every epoch of every seed (progress bars, logs). */
  onEpoch?: (progress: TrainingProgress) => void;
}

export interface TrainingProgress {
  seedIndex: number;
  seeds: number;
  epoch: number;
  epochs: number;
  trainingError: number;
}

export const defaultTrainingOptions: NeuralTrainingOptions = {
  hiddenLayers: [24],
  epochs: 80,
  learningRate: 0.6,
  momentum: 0.2,
  seeds: [1, 2],
};

export interface TrainingWindow {
  fromMs: number;
  toMs: number;
}

export interface TrainingReport {
  trainWindow: TrainingWindow;
  validationWindow: TrainingWindow;
  rows: number;
  /** The model and the weekly seasonal naive on the held-out days, same hours. */
  validation: { model: ForecastScores; seasonalNaive: ForecastScores };
  cpuMs: number;
}

export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

/** A row of the training set: unscaled inputs, the target and when it happened. */
interface Example {
  targetMs: number;
  input: number[];
  target: number;
}

function examples(series: HourlySeries, features: FeatureSet, window: TrainingWindow): Example[] {
  const rows: Example[] = [];
  for (const targetMs of series.hoursBetween(window.fromMs, window.toMs)) {
    const target = series.valueAt(targetMs);
    if (!Number.isFinite(target)) continue;
    const input = features.build(series, targetMs);
    if (input) rows.push({ targetMs, input, target });
  }
  return rows;
}

/**
 * Trains a NeuralForecaster on [window.fromMs, window.toMs) of `series`, holding out the last `validationDays`.
 * Rows are shuffled every epoch with a seeded generator and brain.js's Math.random is seeded around each net's
 * initialisation, so the same data, features, options and seeds give the same model.
 */
export function trainNeuralForecaster(
  series: HourlySeries,
  features: FeatureSet,
  window: TrainingWindow,
  options: Partial<NeuralTrainingOptions> = {},
  nonNegative = true,
): { forecaster: NeuralForecaster; report: TrainingReport } {
  const opts = { ...defaultTrainingOptions, ...options };
  const cpuStart = process.cpuUsage();
  const validationDays =
    opts.validationDays ?? Math.max(1, Math.min(56, Math.floor((window.toMs - window.fromMs) / DAY_MS / 5)));
  const splitMs = window.toMs - validationDays * DAY_MS;
  const trainWindow = { fromMs: window.fromMs, toMs: splitMs };
  const validationWindow = { fromMs: splitMs, toMs: window.toMs };
  const train = examples(series, features, trainWindow);
  const validation = examples(series, features, validationWindow);
  if (train.length < 24 * 7) {
    throw new TrainingError(
      `only ${train.length} complete training rows in ${iso(trainWindow.fromMs)}..${iso(trainWindow.toMs)}; need a week at least`,
    );
  }
  if (validation.length < 24) {
    throw new TrainingError(
      `only ${validation.length} complete validation rows in the last ${validationDays} days; need a day at least`,
    );
  }

  const inputScaler = MinMaxScaler.fit(train.map((e) => e.input));
  // The target uses the middle of the sigmoid's range: its ends are only reached by huge weights.
  const targetScaler = MinMaxScaler.fit(
    train.map((e) => [e.target]),
    0.1,
    0.9,
  );
  const data = train.map((e) => ({ input: inputScaler.scale(e.input), output: targetScaler.scale([e.target]) }));

  const nets: INeuralNetworkJSON[] = opts.seeds.map((seed, seedIndex) => {
    const random = seededRandom(seed);
    return withSeededMathRandom(random, () => {
      const net = new brain.NeuralNetwork({ hiddenLayers: opts.hiddenLayers, activation: 'sigmoid' });
      for (let epoch = 0; epoch < opts.epochs; epoch++) {
        shuffleInPlace(data, random);
        const decay = 1 - (0.9 * epoch) / Math.max(1, opts.epochs - 1);
        const state = net.train(data, {
          iterations: 1,
          errorThresh: 1e-9, // never stop early: the epochs are the budget
          learningRate: opts.learningRate * decay,
          momentum: opts.momentum,
          log: false,
        });
        opts.onEpoch?.({
          seedIndex,
          seeds: opts.seeds.length,
          epoch: epoch + 1,
          epochs: opts.epochs,
          trainingError: state.error,
        });
      }
      return net.toJSON();
    });
  });

  const calendar = new LocalCalendar(features.options.timeZone);
  const draft = new NeuralForecaster({
    featureSet: features,
    inputScaler: inputScaler.toJSON(),
    targetScaler: targetScaler.toJSON(),
    nets,
    residualQuantiles: { p10Offset: [], p90Offset: [] },
    nonNegative,
  });
  const naive = SeasonalNaiveForecaster.weekly(features.options.timeZone);
  const modelScores = new ScoreAccumulator();
  const naiveScores = new ScoreAccumulator();
  const residuals = validation.map((e) => {
    const forecast = draft.predictRow(e.input);
    modelScores.add(e.target, forecast);
    naiveScores.add(e.target, naive.pointAt(series, e.targetMs, e.targetMs));
    return { targetMs: e.targetMs, forecast, actual: e.target };
  });
  const scale = weeklyNaiveScale(series, trainWindow.fromMs, trainWindow.toMs);
  const forecaster = new NeuralForecaster({
    ...draft.state,
    residualQuantiles: ResidualQuantiles.fit(residuals, calendar).json,
  });
  const cpu = process.cpuUsage(cpuStart);
  return {
    forecaster,
    report: {
      trainWindow,
      validationWindow,
      rows: train.length,
      validation: { model: modelScores.scores(scale), seasonalNaive: naiveScores.scores(scale) },
      cpuMs: (cpu.user + cpu.system) / 1000,
    },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
