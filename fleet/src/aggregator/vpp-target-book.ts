/** One entry of the grid operator's schedule for the whole fleet: hold `targetW` (sum of all sites) in [fromMs, toMs). */
export interface VppScheduleEntry {
  fromMs: number;
  toMs: number;
  targetW: number;
}

/** A live setpoint for the whole fleet, valid until `expiresAtMs`; it overrides the schedule while valid. */
export interface VppLiveSetpoint {
  targetW: number;
  setAtMs: number;
  expiresAtMs: number;
}

export interface ActiveVppTarget {
  targetW: number;
  source: 'live' | 'schedule';
  /** Until when this target holds (the setpoint's expiry or the schedule entry's end). */
  untilMs: number;
}

export class VppScheduleError extends Error {
  override readonly name = 'VppScheduleError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * The grid operator's targets for the whole fleet: a live setpoint (wins while valid) over a schedule. With neither,
 * there is no VPP target and every site follows its local policy.
 */
export class VppTargetBook {
  #live: VppLiveSetpoint | null = null;
  #schedule: VppScheduleEntry[] = [];

  setLive(targetW: number, validForMs: number, nowMs: number): VppLiveSetpoint {
    this.#live = { targetW, setAtMs: nowMs, expiresAtMs: nowMs + validForMs };
    return this.#live;
  }

  clearLive(): void {
    this.#live = null;
  }

  /** Replaces the whole schedule; entries must not overlap (checked before anything changes). */
  setSchedule(entries: readonly VppScheduleEntry[]): VppScheduleEntry[] {
    const sorted = [...entries].sort((a, b) => a.fromMs - b.fromMs);
    sorted.forEach((entry, i) => {
      if (entry.toMs <= entry.fromMs)
        throw new VppScheduleError(`[${entries.indexOf(entry)}].toMs`, `must be after fromMs ${entry.fromMs}`);
      const previous = sorted[i - 1];
      if (previous && entry.fromMs < previous.toMs)
        throw new VppScheduleError(
          `[${entries.indexOf(entry)}].fromMs`,
          `overlaps the entry ${previous.fromMs}..${previous.toMs}`,
        );
    });
    this.#schedule = sorted;
    return this.schedule();
  }

  get live(): VppLiveSetpoint | null {
    return this.#live;
  }

  schedule(): VppScheduleEntry[] {
    return this.#schedule.map((entry) => ({ ...entry }));
  }

  at(nowMs: number): ActiveVppTarget | null {
    if (this.#live && nowMs < this.#live.expiresAtMs)
      return { targetW: this.#live.targetW, source: 'live', untilMs: this.#live.expiresAtMs };
    const entry = this.#schedule.find((e) => e.fromMs <= nowMs && nowMs < e.toMs);
    return entry ? { targetW: entry.targetW, source: 'schedule', untilMs: entry.toMs } : null;
  }
}
