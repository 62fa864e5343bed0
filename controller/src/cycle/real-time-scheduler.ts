import type { Scheduler, TimerHandle } from './scheduler.ts';

/** The wall clock, for production. */
export class RealTimeScheduler implements Scheduler {
  now(): number {
    return Date.now();
  }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return setTimeout(callback, delayMs);
  }
  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}
