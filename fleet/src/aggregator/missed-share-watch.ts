/** A target sent to one site, and whether the site is keeping to it. */
interface SentTarget {
  targetId: string;
  targetW: number;
  sentAtMs: number;
  /** When the site was first asked for (about) this much: ramps are allowed from here. */
  rampFromMs: number;
}

export interface MissedShareOptions {
  /** |delivered - target| above max(toleranceW, tolerancePct of |target|) is a miss. */
  toleranceW: number;
  tolerancePct: number;
  /** Ramp allowance after a new share before misses count. */
  graceMs: number;
  /** Consecutive missed cycles before the site is taken as not delivering. */
  cycles: number;
  /** How long such a site is held at what it delivers before it is trusted with a share again. */
  holdMs: number;
}

/**
 * Notices sites that do not deliver their share (refused by local safety, a device down, an envelope that was too
 * optimistic) so the dispatch can hand their part to the others: such a site is held at what it actually delivers
 * for `holdMs`, then trusted again.
 */
export class MissedShareWatch {
  readonly #sent = new Map<string, SentTarget>();
  readonly #misses = new Map<string, number>();
  readonly #heldUntil = new Map<string, { untilMs: number; atW: number }>();

  constructor(private readonly options: MissedShareOptions) {}

  sent(siteId: string, targetId: string, targetW: number, nowMs: number): void {
    const previous = this.#sent.get(siteId);
    const bigChange = !previous || Math.abs(previous.targetW - targetW) > this.toleranceFor(targetW);
    this.#sent.set(siteId, {
      targetId,
      targetW,
      sentAtMs: nowMs,
      rampFromMs: bigChange ? nowMs : previous.rampFromMs,
    });
  }

  lastSent(siteId: string): { targetId: string; targetW: number; sentAtMs: number } | undefined {
    return this.#sent.get(siteId);
  }

  forget(siteId: string): void {
    this.#sent.delete(siteId);
    this.#misses.delete(siteId);
  }

  /**
   * One cycle's look at a site's delivered power against its share while that share is valid; returns true when the
   * site has just been found not delivering.
   */
  observe(siteId: string, deliveredW: number | null, nowMs: number, shareValidForMs: number): boolean {
    const sent = this.#sent.get(siteId);
    if (!sent || nowMs - sent.rampFromMs < this.options.graceMs || this.held(siteId, nowMs) !== null) return false;
    // a share that has lapsed (no VPP target any more) leaves the site on its local policy: that is not a miss
    if (nowMs - sent.sentAtMs >= shareValidForMs) {
      this.forget(siteId);
      return false;
    }
    const missed = deliveredW === null || Math.abs(deliveredW - sent.targetW) > this.toleranceFor(sent.targetW);
    const count = missed ? (this.#misses.get(siteId) ?? 0) + 1 : 0;
    this.#misses.set(siteId, count);
    if (count < this.options.cycles) return false;
    this.#misses.set(siteId, 0);
    this.#heldUntil.set(siteId, { untilMs: nowMs + this.options.holdMs, atW: deliveredW ?? sent.targetW });
    this.#sent.delete(siteId);
    return true;
  }

  /** The power a not-delivering site is held at, or null when it is trusted with a share. */
  held(siteId: string, nowMs: number): number | null {
    const hold = this.#heldUntil.get(siteId);
    if (!hold) return null;
    if (nowMs >= hold.untilMs) {
      this.#heldUntil.delete(siteId);
      return null;
    }
    return hold.atW;
  }

  /** Sites held right now. */
  heldSites(nowMs: number): string[] {
    return [...this.#heldUntil.keys()].filter((siteId) => this.held(siteId, nowMs) !== null);
  }

  private toleranceFor(targetW: number): number {
    return Math.max(this.options.toleranceW, (Math.abs(targetW) * this.options.tolerancePct) / 100);
  }
}
