/**
 * Day-ahead backtest of the neural forecaster against persistence and weekly seasonal naive on any CSV.
 *   npm run backtest -- --csv devices/data/vic_elec.csv.gz --time-zone Australia/Melbourne \
 *     --train-from 2012-01-01 --train-to 2013-12-31 --test-from 2014-01-01 --test-to 2014-12-31 \
 *     [--no-temperature] [--plot-week 2014-07-07 --plot out.svg] [--kind pv] [--save-model file.json]
 *     [--seeds 1,2] [--epochs 80] [--mape-min-actual 0.05]   (MAPE only over |actual| >= this; useful for PV)
 * Dates are local dates in --time-zone; --train-to and --test-to are inclusive.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bandCoverage, runBacktest } from '../forecasting/backtest.ts';
import { csvArgumentOptions, readCsvArguments, trainingArguments } from './csv-arguments.ts';
import { runForecastCommand, UsageError } from './forecast-command.ts';
import { weeklyNaiveScale } from '../forecasting/forecast-scores.ts';
import { LocalCalendar } from '../forecasting/local-calendar.ts';
import { featureSetFor, saveModelFile, toModelFile } from '../forecasting/model-file.ts';
import { SeasonalNaiveForecaster } from '../forecasting/seasonal-naive.ts';
import { forecastPlotSvg } from '../forecasting/svg-plot.ts';
import { trainWithProgress } from '../forecasting/train-with-progress.ts';

const DAY_MS = 86_400_000;

function main(): void {
  const { values: args } = parseArgs({
    options: {
      ...csvArgumentOptions,
      'train-from': { type: 'string' },
      'train-to': { type: 'string' },
      'test-from': { type: 'string' },
      'test-to': { type: 'string' },
      'plot-week': { type: 'string' },
      plot: { type: 'string' },
      'save-model': { type: 'string' },
      'mape-min-actual': { type: 'string' },
    },
  });
  for (const required of ['csv', 'train-from', 'train-to', 'test-from', 'test-to'] as const) {
    if (!args[required]) throw new UsageError(`--${required} is required`);
  }
  if (args.kind !== 'load' && args.kind !== 'pv') throw new UsageError(`--kind must be load or pv, not ${args.kind}`);
  if (Boolean(args['plot-week']) !== Boolean(args.plot)) throw new UsageError('--plot-week and --plot go together');

  const calendar = new LocalCalendar(args['time-zone']);
  const date = (name: 'train-from' | 'train-to' | 'test-from' | 'test-to', endOfDay: boolean) =>
    calendar.localDateToUtcMs(args[name] as string) + (endOfDay ? DAY_MS : 0);
  const train = {
    fromMs: date('train-from', false),
    toMs: calendar.dayStartMs(date('train-to', true) + 2 * 3_600_000),
  };
  const test = { fromMs: date('test-from', false), toMs: calendar.dayStartMs(date('test-to', true) + 2 * 3_600_000) };

  const loaded = readCsvArguments(args);
  const { series, columns } = loaded;
  console.log(
    `data: ${args.csv}: ${loaded.rows} rows every ${loaded.inputStepMs / 60_000} min -> hourly; value=${columns.value}` +
      ` temperature=${columns.temperature ?? 'none'} holiday=${columns.holiday ?? 'none'}; time zone ${args['time-zone']}`,
  );
  const useTemperature = columns.temperature !== null;
  const features = featureSetFor(args.kind, { timeZone: args['time-zone'], useTemperature });
  const { forecaster, report, options: training } = trainWithProgress(series, features, train, trainingArguments(args));
  console.log(
    `trained ${forecaster.name}: ${report.rows} rows, ${training.seeds.length} seed(s) x ${training.epochs} epochs, hidden ${training.hiddenLayers.join('x')}, ` +
      `${(report.cpuMs / 1000).toFixed(1)} CPU-s; validation (${iso(report.validationWindow.fromMs)}..${iso(report.validationWindow.toMs)}) ` +
      `MAPE ${report.validation.model.mapePct.toFixed(2)} % vs seasonal naive ${report.validation.seasonalNaive.mapePct.toFixed(2)} %`,
  );
  if (args['save-model']) {
    saveModelFile(args['save-model'], toModelFile(forecaster, report, training, Date.now()));
    console.log(`model saved to ${args['save-model']}`);
  }

  const persistence = SeasonalNaiveForecaster.persistence(args['time-zone']);
  const weekly = SeasonalNaiveForecaster.weekly(args['time-zone']);
  const maseScale = weeklyNaiveScale(series, train.fromMs, train.toMs);
  const result = runBacktest(series, [forecaster, persistence, weekly], {
    testFromMs: test.fromMs,
    testToMs: test.toMs,
    timeZone: args['time-zone'],
    maseScale,
    mapeMinActual: args['mape-min-actual'] ? Number(args['mape-min-actual']) : 0,
  });
  console.log(
    `\nday-ahead backtest, issued at local midnight for the next 24 h, ${result.days.length} days ${args['test-from']}..${args['test-to']} (${result.skippedDays.length} skipped)`,
  );
  for (const skipped of result.skippedDays.slice(0, 5))
    console.log(`  skipped ${iso(skipped.originMs)}: ${skipped.reason}`);
  console.log(`${'forecaster'.padEnd(28)} ${'MAPE %'.padStart(8)} ${'MASE'.padStart(7)} ${'RMSE'.padStart(10)}`);
  for (const { forecaster: name, scores } of result.scores) {
    console.log(
      `${name.padEnd(28)} ${scores.mapePct.toFixed(2).padStart(8)} ${scores.mase.toFixed(3).padStart(7)} ${scores.rmse.toFixed(2).padStart(10)}`,
    );
  }
  const neuralMape = result.scores[0]?.scores.mapePct ?? Number.NaN;
  const naiveMape = result.scores[2]?.scores.mapePct ?? Number.NaN;
  console.log(`neural vs weekly seasonal naive: ${(100 * (1 - neuralMape / naiveMape)).toFixed(1)} % lower MAPE`);
  console.log(
    `P10..P90 band coverage of the neural model: ${(100 * bandCoverage(result, forecaster.name)).toFixed(1)} % (80 % is calibrated)`,
  );

  if (args['plot-week'] && args.plot) {
    const weekStart = calendar.localDateToUtcMs(args['plot-week']);
    const week = result.days.filter((d) => d.originMs >= weekStart && d.originMs < weekStart + 7 * DAY_MS);
    if (week.length === 0) throw new UsageError(`--plot-week ${args['plot-week']} is not inside the test window`);
    const pick = (name: string, band: 'p50' | 'p10' | 'p90') => week.flatMap((d) => d.forecasts[name]?.[band] ?? []);
    const svg = forecastPlotSvg({
      title: `${columns.value}: day-ahead forecasts vs actual, week of ${args['plot-week']}`,
      unit: columns.value,
      timesMs: week.flatMap((d) => d.actual.map((_, h) => d.originMs + h * 3_600_000)),
      lines: [
        { name: 'actual', values: week.flatMap((d) => d.actual), color: '#222' },
        { name: forecaster.name, values: pick(forecaster.name, 'p50'), color: '#1f6fc5' },
        { name: weekly.name, values: pick(weekly.name, 'p50'), color: '#d9822b', dashed: true },
      ],
      band: {
        name: `${forecaster.name} P10..P90`,
        low: pick(forecaster.name, 'p10'),
        high: pick(forecaster.name, 'p90'),
      },
      formatTime: (ms) => new Date(ms + calendar.offsetMs(ms)).toISOString().slice(0, 10),
    });
    writeFileSync(args.plot, svg);
    console.log(`plot written to ${args.plot}`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

runForecastCommand('backtest', main);
