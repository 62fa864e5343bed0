import type { FleetSite, FleetSiteStatus } from './aggregator-api.ts';

export const STATUS_WORDS: Record<FleetSiteStatus, string> = {
  online: 'online',
  'awaiting-rebirth': 'rejoining',
  silent: 'silent',
  dead: 'dead (offline)',
};

/** Who decides the site's grid power right now. */
export function controlInWords(site: FleetSite): string {
  if (site.status !== 'online') return 'local policy (not reachable)';
  if (site.control === 'vpp') return 'following the VPP';
  if (site.control === 'local') return 'local policy';
  return 'unknown';
}

/** Signed kW with the direction: "importing 3.2 kW" / "exporting 1.0 kW". */
export function gridPowerInWords(w: number | null): string {
  if (w === null) return 'not reported';
  const kw = Math.abs(w) / 1000;
  if (kw < 0.05) return '0 kW';
  return `${w > 0 ? 'importing' : 'exporting'} ${kw.toFixed(1)} kW`;
}

export const kW = (w: number): string => `${(w / 1000).toFixed(1)} kW`;
