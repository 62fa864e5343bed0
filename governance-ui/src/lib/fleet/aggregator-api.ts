/**
 * The VPP aggregator's public API as the fleet view reads it (fleet/src/aggregator/api): the fleet after every
 * aggregator cycle (GET /api/fleet and the `fleet` events of GET /api/stream) and the advisor's draft proposal
 * (GET /api/advisor/proposal). Powers are in W at each connection point, import positive, as everywhere in GridCoop.
 */
import type { AllocationPolicy } from '@gridcoop/contracts/client/governance-types';
import { requestJson, type JsonRequestFailures } from '../json-request.ts';

/** online: born and reporting; silent: no data for a while; dead: its death certificate came (or its will). */
export type FleetSiteStatus = 'online' | 'awaiting-rebirth' | 'silent' | 'dead';

export interface FleetSite {
  siteId: string;
  zone: string;
  status: FleetSiteStatus;
  /** held at what it delivers because it missed its share; null when trusted */
  heldAtW: number | null;
  lastSeenMs: number;
  plantState: string | null;
  /** whose target the site follows: its own local policy or the VPP's */
  control: 'local' | 'vpp' | null;
  socPct: number | null;
  /** measured grid power, as the site last reported it */
  deliveredW: number | null;
  /** how far the site can move its grid power from its baseline, and for how long */
  envelope: {
    baselineW: number;
    minW: number;
    maxW: number;
    raiseForS: number | null;
    lowerForS: number | null;
  } | null;
  /** what the aggregator cut from the site's claim */
  boundedBy: string[];
  /** the share last sent to the site */
  target: { targetId: string; targetW: number; sentAtMs: number } | null;
}

export interface FleetZone {
  zone: string;
  sites: number;
  online: number;
  deliveredW: number;
  targetW: number | null;
  importLimitW: number | null;
  exportLimitW: number | null;
}

/** The VPP-level target in force: the grid operator's live setpoint or the schedule's entry. */
export interface VppTarget {
  targetW: number;
  source: 'live' | 'schedule';
  untilMs: number;
}

export interface FleetSnapshot {
  cycle: number;
  atMs: number;
  target: VppTarget | null;
  /** how the last dispatch split the target: status (met, short, ...), the sum of the shares and what was missing */
  dispatch: { status: string; dispatchedW: number; shortfallW: number; notes: string[] } | null;
  /** sum of the online sites' measured grid power */
  deliveredW: number;
  sites: FleetSite[];
  zones: FleetZone[];
}

export interface AdvisorZoneRecommendation {
  zone: string;
  currentBps: number;
  proposedBps: number;
  reason: string;
}

/** The advisor's draft allocation-policy proposal: never submitted by the aggregator, a member reviews it. */
export interface AdvisorDraft {
  draftedAtMs: number;
  basedOn: { version: number | null; source: string };
  /** true when at least one zone's multiplier changes */
  changes: boolean;
  title: string;
  description: string;
  policy: AllocationPolicy;
  zones: AdvisorZoneRecommendation[];
  notes: string[];
}

export class AggregatorUnreachableError extends Error {
  override name = 'AggregatorUnreachableError';
  constructor(
    readonly baseUrl: string,
    detail: string,
  ) {
    super(`the VPP aggregator at ${baseUrl} is not reachable (${detail})`);
  }
}

export class AggregatorRefusedError extends Error {
  override name = 'AggregatorRefusedError';
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`the VPP aggregator refused ${path} (HTTP ${status}): ${detail}`);
  }
}

/** The aggregator's failures in its own error types, for requestJson. */
function aggregatorFailures(baseUrl: string, path: string): JsonRequestFailures {
  return {
    unreachable: (detail) => new AggregatorUnreachableError(baseUrl, detail),
    refused: (status, detail) => new AggregatorRefusedError(path, status, detail),
  };
}

/** GET a JSON path of the aggregator's API; an unreachable aggregator and a refusal are told apart. */
export async function aggregatorGet<T>(baseUrl: string, path: string): Promise<T> {
  return requestJson<T>(baseUrl, path, aggregatorFailures(baseUrl, path));
}

/**
 * A grid operator's write (PUT or DELETE /api/target) with the aggregator's bearer token; the answer, or
 * AggregatorUnreachableError / AggregatorRefusedError (401: the token; 400: the fields, named in its message).
 */
export async function aggregatorWrite<T>(
  baseUrl: string,
  method: 'PUT' | 'DELETE',
  path: string,
  token: string,
  json?: unknown,
): Promise<T> {
  return requestJson<T>(baseUrl, path, aggregatorFailures(baseUrl, path), { method, token, json });
}
