import type { MetricReader } from './metric-reader.ts';
import type { SparkplugMetric } from './sparkplug-codec.ts';

/** Which policy sets the site's grid power right now. */
export type SiteControlMode = 'local' | 'vpp';

/** What a site reports every cycle (NBIRTH and NDATA). Powers in W at the connection point, import positive. */
export interface SiteState {
  /** Measured at the connection point; null when the grid meter gave nothing this cycle. */
  gridPowerW: number | null;
  /** Energy-weighted state of charge of the site's batteries; null for a site without batteries. */
  socPct: number | null;
  /** The plant supervisor's state, e.g. `running`, `degraded`, `safe-stop`. */
  plantState: string;
  /** `vpp` while a VPP target is followed, `local` otherwise (none, expired, refused by local safety). */
  control: SiteControlMode;
  /** The VPP target being followed (as received, before local caps); null under local control. */
  followedTargetW: number | null;
  /** Id of that target, so the aggregator can tell which of its commands a site acts on. */
  followedTargetId: string | null;
}

export const SITE_STATE_METRICS = {
  gridPowerW: 'State/GridPowerW',
  socPct: 'State/SocPct',
  plantState: 'State/PlantState',
  control: 'State/Control',
  followedTargetW: 'State/FollowedTargetW',
  followedTargetId: 'State/FollowedTargetId',
} as const;

export function siteStateMetrics(state: SiteState): SparkplugMetric[] {
  const names = SITE_STATE_METRICS;
  return [
    { name: names.gridPowerW, type: 'Double', value: state.gridPowerW },
    { name: names.socPct, type: 'Double', value: state.socPct },
    { name: names.plantState, type: 'String', value: state.plantState },
    { name: names.control, type: 'String', value: state.control },
    { name: names.followedTargetW, type: 'Double', value: state.followedTargetW },
    { name: names.followedTargetId, type: 'String', value: state.followedTargetId },
  ];
}

export function readSiteState(reader: MetricReader): SiteState {
  const names = SITE_STATE_METRICS;
  const socPct = reader.nullableNumber(names.socPct);
  if (socPct !== null && (socPct < 0 || socPct > 100))
    throw reader.invalid(names.socPct, `expected 0-100, got ${socPct}`);
  const control = reader.string(names.control);
  if (control !== 'local' && control !== 'vpp') {
    throw reader.invalid(names.control, `expected "local" or "vpp", got ${JSON.stringify(control)}`);
  }
  return {
    gridPowerW: reader.nullableNumber(names.gridPowerW),
    socPct,
    plantState: reader.string(names.plantState),
    control: control as SiteControlMode,
    followedTargetW: reader.nullableNumber(names.followedTargetW),
    followedTargetId: reader.nullableString(names.followedTargetId),
  };
}
