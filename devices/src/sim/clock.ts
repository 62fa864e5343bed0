/**
 * Simulation time in epoch milliseconds. Device physics only ever asks a clock, never Date.now(), so tests can run
 * a plant faster than real time and controller and plant can share one clock.
 */
export interface SimClock {
  now(): number;
}

/** Real time, optionally sped up: `new ScaledClock(60)` runs a simulated hour per real minute. */
export class ScaledClock implements SimClock {
  private readonly realStart = Date.now();
  constructor(
    private readonly speed = 1,
    private readonly simStart = Date.now(),
  ) {}
  now(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed;
  }
}

/** Time that moves only when a test says so. */
export class ManualClock implements SimClock {
  constructor(private current = Date.UTC(2014, 0, 15, 0, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move a clock back or by ${ms} ms`);
    this.current += ms;
  }
  set(epochMs: number): void {
    if (epochMs < this.current) throw new RangeError('cannot move a clock back');
    this.current = epochMs;
  }
}
