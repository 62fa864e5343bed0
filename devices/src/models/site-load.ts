import type { DemandShapeProfile } from '../profiles/vic-demand.ts';
import { forEachSubStep } from '../sim/sub-steps.ts';
import type { DeviceModel } from './device-model.ts';

export interface SiteLoadConfig {
  id: string;
  /** The site's peak demand; the profile's 2012-2014 peak maps to it. */
  peakW: number;
  /** Demand as a fraction of its peak over simulation time; the plant passes the Victorian demand shape. */
  profile: DemandShapeProfile;
}

/** The site's own consumption (everything behind the meter that is not a controllable device). */
export class SiteLoadModel implements DeviceModel {
  readonly id: string;
  readonly peakW: number;
  private readonly profile: DemandShapeProfile;
  private lastMs: number | undefined;
  private loadW = 0;
  private consumedWh = 0;

  constructor(config: SiteLoadConfig) {
    if (!(config.peakW > 0)) throw new RangeError(`site load ${config.id}: peak ${config.peakW} W must be > 0`);
    this.id = config.id;
    this.peakW = config.peakW;
    this.profile = config.profile;
  }

  /** A load draws power: negative in the generation-positive convention. */
  get acPowerW(): number {
    return -this.loadW;
  }
  get demandW(): number {
    return this.loadW;
  }
  get energyConsumedWh(): number {
    return this.consumedWh;
  }

  advanceTo(nowMs: number): void {
    if (this.lastMs === undefined) {
      this.lastMs = nowMs;
      this.loadW = this.demandAt(nowMs);
      return;
    }
    if (nowMs <= this.lastMs) return;
    forEachSubStep(this.lastMs, nowMs, [], (startMs, endMs) => {
      this.loadW = this.demandAt(endMs);
      this.consumedWh += (this.loadW * (endMs - startMs)) / 3_600_000;
    });
    this.lastMs = nowMs;
  }

  private demandAt(ms: number): number {
    return this.peakW * Math.max(0, this.profile(ms));
  }
}
