import { performance } from 'node:perf_hooks';
import { createActor, waitFor, type Actor } from 'xstate';
import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';
import {
  defaultControlTuning,
  type ControlInputs,
  type ControlTuning,
  type PowerEstimates,
} from '../control/control-inputs.ts';
import { decide, type Decision } from '../control/decide.ts';
import { deviceCommands, type DeviceCommand } from '../control/device-commands.ts';
import { MovingAverage } from '../control/moving-average.ts';
import { OperatorSetpoints } from '../control/operator-setpoints.ts';
import type { Plan } from '../planner/plan.ts';
import { planStepAt } from '../planner/plan.ts';
import type { PlantDevice } from '../plant/plant-device.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import {
  AllocationPolicyError,
  defaultAllocationPolicy,
  parseAllocationPolicy,
  type PolicyInForce,
} from '../policy/allocation-policy.ts';
import { batteryMachine, type BatteryOperatingState } from '../statecharts/battery.machine.ts';
import {
  deviceSupervisorMachine,
  type DeviceFailure,
  type DeviceSupervisorState,
  type DeviceSupervisorTiming,
} from '../statecharts/device-supervisor.machine.ts';
import {
  minerSwitchMachine,
  type MinerSwitchPosition,
  type MinerSwitchTiming,
} from '../statecharts/miner-switch.machine.ts';
import {
  plantSupervisorMachine,
  type PlantOperatingState,
  type PlantSupervisorTiming,
} from '../statecharts/plant-supervisor.machine.ts';
import { CycleStats, type CycleStatsSnapshot } from './cycle-stats.ts';
import { parseCycleTiming, type CycleTiming } from './cycle-timing.ts';
import { deepFreeze, type DeepReadonly } from './deep-freeze.ts';
import { keyPointsUnknownError } from './key-points.ts';
import { plausibleReading } from './plausible-reading.ts';
import { isControllable, type DeviceSnapshot, type ProcessImage } from './process-image.ts';
import type { Scheduler, TimerHandle } from './scheduler.ts';
import { withDeadline } from './with-deadline.ts';

export interface ControlCycleOptions {
  plant: PlantSpec;
  /** Every device of `plant`, paired with its driver (see pairDevices). */
  devices: readonly PlantDevice[];
  scheduler: Scheduler;
  timing?: Partial<CycleTiming>;
  policy?: PolicyInForce;
  operatorSetpoints?: OperatorSetpoints;
  tuning?: Partial<ControlTuning>;
  supervisorTiming?: Partial<DeviceSupervisorTiming>;
  plantTiming?: Partial<PlantSupervisorTiming>;
  /** Hysteresis of the miners' on/off switch; min on/off times come from each miner's spec. */
  minerTiming?: Partial<Omit<MinerSwitchTiming, 'minOnMs' | 'minOffMs'>>;
  /** Wall-clock stopwatch for cycle-time statistics only; never feeds a decision. */
  stopwatch?: () => number;
  /** Called with every finished cycle's report (API stream, metrics); an exception in it is kept, not thrown. */
  onReport?: (report: CycleReport) => void;
}

export interface WriteOutcome {
  deviceId: string;
  /** 'unchanged' = same as the last successful write, not sent again (the driver keeps it alive). */
  result: 'written' | 'unchanged' | 'failed';
  failure?: DeviceFailure;
}

export interface CycleReport {
  cycleIndex: number;
  atMs: number;
  plantState: PlantOperatingState;
  image: ProcessImage;
  /** Everything the decision depended on (frozen): `decide(report.inputs)` replays it exactly. */
  inputs: ControlInputs | null;
  /** Null in starting, failsafe and stopping: no balancing decision was made. */
  decision: Decision | null;
  commands: DeviceCommand[];
  writes: WriteOutcome[];
  /** Wall-clock time the cycle took (reads, decision, writes). */
  durationMs: number;
}

type AnyReading = PvInverterReading | BatteryReading | FlexibleLoadReading | MeterReading;
type ReadOutcome = { ok: true; reading: AnyReading } | { ok: false; error: unknown } | { ok: 'skipped' };

