import {
  SequenceGapDetector,
  type FlexibilityEnvelope,
  type SiteBirth,
  type SiteData,
  type SiteDeath,
  type SiteProfile,
  type SiteState,
} from '@gridcoop/fleet-protocol';
import { boundEnvelope, type BoundedRange, type RegisteredConnection } from './site-bounds.ts';

/**
 * - `online`: born, data in order and fresh; dispatched.
 * - `awaiting-rebirth`: a seq gap (or data with no birth): asked for a rebirth, not dispatched until it comes.
 * - `silent`: no data for longer than `staleAfterMs`: not dispatched (it may be cut off without its will firing yet).
 * - `dead`: its death certificate (NDEATH with its birth's bdSeq) arrived: not dispatched.
 */
export type SiteStatus = 'online' | 'awaiting-rebirth' | 'silent' | 'dead';

export interface TrackedSite {
  siteId: string;
  status: SiteStatus;
  zone: string;
  profile: SiteProfile | null;
  bdSeq: number | null;
  bornAtMs: number | null;
  lastSeenMs: number;
  state: SiteState | null;
  envelope: FlexibilityEnvelope | null;
  /** The envelope as the aggregator uses it: within the connection's caps and the declared capacity. */
  bounded: BoundedRange | null;
  rebirthsRequested: number;
  deaths: number;
}

/** What the caller should do after a message: ask the site for a rebirth, and/or log what happened. */
export interface SiteEvent {
  rebirth: boolean;
  /** Lines worth a log entry (a gap, a stale death, a bounded claim); empty when nothing notable happened. */
  log: string[];
  /** True when the set of dispatchable sites changed (born, died, gap). */
  fleetChanged: boolean;
}

export interface FleetSitesOptions {
  staleAfterMs: number;
  /** At most one rebirth request per site in this long, so a flapping site cannot make the host flood it. */
  rebirthIntervalMs: number;
  registered?: Readonly<Record<string, RegisteredConnection>>;
}

/**
 * The aggregator's view of every site, from their Sparkplug births, data and deaths. Pure bookkeeping: time comes in
 * as arguments, and what to do about a message comes back as a SiteEvent.
 */
export class FleetSites {
  readonly #sites = new Map<string, TrackedSite>();
  readonly #sequence = new SequenceGapDetector();
  readonly #lastRebirthMs = new Map<string, number>();

  constructor(private readonly options: FleetSitesOptions) {}

