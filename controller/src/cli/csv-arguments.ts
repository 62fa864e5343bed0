import { readCsvFile, type LoadedCsv } from '../forecasting/csv-series.ts';
import { UsageError } from './forecast-command.ts';

/** The command-line options both forecasting commands take to read a CSV of (time, value[, temperature][, holiday]). */
export const csvArgumentOptions = {
  csv: { type: 'string' },
  'time-col': { type: 'string' },
  'value-col': { type: 'string' },
  'temp-col': { type: 'string' },
  'holiday-col': { type: 'string' },
  'no-temperature': { type: 'boolean', default: false },
  'time-zone': { type: 'string', default: 'UTC' },
  'local-time': { type: 'boolean', default: false },
  duplicates: { type: 'string', default: 'error' },
  'step-min': { type: 'string' },
  'reject-negative': { type: 'boolean', default: false },
  kind: { type: 'string', default: 'load' },
  seeds: { type: 'string' },
  epochs: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The lines of --help both commands share. */
export const csvArgumentsHelp = `
data:
  --csv FILE[.gz]         CSV with a header: time, value[, temperature][, holiday] (columns guessed, or named:)
  --time-col, --value-col, --temp-col, --holiday-col NAME
  --no-temperature        ignore the temperature column
  --time-zone ZONE        IANA zone of the site (calendar features, dates on the command line); default UTC
  --local-time            times without an offset are local wall-clock times in --time-zone (default: UTC);
                          the repeated autumn DST hour is read in file order (summer time first), rows in the
                          skipped spring hour are dropped; both are reported
  --duplicates error|first|last|mean
                          rows of the same instant with different values: refuse the file (default) or merge;
                          identical repeated rows are always dropped and counted
  --step-min 15|30|60     aggregate to this resolution (default: the data's own; finer than 15 min becomes 15)
  --kind load|pv          load (may be negative: net load behind a PV meter) or pv (never negative)
  --reject-negative       refuse a load series with negative values instead of forecasting them as net load
training:
  --seeds 1,2             one net per seed, averaged (default 1,2)
  --epochs N              training epochs per net (default 80)
  -h, --help              this text`;

export interface CsvArguments {
  csv?: string | undefined;
  'time-col'?: string | undefined;
  'value-col'?: string | undefined;
  'temp-col'?: string | undefined;
  'holiday-col'?: string | undefined;
  'no-temperature'?: boolean | undefined;
  'time-zone'?: string | undefined;
  'local-time'?: boolean | undefined;
  duplicates?: string | undefined;
  'step-min'?: string | undefined;
  'reject-negative'?: boolean | undefined;
  kind?: string | undefined;
}

/**
 * Reads the CSV the arguments name, with the columns they pick (temperature dropped with --no-temperature), and
 * settles what negative values mean: PV cannot be negative; a load can (net load), unless --reject-negative.
 */
export function readCsvArguments(args: CsvArguments): LoadedCsv {
  const duplicates = args.duplicates ?? 'error';
  if (!['error', 'first', 'last', 'mean'].includes(duplicates))
    throw new UsageError(`--duplicates must be error, first, last or mean, not "${duplicates}"`);
  const loaded = readCsvFile(
    args.csv as string,
    {
      ...(args['time-col'] ? { time: args['time-col'] } : {}),
      ...(args['value-col'] ? { value: args['value-col'] } : {}),
      ...(args['temp-col'] ? { temperature: args['temp-col'] } : {}),
      ...(args['holiday-col'] ? { holiday: args['holiday-col'] } : {}),
      ...(args['no-temperature'] ? { temperature: null } : {}),
    },
    {
      ...(args['local-time'] ? { localTimeZone: args['time-zone'] ?? 'UTC' } : {}),
      duplicates: duplicates as 'error' | 'first' | 'last' | 'mean',
      ...(args['step-min'] !== undefined ? { stepMinutes: positiveInteger('step-min', args['step-min']) } : {}),
    },
  );
  const negative = loaded.negative;
  if (negative) {
    const where = `${negative.count} negative value(s), lowest ${negative.lowest} at ${new Date(negative.atMs).toISOString()}`;
    if (args.kind === 'pv') throw new UsageError(`${args.csv}: ${where}: PV output cannot be negative`);
    if (args['reject-negative']) throw new UsageError(`${args.csv}: ${where} (--reject-negative)`);
    loaded.notes.push(
      `${where}: treated as net load (e.g. behind a PV meter) and forecast as such, never clamped to 0`,
    );
  }
  return loaded;
}

/** --seeds 1,2 and --epochs 60, as training options; anything else than whole numbers is a usage error. */
export function trainingArguments(args: { seeds?: string | undefined; epochs?: string | undefined }): {
  seeds?: number[];
  epochs?: number;
} {
  return {
    ...(args.seeds !== undefined
      ? { seeds: args.seeds.split(',').map((seed) => wholeNumber('seeds', seed.trim(), 0)) }
      : {}),
    ...(args.epochs !== undefined ? { epochs: positiveInteger('epochs', args.epochs) } : {}),
  };
}

export function positiveInteger(name: string, text: string): number {
  return wholeNumber(name, text, 1);
}

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min)
    throw new UsageError(`--${name} must be a whole number${min > 0 ? ' of at least 1' : ''}, not "${text}"`);
  return value;
}

/** A finite number, e.g. --mape-min-actual 0.05. */
export function finiteNumber(name: string, text: string, min = Number.NEGATIVE_INFINITY): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min)
    throw new UsageError(
      `--${name} must be a number${min > Number.NEGATIVE_INFINITY ? ` of at least ${min}` : ''}, not "${text}"`,
    );
  return value;
}
