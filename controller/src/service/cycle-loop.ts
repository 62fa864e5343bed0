import type { ControlCycle, CycleReport } from '../cycle/control-cycle.ts';
import type { Scheduler, TimerHandle } from '../cycle/scheduler.ts';

/**
 * Runs the control cycle at a fixed cadence on the scheduler and hands every report to the service (API stream,
 * metrics, history, maintenance). The service drives the cycle itself rather than letting it tick, because it must
 * see each report as it is made. A cycle still running when the next tick comes makes that tick skip (counted),
 * never bunch up; a cycle that throws (a bug, never a device error) is reported and the cadence goes on.
 */
export class CycleLoop {
  private timer: TimerHandle | null = null;
  private nextTickMs = 0;
  private running = false;
  private stopped = true;
  skippedTicks = 0;
  /**
   * Ticks that never came because the loop itself was late (a stalled event loop, a suspended process): a 20 s stall
   * drops about 20 ticks of a 1 s cadence. Counted, not made up: the next cycle runs once, on the next tick.
   */
  droppedTicks = 0;

  constructor(
    private readonly cycle: ControlCycle,
    private readonly scheduler: Scheduler,
    private readonly periodMs: number,
    private readonly onReport: (report: CycleReport) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.nextTickMs = this.scheduler.now() + this.periodMs;
    this.timer = this.scheduler.setTimeout(() => this.tick(), this.periodMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One cycle now, outside the cadence (tests on a manual clock, or an operator's "run now"). */
  async runOnce(): Promise<CycleReport> {
    this.running = true;
    try {
      const report = await this.cycle.runOnce();
      this.onReport(report);
      return report;
    } finally {
      this.running = false;
    }
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    this.nextTickMs += this.periodMs;
    const now = this.scheduler.now();
    while (this.nextTickMs <= now) {
      this.nextTickMs += this.periodMs;
      this.droppedTicks += 1;
    }
    this.timer = this.scheduler.setTimeout(() => this.tick(), this.nextTickMs - now);
    if (this.running) {
      this.skippedTicks += 1;
      return;
    }
    this.runOnce().catch(this.onError);
  }
}
