import { CsvError } from '../forecasting/csv-series.ts';
import { CalendarDateError, TimeZoneError } from '../forecasting/local-calendar.ts';
import { TrainingError } from '../forecasting/neural-training.ts';

/** A command line the forecasting commands cannot act on. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a forecasting command: what the user can fix (arguments, unknown flags, the CSV, dates, the time zone, too
 * little data to train) ends with exit code 2 and one line naming it; anything else is a bug and keeps its stack.
 */
export function runForecastCommand(name: string, main: () => void): void {
  try {
    main();
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof CsvError ||
      error instanceof TimeZoneError ||
      error instanceof CalendarDateError ||
      error instanceof TrainingError
    ) {
      console.error(`${name}: ${error.message}`);
      process.exit(2);
    }
    // node:util parseArgs: unknown flags, a flag without its value, a value given to a boolean flag.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${name}: ${(error as Error).message.split('\n')[0]} (see --help)`);
      process.exit(2);
    }
    throw error;
  }
}
