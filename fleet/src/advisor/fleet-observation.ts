import type { DispatchResult, ZoneLimit } from '../aggregator/dispatch/index.ts';
import type { TrackedSite } from '../aggregator/fleet-sites.ts';

/** One zone in one aggregator cycle, as the advisor needs it. Powers in W, import positive. */
export interface ZoneObservation {
  zone: string;
  importLimitW: number | null;
  exportLimitW: number | null;
  onlineSites: number;
  /** Sum of the online sites' baselines (what the zone draws under local policy). */
  baselineW: number;
  /** Sum of the online sites' forecast baselines, per forecast step (steps aligned by start time). */
  forecast: { startMs: number; durationS: number; baselineW: number }[];
  /** The zone's sites were asked for all the lowering they had (headroom used >= 99 %) this cycle. */
  loweringExhausted: boolean;
  /** W the zone was still over its import limit after dispatch (its sites could not lower more). */
  importViolationW: number;
}

export interface FleetObservation {
  atMs: number;
  /** target - dispatched: negative when the fleet could not lower its import enough (a peak it could not shave). */
  shortfallW: number | null;
  zones: ZoneObservation[];
}

/** Builds the advisor's view of one cycle from the aggregator's sites, zone limits and dispatch. */
export function observeFleet(
  atMs: number,
  sites: readonly TrackedSite[],
  zoneLimits: readonly ZoneLimit[],
  dispatch: DispatchResult | null,
): FleetObservation {
  const online = sites.filter((site) => site.status === 'online' && site.bounded !== null);
  const zoneNames = [...new Set([...online.map((site) => site.zone), ...zoneLimits.map((l) => l.zone)])].sort();
  const zones = zoneNames.map((zone): ZoneObservation => {
    const inZone = online.filter((site) => site.zone === zone);
    const limit = zoneLimits.find((l) => l.zone === zone);
    const steps = new Map<number, { startMs: number; durationS: number; baselineW: number }>();
    for (const site of inZone)
      for (const step of site.envelope?.forecast ?? []) {
        const sum = steps.get(step.startMs) ?? { startMs: step.startMs, durationS: step.durationS, baselineW: 0 };
        sum.baselineW += step.baselineW;
        steps.set(step.startMs, sum);
      }
    const shares = dispatch?.shares.filter((share) => share.zone === zone) ?? [];
    const lowering = shares.filter((share) => share.targetW < share.baselineW || share.minW === share.baselineW);
    return {
      zone,
      importLimitW: limit?.importLimitW ?? null,
      exportLimitW: limit?.exportLimitW ?? null,
      onlineSites: inZone.length,
      baselineW: inZone.reduce((sum, site) => sum + site.bounded!.baselineW, 0),
      forecast: [...steps.values()].sort((a, b) => a.startMs - b.startMs),
      loweringExhausted:
        shares.length > 0 &&
        lowering.length === shares.length &&
        shares.every((share) => share.targetW <= share.minW + 1),
      importViolationW:
        limit?.importLimitW !== undefined
          ? Math.max(0, (dispatch?.zones.find((z) => z.zone === zone)?.sumW ?? -Infinity) - limit.importLimitW)
          : 0,
    };
  });
  return { atMs, shortfallW: dispatch?.shortfallW ?? null, zones };
}
