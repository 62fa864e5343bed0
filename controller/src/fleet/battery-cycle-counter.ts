/** Longer gaps between observations (a stopped controller, a failsafe) are not integrated: nothing was measured. */
const MAX_STEP_MS = 60_000;
const DAY_MS = 86_400_000;

/** The discharged energy counted on one UTC day (days since the epoch), as kept across a restart. */
export interface BatteryCycleDay {
  dayUtc: number;
  dischargedWh: number;
}

/**
 * Counts the batteries' equivalent full cycles per UTC day from their measured output: energy discharged divided by
 * the installed capacity (a cycle is one capacity in and out; counting the discharged half counts each once).
 * A restarted controller goes on from the day it kept (`kept`, restored when it is still that day), or from 0.
 */
export class BatteryCycleCounter {
  #day = -1;
  #dischargedWh = 0;
  #lastAtMs: number | null = null;

  constructor(
    private readonly capacityWh: number,
    kept: BatteryCycleDay | null = null,
  ) {
    if (kept) {
      this.#day = kept.dayUtc;
      this.#dischargedWh = kept.dischargedWh;
    }
  }

  /** What to keep across a restart; null before the first observation. */
  kept(): BatteryCycleDay | null {
    return this.#day < 0 ? null : { dayUtc: this.#day, dischargedWh: this.#dischargedWh };
  }

  /** One measurement: the batteries' total output at atMs, W (discharge positive); null when not measured. */
  observe(atMs: number, batteryPowerW: number | null): void {
    const day = Math.floor(atMs / DAY_MS);
    if (day !== this.#day) {
      this.#day = day;
      this.#dischargedWh = 0;
      this.#lastAtMs = null;
    }
    const lastAtMs = this.#lastAtMs;
    this.#lastAtMs = batteryPowerW === null ? null : atMs;
    if (lastAtMs === null || batteryPowerW === null) return;
    const stepMs = atMs - lastAtMs;
    if (stepMs <= 0 || stepMs > MAX_STEP_MS) return;
    this.#dischargedWh += (Math.max(0, batteryPowerW) * stepMs) / 3_600_000;
  }

  /** Equivalent full cycles so far on atMs's UTC day. */
  cyclesOn(atMs: number): number {
    if (Math.floor(atMs / DAY_MS) !== this.#day || this.capacityWh <= 0) return 0;
    return this.#dischargedWh / this.capacityWh;
  }
}
