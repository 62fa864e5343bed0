/**
 * Day-ahead backtest of the neural forecaster, and of the model its validation chose, against persistence and weekly
 * seasonal naive on any CSV. `npm run backtest -- --help` prints the options.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bandCoverage, runBacktest, type BacktestResult } from '../forecasting/backtest.ts';
import { weeklyNaiveScale } from '../forecasting/forecast-scores.ts';
import { describeTemperatureError, withForecastTemperature } from '../forecasting/forecast-temperature.ts';
import type { Forecaster } from '../forecasting/forecaster.ts';
import type { HourlySeries } from '../forecasting/hourly-series.ts';
import { LocalCalendar } from '../forecasting/local-calendar.ts';
import { featureSetFor, saveModelFile, toModelFile } from '../forecasting/model-file.ts';
import { mixUsed } from '../forecasting/neural-forecaster.ts';
import { SeasonalNaiveForecaster } from '../forecasting/seasonal-naive.ts';
import { forecastPlotSvg } from '../forecasting/svg-plot.ts';
import { trainWithProgress } from '../forecasting/train-with-progress.ts';
import {
  csvArgumentOptions,
  csvArgumentsHelp,
  finiteNumber,
  positiveInteger,
  readCsvArguments,
  trainingArguments,
} from './csv-arguments.ts';
import { runForecastCommand, UsageError } from './forecast-command.ts';

const DAY_MS = 86_400_000;

const usage = `usage: npm run backtest -- --csv FILE --train-from DATE --train-to DATE --test-from DATE --test-to DATE [options]

Trains on [--train-from, --train-to] (its last fifth, at most 56 days, is the validation window that chooses
between the net, blends with weekly seasonal naive and seasonal naive alone), then issues a day-ahead forecast at
every local midnight of [--test-from, --test-to] and scores the net, the chosen model, persistence and weekly
seasonal naive on the same days at the data's own resolution. Dates are local dates (YYYY-MM-DD) in --time-zone,
both ends inclusive; the test window must start after training ends.
${csvArgumentsHelp}
backtest:
  --mape-min-actual X     MAPE only over |actual| >= X (PV: e.g. 5 % of capacity)
  --temperature-error-sd C  also score with forecast temperature: observed + AR(1) error of this sd in °C
  --temperature-error-corr R  hour-to-hour correlation of that error (default 0.9)
  --temperature-error-seeds N  average over N error paths (default 5)
  --save-model FILE       save the trained model (what the controller loads)
  --plot-week DATE --plot FILE.svg   plot one test week`;

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
      'temperature-error-sd': { type: 'string' },
      'temperature-error-corr': { type: 'string' },
      'temperature-error-seeds': { type: 'string' },
    },
  });
  if (args.help) {
    console.log(usage);
    return;
  }
  for (const required of ['csv', 'train-from', 'train-to', 'test-from', 'test-to'] as const) {
    if (!args[required]) throw new UsageError(`--${required} is required (see --help)`);
  }
  if (args.kind !== 'load' && args.kind !== 'pv') throw new UsageError(`--kind must be load or pv, not ${args.kind}`);
  if (Boolean(args['plot-week']) !== Boolean(args.plot)) throw new UsageError('--plot-week and --plot go together');
  const training = trainingArguments(args);
  const mapeMinActual =
    args['mape-min-actual'] === undefined ? 0 : finiteNumber('mape-min-actual', args['mape-min-actual'], 0);
  const temperatureError =
    args['temperature-error-sd'] === undefined
      ? null
      : {
          sdC: finiteNumber('temperature-error-sd', args['temperature-error-sd'], 0),
          hourlyCorrelation:
            args['temperature-error-corr'] === undefined
              ? 0.9
              : finiteNumber('temperature-error-corr', args['temperature-error-corr'], 0),
          seeds:
            args['temperature-error-seeds'] === undefined
              ? 5
              : positiveInteger('temperature-error-seeds', args['temperature-error-seeds']),
        };
  if (temperatureError && temperatureError.hourlyCorrelation >= 1)
    throw new UsageError('--temperature-error-corr must be below 1');

  const calendar = new LocalCalendar(args['time-zone']);
  const dayStart = (name: 'train-from' | 'test-from') => calendar.localDateToUtcMs(args[name] as string);
  // An inclusive last date ends at the next local midnight (+2 h finds it across a 23-hour DST day).
  const dayEnd = (name: 'train-to' | 'test-to') =>
    calendar.dayStartMs(calendar.localDateToUtcMs(args[name] as string) + DAY_MS + 2 * 3_600_000);
  const train = { fromMs: dayStart('train-from'), toMs: dayEnd('train-to') };
  const test = { fromMs: dayStart('test-from'), toMs: dayEnd('test-to') };
  if (train.toMs <= train.fromMs)
    throw new UsageError(`--train-to ${args['train-to']} is before --train-from ${args['train-from']}`);
  if (test.toMs <= test.fromMs)
    throw new UsageError(`--test-to ${args['test-to']} is before --test-from ${args['test-from']}`);
  if (test.fromMs < train.toMs)
    throw new UsageError(
      `the test window (from ${args['test-from']}) overlaps training (to ${args['train-to']}): scores on days the model trained on mean nothing; start the test after --train-to`,
    );

  const loaded = readCsvArguments(args);
  const { series, columns } = loaded;
  const dataRange = `${localDate(calendar, series.startMs)}..${localDate(calendar, series.endMs - 1)}`;
  if (test.fromMs >= series.endMs || test.toMs <= series.startMs)
    throw new UsageError(`the test window ${args['test-from']}..${args['test-to']} is outside the data (${dataRange})`);
  if (train.fromMs >= series.endMs || train.toMs <= series.startMs)
    throw new UsageError(
      `the training window ${args['train-from']}..${args['train-to']} is outside the data (${dataRange})`,
    );
  const stepMin = series.stepMs / 60_000;
  console.log(
    `data: ${args.csv}: ${loaded.rows} rows every ${loaded.inputStepMs / 60_000} min -> ${stepMin}-min steps; value=${columns.value}` +
      ` temperature=${columns.temperature ?? 'none'} holiday=${columns.holiday ?? 'none'}; time zone ${args['time-zone']}; data ${dataRange}`,
  );
  for (const note of loaded.notes) console.log(`  note: ${note}`);
  if (test.toMs > series.endMs)
    console.log(
      `  note: the test window ends after the data: days after ${localDate(calendar, series.endMs - 1)} are not scored`,
    );
  if (train.fromMs < series.startMs)
    console.log(`  note: training starts before the data: it uses ${localDate(calendar, series.startMs)} on`);

  const useTemperature = columns.temperature !== null;
  const features = featureSetFor(args.kind, { timeZone: args['time-zone'], useTemperature });
  const trained = trainWithProgress(series, features, train, training);
  const { forecaster, report, options } = trained;
  console.log(
    `trained ${forecaster.name}: ${report.rows} rows, ${options.seeds.length} seed(s) x ${options.epochs} epochs, hidden ${options.hiddenLayers.join('x')}, ` +
      `${(report.cpuMs / 1000).toFixed(1)} CPU-s; time of year ${report.annualCycle ? 'used (a year of history or more)' : 'not used (under a year of history)'}`,
  );
  console.log(
    `model selection on validation ${localDate(calendar, report.validationWindow.fromMs)}..${localDate(calendar, report.validationWindow.toMs - 1)} (inside training): ${report.selection.summary}`,
  );
  if (args['save-model']) {
    saveModelFile(args['save-model'], toModelFile(forecaster, report, options, Date.now()));
    console.log(`model saved to ${args['save-model']}`);
  }

  const chosen = forecaster.chosen();
  const persistence = SeasonalNaiveForecaster.persistence(args['time-zone']);
  const weekly = SeasonalNaiveForecaster.weekly(args['time-zone']);
  const backtestOptions = {
    testFromMs: test.fromMs,
    testToMs: test.toMs,
    timeZone: args['time-zone'],
    maseScale: weeklyNaiveScale(series, train.fromMs, train.toMs),
    mapeMinActual,
  };
  forecaster.guardedInputs = 0;
  const result = runBacktest(series, [forecaster, chosen, persistence, weekly], backtestOptions);
  if (result.days.length === 0) {
    throw new UsageError(
      `no day of the test window could be scored${result.skippedDays[0] ? ` (${iso(result.skippedDays[0].originMs)}: ${result.skippedDays[0].reason})` : ''}`,
    );
  }
  const perfect = useTemperature ? ' (observed temperature of the forecast day: a perfect weather forecast)' : '';
  console.log(
    `\nday-ahead backtest, issued at local midnight for the next 24 h in ${stepMin}-min steps, ${result.days.length} days ${args['test-from']}..${args['test-to']} (${result.skippedDays.length} skipped)${perfect}`,
  );
  for (const skipped of result.skippedDays.slice(0, 5))
    console.log(`  skipped ${iso(skipped.originMs)}: ${skipped.reason}`);
  if (forecaster.guardedInputs > 0)
    console.log(
      `  note: ${forecaster.guardedInputs} net input(s) lay outside their training range and were clamped by the guard`,
    );
  printScores(result);
  const mape = (name: string) => result.scores.find((s) => s.forecaster === name)?.scores.mapePct ?? Number.NaN;
  const naiveMape = mape(weekly.name);
  console.log(`${chosen.name} vs weekly seasonal naive: ${relative(mape(chosen.name), naiveMape)}`);
  console.log(
    `${chosen.name} chooses its mix again at each origin on the days before it: ${mixesUsed(result, chosen.name)}`,
  );
  console.log(`net alone vs weekly seasonal naive: ${relative(mape(forecaster.name), naiveMape)}`);
  console.log(
    `P10..P90 band coverage (80 % is calibrated): ${chosen.name} ${pct(bandCoverage(result, chosen.name))}, net ${pct(bandCoverage(result, forecaster.name))}`,
  );
  if (mapeMinActual > 0)
    console.log(
      `P10..P90 band coverage of the steps MAPE counts (|actual| >= ${mapeMinActual}): ${chosen.name} ${pct(bandCoverage(result, chosen.name, mapeMinActual))}, net ${pct(bandCoverage(result, forecaster.name, mapeMinActual))}`,
    );

  if (temperatureError && useTemperature) {
    console.log(
      `\nwith forecast temperature: ${describeTemperatureError(temperatureError)}, ${temperatureError.seeds} seeds`,
    );
    const runs: { net: number; chosen: number; coverage: number }[] = [];
    for (let seed = 1; seed <= temperatureError.seeds; seed++) {
      const model = { ...temperatureError, seed };
      const noisyNet: Forecaster = withForecastTemperature(forecaster, model);
      const noisyChosen: Forecaster = withForecastTemperature(chosen, model);
      const noisy = runBacktest(series, [noisyNet, noisyChosen], backtestOptions);
      runs.push({
        net: noisy.scores[0]?.scores.mapePct ?? Number.NaN,
        chosen: noisy.scores[1]?.scores.mapePct ?? Number.NaN,
        coverage: bandCoverage(noisy, chosen.name),
      });
      console.log(
        `  seed ${seed}: MAPE net ${runs.at(-1)?.net.toFixed(2)} %, ${chosen.name} ${runs.at(-1)?.chosen.toFixed(2)} %, coverage ${pct(runs.at(-1)?.coverage ?? Number.NaN)} (${noisy.days.length} days)`,
      );
    }
    const average = (pick: (r: (typeof runs)[number]) => number) => runs.reduce((a, r) => a + pick(r), 0) / runs.length;
    console.log(
      `  mean over ${runs.length} seeds: MAPE net ${average((r) => r.net).toFixed(2)} %, ${chosen.name} ${average((r) => r.chosen).toFixed(2)} % (weekly naive ${naiveMape.toFixed(2)} %), coverage ${pct(average((r) => r.coverage))}`,
    );
  } else if (temperatureError) {
    console.log('\n--temperature-error-sd: the data has no temperature column; nothing to simulate');
  }

  if (args['plot-week'] && args.plot)
    plotWeek(
      args['plot-week'],
      args.plot,
      result,
      calendar,
      series,
      columns.value,
      forecaster.name,
      chosen.name,
      weekly.name,
    );
}

function printScores(result: BacktestResult): void {
  console.log(`${'forecaster'.padEnd(34)} ${'MAPE %'.padStart(8)} ${'MASE'.padStart(7)} ${'RMSE'.padStart(10)}`);
  for (const { forecaster: name, scores } of result.scores) {
    console.log(
      `${name.padEnd(34)} ${scores.mapePct.toFixed(2).padStart(8)} ${scores.mase.toFixed(3).padStart(7)} ${scores.rmse.toFixed(2).padStart(10)}`,
    );
  }
}

function plotWeek(
  weekDate: string,
  path: string,
  result: BacktestResult,
  calendar: LocalCalendar,
  series: HourlySeries,
  unit: string,
  net: string,
  chosen: string,
  weekly: string,
): void {
  const weekStart = calendar.localDateToUtcMs(weekDate);
  const week = result.days.filter((d) => d.originMs >= weekStart && d.originMs < weekStart + 7 * DAY_MS);
  if (week.length === 0) throw new UsageError(`--plot-week ${weekDate} is not inside the test window`);
  const pick = (name: string, band: 'p50' | 'p10' | 'p90') => week.flatMap((d) => d.forecasts[name]?.[band] ?? []);
  const svg = forecastPlotSvg({
    title: `${unit}: day-ahead forecasts vs actual, week of ${weekDate}`,
    unit,
    timesMs: week.flatMap((d) => d.actual.map((_, h) => d.originMs + h * series.stepMs)),
    lines: [
      { name: 'actual', values: week.flatMap((d) => d.actual), color: '#222' },
      { name: net, values: pick(net, 'p50'), color: '#1f6fc5' },
      { name: chosen, values: pick(chosen, 'p50'), color: '#2a9d4b' },
      { name: weekly, values: pick(weekly, 'p50'), color: '#d9822b', dashed: true },
    ],
    band: { name: `${chosen} P10..P90`, low: pick(chosen, 'p10'), high: pick(chosen, 'p90') },
    formatTime: (ms) => new Date(ms + calendar.offsetMs(ms)).toISOString().slice(0, 10),
  });
  writeFileSync(path, svg);
  console.log(`plot written to ${path}`);
}

function relative(model: number, naive: number): string {
  const change = 100 * (1 - model / naive);
  return change >= 0
    ? `${change.toFixed(1)} % lower MAPE`
    : `${(-change).toFixed(1)} % HIGHER MAPE (worse than the naive)`;
}

function pct(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}

function localDate(calendar: LocalCalendar, ms: number): string {
  return new Date(ms + calendar.offsetMs(ms)).toISOString().slice(0, 10);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

runForecastCommand('backtest', main);

/** How many issued days the chosen model forecast with each mix ("net 300 days, blend 75 % net 65 days"). */
function mixesUsed(result: BacktestResult, chosen: string): string {
  const counts = new Map<string, number>();
  for (const day of result.days) {
    const forecast = day.forecasts[chosen];
    if (!forecast) continue;
    const mix = mixUsed(forecast);
    counts.set(mix, (counts.get(mix) ?? 0) + 1);
  }
  return [...counts].map(([mix, days]) => `${mix} ${days} day${days === 1 ? '' : 's'}`).join(', ');
}
