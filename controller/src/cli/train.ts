/**
 * Trains a forecaster on a CSV and saves it as a versioned model file (what the controller's ForecastService loads).
 *   npm run train -- --csv devices/data/vic_elec.csv.gz --time-zone Australia/Melbourne \
 *     --from 2012-01-01 --to 2013-12-31 --out controller/models/vic-load.json [--kind pv] [--no-temperature] [--seeds 1,2] [--epochs 60]
 * Dates are local dates in --time-zone; --to is inclusive.
 */
import { parseArgs } from 'node:util';
import { csvArgumentOptions, readCsvArguments, trainingArguments } from './csv-arguments.ts';
import { runForecastCommand, UsageError } from './forecast-command.ts';
import { LocalCalendar } from '../forecasting/local-calendar.ts';
import { featureSetFor, saveModelFile, toModelFile } from '../forecasting/model-file.ts';
import { trainWithProgress } from '../forecasting/train-with-progress.ts';

function main(): void {
  const { values: args } = parseArgs({
    options: {
      ...csvArgumentOptions,
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
  });
  for (const required of ['csv', 'from', 'to', 'out'] as const) {
    if (!args[required]) throw new UsageError(`--${required} is required`);
  }
  if (args.kind !== 'load' && args.kind !== 'pv') throw new UsageError(`--kind must be load or pv, not ${args.kind}`);
  const calendar = new LocalCalendar(args['time-zone']);
  const window = {
    fromMs: calendar.localDateToUtcMs(args.from as string),
    toMs: calendar.dayStartMs(calendar.localDateToUtcMs(args.to as string) + 26 * 3_600_000),
  };
  const { series, columns } = readCsvArguments(args);
  const features = featureSetFor(args.kind, {
    timeZone: args['time-zone'],
    useTemperature: columns.temperature !== null,
  });
  const { forecaster, report, options } = trainWithProgress(series, features, window, trainingArguments(args));
  saveModelFile(args.out as string, toModelFile(forecaster, report, options, Date.now()));
  console.log(
    `${forecaster.name} saved to ${args.out}: ${report.rows} rows, ${(report.cpuMs / 1000).toFixed(1)} CPU-s; validation MAPE ` +
      `${report.validation.model.mapePct.toFixed(2)} % vs seasonal naive ${report.validation.seasonalNaive.mapePct.toFixed(2)} %`,
  );
}

runForecastCommand('train', main);
