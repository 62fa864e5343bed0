import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FleetSnapshot } from './fleet-snapshot.ts';
import type { SiteStatus } from './fleet-sites.ts';

const SITE_STATUSES: readonly SiteStatus[] = ['online', 'awaiting-rebirth', 'silent', 'dead'];

/** The aggregator's Prometheus series, on a registry of its own; scraped at GET /metrics. */
export class AggregatorMetrics {
  readonly registry = new Registry();
  readonly cycleDuration = new Histogram({
    name: 'gridcoop_fleet_cycle_duration_seconds',
    help: 'Wall-clock time of one aggregator cycle (dispatch and sending the shares)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly dispatchDuration = new Histogram({
    name: 'gridcoop_fleet_dispatch_duration_seconds',
    help: 'Wall-clock time of the dispatch LP',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly skippedCycles = new Counter({
    name: 'gridcoop_fleet_skipped_cycles_total',
    help: 'Cycles skipped because the previous one was still running',
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'gridcoop_fleet_commands_total',
    help: 'NCMD messages sent to sites, by kind (target, rebirth)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly messages = new Counter({
    name: 'gridcoop_fleet_messages_total',
    help: 'Sparkplug messages received from sites, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly badMessages = new Counter({
    name: 'gridcoop_fleet_bad_messages_total',
    help: 'Messages dropped because their topic or payload was malformed',
    registers: [this.registry],
  });
  readonly missedShares = new Counter({
    name: 'gridcoop_fleet_missed_shares_total',
    help: 'Times a site was found not delivering its share and its part re-dispatched',
    registers: [this.registry],
  });
  private readonly sites = new Gauge({
    name: 'gridcoop_fleet_sites',
    help: 'Sites by status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly target = new Gauge({
    name: 'gridcoop_fleet_target_watts',
    help: "The grid operator's target for the sum of all sites (import positive); NaN when there is none",
    registers: [this.registry],
  });
  private readonly dispatched = new Gauge({
    name: 'gridcoop_fleet_dispatched_watts',
    help: 'Sum of the shares sent to sites',
    registers: [this.registry],
  });
  private readonly delivered = new Gauge({
    name: 'gridcoop_fleet_delivered_watts',
    help: "Sum of the online sites' measured grid power",
    registers: [this.registry],
  });
  private readonly zoneDelivered = new Gauge({
    name: 'gridcoop_fleet_zone_delivered_watts',
    help: "Sum of a zone's online sites' measured grid power",
    labelNames: ['zone'],
    registers: [this.registry],
  });

  update(snapshot: FleetSnapshot): void {
    for (const status of SITE_STATUSES)
      this.sites.set({ status }, snapshot.sites.filter((site) => site.status === status).length);
    this.target.set(snapshot.target?.targetW ?? Number.NaN);
    this.dispatched.set(snapshot.dispatch?.dispatchedW ?? 0);
    this.delivered.set(snapshot.deliveredW);
    for (const zone of snapshot.zones) this.zoneDelivered.set({ zone: zone.zone }, zone.deliveredW);
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
