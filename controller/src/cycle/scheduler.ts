/**
 * Where the controller gets its time from. Everything time-dependent (the cycle tick, read deadlines, XState delays,
 * setpoint expiry) goes through one Scheduler, so a test can run the whole controller on a clock it moves by hand.
 * It satisfies XState's `Clock` (setTimeout/clearTimeout) and the devices' `SimClock` (now()).
 */
export interface Scheduler {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** An opaque handle; only the scheduler that issued it understands it. */
export type TimerHandle = unknown;
