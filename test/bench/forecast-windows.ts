/**
 * The forecaster on many test windows the evaluation suite does not contain (issue 12): short histories cut from the
 * vendored series at regular strides through the seasons, each trained on its window and tested on the 14 days right
 * after it, calendar only, as a new site would start. Where forecast-suite shows eight chosen cases, this shows how
 * the choice on validation and the P10-P90 band hold on dozens: how often the net (or a blend) is chosen, how the
 * chosen model compares with weekly seasonal naive, and the spread of the bands' coverage around 80 %.
 *
 *   node --import tsx test/bench/forecast-windows.ts [--only pjm-10wk,vic-10wk,...] [--seeds 1,2] [--epochs 80]
 *
 * Data: devices/data/README.md (vic_elec) and controller/data/README.md (PJM East). About 10 minutes on 2 cores.
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bandCoverage, runBacktest } from '@gridcoop/controller/forecasting/backtest';
import { readCsvFile, type CsvReadOptions } from '@gridcoop/controller/forecasting/csv-series';
import { weeklyNaiveScale } from '@gridcoop/controller/forecasting/forecast-scores';
import { LoadFeatures } from '@gridcoop/controller/forecasting/load-features';
import { LocalCalendar } from '@gridcoop/controller/forecasting/local-calendar';
import { TrainingError, trainNeuralForecaster } from '@gridcoop/controller/forecasting/neural-training';
import { SeasonalNaiveForecaster } from '@gridcoop/controller/forecasting/seasonal-naive';
import { benchArgs } from './bench-args.ts';
import { printMarkdownTable } from './markdown-table.ts';

const DAY_MS = 86_400_000;
const TEST_DAYS = 14;
const path = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

interface Group {
  name: string;
  file: string;
  timeZone: string;
  read: CsvReadOptions;
  /** First and last local dates any window may use (training and test). */
  span: [string, string];
  trainingDays: number;
  strideDays: number;
}

const NEW_YORK = 'America/New_York';
const MELBOURNE = 'Australia/Melbourne';
const groups: Group[] = [
  {
    name: 'pjm-10wk-hourly',
    file: path('controller/data/demand/pjm_east_2016_2018.csv.gz'),
    timeZone: NEW_YORK,
    read: { localTimeZone: NEW_YORK },
    span: ['2016-08-20', '2018-07-31'],
    trainingDays: 70,
    strideDays: 37,
  },
  {
    name: 'pjm-5wk-hourly',
    file: path('controller/data/demand/pjm_east_2016_2018.csv.gz'),
    timeZone: NEW_YORK,
    read: { localTimeZone: NEW_YORK },
    span: ['2016-09-10', '2018-07-31'],
    trainingDays: 35,
    strideDays: 71,
  },
  {
    name: 'vic-10wk-30min',
    file: path('devices/data/vic_elec.csv.gz'),
    timeZone: MELBOURNE,
    read: {},
    span: ['2012-01-20', '2014-12-31'],
    trainingDays: 70,
    strideDays: 41,
  },
];

