import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleReport } from '../cycle/control-cycle.ts';
import type { CycleStatsSnapshot } from '../cycle/cycle-stats.ts';
import type { AlertSeverity } from '../maintenance/maintenance-alert.ts';
import type { MeterReading } from '../natures/index.ts';
import type { LedgerView } from '../service/ledger-recording.ts';
import type { DeviceSupervisorState } from '../statecharts/device-supervisor.machine.ts';

const DEVICE_STATES: readonly DeviceSupervisorState[] = ['connecting', 'online', 'stale', 'faulted', 'outOfService'];
const PLANT_STATES = ['starting', 'running', 'degraded', 'failsafe', 'stopping', 'stopped'] as const;

/**
 * The controller's Prometheus series, on a registry of its own (so two services in one process never collide).
 * Updated once per cycle from the cycle report; scraped at GET /metrics.
 */
export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly cycleDuration = new Histogram({
    name: 'gridcoop_cycle_duration_seconds',
    help: 'Wall-clock time of one control cycle (read, decide, write)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2],
    registers: [this.registry],
  });
  private readonly cycleOverruns = new Gauge({
    name: 'gridcoop_cycle_overruns',
    help: 'Cycles that took longer than the period, since start',
    registers: [this.registry],
  });
  private readonly skippedTicks = new Gauge({
    name: 'gridcoop_cycle_skipped_ticks',
    help: 'Ticks skipped because a cycle was still running, since start',
    registers: [this.registry],
  });
  private readonly deviceState = new Gauge({
    name: 'gridcoop_device_state',
    help: '1 for the state each device is in, 0 for the others',
    labelNames: ['device', 'state'],
    registers: [this.registry],
  });
  private readonly plantState = new Gauge({
    name: 'gridcoop_plant_state',
    help: '1 for the state the plant is in',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly gridPower = new Gauge({
    name: 'gridcoop_grid_power_watts',
    help: 'Power at the connection point, import positive',
    registers: [this.registry],
  });
  private readonly gridTarget = new Gauge({
    name: 'gridcoop_grid_target_watts',
    help: 'Power the controller aims at, at the connection point',
    registers: [this.registry],
  });
  private readonly gridDeviation = new Gauge({
    name: 'gridcoop_grid_deviation_watts',
    help: 'Measured minus target power at the connection point (target of the previous cycle)',
    registers: [this.registry],
  });
  private readonly setpoint = new Gauge({
    name: 'gridcoop_device_setpoint_watts',
    help: 'Power dispatched to each device, generation positive (PV cap, battery discharge, miner consumption negative)',
    labelNames: ['device'],
    registers: [this.registry],
  });
  private readonly alerts = new Gauge({
    name: 'gridcoop_maintenance_alerts',
    help: 'Open maintenance alerts by severity',
    labelNames: ['severity'],
    registers: [this.registry],
  });
  private readonly incidents = new Counter({
    name: 'gridcoop_process_incidents_total',
    help: 'Unhandled rejections and exceptions caught (the controller kept running)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly outboxRecords = new Gauge({
    name: 'gridcoop_outbox_records',
    help: 'Metering interval records in the durable outbox by status (pending, done, rejected)',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly outboxOldestPending = new Gauge({
    name: 'gridcoop_outbox_oldest_pending_interval_seconds',
    help: 'Start (unix seconds) of the oldest interval not yet on chain; absent when none is pending',
    registers: [this.registry],
  });
  private readonly submitFailures = new Gauge({
    name: 'gridcoop_ledger_consecutive_submit_failures',
    help: 'Batches in a row the chain did not take (0 when the last one went through)',
    registers: [this.registry],
  });
  private readonly policyVersion = new Gauge({
    name: 'gridcoop_policy_version',
    help: 'Version of the allocation policy in force (0 = local configuration)',
    registers: [this.registry],
  });
  private previousTargetW: number | null = null;

  constructor(deviceIds: readonly string[]) {
    for (const device of deviceIds)
      for (const state of DEVICE_STATES) this.deviceState.set({ device, state }, state === 'connecting' ? 1 : 0);
    for (const state of PLANT_STATES) this.plantState.set({ state }, state === 'starting' ? 1 : 0);
    for (const severity of ['info', 'warning', 'critical']) this.alerts.set({ severity }, 0);
    // A counter with labels has no series until its first increment: start both at 0 so rate() and dashboards see it.
    for (const kind of ['unhandledRejection', 'uncaughtException']) this.incidents.inc({ kind }, 0);
    // Nothing is pending until the outbox says otherwise (observeLedger registers it then).
    this.registry.removeSingleMetric('gridcoop_outbox_oldest_pending_interval_seconds');
  }

  observeCycle(report: CycleReport, gridMeterId: string, stats: CycleStatsSnapshot, skippedTicks: number): void {
    this.cycleDuration.observe(report.durationMs / 1000);
    this.cycleOverruns.set(stats.overruns);
    this.skippedTicks.set(skippedTicks);
    for (const [device, snapshot] of Object.entries(report.image.devices)) {
      for (const state of DEVICE_STATES) this.deviceState.set({ device, state }, snapshot.health === state ? 1 : 0);
    }
    for (const state of PLANT_STATES) this.plantState.set({ state }, report.plantState === state ? 1 : 0);
    const meter = report.image.devices[gridMeterId];
    const gridW = meter?.fresh ? (meter.reading as MeterReading | null)?.powerW : null;
    if (gridW !== null && gridW !== undefined) {
      this.gridPower.set(gridW);
      // The meter read at the start of this cycle shows what the previous cycle's target achieved.
      if (this.previousTargetW !== null) this.gridDeviation.set(gridW - this.previousTargetW);
    }
    this.previousTargetW = report.decision?.dispatch.gridTargetW ?? null;
    // Only devices dispatched this cycle have a setpoint: a stale or out-of-service device's series disappears.
    this.setpoint.reset();
    if (report.decision) {
      this.gridTarget.set(report.decision.dispatch.gridTargetW);
      for (const [device, powerW] of Object.entries(report.decision.dispatch.powersW))
        this.setpoint.set({ device }, powerW);
    }
  }

  observeAlerts(counts: Record<AlertSeverity, number>): void {
    for (const [severity, count] of Object.entries(counts)) this.alerts.set({ severity }, count);
  }

  observeLedger(ledger: LedgerView, policyVersion: number): void {
    this.policyVersion.set(policyVersion);
    if (!ledger.outbox) return;
    for (const status of ['pending', 'done', 'rejected'] as const)
      this.outboxRecords.set({ status }, ledger.outbox[status]);
    // Absent when nothing is pending (a reset gauge without labels would still say 0, i.e. 1970).
    const oldestName = 'gridcoop_outbox_oldest_pending_interval_seconds';
    if (ledger.outbox.oldestPendingStartS === null) this.registry.removeSingleMetric(oldestName);
    else {
      if (!this.registry.getSingleMetric(oldestName)) this.registry.registerMetric(this.outboxOldestPending);
      this.outboxOldestPending.set(ledger.outbox.oldestPendingStartS);
    }
    this.submitFailures.set(ledger.submitter?.consecutiveFailures ?? 0);
  }

  countIncident(kind: 'unhandledRejection' | 'uncaughtException'): void {
    this.incidents.inc({ kind });
  }

  /** The exposition text and its content type, for GET /metrics. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
