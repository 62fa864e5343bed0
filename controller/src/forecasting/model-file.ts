import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { featureSetFor } from './feature-sets.ts';
import { NeuralForecaster } from './neural-forecaster.ts';
import type { NeuralTrainingOptions, TrainingReport } from './neural-training.ts';

/**
 * A trained model as a versioned JSON file: what it is (schema version, features, time zone), what it learnt from
 * (training and validation windows, seeds, options), how good it was (validation scores next to seasonal naive)
 * and the weights. Loading checks all of it, so a file from an older feature layout is refused, not misread.
 */
/** 2: level-normalised features and target, cyclic calendar, guarded scaler, validation-selected mix (issue 12). */
export const MODEL_SCHEMA_VERSION = 2;

export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`model file ${path}: ${message}`, options);
  }
}

// JSON has no NaN: a score that could not be computed (no points) is saved as null and read back as NaN.
const score = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const scores = z.object({ mapePct: score, mase: score, mae: score, rmse: score, points: z.number() });
const window = z.object({ fromMs: z.number(), toMs: z.number() });
const scaler = z.object({
  min: z.array(z.number()),
  max: z.array(z.number()),
  low: z.number(),
  high: z.number(),
  margin: z.number().optional(),
});
const quantiles = z.object({ p10Offset: z.array(z.number()), p90Offset: z.array(z.number()) });

const modelFileSchema = z.object({
  schemaVersion: z.number().int(),
  createdAtMs: z.number(),
  featureSet: z.object({
    kind: z.enum(['load', 'pv']),
    options: z.object({
      timeZone: z.string(),
      useTemperature: z.boolean(),
      annualCycle: z.boolean().optional(),
      useCloudCover: z.boolean().optional(),
    }),
    names: z.array(z.string()),
  }),
  trainingWindow: window,
  validationWindow: window,
  scores: z.object({ model: scores, seasonalNaive: scores, chosen: scores }),
  training: z.object({
    hiddenLayers: z.array(z.number().int().positive()),
    epochs: z.number().int(),
    learningRate: z.number(),
    momentum: z.number(),
    seeds: z.array(z.number().int()),
    rows: z.number().int(),
    cpuMs: z.number(),
  }),
  nonNegative: z.boolean(),
  inputScaler: scaler,
  targetScaler: scaler,
  residualQuantiles: quantiles,
  selection: z.object({
    netWeight: z.number().min(0).max(1),
    bands: quantiles,
    summary: z.string(),
    validationMeanAbsError: z.number().positive().finite().optional(),
    outOfSampleFromMs: z.number().finite().optional(),
  }),
  nets: z.array(z.looseObject({ sizes: z.array(z.number()), layers: z.array(z.unknown()) })).min(1),
});

export type ModelFile = z.output<typeof modelFileSchema>;

export { featureSetFor };

export function toModelFile(
  forecaster: NeuralForecaster,
  report: TrainingReport,
  options: Pick<NeuralTrainingOptions, 'hiddenLayers' | 'epochs' | 'learningRate' | 'momentum' | 'seeds'>,
  createdAtMs: number,
): ModelFile {
  const { state } = forecaster;
  return {
    schemaVersion: MODEL_SCHEMA_VERSION,
    createdAtMs,
    featureSet: { kind: state.featureSet.kind, options: state.featureSet.options, names: [...state.featureSet.names] },
    trainingWindow: { fromMs: report.trainWindow.fromMs, toMs: report.validationWindow.toMs },
    validationWindow: report.validationWindow,
    scores: report.validation,
    training: {
      hiddenLayers: options.hiddenLayers,
      epochs: options.epochs,
      learningRate: options.learningRate,
      momentum: options.momentum,
      seeds: options.seeds,
      rows: report.rows,
      cpuMs: report.cpuMs,
    },
    nonNegative: state.nonNegative,
    inputScaler: state.inputScaler,
    targetScaler: state.targetScaler,
    residualQuantiles: state.residualQuantiles,
    selection: state.selection,
    nets: state.nets as unknown as ModelFile['nets'],
  };
}

/** Writes to a temporary file and renames it, so a crash mid-write never leaves a half model where a good one was. */
export function saveModelFile(path: string, model: ModelFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(model)}\n`);
  renameSync(temporary, path);
}

export function parseModelFile(text: string, path: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelFileError(path, 'is not JSON', { cause });
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== MODEL_SCHEMA_VERSION) {
    throw new ModelFileError(
      path,
      `schema version ${String(version)} is not the supported ${MODEL_SCHEMA_VERSION}; retrain with npm run train`,
    );
  }
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFileError(path, `field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function loadModelFile(path: string): ModelFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ModelFileError(path, `cannot read: ${(cause as Error).message}`, { cause });
  }
  return parseModelFile(text, path);
}

/** Rebuilds the forecaster, refusing a file whose feature layout differs from the code's. */
export function forecasterFromModelFile(model: ModelFile, path = 'model'): NeuralForecaster {
  const featureSet = featureSetFor(model.featureSet.kind, model.featureSet.options);
  const expected = featureSet.names.join(',');
  if (model.featureSet.names.join(',') !== expected) {
    throw new ModelFileError(
      path,
      `its ${model.featureSet.kind} features (${model.featureSet.names.length}) differ from this version's (${featureSet.names.length}); retrain`,
    );
  }
  if (model.inputScaler.min.length !== featureSet.names.length) {
    throw new ModelFileError(
      path,
      `input scaler has ${model.inputScaler.min.length} columns for ${featureSet.names.length} features`,
    );
  }
  return new NeuralForecaster({
    featureSet,
    inputScaler: model.inputScaler,
    targetScaler: model.targetScaler,
    nets: model.nets as unknown as NeuralForecaster['state']['nets'],
    residualQuantiles: model.residualQuantiles,
    nonNegative: model.nonNegative,
    selection: model.selection,
  });
}
