import type { FlexibilityEnvelope, SiteProfile } from '@gridcoop/fleet-protocol';

/**
 * What the aggregator trusts of a site's claimed flexibility: never more than its connection's caps, and never more
 * movement than its declared (registered) capacity can produce. A site that claims beyond that is bounded, and the
 * aggregator says so; the site cannot buy itself a larger share by exaggerating.
 */
export interface BoundedRange {
  baselineW: number;
  minW: number;
  maxW: number;
  /** Empty when the claim was within bounds; otherwise what was cut and why. */
  cuts: string[];
}

/** Caps from a registry the aggregator trusts more than the site's own birth certificate (e.g. the chain's). */
export interface RegisteredConnection {
  importLimitW: number;
  exportLimitW: number;
}

export function boundEnvelope(
  envelope: FlexibilityEnvelope,
  profile: SiteProfile,
  registered?: RegisteredConnection,
): BoundedRange {
  const cuts: string[] = [];
  const importLimitW = Math.min(profile.importLimitW, registered?.importLimitW ?? Infinity);
  const exportLimitW = Math.min(profile.exportLimitW, registered?.exportLimitW ?? Infinity);
  const { capacity } = profile;
  // Raising grid power: charge batteries, run miners, curtail PV. Lowering: discharge batteries, stop miners.
  const raiseCapW = capacity.batteryPowerW + capacity.minerPowerW + capacity.pvPeakW;
  const lowerCapW = capacity.batteryPowerW + capacity.minerPowerW;
  const baselineW = Math.min(importLimitW, Math.max(-exportLimitW, envelope.baselineW));
  if (baselineW !== envelope.baselineW)
    cuts.push(`baseline ${envelope.baselineW} W is outside the connection's [-${exportLimitW}, ${importLimitW}] W`);
  let maxW = envelope.maxGridW;
  let minW = envelope.minGridW;
  if (maxW > importLimitW) {
    cuts.push(`max ${maxW} W is above the import limit ${importLimitW} W`);
    maxW = importLimitW;
  }
  if (maxW - baselineW > raiseCapW) {
    cuts.push(`raise ${Math.round(maxW - baselineW)} W is beyond the declared capacity ${raiseCapW} W`);
    maxW = baselineW + raiseCapW;
  }
  if (minW < -exportLimitW) {
    cuts.push(`min ${minW} W is below the export limit -${exportLimitW} W`);
    minW = -exportLimitW;
  }
  if (baselineW - minW > lowerCapW) {
    cuts.push(`lowering ${Math.round(baselineW - minW)} W is beyond the declared capacity ${lowerCapW} W`);
    minW = baselineW - lowerCapW;
  }
  return { baselineW, minW: Math.min(minW, baselineW), maxW: Math.max(maxW, baselineW), cuts };
}
