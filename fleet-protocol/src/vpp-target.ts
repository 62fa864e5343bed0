/**
 * The aggregator's target for one site's connection point. It is valid only in [issuedAtMs, expiresAtMs): a site
 * never applies a target whose time has passed (e.g. one the broker queued during an outage), and one that is not
 * refreshed lapses back to the site's local policy.
 */
export interface VppTarget {
  /** Unique per command, so a site can say which target it follows. */
  targetId: string;
  /** Grid power to hold at the connection point, W, import positive. */
  gridTargetW: number;
  issuedAtMs: number;
  expiresAtMs: number;
}

export type TargetStatus =
  | { kind: 'valid'; remainingMs: number }
  | { kind: 'expired'; agoMs: number }
  /** Issued "in the future" beyond the clock skew allowed: the clocks disagree, so the target is not trusted. */
  | { kind: 'not-yet-issued'; aheadMs: number };

/** How far ahead of the site's clock a target's issue time may be (NTP-synced hosts). */
export const DEFAULT_CLOCK_SKEW_MS = 2_000;

export function targetStatusAt(target: VppTarget, nowMs: number, clockSkewMs = DEFAULT_CLOCK_SKEW_MS): TargetStatus {
  if (nowMs >= target.expiresAtMs) return { kind: 'expired', agoMs: nowMs - target.expiresAtMs };
  if (target.issuedAtMs > nowMs + clockSkewMs) return { kind: 'not-yet-issued', aheadMs: target.issuedAtMs - nowMs };
  return { kind: 'valid', remainingMs: target.expiresAtMs - nowMs };
}

/**
 * The MQTT 5 message expiry interval (whole seconds, at least 1) for publishing a target at nowMs, so the broker
 * drops it rather than deliver it after the target's own expiry. Rounded up: the payload's expiresAtMs is the exact
 * rule the site applies; the broker's expiry only keeps stale targets off the wire.
 */
export function targetMessageExpiryS(target: VppTarget, nowMs: number): number {
  return Math.max(1, Math.ceil((target.expiresAtMs - nowMs) / 1000));
}
