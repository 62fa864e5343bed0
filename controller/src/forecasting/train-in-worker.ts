import { Worker } from 'node:worker_threads';
import type { FeatureSetKind, FeatureSetOptions } from './feature-set.ts';
import type { HourlySeriesData } from './hourly-series.ts';
import type { ModelFile } from './model-file.ts';
import type { NeuralTrainingOptions, TrainingWindow } from './neural-training.ts';

/** Everything a training run needs, as plain data that can cross to a worker thread. */
export interface TrainingRequest {
  series: HourlySeriesData;
  featureSet: { kind: FeatureSetKind; options: FeatureSetOptions };
  window: TrainingWindow;
  training: NeuralTrainingOptions;
  nonNegative: boolean;
  createdAtMs: number;
}

export type TrainingOutcome = { ok: true; model: ModelFile } | { ok: false; message: string };

export class TrainingWorkerError extends Error {
  override readonly name = 'TrainingWorkerError';
}

/**
 * Trains in a worker thread and resolves with the model file (or the training error's message). The same request
 * gives the same model as training in the main thread: the seeds travel with it.
 */
export function trainInWorker(
  request: Omit<TrainingRequest, 'training'> & { training: NeuralTrainingOptions },
): Promise<TrainingOutcome> {
  const { onEpoch: _callbacksCannotCrossThreads, ...training } = request.training;
  return new Promise((resolve, reject) => {
    // Node 20 does not run `--import tsx` inside worker threads, so the worker registers tsx itself before
    // importing the TypeScript entry.
    const entry = new URL('./training-worker.ts', import.meta.url).href;
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(bootstrap, { eval: true, workerData: { ...request, training } });
    let settled = false;
    worker.once('message', (outcome: TrainingOutcome) => {
      settled = true;
      resolve(outcome);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(new TrainingWorkerError(`training worker failed: ${error.message}`, { cause: error }));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new TrainingWorkerError(`training worker exited with code ${code} before answering`));
    });
  });
}
