import type { FleetSnapshot } from './fleet-snapshot.ts';

const MINUTE_MS = 60_000;

/** One completed minute of the fleet: the averages of its aggregator cycles, W at the connection points. */
export interface FleetMinute {
  minuteStartMs: number;
  /** the online sites' measured grid power, summed, import positive */
  deliveredW: number;
  /** the VPP target over the cycles that had one; null when none had */
  targetW: number | null;
}

interface OpenMinute {
  startMs: number;
  deliveredSumW: number;
  cycles: number;
  targetSumW: number;
  targetCycles: number;
}

/**
 * The fleet over the last day, a minute at a time, kept in memory (GET /api/history; the fleet view's chart): a
 * restarted aggregator starts a new day of history. Only completed minutes are served.
 */
export class FleetHistory {
  #minutes: FleetMinute[] = [];
  #open: OpenMinute | null = null;

  constructor(private readonly keepMinutes = 1_440) {}

  observe(snapshot: FleetSnapshot): void {
    const startMs = Math.floor(snapshot.atMs / MINUTE_MS) * MINUTE_MS;
    if (this.#open !== null && this.#open.startMs !== startMs) this.#close(this.#open);
    const open = this.#open?.startMs === startMs ? this.#open : this.#fresh(startMs);
    this.#open = open;
    open.deliveredSumW += snapshot.deliveredW;
    open.cycles += 1;
    if (snapshot.target !== null) {
      open.targetSumW += snapshot.target.targetW;
      open.targetCycles += 1;
    }
  }

  /** Completed minutes, oldest first. */
  minutes(): readonly FleetMinute[] {
    return this.#minutes;
  }

  #fresh(startMs: number): OpenMinute {
    return { startMs, deliveredSumW: 0, cycles: 0, targetSumW: 0, targetCycles: 0 };
  }

  #close(open: OpenMinute): void {
    // a clock that went back starts the series again rather than keeping minutes out of order
    const last = this.#minutes.at(-1);
    if (last !== undefined && open.startMs <= last.minuteStartMs) this.#minutes = [];
    this.#minutes.push({
      minuteStartMs: open.startMs,
      deliveredW: Math.round(open.deliveredSumW / open.cycles),
      targetW: open.targetCycles === 0 ? null : Math.round(open.targetSumW / open.targetCycles),
    });
    if (this.#minutes.length > this.keepMinutes) this.#minutes.splice(0, this.#minutes.length - this.keepMinutes);
  }
}
