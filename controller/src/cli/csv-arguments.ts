import { readCsvFile } from '../forecasting/csv-series.ts';

/** The command-line options both forecasting commands take to read a CSV of (time, value[, temperature][, holiday]). */
export const csvArgumentOptions = {
  csv: { type: 'string' },
  'time-col': { type: 'string' },
  'value-col': { type: 'string' },
  'temp-col': { type: 'string' },
  'holiday-col': { type: 'string' },
  'no-temperature': { type: 'boolean', default: false },
  'time-zone': { type: 'string', default: 'UTC' },
  kind: { type: 'string', default: 'load' },
  seeds: { type: 'string' },
  epochs: { type: 'string' },
} as const;

export interface CsvArguments {
  csv?: string | undefined;
  'time-col'?: string | undefined;
  'value-col'?: string | undefined;
  'temp-col'?: string | undefined;
  'holiday-col'?: string | undefined;
  'no-temperature'?: boolean | undefined;
}

/** Reads the CSV the arguments name, with the columns they pick (temperature dropped with --no-temperature). */
export function readCsvArguments(args: CsvArguments): ReturnType<typeof readCsvFile> {
  return readCsvFile(args.csv as string, {
    ...(args['time-col'] ? { time: args['time-col'] } : {}),
    ...(args['value-col'] ? { value: args['value-col'] } : {}),
    ...(args['temp-col'] ? { temperature: args['temp-col'] } : {}),
    ...(args['holiday-col'] ? { holiday: args['holiday-col'] } : {}),
    ...(args['no-temperature'] ? { temperature: null } : {}),
  });
}

/** --seeds 1,2 and --epochs 60, as training options. */
export function trainingArguments(args: { seeds?: string | undefined; epochs?: string | undefined }): {
  seeds?: number[];
  epochs?: number;
} {
  return {
    ...(args.seeds ? { seeds: args.seeds.split(',').map(Number) } : {}),
    ...(args.epochs ? { epochs: Number(args.epochs) } : {}),
  };
}
