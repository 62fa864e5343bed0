/**
 * Trains a forecaster on a CSV and saves it as a versioned model file (what the controller's ForecastService loads).
 * `npm run train -- --help` prints the options.
 */
import { parseArgs } from 'node:util';
import { LocalCalendar } from '../forecasting/local-calendar.ts';
import { featureSetFor, saveModelFile, toModelFile } from '../forecasting/model-file.ts';
import { trainWithProgress } from '../forecasting/train-with-progress.ts';
import { csvArgumentOptions, csvArgumentsHelp, readCsvArguments, trainingArguments } from './csv-arguments.ts';
import { runForecastCommand, UsageError } from './forecast-command.ts';

const usage = `usage: npm run train -- --csv FILE --from DATE --to DATE --out MODEL.json [options]

Trains on [--from, --to] (local dates in --time-zone, both inclusive); the last fifth of the window (at most 56 days)
is held out to choose between the net, blends with weekly seasonal naive and seasonal naive alone, and to
calibrate the P10..P90 band. The model file records that choice; the controller follows it.
${csvArgumentsHelp}
  --out FILE              where to write the model (JSON)`;

function main(): void {
  const { values: args } = parseArgs({
    options: {
      ...csvArgumentOptions,
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (args.help) {
    console.log(usage);
    return;
  }
  for (const required of ['csv', 'from', 'to', 'out'] as const) {
    if (!args[required]) throw new UsageError(`--${required} is required (see --help)`);
  }
  if (args.kind !== 'load' && args.kind !== 'pv') throw new UsageError(`--kind must be load or pv, not ${args.kind}`);
  const training = trainingArguments(args);
  const calendar = new LocalCalendar(args['time-zone']);
  const window = {
    fromMs: calendar.localDateToUtcMs(args.from as string),
    toMs: calendar.dayStartMs(calendar.localDateToUtcMs(args.to as string) + 26 * 3_600_000),
  };
  if (window.toMs <= window.fromMs) throw new UsageError(`--to ${args.to} is before --from ${args.from}`);
  const loaded = readCsvArguments(args);
  for (const note of loaded.notes) console.log(`note: ${note}`);
  const features = featureSetFor(args.kind, {
    timeZone: args['time-zone'],
    useTemperature: loaded.columns.temperature !== null,
  });
  const { forecaster, report, options } = trainWithProgress(loaded.series, features, window, training);
  saveModelFile(args.out as string, toModelFile(forecaster, report, options, Date.now()));
  console.log(
    `${forecaster.name} saved to ${args.out}: ${report.rows} rows at ${loaded.series.stepMs / 60_000} min, ${(report.cpuMs / 1000).toFixed(1)} CPU-s`,
  );
  console.log(`model selection: ${report.selection.summary}`);
}

runForecastCommand('train', main);