const args = benchArgs(
  'forecast-windows',
  'usage: npm run bench -- forecast-windows [--only name,...] [--seeds 1,2] [--epochs 80]\n' +
    `groups: ${groups.map((g) => g.name).join(', ')}`,
  {
    only: { type: 'string' },
    seeds: { type: 'string', default: '1,2' },
    epochs: { type: 'string', default: '80' },
  },
);
const only = args.only ? args.only.split(',') : null;
const unknown = only?.find((name) => !groups.some((g) => g.name === name));
if (unknown) {
  console.error(`--only: no group named ${unknown} (groups: ${groups.map((g) => g.name).join(', ')})`);
  process.exit(2);
}
const training = { seeds: args.seeds.split(',').map(Number), epochs: Number(args.epochs) };
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ` +
    `training ${training.seeds.length} seed(s) x ${training.epochs} epochs; no temperature; test ${TEST_DAYS} days after each window`,
);

interface WindowResult {
  chosen: string;
  chosenMape: number;
  naiveMape: number;
  coverage: number;
  /** The P10-P90 coverage of weekly naive's own band: what the controller plans on before its first model. */
  naiveCoverage: number;
}

const summary: string[][] = [];
for (const group of groups) {
  if (only && !only.includes(group.name)) continue;
  const calendar = new LocalCalendar(group.timeZone);
  const { series } = readCsvFile(group.file, { temperature: null }, group.read);
  const day = (ms: number, days: number) => calendar.dayStartMs(ms + days * DAY_MS + 2 * 3_600_000);
  const lastMs = calendar.localDateToUtcMs(group.span[1]);
  const results: WindowResult[] = [];
  // The features look back two weeks before the first training row.
  for (
    let fromMs = day(calendar.localDateToUtcMs(group.span[0]), 15);
    day(fromMs, group.trainingDays + TEST_DAYS) <= lastMs;
    fromMs = day(fromMs, group.strideDays)
  ) {
    const train = { fromMs, toMs: day(fromMs, group.trainingDays) };
    const test = { fromMs: train.toMs, toMs: day(train.toMs, TEST_DAYS) };
    let trained: ReturnType<typeof trainNeuralForecaster>;
    try {
      trained = trainNeuralForecaster(
        series,
        new LoadFeatures({ timeZone: group.timeZone, useTemperature: false }),
        train,
        training,
      );
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      console.log(`  ${new Date(fromMs).toISOString().slice(0, 10)}: not trained: ${error.message}`);
      continue;
    }
    const chosen = trained.forecaster.chosen();
    const weekly = SeasonalNaiveForecaster.weekly(group.timeZone);
    const result = runBacktest(series, [chosen, weekly], {
      testFromMs: test.fromMs,
      testToMs: test.toMs,
      timeZone: group.timeZone,
      maseScale: weeklyNaiveScale(series, train.fromMs, train.toMs),
    });
    const window: WindowResult = {
      chosen: chosen.name.replace(/^chosen\((.*)\)$/, '$1'),
      chosenMape: result.scores[0]?.scores.mapePct ?? Number.NaN,
      naiveMape: result.scores[1]?.scores.mapePct ?? Number.NaN,
      coverage: 100 * bandCoverage(result, chosen.name),
      naiveCoverage: 100 * bandCoverage(result, weekly.name),
    };
    results.push(window);
    console.log(
      `  ${group.name} ${new Date(fromMs).toISOString().slice(0, 10)}: ${window.chosen}, MAPE ${window.chosenMape.toFixed(2)} vs weekly naive ${window.naiveMape.toFixed(2)} %, P10-P90 ${window.coverage.toFixed(1)} % (weekly naive's ${window.naiveCoverage.toFixed(1)} %)${result.skippedDays.length ? `, ${result.skippedDays.length} test day(s) skipped` : ''}`,
    );
  }
  const sortedCoverage = results.map((r) => r.coverage).sort((a, b) => a - b);
  const ratios = results.map((r) => r.chosenMape / r.naiveMape);
  const withNet = results.filter((r) => r.chosen !== 'weekly naive');
  const pick = (p: number) =>
    sortedCoverage[Math.min(sortedCoverage.length - 1, Math.floor(p * sortedCoverage.length))];
  summary.push([
    group.name,
    `${group.trainingDays} d`,
    String(results.length),
    String(withNet.length),
    withNet.length ? (100 * (1 - median(withNet.map((r) => r.chosenMape / r.naiveMape)))).toFixed(1) : '-',
    (100 * (Math.max(...ratios) - 1)).toFixed(1),
    String(ratios.filter((r) => r > 1.02).length),
    String(sortedCoverage.filter((c) => c >= 75 && c <= 85).length),
    `${(pick(0) ?? Number.NaN).toFixed(1)} / ${median(sortedCoverage).toFixed(1)} / ${(sortedCoverage.at(-1) ?? Number.NaN).toFixed(1)}`,
    String(results.filter((r) => r.naiveCoverage >= 75 && r.naiveCoverage <= 85).length),
  ]);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const header = [
  'windows of',
  'history',
  'windows',
  'net or blend chosen',
  'its median % below naive',
  'chosen worst vs naive %',
  'chosen > 2 % worse',
  'P10-P90 in 75-85 %',
  'P10-P90 min / median / max %',
  "weekly naive's P10-P90 in 75-85 %",
];
printMarkdownTable(header, summary);
console.log(
  `"chosen worst vs naive": the chosen model's MAPE over weekly naive's on its worst window (negative: better everywhere); "weekly naive's P10-P90": the fallback's own band, which the controller plans on until its first model is trained. load after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
