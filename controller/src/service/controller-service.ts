import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { ControllerConfig } from '../config/controller-config.ts';
import { plantSpecOf } from '../config/plant-spec-of.ts';
import { OperatorSetpoints, type OperatorTarget, type ScheduleEntry } from '../control/operator-setpoints.ts';
import { ControlCycle, type CycleReport } from '../cycle/control-cycle.ts';
import type { CycleStatsSnapshot } from '../cycle/cycle-stats.ts';
import type { DeviceSnapshot } from '../cycle/process-image.ts';
import { RealTimeScheduler } from '../cycle/real-time-scheduler.ts';
import type { Scheduler } from '../cycle/scheduler.ts';
import type { ModelStatus } from '../forecasting/forecast-service.ts';
import { InMemoryHistoryStore, type HistoryStore } from '../forecasting/history-store.ts';
import { SqliteHistoryStore } from '../forecasting/sqlite-history-store.ts';
import { createSiteLink } from '../fleet/create-site-link.ts';
import type { OwnerLimits } from '../fleet/owner-limits.ts';
import type { OwnerStatus, SiteLinkStatus } from '../fleet/site-link.ts';
import { siteSnapshotOf } from '../fleet/site-snapshot.ts';
import { createLogger } from '../logging/logger.ts';
import { guardProcess } from '../logging/process-guard.ts';
import type { AlertSeverity, MaintenanceAlert } from '../maintenance/maintenance-alert.ts';
import { ControllerMetrics } from '../metrics/controller-metrics.ts';
import { FleetLinkMetrics } from '../metrics/fleet-link-metrics.ts';
import type { Plan } from '../planner/plan.ts';
import { Planner } from '../planner/planner.ts';
import { pairDevices } from '../plant/plant-device.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import { AllocationPolicyError, parseAllocationPolicy, type PolicyInForce } from '../policy/allocation-policy.ts';
import type { OutboxRecord, OutboxStatus } from '../ledger/outbox.ts';
import type { BatteryOperatingState } from '../statecharts/battery.machine.ts';
import type { DeviceSupervisorState } from '../statecharts/device-supervisor.machine.ts';
import type { MinerSwitchPosition } from '../statecharts/miner-switch.machine.ts';
import type { PlantOperatingState } from '../statecharts/plant-supervisor.machine.ts';
import { CycleLoop } from './cycle-loop.ts';
import { driversFor } from './device-drivers.ts';
import { forecastServicesFor, scheduleRetraining } from './forecast-services.ts';
import { LedgerRecording, ratedPowerOf, type AnchoredBatch, type LedgerView } from './ledger-recording.ts';
import { MaintenanceWatch } from './maintenance-watch.ts';
import { JsonLinesMaintenanceLog } from '../maintenance/maintenance-log.ts';
import { MeasuredHistory, type MeasuredStep } from './measured-history.ts';
import { AuditLog } from './audit-log.ts';
import { DeviceHistory, type HistorySeries } from './device-history.ts';
import type { DeviceEnergy } from './energy-counters.ts';
import { PlantMetrics } from './plant-metrics.ts';
import { OperatorConflictError, UnknownDeviceError, WrongNatureError } from './operator-errors.ts';
import { PlanningLoop, type PlanningState } from './planning-loop.ts';
import { setpointReasons, type SetpointsReport } from './setpoint-reasons.ts';
import { sitePowers, type SitePowers } from './site-powers.ts';

export interface ControllerServiceOptions {
  /** Where time comes from; a ManualScheduler makes the whole service step by hand. Default: the wall clock. */
  scheduler?: Scheduler;
  logger?: Logger;
  /** False: no periodic cycle; the caller runs cycles with runCycle() (tests on a manual clock). Default true. */
  tick?: boolean;
  /** Wall-clock stopwatch for cycle-time statistics; never feeds a decision. */
  stopwatch?: () => number;
  /** Install process-level handlers so a stray rejection is logged, not fatal. Default true. */
  guardProcess?: boolean;
  /** Where secrets are read from (the oracle mnemonic). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface DeviceView {
  id: string;
  nature: DeviceSnapshot['kind'];
  /** The device supervisor: connecting, online, stale, faulted or outOfService. */
  state: DeviceSupervisorState;
  inService: boolean;
  /** Only for batteries: standby, running, stopped, error (an error needs the fault gone and an acknowledgement). */
  batteryState: BatteryOperatingState | null;
  /** Only for miners: the on/off switch and its minimum-time locks. */
  minerSwitch: MinerSwitchPosition | null;
  /** The last reading (held over while stale), when it was taken, and whether this cycle read it. */
  reading: DeviceSnapshot['reading'];
  readAtMs: number | null;
  fresh: boolean;
  failure: DeviceSnapshot['failure'];
  /** How a failing device is retried: step per consecutive failure, capped. */
  retry: { backoffStepMs: number; backoffCapMs: number; cyclesWithoutFreshReading: number };
}

