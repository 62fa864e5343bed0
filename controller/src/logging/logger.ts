import { pino, type DestinationStream, type Logger } from 'pino';
import { readableLogStream } from './readable-log-stream.ts';

export type { Logger } from 'pino';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** GRIDCOOP_LOG_FORMAT: `json` or `pretty`; unset = pretty on a terminal, JSON otherwise (files, pipes, collectors). */
export const LOG_FORMAT_ENV = 'GRIDCOOP_LOG_FORMAT';

function defaultDestination(): DestinationStream | undefined {
  const format = process.env[LOG_FORMAT_ENV];
  const readable = format === 'pretty' || (format !== 'json' && process.stdout.isTTY === true);
  return readable ? readableLogStream(process.stdout) : undefined;
}

/**
 * The controller's structured log: one JSON object per line (pino), with `service: gridcoop-controller` on every
 * line. Callers add context with child loggers (`{ deviceId }`, `{ cycle }`) rather than text, so logs can be
 * filtered by device or cycle. `destination` lets tests capture the lines. On a terminal the same lines are printed
 * for a person to read (readable-log-stream.ts) unless GRIDCOOP_LOG_FORMAT=json.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'gridcoop-controller' }, timestamp: pino.stdTimeFunctions.isoTime };
  const target = destination ?? defaultDestination();
  return target ? pino(options, target) : pino(options);
}