function failureOf(error: unknown): DeviceFailure {
  const kind = (error as { kind?: unknown })?.kind;
  return {
    kind: typeof kind === 'string' ? (kind as DeviceFailure['kind']) : 'unexpected',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A device's power in the range convention (generation positive); unknown counts as 0. */
function measuredOutputW(snapshot: DeepReadonly<DeviceSnapshot>): number {
  const reading = snapshot.reading;
  if (!reading) return 0;
  if (snapshot.kind === 'flexible-load') return -((reading as FlexibleLoadReading).powerW ?? 0);
  if (snapshot.kind === 'meter') return 0;
  return (reading as PvInverterReading | BatteryReading).powerW ?? 0;
}

/**
 * The control cycle: every `periodMs`, read all devices concurrently (each with its own deadline) into a frozen
 * process image, run the controllers in priority order, write the setpoints that changed, and time it.
 * Statecharts supervise each device, each battery, each miner's switch and the plant; all their delays and every
 * deadline run on the injected Scheduler, so a ManualScheduler makes the whole thing deterministic in tests.
 */
export class ControlCycle {
  readonly operatorSetpoints: OperatorSetpoints;
  private readonly plant: PlantSpec;
  private readonly devices: readonly PlantDevice[];
  private readonly devicesById: ReadonlyMap<string, PlantDevice>;
  private readonly scheduler: Scheduler;
  private readonly timing: CycleTiming;
  private readonly tuning: ControlTuning;
  private readonly minerTiming: Partial<Omit<MinerSwitchTiming, 'minOnMs' | 'minOffMs'>>;
  private readonly stopwatch: () => number;
  private readonly onReport: ((report: CycleReport) => void) | undefined;
  private readonly stats: CycleStats;
  private readonly loadAverage: MovingAverage;

  private readonly supervisors = new Map<string, Actor<typeof deviceSupervisorMachine>>();
  private readonly batteries = new Map<string, Actor<typeof batteryMachine>>();
  private readonly minerSwitches = new Map<string, Actor<typeof minerSwitchMachine>>();
  private readonly plantSupervisor: Actor<typeof plantSupervisorMachine>;

  private policy: PolicyInForce;
  private plan: Plan | null = null;
  private cycleIndex = 0;
  private cycleRunning = false;
  private started = false;
  private tickTimer: TimerHandle | null = null;
  private nextTickMs = 0;
  private report: CycleReport | null = null;
  private readonly lastReadings = new Map<string, { reading: AnyReading; atMs: number }>();
  private readonly everConnected = new Set<string>();
  private readonly lastCommandsW = new Map<string, number>();
  /** PV output measured at the last decision, per inverter (see pvRecoveryProbeW). */
  private readonly previousPvOutputW = new Map<string, number>();
  private readonly lastWritten = new Map<string, string>();

  constructor(options: ControlCycleOptions) {
    this.plant = options.plant;
    this.devices = options.devices;
    this.devicesById = new Map(options.devices.map((d) => [d.spec.id, d]));
    this.scheduler = options.scheduler;
    this.timing = parseCycleTiming(options.timing ?? {});
    this.tuning = { ...defaultControlTuning, ...options.tuning };
    this.minerTiming = options.minerTiming ?? {};
    this.policy = { version: 0, policy: defaultAllocationPolicy };
    if (options.policy) this.setPolicy(options.policy);
    this.operatorSetpoints = options.operatorSetpoints ?? new OperatorSetpoints();
    this.stopwatch = options.stopwatch ?? (() => performance.now());
    this.onReport = options.onReport;
    this.stats = new CycleStats(this.timing.periodMs);
    this.loadAverage = new MovingAverage(this.timing.loadAveragingCycles);

    const clock = this.scheduler;
    for (const device of this.devices) {
      const { driver } = device;
      const deviceId = device.spec.id;
      this.supervisors.set(
        deviceId,
        createActor(deviceSupervisorMachine, {
          clock,
          input: {
            deviceId,
            connect: () =>
              withDeadline(() => driver.connect(), this.timing.connectTimeoutMs, clock, {
                deviceId,
                action: 'connect',
              }),
            close: () => driver.close(),
            ...(options.supervisorTiming ? { timing: options.supervisorTiming } : {}),
          },
        }),
      );
      if (device.spec.kind === 'battery') {
        this.batteries.set(deviceId, createActor(batteryMachine, { clock, input: { deviceId } }));
      }
    }
    this.plantSupervisor = createActor(plantSupervisorMachine, {
      clock,
      input: {
        ...(options.plantTiming ? { timing: options.plantTiming } : {}),
        shutDown: async () => {
          await Promise.all(this.devices.map((d) => d.driver.close().catch(() => undefined)));
        },
      },
    });
  }

  /** Starts the statecharts (devices begin connecting) and, unless `tick` is false, the periodic cycle. */
  start(options: { tick?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    for (const actor of this.supervisors.values()) {
      actor.subscribe((snapshot) => {
        if (snapshot.value === 'online') this.everConnected.add(snapshot.context.deviceId);
      });
      actor.start();
    }
    for (const actor of this.batteries.values()) actor.start();
    this.plantSupervisor.start();
    if (options.tick !== false) {
      this.nextTickMs = this.scheduler.now() + this.timing.periodMs;
      this.tickTimer = this.scheduler.setTimeout(() => this.tick(), this.timing.periodMs);
    }
  }

  /** Stops ticking, lets the plant supervisor close every driver (devices then revert by their timers). */
  async stop(): Promise<void> {
    if (this.tickTimer !== null) this.scheduler.clearTimeout(this.tickTimer);
    this.tickTimer = null;
    if (!this.started) return;
    this.plantSupervisor.send({ type: 'STOP' });
    await waitFor(this.plantSupervisor, (s) => s.status === 'done');
    for (const actor of [...this.supervisors.values(), ...this.batteries.values(), ...this.minerSwitches.values()])
      actor.stop();
    this.started = false;
  }

  /** Applies a policy after checking its bounds; a refused one (AllocationPolicyError) leaves the one in force. */
  setPolicy(policy: PolicyInForce): void {
    const checked = parseAllocationPolicy(policy.policy);
    if (!Number.isSafeInteger(policy.version) || policy.version < 0) {
      throw new AllocationPolicyError([`version: must be a non-negative integer, got ${policy.version}`]);
    }
    this.policy = deepFreeze({ version: policy.version, policy: checked }) as PolicyInForce;
  }

  get policyInForce(): PolicyInForce {
    return this.policy;
  }

  setPlan(plan: Plan | null): void {
    this.plan = plan;
  }

  /** An operator acknowledges a battery fault; it only takes effect once the fault is gone. */
  acknowledgeBatteryFault(deviceId: string): void {
    this.batteryActor(deviceId).send({ type: 'ACKNOWLEDGE' });
  }

  stopBattery(deviceId: string): void {
    this.batteryActor(deviceId).send({ type: 'STOP' });
  }

  startBattery(deviceId: string): void {
    this.batteryActor(deviceId).send({ type: 'START' });
  }

  takeOutOfService(deviceId: string): void {
    this.supervisorActor(deviceId).send({ type: 'TAKE_OUT_OF_SERVICE' });
  }

  putInService(deviceId: string): void {
    this.supervisorActor(deviceId).send({ type: 'PUT_IN_SERVICE' });
  }

  deviceState(deviceId: string): DeviceSupervisorState {
    return this.supervisorActor(deviceId).getSnapshot().value as DeviceSupervisorState;
  }

  batteryState(deviceId: string): BatteryOperatingState {
    const value = this.batteryActor(deviceId).getSnapshot().value;
    return (typeof value === 'string' ? value : 'error') as BatteryOperatingState;
  }

  /** Whether a battery has a fault for an operator to acknowledge: none, still present, or gone and awaiting it. */
  batteryFault(deviceId: string): 'none' | 'present' | 'awaiting-acknowledge' {
    const snapshot = this.batteryActor(deviceId).getSnapshot();
    if (snapshot.matches({ error: 'faultPresent' })) return 'present';
    if (snapshot.matches({ error: 'awaitingAcknowledge' })) return 'awaiting-acknowledge';
    return 'none';
  }

  minerSwitchPosition(deviceId: string): MinerSwitchPosition | null {
    const actor = this.minerSwitches.get(deviceId);
    if (!actor) return null;
    const value = actor.getSnapshot().value as Record<string, string> | string;
    if (typeof value === 'string') return 'off-locked';
    if ('on' in value) return value.on === 'minOnTime' ? 'on-locked' : 'on';
    return value.off === 'minOffTime' ? 'off-locked' : 'off';
  }

  plantState(): PlantOperatingState {
    const snapshot = this.plantSupervisor.getSnapshot();
    const value = snapshot.value;
    return (typeof value === 'string' ? value : Object.keys(value)[0]) as PlantOperatingState;
  }

  get lastReport(): CycleReport | null {
    return this.report;
  }

  cycleStats(): CycleStatsSnapshot {
    return this.stats.snapshot();
  }

  /** One full cycle. Throws if one is already running (the periodic tick skips instead). */
  async runOnce(): Promise<CycleReport> {
    if (!this.started) throw new Error('ControlCycle.runOnce before start(): call start({ tick: false }) first');
    if (this.cycleRunning) throw new Error(`cycle ${this.cycleIndex} is still running`);
    this.cycleRunning = true;
    try {
      return await this.cycle();
    } finally {
      this.cycleRunning = false;
    }
  }

  private async cycle(): Promise<CycleReport> {
    const startedAt = this.stopwatch();
    const atMs = this.scheduler.now();
    const cycleIndex = ++this.cycleIndex;

    // 1. Read every device that is online or stale, all at once, each against its own deadline.
    const outcomes = await Promise.all(this.devices.map((device) => this.readDevice(device)));

    // 2. Tell the supervisors, then freeze what we know into the process image.
    const snapshots: Record<string, DeviceSnapshot> = {};
    this.devices.forEach((device, index) => {
      const id = device.spec.id;
      const outcome = outcomes[index]!;
      const supervisor = this.supervisorActor(id);
      if (outcome.ok === true) {
        // An online device ignores READ_OK; not sending it saves an XState macrostep per device per cycle.
        if (supervisor.getSnapshot().value !== 'online') supervisor.send({ type: 'READ_OK' });
        this.lastReadings.set(id, { reading: { ...outcome.reading }, atMs });
      } else if (outcome.ok === false) {
        supervisor.send({ type: 'READ_FAILED', error: outcome.error });
      }
      const held = this.lastReadings.get(id);
      const supervision = supervisor.getSnapshot();
      snapshots[id] = {
        id,
        kind: device.spec.kind,
        health: supervision.value as DeviceSupervisorState,
        fresh: outcome.ok === true,
        readAtMs: held?.atMs ?? null,
        reading: held?.reading ?? null,
        failure: outcome.ok === false ? failureOf(outcome.error) : supervision.context.lastFailure,
      } as DeviceSnapshot;
    });
    const image = deepFreeze<ProcessImage>({ cycleIndex, atMs, devices: snapshots });

    // 3. Battery and plant statecharts see the image.
    this.updateBatteries(image);
    this.updatePlant(image);
    const plantState = this.plantState();

    // 4. Decide: balancing only in running or degraded; failsafe holds batteries at 0 W; otherwise nothing.
    let decision: Decision | null = null;
    let inputs: ControlInputs | null = null;
    let commands: DeviceCommand[] = [];
    if (plantState === 'running' || plantState === 'degraded') {
      const estimates = this.powerEstimates(image);
      inputs = this.controlInputs(image, estimates);
      decision = decide(inputs);
      // A plant-short signal pauses miners at once; decide again so this very cycle's commands already curtail them.
      const positionsBefore = JSON.stringify(inputs.minerSwitches);
      this.updateMinerSwitches(image, decision);
      if (JSON.stringify(this.minerPositions()) !== positionsBefore) {
        inputs = this.controlInputs(image, estimates);
        decision = decide(inputs);
      }
      commands = deviceCommands(inputs, decision.dispatch);
      this.lastCommandsW.clear();
      for (const [id, powerW] of Object.entries(decision.dispatch.powersW)) this.lastCommandsW.set(id, powerW);
      this.previousPvOutputW.clear();
      for (const snapshot of Object.values(image.devices)) {
        const outputW = snapshot.kind === 'pv-inverter' && snapshot.fresh ? (snapshot.reading?.powerW ?? null) : null;
        if (outputW !== null) this.previousPvOutputW.set(snapshot.id, outputW);
      }
    } else if (plantState === 'failsafe') {
      commands = this.failsafeCommands(image);
      this.lastCommandsW.clear();
      this.previousPvOutputW.clear();
    }
    for (const [id, snapshot] of Object.entries(image.devices)) {
      if (!isControllable(snapshot)) this.lastWritten.delete(id);
    }

    // 5. Write what changed, all at once, each against its own deadline.
    const writes = await Promise.all(commands.map((command) => this.writeCommand(command)));

    const durationMs = this.stopwatch() - startedAt;
    this.stats.record(durationMs);
    const report = deepFreeze({
      cycleIndex,
      atMs,
      plantState,
      image,
      inputs,
      decision,
      commands,
      writes,
      durationMs,
    }) as CycleReport;
    this.report = report;
    try {
      this.onReport?.(report);
    } catch (error) {
      this.recordUnexpected(error);
    }
    return report;
  }

  private readDevice(device: PlantDevice): Promise<ReadOutcome> {
    const state = this.supervisorActor(device.spec.id).getSnapshot().value;
    if (state !== 'online' && state !== 'stale') return Promise.resolve({ ok: 'skipped' });
    const driver = device.driver as { read(): Promise<AnyReading> };
    return withDeadline(() => driver.read(), this.timing.readTimeoutMs, this.scheduler, {
      deviceId: device.spec.id,
      action: 'read',
    }).then(
      (raw): ReadOutcome => {
        // Points the nature cannot show in the state the device reports become unknown, like sentinels.
        const { reading, implausible } = plausibleReading(device.spec, raw);
        const unknown = keyPointsUnknownError(device.spec.id, device.spec.kind, reading, implausible);
        return unknown ? { ok: false, error: unknown } : { ok: true, reading };
      },
      (error: unknown): ReadOutcome => ({ ok: false, error }),
    );
  }

  private async writeCommand(command: DeviceCommand): Promise<WriteOutcome> {
    const key = JSON.stringify(command);
    if (this.lastWritten.get(command.deviceId) === key) return { deviceId: command.deviceId, result: 'unchanged' };
    const device = this.devicesById.get(command.deviceId);
    if (!device)
      return {
        deviceId: command.deviceId,
        result: 'failed',
        failure: { kind: 'unexpected', message: 'unknown device' },
      };
    const writeOne = (setpoint: unknown): Promise<void> =>
      withDeadline(
        () => (device.driver as { write(s: unknown): Promise<void> }).write(setpoint),
        this.timing.writeTimeoutMs,
        this.scheduler,
        {
          deviceId: command.deviceId,
          action: 'write',
        },
      );
    try {
      if (command.kind === 'flexible-load') {
        for (const setpoint of command.setpoints) await writeOne(setpoint);
      } else {
        await writeOne(command.setpoint);
      }
      this.lastWritten.set(command.deviceId, key);
      return { deviceId: command.deviceId, result: 'written' };
    } catch (error) {
      this.lastWritten.delete(command.deviceId);
      return { deviceId: command.deviceId, result: 'failed', failure: failureOf(error) };
    }
  }

  /** Uncontrolled load = grid power + measured output of every controllable device; pushed once per cycle. */
  private powerEstimates(image: ProcessImage): PowerEstimates {
    const meter = image.devices[this.plant.gridMeterId];
    const gridW = (meter?.reading as MeterReading | null)?.powerW ?? 0;
    let uncontrolledLoadNowW = gridW;
    for (const snapshot of Object.values(image.devices)) {
      if (isControllable(snapshot)) uncontrolledLoadNowW += measuredOutputW(snapshot);
    }
    return { uncontrolledLoadNowW, uncontrolledLoadSmoothedW: this.loadAverage.push(uncontrolledLoadNowW) };
  }

  private minerPositions(): Record<string, MinerSwitchPosition> {
    const positions: Record<string, MinerSwitchPosition> = {};
    for (const id of this.minerSwitches.keys()) positions[id] = this.minerSwitchPosition(id) ?? 'off-locked';
    return positions;
  }

  private controlInputs(image: ProcessImage, estimates: PowerEstimates): ControlInputs {
    const batteryStates: Record<string, BatteryOperatingState> = {};
    for (const id of this.batteries.keys()) batteryStates[id] = this.batteryState(id);
    const minerSwitches = this.minerPositions();
    return deepFreeze({
      image,
      plant: this.plant,
      policy: this.policy.policy,
      operatorTarget: this.operatorSetpoints.targetAt(image.atMs),
      planStep: planStepAt(this.plan, image.atMs),
      batteryStates,
      minerSwitches,
      lastCommandsW: Object.fromEntries(this.lastCommandsW),
      previousPvOutputW: Object.fromEntries(this.previousPvOutputW),
      estimates,
      cycleS: this.timing.periodMs / 1000,
      tuning: this.tuning,
    }) as ControlInputs;
  }

  private updateBatteries(image: ProcessImage): void {
    for (const [id, actor] of this.batteries) {
      const snapshot = image.devices[id];
      if (!snapshot) continue;
      const reading = snapshot.reading as BatteryReading | null;
      if (snapshot.fresh && reading?.state === 'fault') {
        actor.send({ type: 'FAULT_DETECTED', reason: 'the battery reports FAULT' });
      } else if (!snapshot.fresh && snapshot.failure?.kind === 'device-fault') {
        actor.send({ type: 'FAULT_DETECTED', reason: snapshot.failure.message });
      } else if (snapshot.fresh && actor.getSnapshot().value !== 'running') {
        actor.send({ type: 'HEALTHY_READING' }); // a running battery ignores it
      }
    }
  }

  private updatePlant(image: ProcessImage): void {
    const meter = image.devices[this.plant.gridMeterId];
    const gridMeterOnline = !!meter && meter.fresh && (meter.reading as MeterReading | null)?.powerW != null;
    const unhealthyDeviceIds: string[] = [];
    const connectingDeviceIds: string[] = [];
    for (const snapshot of Object.values(image.devices)) {
      if (snapshot.health === 'outOfService' || snapshot.health === 'online') continue;
      if (snapshot.health === 'connecting' && !this.everConnected.has(snapshot.id))
        connectingDeviceIds.push(snapshot.id);
      else unhealthyDeviceIds.push(snapshot.id);
    }
    this.plantSupervisor.send({ type: 'HEALTH', health: { gridMeterOnline, unhealthyDeviceIds, connectingDeviceIds } });
  }

  private updateMinerSwitches(image: ProcessImage, decision: Decision): void {
    const plantShort = decision.dispatch.shortfallW > this.tuning.plantShortToleranceW;
    for (const spec of this.plant.devices) {
      if (spec.kind !== 'flexible-load') continue;
      let actor = this.minerSwitches.get(spec.id);
      const snapshot = image.devices[spec.id];
      if (!actor) {
        // Created at the first fresh reading, so a miner found mining is taken over as on.
        if (!snapshot?.fresh) continue;
        const state = (snapshot.reading as FlexibleLoadReading | null)?.state;
        actor = createActor(minerSwitchMachine, {
          clock: this.scheduler,
          input: {
            deviceId: spec.id,
            minPowerW: spec.minPowerW,
            timing: { ...this.minerTiming, minOnMs: spec.minOnS * 1000, minOffMs: spec.minOffS * 1000 },
            initiallyOn: state === 'running' || state === 'ramping-up',
          },
        });
        this.minerSwitches.set(spec.id, actor);
        actor.start();
      }
      actor.send({ type: 'SURPLUS', availableW: decision.dispatch.minerOfferW[spec.id] ?? 0 });
      if (plantShort) actor.send({ type: 'PLANT_SHORT' });
    }
  }

  private failsafeCommands(image: ProcessImage): DeviceCommand[] {
    const commands: DeviceCommand[] = [];
    for (const spec of this.plant.devices) {
      const snapshot = image.devices[spec.id];
      if (spec.kind === 'battery' && snapshot && isControllable(snapshot)) {
        commands.push({ kind: 'battery', deviceId: spec.id, setpoint: { powerW: 0, reversionS: spec.reversionS } });
      }
    }
    return commands;
  }

  private tick(): void {
    this.tickTimer = null;
    if (!this.started) return;
    const period = this.timing.periodMs;
    // Keep a fixed cadence; if we are late (an overrun), skip the missed ticks rather than bunching cycles up.
    this.nextTickMs += period;
    const now = this.scheduler.now();
    while (this.nextTickMs <= now) this.nextTickMs += period;
    this.tickTimer = this.scheduler.setTimeout(() => this.tick(), this.nextTickMs - now);
    if (this.cycleRunning) {
      this.stats.recordSkippedTick();
      return;
    }
    this.runOnce().catch((error: unknown) => this.recordUnexpected(error));
  }

  private recordUnexpected(error: unknown): void {
    this.unexpectedErrors.push(error instanceof Error ? error.message : String(error));
    if (this.unexpectedErrors.length > 100) this.unexpectedErrors.shift();
  }

  /** Bugs caught in the periodic cycle (never device errors: those are in the reports). Last 100 kept. */
  readonly unexpectedErrors: string[] = [];

  private supervisorActor(deviceId: string): Actor<typeof deviceSupervisorMachine> {
    const actor = this.supervisors.get(deviceId);
    if (!actor) throw new RangeError(`no device ${deviceId} in this plant`);
    return actor;
  }

  private batteryActor(deviceId: string): Actor<typeof batteryMachine> {
    const actor = this.batteries.get(deviceId);
    if (!actor) throw new RangeError(`no battery ${deviceId} in this plant`);
    return actor;
  }
}