export interface ServiceStatus {
  plantState: PlantOperatingState;
  atMs: number;
  lastCycle: { index: number; atMs: number } | null;
  policy: { version: number; source: 'local-config' | 'chain' };
  /** skippedByService: ticks skipped while a cycle still ran; droppedByService: ticks lost to a late (stalled) loop. */
  cycle: CycleStatsSnapshot & { periodMs: number; skippedByService: number; droppedByService: number };
  devices: Record<DeviceSupervisorState, number>;
  powers: SitePowers | null;
  operatorTarget: OperatorTarget | null;
  plan: { createdAtMs: number; solverStatus: string; steps: number } | null;
  alerts: Record<AlertSeverity, number>;
  unexpectedErrors: number;
  /** The connection point as configured locally (never from the DAO): which meter, and the grid caps. */
  gridConnection: { gridMeterId: string; importCapW: number; exportCapW: number };
  /** The fleet link (broker connection, birth, the aggregator's STATE, the VPP target followed); null without one. */
  fleet: SiteLinkStatus | null;
}

export interface ForecastView {
  sources: PlanningState['sources'];
  /** Which model each forecast service uses and why (null before start or with the planner disabled). */
  models: { load: ModelStatus; pv: ModelStatus } | null;
  /** Per completed step: what the plan in force expected and what was measured. */
  steps: Array<{
    startMs: number;
    loadForecastW: number | null;
    loadActualW: number;
    pvForecastW: number | null;
    pvActualW: number;
  }>;
}

export type ReportListener = (report: CycleReport) => void;

export interface ControllerService {
  readonly config: ControllerConfig;
  readonly plant: PlantSpec;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly metrics: ControllerMetrics;
  /** Average power and SoC per device in buckets of stepMs over [fromMs, toMs); throws HistoryQueryError. */
  history(fromMs: number, toMs: number, stepMs: number): { series: HistorySeries[] };
  /** What each device's energy counters counted over [fromMs, toMs), from the stored minutes; throws HistoryQueryError. */
  energy(fromMs: number, toMs: number): { fromMs: number; toMs: number; devices: DeviceEnergy[] };
  /** Every operator write and plant-state change (JSON lines at api.auditLogPath, and the structured log). */
  readonly audit: AuditLog;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One cycle now (for tick: false). */
  runCycle(): Promise<CycleReport>;
  /** Plans now (the loop also does it every planner.everyMs). */
  replan(): Plan | null;
  status(): ServiceStatus;
  devices(): DeviceView[];
  /** Throws UnknownDeviceError. */
  device(id: string): DeviceView;
  setpoints(): SetpointsReport | null;
  plan(): PlanningState;
  policy(): PolicyInForce;
  cycleStats(): ServiceStatus['cycle'];
  forecast(): ForecastView;
  alerts(): MaintenanceAlert[];
  /** On-chain recording: mode, outbox, submitter and policy watcher. */
  ledger(): LedgerView;
  ledgerRecords(filter: { nodeId?: number; status?: OutboxStatus; limit?: number }): OutboxRecord[];
  /** A Kava anchor batch by its transaction hash, with its digest and memo; null when unknown. */
  ledgerBatch(txHash: string): AnchoredBatch | null;
  /** Operator write: rejected interval records (of one node, or all) become pending again; how many. */
  requeueRejected(filter: { nodeId?: number }): { requeued: number };
  lastReport(): CycleReport | null;
  /** Operator writes; each validates first and changes nothing when refused (throws). */
  /** The target as asked, and what the plant actually holds for it (a target beyond a cap is held at the cap). */
  setGridSetpoint(request: { targetW: number; validForS?: number | undefined }): {
    operatorTarget: OperatorTarget;
    applied: { targetW: number; reason: string };
  };
  setSchedule(entries: ReadonlyArray<{ fromMs: number; toMs: number; targetW: number }>): readonly ScheduleEntry[];
  /** The operator's schedule in force (gridW = target at the connection point, import positive). */
  schedule(): readonly ScheduleEntry[];
  /** The owner's say over the fleet link (mode, limits); OperatorConflictError without a fleet section. */
  setFleetOwner(change: Partial<OwnerLimits>): OwnerStatus;
  /** Throws OperatorConflictError when there is no fault to acknowledge or it is still present. */
  acknowledgeBatteryFault(deviceId: string): BatteryOperatingState;
  /** Taking the grid meter out of service puts the plant into failsafe: refused (OperatorConflictError) unless forced. */
  setInService(deviceId: string, inService: boolean, options?: { force?: boolean }): DeviceSupervisorState;
  onReport(listener: ReportListener): () => void;
  /**
   * Applies an allocation policy that passed governance (the chain watcher calls this). It is checked against the
   * policy bounds again; a refused policy throws AllocationPolicyError and the policy in force stays.
   */
  applyPolicy(version: number, policy: unknown): PolicyInForce;
}

