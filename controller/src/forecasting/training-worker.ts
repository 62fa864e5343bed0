/**
 * Worker-thread entry for training (see train-in-worker.ts): trains on the data it is given and posts back the
 * model file, so the controller's event loop keeps cycling while brain.js works.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HourlySeries } from './hourly-series.ts';
import { featureSetFor, toModelFile } from './model-file.ts';
import { trainNeuralForecaster, TrainingError } from './neural-training.ts';
import type { TrainingRequest, TrainingOutcome } from './train-in-worker.ts';

const request = workerData as TrainingRequest;
let outcome: TrainingOutcome;
try {
  const features = featureSetFor(request.featureSet.kind, request.featureSet.options);
  const { forecaster, report } = trainNeuralForecaster(
    new HourlySeries(request.series),
    features,
    request.window,
    request.training,
    request.nonNegative,
  );
  outcome = { ok: true, model: toModelFile(forecaster, report, request.training, request.createdAtMs) };
} catch (error) {
  if (!(error instanceof TrainingError)) throw error;
  outcome = { ok: false, message: error.message };
}
parentPort?.postMessage(outcome);
