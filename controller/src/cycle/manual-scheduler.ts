import type { Scheduler, TimerHandle } from './scheduler.ts';

interface PendingTimer {
  id: number;
  dueMs: number;
  callback: () => void;
}

/**
 * Time that moves only when a test says so. `advance` fires due timers in time order (ties in the order they were
 * set) and lets promise chains and socket I/O settle between timers, so async actors see each timer as they would
 * in real time. Also usable as the plant's SimClock, so controller and simulated devices share one clock.
 */
export class ManualScheduler implements Scheduler {
  private current: number;
  private nextId = 1;
  private timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2014, 0, 15, 0, 0, 0)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, dueMs: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** How many timers wait to fire. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock back or by ${ms} ms`);
    const targetMs = this.current + ms;
    for (;;) {
      await settle();
      const next = this.nextDue(targetMs);
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.current = next.dueMs;
      next.callback();
    }
    this.current = targetMs;
    await settle();
  }

  private nextDue(limitMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.dueMs > limitMs) continue;
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.id < best.id)) best = timer;
    }
    return best;
  }
}

/** Lets pending promise reactions and already-arrived I/O run (a few macrotask turns). */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