/**
 * The controller as one service: drivers from the configuration, each paired with its spec, under the control
 * cycle (device supervisors, battery and miner statecharts, controllers in priority order); the planner every
 * 15 minutes from the forecasts and the batteries' state; predictive-maintenance monitors; metrics; structured logs.
 * Nothing the devices do can crash it: device errors stay in the cycle's reports, stray rejections are logged.
 */
export function createControllerService(
  config: ControllerConfig,
  options: ControllerServiceOptions = {},
): ControllerService {
  const scheduler = options.scheduler ?? new RealTimeScheduler();
  const logger = options.logger ?? createLogger(config.logging.level);
  const plant = plantSpecOf(config);
  const periodMs = config.cycle.periodMs;
  const drivers = driversFor(config.plant.devices, {
    requestTimeoutMs: config.cycle.readTimeoutMs,
    ...(options.scheduler ? { timer: options.scheduler } : {}),
    onRefreshError: (error) =>
      logger.warn({ deviceId: error.deviceId, kind: error.kind }, `setpoint refresh failed: ${error.detail}`),
  });
  const operatorSetpoints = new OperatorSetpoints({
    maxValidityS: config.operatorSetpoint.maxValidForS,
    maxAbsGridW: config.operatorSetpoint.maxAbsGridW,
    maxScheduleEntries: config.operatorSetpoint.maxScheduleEntries,
  });
  // With a fleet section, the VPP aggregator's target joins the operator's as the cycle's grid target (below it).
  const siteLink = config.fleet
    ? createSiteLink(config.fleet, plant, {
        now: () => scheduler.now(),
        logger: logger.child({ component: 'fleet' }),
        ...(options.env ? { env: options.env } : {}),
      })
    : null;
  operatorSetpoints.followFleet(siteLink);
  const cycle = new ControlCycle({
    plant,
    devices: pairDevices(plant.devices, drivers),
    scheduler,
    timing: config.cycle,
    policy: { version: 0, policy: config.policy },
    operatorSetpoints,
    supervisorTiming: config.deviceRetry,
    minerTiming: config.miners,
    stopwatch: options.stopwatch ?? (() => performance.now()),
  });
  const store: HistoryStore = config.forecasting.historyPath
    ? new SqliteHistoryStore(config.forecasting.historyPath)
    : new InMemoryHistoryStore();
  const history = new MeasuredHistory(store, config.planner.stepMs);
  const metrics = new ControllerMetrics(plant.devices.map((d) => d.id));
  const audit = new AuditLog(config.api.auditLogPath, logger.child({ component: 'audit' }));
  const deviceHistory = new DeviceHistory(config.history.path, config.history.retentionDays);
  const plantMetrics = new PlantMetrics(metrics.registry, () => loop.droppedTicks);
  const fleetMetrics = siteLink ? new FleetLinkMetrics(metrics.registry) : null;
  let lastPlantState: string | null = null;
  const ledger = new LedgerRecording(
    config.ledger,
    logger.child({ component: 'ledger' }),
    (policy) => cycle.setPolicy(policy),
    options.env,
    ratedPowerOf(config.plant.devices),
  );
  const maintenanceRecorders = [
    ...(config.maintenance.logPath ? [new JsonLinesMaintenanceLog(config.maintenance.logPath)] : []),
    ...(ledger.maintenanceRecorder() ? [ledger.maintenanceRecorder()!] : []),
  ];
  const maintenance = new MaintenanceWatch(plant, periodMs, logger, maintenanceRecorders);
  const listeners = new Set<ReportListener>();
  const withoutFresh = new Map<string, number>();
  const warned = new Set<string>();
  const natureOf = new Map(plant.devices.map((d) => [d.id, d.kind]));
  let planning: PlanningLoop | null = null;
  let forecasters: ReturnType<typeof forecastServicesFor> | null = null;
  let lastReport: CycleReport | null = null;
  let lastPowers: SitePowers | null = null;
  let unguard: (() => void) | null = null;
  let stopRetraining: (() => void) | null = null;
  let started = false;

  const onReport = (report: CycleReport): void => {
    lastReport = report;
    if (lastPlantState !== null && report.plantState !== lastPlantState) {
      audit.record({
        kind: 'plant-state',
        atMs: report.atMs,
        from: lastPlantState,
        to: report.plantState,
        cycleIndex: report.cycleIndex,
      });
    }
    lastPlantState = report.plantState;
    try {
      deviceHistory.observe(report.image);
    } catch (error) {
      logger.error({ err: error }, 'device history: this cycle was not recorded');
    }
    const cycleLog = logger.child({ cycle: report.cycleIndex });
    lastPowers = sitePowers(report.image, plant.gridMeterId);
    history.observe(report.atMs, lastPowers);
    for (const [id, snapshot] of Object.entries(report.image.devices)) {
      const before = withoutFresh.get(id) ?? 0;
      const now = snapshot.fresh || snapshot.health === 'outOfService' ? 0 : before + 1;
      withoutFresh.set(id, now);
      // A device still making its first connection is not news; one that fails or drops is, once, until it is back.
      if (now > 0 && snapshot.failure !== null && !warned.has(id)) {
        warned.add(id);
        cycleLog.warn({ deviceId: id, health: snapshot.health, failure: snapshot.failure }, 'device not read');
      }
      if (now === 0 && warned.delete(id)) cycleLog.info({ deviceId: id, afterCycles: before }, 'device read again');
    }
    for (const write of report.writes) {
      if (write.result === 'failed')
        cycleLog.warn({ deviceId: write.deviceId, failure: write.failure }, 'setpoint write failed');
    }
    ledger.observe(report.image, report.decision?.dispatch.powersW ?? null);
    try {
      maintenance.observe(report.image, plant);
    } catch (error) {
      cycleLog.error({ err: error }, 'maintenance monitors failed on this image');
    }
    metrics.observeCycle(report, plant.gridMeterId, cycle.cycleStats(), loop.skippedTicks);
    plantMetrics.observe(report, plant.gridMeterId);
    metrics.observeAlerts(maintenance.alerts.countsBySeverity());
    metrics.observeLedger(ledger.view(), cycle.policyInForce.version);
    cycleLog.debug(
      {
        plantState: report.plantState,
        durationMs: report.durationMs,
        gridTargetW: report.decision?.dispatch.gridTargetW,
      },
      'cycle',
    );
    if (siteLink) {
      const snapshot = siteSnapshotOf(report, plant.gridMeterId, planning?.planning.plan ?? null);
      if (snapshot) siteLink.observe(snapshot);
      fleetMetrics?.observe(siteLink.status());
    }
    for (const listener of listeners) {
      try {
        listener(report);
      } catch (error) {
        cycleLog.error({ err: error }, 'a report listener failed');
      }
    }
  };
  const loop = new CycleLoop(cycle, scheduler, periodMs, onReport, (error) =>
    logger.error({ err: error }, 'control cycle failed (the cadence goes on)'),
  );

  const requireDevice = (deviceId: string): DeviceSnapshot['kind'] => {
    const nature = natureOf.get(deviceId);
    if (!nature) throw new UnknownDeviceError(deviceId);
    return nature;
  };

  const deviceView = (id: string): DeviceView => {
    const nature = requireDevice(id);
    const snapshot = lastReport?.image.devices[id];
    const state = cycle.deviceState(id);
    return {
      id,
      nature,
      state,
      inService: state !== 'outOfService',
      batteryState: nature === 'battery' ? cycle.batteryState(id) : null,
      minerSwitch: nature === 'flexible-load' ? cycle.minerSwitchPosition(id) : null,
      reading: snapshot?.reading ?? null,
      readAtMs: snapshot?.readAtMs ?? null,
      fresh: snapshot?.fresh ?? false,
      failure: snapshot?.failure ?? null,
      retry: {
        backoffStepMs: config.deviceRetry.backoffStepMs,
        backoffCapMs: config.deviceRetry.backoffCapMs,
        cyclesWithoutFreshReading: withoutFresh.get(id) ?? 0,
      },
    };
  };

  const cycleStats = (): ServiceStatus['cycle'] => ({
    ...cycle.cycleStats(),
    periodMs,
    skippedByService: loop.skippedTicks,
    droppedByService: loop.droppedTicks,
  });

  const service: ControllerService = {
    config,
    plant,
    scheduler,
    logger,
    metrics,
    audit,

    async start() {
      if (started) return;
      started = true;
      if (options.guardProcess !== false) unguard = guardProcess(logger, (kind) => metrics.countIncident(kind));
      cycle.start({ tick: false });
      await ledger.start();
      siteLink?.start();
      if (options.tick !== false) loop.start();
      if (config.planner.enabled) {
        const planner = await Planner.create();
        forecasters = forecastServicesFor(config, store, scheduler);
        stopRetraining = scheduleRetraining(forecasters, scheduler, (name, status) =>
          logger.info({ forecast: name, model: status }, 'forecast model retrained'),
        );
        planning = new PlanningLoop({
          config,
          plant,
          planner,
          cycle,
          operatorSetpoints,
          history,
          forecasters,
          scheduler,
          logger: logger.child({ component: 'planner' }),
        });
        // The first plan waits for a few cycles, so the batteries' state of charge is known.
        planning.start(5 * periodMs);
      }
      logger.info(
        { devices: plant.devices.length, periodMs, importCapW: plant.importCapW, exportCapW: plant.exportCapW },
        'controller started',
      );
    },

    async stop() {
      if (!started) return;
      started = false;
      loop.stop();
      planning?.stop();
      stopRetraining?.();
      await siteLink?.stop();
      await cycle.stop();
      await ledger.stop();
      if (store instanceof SqliteHistoryStore) store.close();
      deviceHistory.close();
      plantMetrics.close();
      logger.info('controller stopped; devices revert by their own timers');
      unguard?.();
      unguard = null;
    },

    runCycle: () => loop.runOnce(),

    replan() {
      if (!planning)
        throw new Error(
          'the planner is disabled in this configuration (planner.enabled: false) or the service has not started',
        );
      return planning.replan();
    },

    status() {
      const devices: Record<DeviceSupervisorState, number> = {
        connecting: 0,
        online: 0,
        stale: 0,
        faulted: 0,
        outOfService: 0,
      };
      for (const spec of plant.devices) devices[cycle.deviceState(spec.id)] += 1;
      const plan = planning?.planning.plan ?? null;
      const policy = cycle.policyInForce;
      return {
        plantState: cycle.plantState(),
        atMs: scheduler.now(),
        lastCycle: lastReport ? { index: lastReport.cycleIndex, atMs: lastReport.atMs } : null,
        policy: { version: policy.version, source: policy.version === 0 ? 'local-config' : 'chain' },
        cycle: cycleStats(),
        devices,
        powers: lastPowers,
        operatorTarget: operatorSetpoints.targetAt(scheduler.now()),
        plan: plan
          ? { createdAtMs: plan.createdAtMs, solverStatus: plan.solverStatus, steps: plan.steps.length }
          : null,
        alerts: maintenance.alerts.countsBySeverity(),
        unexpectedErrors: cycle.unexpectedErrors.length,
        gridConnection: { gridMeterId: plant.gridMeterId, importCapW: plant.importCapW, exportCapW: plant.exportCapW },
        fleet: siteLink?.status() ?? null,
      };
    },

    devices: () => plant.devices.map((d) => deviceView(d.id)),
    device: (id) => deviceView(id),
    setpoints: () => (lastReport ? setpointReasons(lastReport, operatorSetpoints.targetAt(lastReport.atMs)) : null),
    plan: () =>
      planning?.planning ?? {
        plan: null,
        sources: null,
        bands: null,
        lastAttemptAtMs: null,
        lastError: config.planner.enabled ? 'not started' : 'planner disabled in the configuration',
      },
    policy: () => cycle.policyInForce,
    cycleStats,

    forecast() {
      const plan = planning?.planning.plan ?? null;
      const stepOf = (startMs: number) => plan?.steps.find((s) => s.startMs === startMs) ?? null;
      const measured: readonly MeasuredStep[] = history.completedSteps();
      return {
        sources: planning?.planning.sources ?? null,
        models: forecasters ? { load: forecasters.load.status(), pv: forecasters.pv.status() } : null,
        steps: measured.map((m) => {
          const planned = stepOf(m.startMs);
          return {
            startMs: m.startMs,
            loadForecastW: planned?.loadForecastW ?? null,
            loadActualW: m.siteLoadW,
            pvForecastW: planned?.pvForecastW ?? null,
            pvActualW: m.pvW,
          };
        }),
      };
    },

    alerts: () => maintenance.alerts.list(),
    ledger: () => ledger.view(),
    ledgerRecords: (filter) => ledger.records(filter),
    ledgerBatch: (txHash) => ledger.batch(txHash),
    requeueRejected: (filter) => ledger.requeueRejected(filter),
    lastReport: () => lastReport,
    // Completed minutes only: the minute in progress is written when it ends.
    history: (fromMs, toMs, stepMs) => ({ series: deviceHistory.query(fromMs, toMs, stepMs) }),
    energy: (fromMs, toMs) => ({ fromMs, toMs, devices: deviceHistory.energy(fromMs, toMs) }),

    setFleetOwner(change) {
      if (!siteLink)
        throw new OperatorConflictError('this controller has no fleet section: nothing to opt out of', 'fleet');
      return siteLink.setOwner(change);
    },

    setGridSetpoint(request) {
      const target = operatorSetpoints.setLive(
        { gridW: request.targetW, validForS: request.validForS ?? config.operatorSetpoint.defaultValidForS },
        scheduler.now(),
      );
      const heldW = Math.min(plant.importCapW, Math.max(-plant.exportCapW, target.gridW));
      const reason =
        heldW === target.gridW
          ? `held as asked: ${heldW} W at the connection point until ${new Date(target.untilMs).toISOString()}`
          : heldW < target.gridW
            ? `${target.gridW} W is beyond the import cap of ${plant.importCapW} W: holding ${heldW} W`
            : `${target.gridW} W is beyond the export cap of ${plant.exportCapW} W: holding ${heldW} W`;
      logger.info({ operatorTarget: target, heldW }, 'operator grid setpoint');
      return { operatorTarget: target, applied: { targetW: heldW, reason } };
    },

    setSchedule(entries) {
      const schedule = operatorSetpoints.setSchedule(
        entries.map((e) => ({ fromMs: e.fromMs, toMs: e.toMs, gridW: e.targetW })),
        scheduler.now(),
      );
      logger.info({ entries: schedule.length }, 'operator schedule replaced');
      return schedule;
    },

    schedule: () => operatorSetpoints.scheduleEntries,

    acknowledgeBatteryFault(deviceId) {
      const nature = requireDevice(deviceId);
      if (nature !== 'battery') throw new WrongNatureError(deviceId, nature, 'acknowledging a fault');
      const fault = cycle.batteryFault(deviceId);
      if (fault === 'none') {
        throw new OperatorConflictError(
          `${deviceId} has no fault to acknowledge (it is ${cycle.batteryState(deviceId)}): nothing changed`,
          'id',
        );
      }
      if (fault === 'present') {
        throw new OperatorConflictError(
          `${deviceId} still reports its fault: acknowledge it once the fault is gone (nothing changed)`,
          'id',
        );
      }
      cycle.acknowledgeBatteryFault(deviceId);
      const state = cycle.batteryState(deviceId);
      logger.info({ deviceId, batteryState: state }, 'operator acknowledged a battery fault');
      return state;
    },

    setInService(deviceId, inService, options = {}) {
      requireDevice(deviceId);
      if (!inService && deviceId === plant.gridMeterId && options.force !== true) {
        throw new OperatorConflictError(
          `${deviceId} is the grid meter: without it the plant goes into failsafe (batteries held, nothing balanced). Send "force": true to take it out of service anyway`,
          'inService',
        );
      }
      if (inService) cycle.putInService(deviceId);
      else cycle.takeOutOfService(deviceId);
      const state = cycle.deviceState(deviceId);
      logger.info(
        { deviceId, inService, state, forced: options.force === true },
        inService ? 'operator put a device in service' : 'operator took a device out of service',
      );
      return state;
    },

    applyPolicy(version, input) {
      if (!Number.isInteger(version) || version < 1) {
        throw new AllocationPolicyError([`version: ${version} is not a governance version (1, 2, ...)`]);
      }
      const inForce = { version, policy: parseAllocationPolicy(input) };
      cycle.setPolicy(inForce);
      logger.info({ policyVersion: version }, 'allocation policy applied');
      return inForce;
    },

    onReport(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return service;
}
