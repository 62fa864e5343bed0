import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The controller's structured log: one JSON object per line (pino), with `service: gridcoop-controller` on every
 * line. Callers add context with child loggers (`{ deviceId }`, `{ cycle }`) rather than text, so logs can be
 * filtered by device or cycle. `destination` lets tests capture the lines.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'gridcoop-controller' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
