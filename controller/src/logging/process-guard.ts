import type { Logger } from 'pino';

/**
 * Keeps the controller alive through a stray rejection or exception from a library (a socket error event nobody
 * listened to, a late promise after a timeout): it is logged with its stack, counted, and the cycle goes on,
 * because a controller that exits leaves the plant to its reversion timers. Returns a function that removes the
 * handlers again (for tests and clean shutdown).
 */
export function guardProcess(
  logger: Logger,
  onIncident: (kind: 'unhandledRejection' | 'uncaughtException') => void = () => undefined,
): () => void {
  const onRejection = (reason: unknown): void => {
    onIncident('unhandledRejection');
    logger.error({ err: reason }, 'unhandled promise rejection (the controller keeps running)');
  };
  const onException = (error: Error): void => {
    onIncident('uncaughtException');
    logger.error({ err: error }, 'uncaught exception (the controller keeps running)');
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
