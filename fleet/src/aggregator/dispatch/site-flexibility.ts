/**
 * What the dispatch LP knows of one site: its grid power if left to its local policy (the baseline) and the range
 * its flexibility envelope says it can hold instead, at its connection point, import positive, in W. Owners' limits
 * (opt-out, daily battery cycles left, mining or comfort minimums) are already inside the envelope the site
 * publishes; an opted-out site arrives as `optedOut` and is held at its baseline.
 */
export interface SiteFlexibility {
  siteId: string;
  zone: string;
  /** Grid power the site would have under its local policy (import positive, W). */
  baselineW: number;
  /** The lowest grid power the site can hold (most export / least import), W. */
  minW: number;
  /** The highest grid power the site can hold (most import), W. */
  maxW: number;
  /** Cost of raising grid power above the baseline (charging, mining more, curtailing PV), per kWh. Default 0. */
  raiseCostPerKWh?: number;
  /** Cost of lowering grid power below the baseline (discharging, mining less), per kWh. Default 0. */
  lowerCostPerKWh?: number;
  /** The owner opted out of VPP dispatch: the site keeps its baseline. */
  optedOut?: boolean;
}

/**
 * A congestion limit on a zone: the sum of its sites' grid power may not rise above `importLimitW` nor fall below
 * `-exportLimitW` (both W, absent = unlimited).
 */
export interface ZoneLimit {
  zone: string;
  importLimitW?: number;
  exportLimitW?: number;
}

/** Bad dispatch input: each issue names the site (or zone) and field and says what was expected. */
export class DispatchInputError extends Error {
  override readonly name = 'DispatchInputError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid dispatch input: ${issues.join('; ')}`);
  }
}

/** Checks the inputs before any LP is built; throws DispatchInputError naming every problem. */
export function validateDispatchInput(
  targetW: number,
  sites: readonly SiteFlexibility[],
  zoneLimits: readonly ZoneLimit[],
): void {
  const issues: string[] = [];
  if (!Number.isFinite(targetW)) issues.push(`targetW: expected a finite number of W, got ${targetW}`);
  const seen = new Set<string>();
  for (const site of sites) {
    const at = `site ${site.siteId}`;
    if (seen.has(site.siteId)) issues.push(`${at}: appears twice`);
    seen.add(site.siteId);
    for (const field of ['baselineW', 'minW', 'maxW'] as const)
      if (!Number.isFinite(site[field]))
        issues.push(`${at}.${field}: expected a finite number of W, got ${site[field]}`);
    if (site.minW > site.maxW) issues.push(`${at}: minW ${site.minW} is above maxW ${site.maxW}`);
    for (const field of ['raiseCostPerKWh', 'lowerCostPerKWh'] as const) {
      const cost = site[field];
      if (cost !== undefined && !(Number.isFinite(cost) && cost >= 0))
        issues.push(`${at}.${field}: expected a finite cost >= 0, got ${cost}`);
    }
  }
  const zonesSeen = new Set<string>();
  for (const limit of zoneLimits) {
    const at = `zone ${limit.zone}`;
    if (zonesSeen.has(limit.zone)) issues.push(`${at}: limit given twice`);
    zonesSeen.add(limit.zone);
    for (const field of ['importLimitW', 'exportLimitW'] as const) {
      const value = limit[field];
      if (value !== undefined && !(Number.isFinite(value) && value >= 0))
        issues.push(`${at}.${field}: expected W >= 0, got ${value}`);
    }
  }
  if (issues.length > 0) throw new DispatchInputError(issues);
}
