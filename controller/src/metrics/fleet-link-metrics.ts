import { Gauge, type Registry } from 'prom-client';
import type { OwnerMode } from '../fleet/owner-limits.ts';
import { OWNER_MODES } from '../fleet/owner-limits.ts';
import type { SiteLinkStatus } from '../fleet/site-link.ts';

/**
 * The site's link to its fleet as Prometheus series, registered only on a controller with a fleet section (a site on
 * its own shows none): is it connected, does the aggregator's host say it is online, is the site following a VPP
 * target and which, the owner's mode and the day's battery cycles, and what it refused. Updated once per cycle.
 */
export class FleetLinkMetrics {
  private readonly connected: Gauge;
  private readonly hostOnline: Gauge;
  private readonly followingVpp: Gauge;
  private readonly vppTarget: Gauge;
  private readonly ownerMode: Gauge;
  private readonly batteryCycles: Gauge;
  private readonly batteryBudgetUsed: Gauge;
  private readonly refusedCommands: Gauge;
  private readonly births: Gauge;

  constructor(private readonly registry: Registry) {
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers: [registry] });
    this.connected = gauge('gridcoop_fleet_link_connected', '1 while the site is connected to its fleet broker');
    this.hostOnline = gauge(
      'gridcoop_fleet_host_online',
      "1 while the aggregator's STATE says it is online, 0 when offline (absent until known)",
    );
    this.followingVpp = gauge('gridcoop_fleet_following_vpp', '1 while the site follows a VPP target');
    this.vppTarget = gauge(
      'gridcoop_fleet_vpp_target_watts',
      'The VPP target the site follows at its connection point, import positive (absent when none)',
    );
    this.ownerMode = gauge('gridcoop_fleet_owner_mode', "1 for the owner's mode in force, 0 for the others", ['mode']);
    this.batteryCycles = gauge(
      'gridcoop_fleet_battery_cycles_today',
      "Equivalent full battery cycles so far today (UTC), judged against the owner's daily budget",
    );
    this.batteryBudgetUsed = gauge(
      'gridcoop_fleet_battery_budget_used',
      "1 when the owner's daily battery-cycle budget is used: no battery flexibility until tomorrow",
    );
    this.refusedCommands = gauge(
      'gridcoop_fleet_refused_commands',
      'VPP commands refused (expired, from the future, older, malformed, while opted out) since start',
    );
    this.births = gauge('gridcoop_fleet_births', 'Births (NBIRTH) published since start: one per session and rebirth');
  }

  observe(status: SiteLinkStatus): void {
    this.connected.set(status.connected ? 1 : 0);
    const hostOnline = status.hostOnline === null ? null : status.hostOnline ? 1 : 0;
    this.#setOrRemove(this.hostOnline, 'gridcoop_fleet_host_online', hostOnline);
    this.followingVpp.set(status.target === null ? 0 : 1);
    this.#setOrRemove(this.vppTarget, 'gridcoop_fleet_vpp_target_watts', status.target?.gridTargetW ?? null);
    for (const mode of OWNER_MODES) this.ownerMode.set({ mode }, mode === (status.owner.mode as OwnerMode) ? 1 : 0);
    this.batteryCycles.set(status.owner.batteryCyclesToday);
    this.batteryBudgetUsed.set(status.owner.batteryBudgetUsed ? 1 : 0);
    this.refusedCommands.set(status.refusedCommands);
    this.births.set(status.births);
  }

  /** A series that means nothing now is absent (a reset gauge without labels would still say 0). */
  #setOrRemove(gauge: Gauge, name: string, value: number | null): void {
    if (value === null) this.registry.removeSingleMetric(name);
    else {
      if (!this.registry.getSingleMetric(name)) this.registry.registerMetric(gauge);
      gauge.set(value);
    }
  }
}
