import type { DispatchResult } from './dispatch/index.ts';
import type { SiteStatus } from './fleet-sites.ts';
import type { ActiveVppTarget } from './vpp-target-book.ts';

/** One site as the aggregator's API shows it. Powers in W at the connection point, import positive. */
export interface SiteView {
  siteId: string;
  zone: string;
  status: SiteStatus;
  /** Held at what it delivers because it missed its share; null when trusted. */
  heldAtW: number | null;
  lastSeenMs: number;
  plantState: string | null;
  control: 'local' | 'vpp' | null;
  socPct: number | null;
  /** Measured grid power, as the site last reported it. */
  deliveredW: number | null;
  envelope: {
    baselineW: number;
    minW: number;
    maxW: number;
    raiseForS: number | null;
    lowerForS: number | null;
  } | null;
  /** What the aggregator cut from the site's claim (connection caps, declared capacity). */
  boundedBy: string[];
  /** The share last sent to the site, if any. */
  target: { targetId: string; targetW: number; sentAtMs: number } | null;
}

export interface ZoneView {
  zone: string;
  sites: number;
  online: number;
  deliveredW: number;
  targetW: number | null;
  importLimitW: number | null;
  exportLimitW: number | null;
}

/** The whole fleet after one aggregator cycle: what the API, the stream, the metrics and the advisor read. */
export interface FleetSnapshot {
  cycle: number;
  atMs: number;
  target: ActiveVppTarget | null;
  dispatch: Pick<DispatchResult, 'status' | 'dispatchedW' | 'shortfallW' | 'notes'> | null;
  /** Sum of the online sites' measured grid power. */
  deliveredW: number;
  sites: SiteView[];
  zones: ZoneView[];
}
