import type { FeatureSet } from './feature-set.ts';
import type { HourlySeries } from './hourly-series.ts';
import {
  defaultTrainingOptions,
  trainNeuralForecaster,
  type NeuralTrainingOptions,
  type TrainingWindow,
} from './neural-training.ts';
import { ProgressBar, type ProgressSink } from './progress-bar.ts';

/** Training as the command-line tools run it: a progress bar over every epoch of every seed. */
export function trainWithProgress(
  series: HourlySeries,
  features: FeatureSet,
  window: TrainingWindow,
  options: Partial<NeuralTrainingOptions>,
  out: ProgressSink = process.stderr,
): ReturnType<typeof trainNeuralForecaster> & { options: NeuralTrainingOptions } {
  const resolved = { ...defaultTrainingOptions, ...options };
  const bar = new ProgressBar(`training ${features.kind}`, resolved.epochs * resolved.seeds.length, out);
  const trained = trainNeuralForecaster(series, features, window, {
    ...resolved,
    onEpoch: (p) =>
      bar.update(
        p.seedIndex * p.epochs + p.epoch,
        `seed ${p.seedIndex + 1}/${p.seeds} epoch ${p.epoch}/${p.epochs} mse ${p.trainingError.toExponential(2)}`,
      ),
  });
  bar.finish();
  return { ...trained, options: resolved };
}