  birth(siteId: string, birth: SiteBirth, nowMs: number): SiteEvent {
    const log: string[] = [];
    const previous = this.#sites.get(siteId);
    this.#sequence.birth(siteId, birth.seq);
    const bounded = boundEnvelope(birth.envelope, birth.profile, this.options.registered?.[siteId]);
    if (bounded.cuts.length > 0) log.push(`site ${siteId}: claimed flexibility bounded: ${bounded.cuts.join('; ')}`);
    this.#sites.set(siteId, {
      siteId,
      status: 'online',
      zone: birth.profile.zone,
      profile: birth.profile,
      bdSeq: birth.bdSeq,
      bornAtMs: nowMs,
      lastSeenMs: nowMs,
      state: birth.state,
      envelope: birth.envelope,
      bounded,
      rebirthsRequested: previous?.rebirthsRequested ?? 0,
      deaths: previous?.deaths ?? 0,
    });
    return { rebirth: false, log, fleetChanged: previous?.status !== 'online' };
  }

  data(siteId: string, data: SiteData, nowMs: number): SiteEvent {
    const site = this.#sites.get(siteId);
    const check = this.#sequence.data(siteId, data.seq);
    if (check.kind !== 'in-order' || site === undefined || site.profile === null) {
      const wasOnline = site?.status === 'online';
      const reason =
        check.kind === 'gap'
          ? `seq gap (expected ${check.expected}, got ${check.received})`
          : 'data without a birth in this session';
      if (site) {
        site.status = 'awaiting-rebirth';
        site.lastSeenMs = nowMs;
      } else this.#sites.set(siteId, unbornSite(siteId, nowMs));
      return { ...this.#askRebirth(siteId, nowMs, `site ${siteId}: ${reason}`), fleetChanged: wasOnline };
    }
    const log: string[] = [];
    const bounded = boundEnvelope(data.envelope, site.profile, this.options.registered?.[siteId]);
    if (bounded.cuts.length > 0 && (site.bounded?.cuts.join() ?? '') !== bounded.cuts.join())
      log.push(`site ${siteId}: claimed flexibility bounded: ${bounded.cuts.join('; ')}`);
    const wasOnline = site.status === 'online';
    Object.assign(site, { status: 'online', lastSeenMs: nowMs, state: data.state, envelope: data.envelope, bounded });
    return { rebirth: false, log, fleetChanged: !wasOnline };
  }

  death(siteId: string, death: SiteDeath, nowMs: number): SiteEvent {
    const site = this.#sites.get(siteId);
    if (!site || site.bdSeq !== death.bdSeq) {
      // A will from an older session (its bdSeq names another birth): the current session is alive.
      return {
        rebirth: false,
        log: [`site ${siteId}: death certificate bdSeq ${death.bdSeq} is not the current birth's; ignored`],
        fleetChanged: false,
      };
    }
    const wasOnline = site.status === 'online';
    site.status = 'dead';
    site.deaths += 1;
    site.lastSeenMs = nowMs;
    this.#sequence.death(siteId);
    return { rebirth: false, log: [`site ${siteId}: died (bdSeq ${death.bdSeq})`], fleetChanged: wasOnline };
  }

  /** Marks sites silent that sent nothing for staleAfterMs; returns their ids. */
  expire(nowMs: number): string[] {
    const silenced: string[] = [];
    for (const site of this.#sites.values()) {
      if (site.status === 'online' && nowMs - site.lastSeenMs > this.options.staleAfterMs) {
        site.status = 'silent';
        silenced.push(site.siteId);
      }
    }
    return silenced;
  }

  /** Sites awaiting a rebirth whose last request is old enough to be repeated (the request may have been lost). */
  rebirthsDue(nowMs: number): string[] {
    return [...this.#sites.values()]
      .filter((site) => site.status === 'awaiting-rebirth')
      .filter((site) => nowMs - (this.#lastRebirthMs.get(site.siteId) ?? -Infinity) >= this.options.rebirthIntervalMs)
      .map((site) => {
        this.#lastRebirthMs.set(site.siteId, nowMs);
        site.rebirthsRequested += 1;
        return site.siteId;
      });
  }

  get(siteId: string): TrackedSite | undefined {
    return this.#sites.get(siteId);
  }

  all(): TrackedSite[] {
    return [...this.#sites.values()].sort((a, b) => a.siteId.localeCompare(b.siteId));
  }

  online(): TrackedSite[] {
    return this.all().filter((site) => site.status === 'online' && site.bounded !== null);
  }

  #askRebirth(siteId: string, nowMs: number, reason: string): Omit<SiteEvent, 'fleetChanged'> {
    const last = this.#lastRebirthMs.get(siteId) ?? -Infinity;
    if (nowMs - last < this.options.rebirthIntervalMs) return { rebirth: false, log: [] };
    this.#lastRebirthMs.set(siteId, nowMs);
    const site = this.#sites.get(siteId);
    if (site) site.rebirthsRequested += 1;
    return { rebirth: true, log: [`${reason}: rebirth requested`] };
  }
}

function unbornSite(siteId: string, nowMs: number): TrackedSite {
  return {
    siteId,
    status: 'awaiting-rebirth',
    zone: 'unknown',
    profile: null,
    bdSeq: null,
    bornAtMs: null,
    lastSeenMs: nowMs,
    state: null,
    envelope: null,
    bounded: null,
    rebirthsRequested: 0,
    deaths: 0,
  };
}
