import { z } from 'zod';

/**
 * What the grid operator asks for at the connection point: a live call (which lapses unless refreshed, like
 * OpenEMS's API timeout) or a schedule of time windows. A live call beats the schedule while it is valid; with
 * neither, there is no operator target and the allocation policy decides (the default).
 */
export interface OperatorTarget {
  /** Grid power to hold at the connection point, import positive. */
  gridW: number;
  /** 'vpp': the fleet aggregator's target for this site (fleet/site-link.ts), used only when the operator has none. */
  source: 'live' | 'schedule' | 'vpp';
  /** When this target stops applying (epoch ms). */
  untilMs: number;
}

export interface ScheduleEntry {
  fromMs: number;
  toMs: number;
  gridW: number;
}

export interface OperatorSetpointLimits {
  /** The longest a live call may ask to stay valid. */
  maxValidityS: number;
  /** The largest |gridW| accepted: anything beyond is a typo, not a request. */
  maxAbsGridW: number;
  maxScheduleEntries: number;
}

export const defaultOperatorSetpointLimits: OperatorSetpointLimits = {
  maxValidityS: 3_600,
  maxAbsGridW: 1e9,
  maxScheduleEntries: 2_000,
};

/** A request that was refused; the setpoints in force are unchanged. */
export class OperatorSetpointError extends Error {
  override readonly name = 'OperatorSetpointError';
  constructor(readonly issues: readonly string[]) {
    super(`operator setpoint refused: ${issues.join('; ')}`);
  }
}

/** An instant for a message: ISO time when it is one, else the number as given. */
function instant(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

export class OperatorSetpoints {
  private readonly limits: OperatorSetpointLimits;
  private readonly liveSchema;
  private readonly scheduleSchema;
  private live: OperatorTarget | null = null;
  private schedule: readonly ScheduleEntry[] = [];
  private fleet: { targetAt(nowMs: number): OperatorTarget | null } | null = null;

  constructor(limits: Partial<OperatorSetpointLimits> = {}) {
    this.limits = { ...defaultOperatorSetpointLimits, ...limits };
    const gridW = z.number().finite().min(-this.limits.maxAbsGridW).max(this.limits.maxAbsGridW);
    this.liveSchema = z.object({ gridW, validForS: z.number().positive().max(this.limits.maxValidityS) }).strict();
    this.scheduleSchema = z
      .array(z.object({ fromMs: z.number().int(), toMs: z.number().int(), gridW }).strict())
      .max(this.limits.maxScheduleEntries);
  }

  /** Sets (or refreshes) the live target; it lapses `validForS` after `nowMs` unless set again. */
  setLive(request: unknown, nowMs: number): OperatorTarget {
    const parsed = this.liveSchema.safeParse(request);
    if (!parsed.success) throw new OperatorSetpointError(issuesOf(parsed.error));
    this.live = { gridW: parsed.data.gridW, source: 'live', untilMs: nowMs + parsed.data.validForS * 1000 };
    return this.live;
  }

  clearLive(): void {
    this.live = null;
  }

  /**
   * Replaces the whole schedule at once; entries must be windows (from < to) that do not overlap. With `nowMs`, a
   * schedule that has entries but ends before it (wholly in the past, a wrong clock or unit) is refused: it would
   * replace the one in force with nothing. An empty schedule clears it.
   */
  setSchedule(request: unknown, nowMs?: number): readonly ScheduleEntry[] {
    const parsed = this.scheduleSchema.safeParse(request);
    if (!parsed.success) throw new OperatorSetpointError(issuesOf(parsed.error));
    const entries = [...parsed.data].sort((a, b) => a.fromMs - b.fromMs);
    const issues: string[] = [];
    entries.forEach((entry, index) => {
      if (entry.fromMs >= entry.toMs) issues.push(`entry from ${entry.fromMs}: fromMs must be before toMs`);
      const next = entries[index + 1];
      if (next && next.fromMs < entry.toMs) issues.push(`entries from ${entry.fromMs} and ${next.fromMs} overlap`);
    });
    const lastEndMs = Math.max(...entries.map((e) => e.toMs));
    if (nowMs !== undefined && entries.length > 0 && lastEndMs <= nowMs) {
      issues.push(
        `every entry ends before now (${instant(nowMs)}; the last ends ${instant(lastEndMs)}): a schedule wholly in the past would replace the one in force with nothing (times are epoch milliseconds)`,
      );
    }
    if (issues.length > 0) throw new OperatorSetpointError(issues);
    this.schedule = Object.freeze(entries.map((entry) => Object.freeze({ ...entry })));
    return this.schedule;
  }

  get scheduleEntries(): readonly ScheduleEntry[] {
    return this.schedule;
  }

  /**
   * The VPP aggregator's target, through the site's fleet link: below the operator's own live call and schedule
   * (the grid operator at this connection point speaks first), above the local policy. It lapses by itself.
   */
  followFleet(source: { targetAt(nowMs: number): OperatorTarget | null } | null): void {
    this.fleet = source;
  }

  /** The target in force at `nowMs`, or null when the default (no operator target) applies. */
  targetAt(nowMs: number): OperatorTarget | null {
    if (this.live && nowMs < this.live.untilMs) return this.live;
    const entry = this.schedule.find((e) => e.fromMs <= nowMs && nowMs < e.toMs);
    if (entry) return { gridW: entry.gridW, source: 'schedule', untilMs: entry.toMs };
    return this.fleet?.targetAt(nowMs) ?? null;
  }
}
