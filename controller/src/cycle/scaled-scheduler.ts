import type { Scheduler, TimerHandle } from './scheduler.ts';

/** Where a sped-up clock starts: simulated `simStartMs` is real `realStartMs`, and it runs `speed` times real time. */
export interface ScaledTime {
  /** Epoch ms of simulated time at the anchor. */
  simStartMs: number;
  /** Epoch ms of the wall clock (Date.now()) at the anchor. */
  realStartMs: number;
  /** Simulated ms per real ms; 60 runs a simulated hour per real minute. */
  speed: number;
}

/** A scaled clock that cannot work: a speed that is not a positive finite number, or a start that is no epoch time. */
export class ScaledTimeError extends Error {
  override readonly name = 'ScaledTimeError';
  constructor(
    readonly field: keyof ScaledTime,
    readonly value: number,
    reason: string,
  ) {
    super(`scaled clock: ${field} ${value} ${reason}`);
  }
}

interface ScaledTimer {
  realTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * Real time sped up, anchored to the wall clock: simulated now = simStartMs + (Date.now() - realStartMs) x speed.
 * Because the anchor is the wall clock (which every process on a machine shares) and not the moment this object was
 * made, a controller in another process given the same (simStartMs, realStartMs, speed) reads the same simulated
 * time as the plant, so its samples, reversion refreshes and interval boundaries line up with the devices' physics.
 *
 * A timer of `delayMs` simulated fires after delayMs / speed real ms. Node's timers run on a monotonic clock and may
 * fire a fraction of a millisecond before Date.now() says the time has come; a timer that wakes early sleeps the rest,
 * so a callback never sees now() before the time it was due (code that schedules "at the boundary" relies on it).
 */
export class ScaledScheduler implements Scheduler {
  readonly simStartMs: number;
  readonly realStartMs: number;
  readonly speed: number;

  constructor(
    time: ScaledTime,
    private readonly wallClock: () => number = Date.now,
  ) {
    if (!(Number.isFinite(time.speed) && time.speed > 0))
      throw new ScaledTimeError('speed', time.speed, 'must be a positive finite number');
    if (!Number.isFinite(time.simStartMs)) throw new ScaledTimeError('simStartMs', time.simStartMs, 'is not a time');
    if (!Number.isFinite(time.realStartMs)) throw new ScaledTimeError('realStartMs', time.realStartMs, 'is not a time');
    this.simStartMs = time.simStartMs;
    this.realStartMs = time.realStartMs;
    this.speed = time.speed;
  }

  /** A scheduler whose simulated time starts at `simStartMs` now. */
  static startingAt(simStartMs: number, speed: number, wallClock: () => number = Date.now): ScaledScheduler {
    return new ScaledScheduler({ simStartMs, realStartMs: wallClock(), speed }, wallClock);
  }

  /** The anchor, to hand to another process that must share this clock. */
  get time(): ScaledTime {
    return { simStartMs: this.simStartMs, realStartMs: this.realStartMs, speed: this.speed };
  }

  now(): number {
    return this.simStartMs + (this.wallClock() - this.realStartMs) * this.speed;
  }

  /** The wall-clock time (epoch ms) at which simulated time reaches `simMs`. */
  realTimeAt(simMs: number): number {
    return this.realStartMs + (simMs - this.simStartMs) / this.speed;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const dueMs = this.now() + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    const timer: ScaledTimer = { realTimer: null };
    const arm = (): void => {
      const realWaitMs = Math.max(0, this.realTimeAt(dueMs) - this.wallClock());
      timer.realTimer = setTimeout(() => {
        if (this.wallClock() < this.realTimeAt(dueMs)) arm();
        else {
          timer.realTimer = null;
          callback();
        }
      }, Math.ceil(realWaitMs));
    };
    arm();
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as ScaledTimer | null | undefined;
    if (timer?.realTimer) {
      clearTimeout(timer.realTimer);
      timer.realTimer = null;
    }
  }
}
