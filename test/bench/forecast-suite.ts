/**
 * Forecasting evaluation suite (issue 12): the day-ahead load forecaster on public demand series it was never tuned
 * on, at their own resolution, with short and long histories, calendar only (no temperature). For each series:
 * MAPE of the net alone, of the model chosen on the validation window inside training (the net, a blend with
 * weekly seasonal naive, or seasonal naive), of weekly seasonal naive and of persistence, all on the same test
 * days issued at local midnight for the next 24 h, and the P10..P90 coverage of the chosen model.
 *
 *   node --import tsx test/bench/forecast-suite.ts [--only name,name] [--seeds 1,2] [--epochs 80]
 *
 * Data: devices/data/README.md (vic_elec) and controller/data/README.md (Taylor's England & Wales, PJM East).
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bandCoverage, runBacktest } from '@gridcoop/controller/forecasting/backtest';
import { readCsvFile, type CsvReadOptions } from '@gridcoop/controller/forecasting/csv-series';
import { weeklyNaiveScale } from '@gridcoop/controller/forecasting/forecast-scores';
import { LoadFeatures } from '@gridcoop/controller/forecasting/load-features';
import { LocalCalendar } from '@gridcoop/controller/forecasting/local-calendar';
import { trainNeuralForecaster } from '@gridcoop/controller/forecasting/neural-training';
import { SeasonalNaiveForecaster } from '@gridcoop/controller/forecasting/seasonal-naive';
import { benchArgs } from './bench-args.ts';
import { printMarkdownTable } from './markdown-table.ts';

const DAY_MS = 86_400_000;
const path = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

interface Case {
  name: string;
  file: string;
  timeZone: string;
  read: CsvReadOptions;
  train: [string, string];
  test: [string, string];
}

const VIC = path('devices/data/vic_elec.csv.gz');
const TAYLOR = path('controller/data/demand/taylor_england_wales_2000.csv.gz');
const PJME = path('controller/data/demand/pjm_east_2016_2018.csv.gz');
const MELBOURNE = 'Australia/Melbourne';
const NEW_YORK = 'America/New_York';

const cases: Case[] = [
  {
    name: 'vic-10wk-30min',
    file: VIC,
    timeZone: MELBOURNE,
    read: {},
    train: ['2013-06-01', '2013-08-09'],
    test: ['2013-08-10', '2013-08-23'],
  },
  {
    name: 'vic-10wk-summer-30min',
    file: VIC,
    timeZone: MELBOURNE,
    read: {},
    train: ['2013-10-21', '2013-12-29'],
    test: ['2013-12-30', '2014-01-12'],
  },
  {
    name: 'vic-2y-hourly-2014',
    file: VIC,
    timeZone: MELBOURNE,
    read: { stepMinutes: 60 },
    train: ['2012-01-01', '2013-12-31'],
    test: ['2014-01-01', '2014-12-31'],
  },
  {
    name: 'taylor-10wk-30min',
    file: TAYLOR,
    timeZone: 'Europe/London',
    read: {},
    train: ['2000-06-05', '2000-08-13'],
    test: ['2000-08-14', '2000-08-27'],
  },
  {
    name: 'taylor-4wk-hourly',
    file: TAYLOR,
    timeZone: 'Europe/London',
    read: { stepMinutes: 60 },
    train: ['2000-07-17', '2000-08-13'],
    test: ['2000-08-14', '2000-08-27'],
  },
  {
    name: 'pjme-10wk-dst-hourly',
    file: PJME,
    timeZone: NEW_YORK,
    read: { localTimeZone: NEW_YORK },
    train: ['2017-08-28', '2017-11-05'],
    test: ['2017-11-06', '2017-11-19'],
  },
  {
    name: 'pjme-spring-dst-hourly',
    file: PJME,
    timeZone: NEW_YORK,
    read: { localTimeZone: NEW_YORK },
    train: ['2018-01-01', '2018-03-11'],
    test: ['2018-03-12', '2018-03-25'],
  },
  {
    name: 'pjme-2y-hourly',
    file: PJME,
    timeZone: NEW_YORK,
    read: { localTimeZone: NEW_YORK },
    train: ['2016-08-01', '2018-05-31'],
    test: ['2018-06-01', '2018-07-31'],
  },
];

const args = benchArgs(
  'forecast-suite',
  'usage: npm run bench -- forecast-suite [--only name,...] [--seeds 1,2] [--epochs 80]\n' +
    `series: ${cases.map((c) => c.name).join(', ')}`,
  {
    only: { type: 'string' },
    seeds: { type: 'string', default: '1,2' },
    epochs: { type: 'string', default: '80' },
  },
);
const only = args.only ? args.only.split(',') : null;
const unknown = only?.find((name) => !cases.some((c) => c.name === name));
if (unknown) {
  console.error(`forecast-suite: --only: no series named ${unknown} (see --help)`);
  process.exit(2);
}
const training = { seeds: args.seeds.split(',').map(Number), epochs: Number(args.epochs) };
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ` +
    `training ${training.seeds.length} seed(s) x ${training.epochs} epochs, hidden 24; no temperature anywhere`,
);

const rows: string[][] = [];
for (const c of cases) {
  if (only && !only.includes(c.name)) continue;
  const calendar = new LocalCalendar(c.timeZone);
  const { series, notes } = readCsvFile(c.file, { temperature: null }, c.read);
  const from = (date: string) => calendar.localDateToUtcMs(date);
  const to = (date: string) => calendar.dayStartMs(from(date) + DAY_MS + 2 * 3_600_000);
  const train = { fromMs: from(c.train[0]), toMs: to(c.train[1]) };
  const test = { fromMs: from(c.test[0]), toMs: to(c.test[1]) };
  const features = new LoadFeatures({ timeZone: c.timeZone, useTemperature: false });
  const { forecaster, report } = trainNeuralForecaster(series, features, train, training);
  const chosen = forecaster.chosen();
  const weekly = SeasonalNaiveForecaster.weekly(c.timeZone);
  const persistence = SeasonalNaiveForecaster.persistence(c.timeZone);
  const result = runBacktest(series, [forecaster, chosen, weekly, persistence], {
    testFromMs: test.fromMs,
    testToMs: test.toMs,
    timeZone: c.timeZone,
    maseScale: weeklyNaiveScale(series, train.fromMs, train.toMs),
  });
  const mape = (i: number) => result.scores[i]?.scores.mapePct ?? Number.NaN;
  const row = [
    c.name,
    `${series.stepMs / 60_000} min`,
    `${Math.round((train.toMs - train.fromMs) / DAY_MS)} d`,
    `${result.days.length}${result.skippedDays.length ? `+${result.skippedDays.length} skipped` : ''}`,
    mape(0).toFixed(2),
    mape(1).toFixed(2),
    mape(2).toFixed(2),
    mape(3).toFixed(2),
    chosen.name.replace(/^chosen\((.*)\)$/, '$1'),
    (100 * (1 - mape(1) / mape(2))).toFixed(1),
    (100 * bandCoverage(result, chosen.name)).toFixed(1),
    (report.cpuMs / 1000).toFixed(1),
  ];
  rows.push(row);
  console.log(`${c.name}: ${report.selection.summary}`);
  for (const note of notes) console.log(`  note: ${note}`);
  for (const skipped of result.skippedDays.slice(0, 3))
    console.log(`  skipped ${new Date(skipped.originMs).toISOString()}: ${skipped.reason}`);
}

const header = [
  'series',
  'step',
  'history',
  'test days',
  'net %',
  'chosen %',
  'weekly naive %',
  'persistence %',
  'chosen',
  'chosen vs naive %',
  'P10-P90 cover %',
  'train CPU-s',
];
printMarkdownTable(header, rows);
console.log(
  `load after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
