import { REGISTRY_LIMITS } from '@gridcoop/contracts/client/registry-types';
import type { RegistryQueryClient } from '@gridcoop/contracts/client/registry-client';

export interface SiteWithOracles {
  site: string;
  /** the site's oracle keys (each records only this site's nodes) */
  oracles: string[];
  nodes: number;
  /** nodes approved without a site join this one */
  isDefault: boolean;
}

/** A site's oracle keys, every page of them (a site holds at most 16, so one or two pages). */
async function oraclesOf(registry: RegistryQueryClient, site: string): Promise<string[]> {
  const limit = REGISTRY_LIMITS.maxPageLimit;
  const oracles: string[] = [];
  for (;;) {
    const page = await registry.siteOracles(site, { startAfter: oracles.at(-1), limit });
    oracles.push(...page.oracles);
    if (page.oracles.length < limit) return oracles;
  }
}

/**
 * The registry's sites with their oracle keys, up to `maxSites` (the registry holds up to 1,000; a page of the app
 * shows the first ones and says so). `complete` is false when there are more.
 */
export async function sitesWithOracles(
  registry: RegistryQueryClient,
  defaultSite: string,
  maxSites = 90,
): Promise<{ sites: SiteWithOracles[]; complete: boolean }> {
  const limit = REGISTRY_LIMITS.maxPageLimit;
  const listed: { site: string; nodes: number }[] = [];
  let complete = false;
  while (listed.length < maxSites) {
    const page = await registry.sites({ startAfter: listed.at(-1)?.site, limit });
    listed.push(...page.sites);
    if (page.sites.length < limit) {
      complete = true;
      break;
    }
  }
  const sites = await Promise.all(
    listed.map(async (s) => ({
      site: s.site,
      nodes: s.nodes,
      oracles: await oraclesOf(registry, s.site),
      isDefault: s.site === defaultSite,
    })),
  );
  return { sites, complete };
}

/** The site an approval binds a node to when the operator picks none: the registry's default. */
export function siteOfNode(
  node: { site?: string | null; status: string },
  defaultSite: string | undefined,
): string | null {
  if (node.site) return node.site;
  // nodes approved before sites existed belong to the default site; pending nodes have none yet
  return node.status === 'pending' ? null : (defaultSite ?? null);
}
