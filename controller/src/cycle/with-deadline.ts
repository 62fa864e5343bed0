import { DeviceError } from '../natures/index.ts';
import type { Scheduler } from './scheduler.ts';

/**
 * Races one device exchange against a deadline on the scheduler's clock. A device that does not answer in time
 * gets a `timeout` DeviceError naming it and what was attempted; its late answer (or late failure) is dropped, so a
 * stale device never holds up the cycle.
 */
export function withDeadline<T>(
  work: () => Promise<T>,
  deadlineMs: number,
  scheduler: Scheduler,
  context: { deviceId: string; action: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = scheduler.setTimeout(() => {
      if (settled) return;
      settled = true;
      reject(new DeviceError(context.deviceId, 'timeout', `${context.action} took longer than ${deadlineMs} ms`));
    }, deadlineMs);
    let pending: Promise<T>;
    try {
      pending = work();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        if (settled) return;
        settled = true;
        scheduler.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        scheduler.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
