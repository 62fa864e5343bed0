import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HOUR_MS } from '../../src/forecasting/hourly-series.ts';
import { LoadFeatures } from '../../src/forecasting/load-features.ts';
import {
  forecasterFromModelFile,
  loadModelFile,
  MODEL_SCHEMA_VERSION,
  ModelFileError,
  saveModelFile,
  toModelFile,
} from '../../src/forecasting/model-file.ts';
import { defaultTrainingOptions, trainNeuralForecaster } from '../../src/forecasting/neural-training.ts';
import { syntheticLoadSeries } from './synthetic-series.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const series = syntheticLoadSeries(Date.UTC(2020, 0, 6), 60);
const options = { ...defaultTrainingOptions, hiddenLayers: [8], epochs: 3, seeds: [5, 6], validationDays: 10 };
const window = { fromMs: Date.UTC(2020, 0, 20), toMs: Date.UTC(2020, 1, 25) };
const { forecaster, report } = trainNeuralForecaster(
  series,
  new LoadFeatures({ timeZone: 'UTC', useTemperature: true }),
  window,
  options,
);

describe('model files', () => {
  it('a saved model loads back and forecasts exactly as before, with its window, features, seeds and scores', () => {
    const path = join(dir, 'load.json');
    saveModelFile(path, toModelFile(forecaster, report, options, Date.UTC(2020, 1, 25, 1)));
    const file = loadModelFile(path);
    assert.equal(file.schemaVersion, MODEL_SCHEMA_VERSION);
    assert.deepEqual(file.trainingWindow, window);
    assert.deepEqual(file.training.seeds, [5, 6]);
    assert.equal(file.featureSet.kind, 'load');
    assert.ok(file.featureSet.names.includes('tempC'));
    assert.equal(file.scores.model.mapePct, report.validation.model.mapePct);
    const reloaded = forecasterFromModelFile(file, path);
    const origin = Date.UTC(2020, 1, 26);
    assert.deepEqual(reloaded.forecast(series, origin, 24, HOUR_MS), forecaster.forecast(series, origin, 24, HOUR_MS));
    assert.deepEqual(readdirSync(dir), ['load.json'], 'no temporary file left behind');
  });

  it('a file of another schema version is refused with a ModelFileError that says to retrain', () => {
    const path = join(dir, 'old.json');
    const file = toModelFile(forecaster, report, options, 0);
    writeFileSync(path, JSON.stringify({ ...file, schemaVersion: 0 }));
    assert.throws(
      () => loadModelFile(path),
      (e: unknown) => e instanceof ModelFileError && /schema version 0 .*retrain/.test(e.message) && e.path === path,
    );
  });

  it('a file whose features differ from the code, or that is not JSON, is refused and left as it was', () => {
    const path = join(dir, 'odd.json');
    const file = toModelFile(forecaster, report, options, 0);
    const text = JSON.stringify({ ...file, featureSet: { ...file.featureSet, names: file.featureSet.names.slice(1) } });
    writeFileSync(path, text);
    assert.throws(
      () => forecasterFromModelFile(loadModelFile(path), path),
      (e: unknown) => e instanceof ModelFileError && /differ/.test(e.message),
    );
    assert.equal(readFileSync(path, 'utf8'), text);
    writeFileSync(path, '{"schemaVersion": 1, "nets": ');
    assert.throws(() => loadModelFile(path), /is not JSON/);
    writeFileSync(path, JSON.stringify({ ...file, nets: [] }));
    assert.throws(
      () => loadModelFile(path),
      (e: unknown) => e instanceof ModelFileError && /field nets/.test(e.message),
    );
    assert.ok(existsSync(path));
  });
});
