import { targetStatusAt, type VppTarget } from '@gridcoop/fleet-protocol';
import type { OperatorTarget } from '../control/operator-setpoints.ts';

export type TargetOffer =
  { accepted: true; target: VppTarget; clampedExpiry: boolean } | { accepted: false; reason: string };

/**
 * The VPP target a site follows, and the rules that keep the site safe without the aggregator: a target is taken
 * only while its own time is valid (a target the broker queued through an outage arrives expired and is refused),
 * never lives longer than the site allows, is replaced only by a newer one, and lapses on its own, after which the
 * site's local policy decides again. It only ever proposes a grid power: the control cycle's safety and grid-limit
 * controllers come first and win.
 */
export class VppTargetFollower {
  #target: VppTarget | null = null;
  #lastIssuedAtMs = -Infinity;
  readonly #seen = new Set<string>();

  constructor(
    private readonly limits: {
      /** The longest a target may stay valid from its issue, whatever it asks (ms). */
      maxValidityMs: number;
      /** How far a target's issue time may be ahead of this site's clock (ms). */
      clockSkewMs: number;
    },
  ) {}

  offer(target: VppTarget, nowMs: number): TargetOffer {
    if (this.#seen.has(target.targetId)) return { accepted: false, reason: `target ${target.targetId} seen before` };
    const status = targetStatusAt(target, nowMs, this.limits.clockSkewMs);
    if (status.kind === 'expired') {
      return {
        accepted: false,
        reason: `target ${target.targetId} expired ${status.agoMs} ms ago (issued ${new Date(target.issuedAtMs).toISOString()}): never applied late`,
      };
    }
    if (status.kind === 'not-yet-issued') {
      return {
        accepted: false,
        reason: `target ${target.targetId} is issued ${status.aheadMs} ms in this site's future: clocks disagree beyond ${this.limits.clockSkewMs} ms`,
      };
    }
    if (target.issuedAtMs < this.#lastIssuedAtMs) {
      return { accepted: false, reason: `target ${target.targetId} is older than the one already received` };
    }
    this.#remember(target.targetId);
    const latestExpiryMs = target.issuedAtMs + this.limits.maxValidityMs;
    const clampedExpiry = target.expiresAtMs > latestExpiryMs;
    this.#target = clampedExpiry ? { ...target, expiresAtMs: latestExpiryMs } : target;
    this.#lastIssuedAtMs = target.issuedAtMs;
    return { accepted: true, target: this.#target, clampedExpiry };
  }

  /** The target in force at nowMs; null once it has lapsed or was released. */
  current(nowMs: number): VppTarget | null {
    const target = this.#target;
    return target !== null && nowMs < target.expiresAtMs ? target : null;
  }

  /** As the operator target the control cycle understands (source 'vpp'), or null for local policy. */
  targetAt(nowMs: number): OperatorTarget | null {
    const target = this.current(nowMs);
    return target === null ? null : { gridW: target.gridTargetW, source: 'vpp', untilMs: target.expiresAtMs };
  }

  /** If the target in force has lapsed by nowMs, forgets it and returns it (once), so its end can be logged. */
  takeExpired(nowMs: number): VppTarget | null {
    const target = this.#target;
    if (target === null || nowMs < target.expiresAtMs) return null;
    this.#target = null;
    return target;
  }

  /** Drops the target at once (the aggregator went offline): local policy decides from the next cycle. */
  release(): VppTarget | null {
    const target = this.#target;
    this.#target = null;
    return target;
  }

  #remember(targetId: string): void {
    this.#seen.add(targetId);
    // QoS 1 redelivers recent commands only; a bounded memory of ids is enough to drop those duplicates.
    if (this.#seen.size > 1_000) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}
