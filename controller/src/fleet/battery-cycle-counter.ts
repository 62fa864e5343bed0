/** Longer gaps between observations (a stopped controller, a failsafe) are not integrated: nothing was measured. */
const MAX_STEP_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Counts the batteries' equivalent full cycles per UTC day from their measured output: energy discharged divided by
 * the installed capacity (a cycle is one capacity in and out; counting the discharged half counts each once).
 * Starts at 0 on a controller start: a restart mid-day forgets that day's cycles so far.
 */
export class BatteryCycleCounter {
  #day = -1;
  #dischargedWh = 0;
  #lastAtMs: number | null = null;

  constructor(private readonly capacityWh: number) {}

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
