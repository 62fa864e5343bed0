import { performance } from 'node:perf_hooks';
import type { ControlInputs, ControlTuning } from '../control/control-inputs.ts';
import { defaultControlTuning } from '../control/control-inputs.ts';
import type { Decision } from '../control/decide.ts';
import type { DeviceCommand } from '../control/device-commands.ts';
import { OperatorSetpoints } from '../control/operator-setpoints.ts';
import type { Plan } from '../planner/plan.ts';
import type { PlantDevice } from '../plant/plant-device.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import {
  AllocationPolicyError,
  defaultAllocationPolicy,
  parseAllocationPolicy,
  type PolicyInForce,
} from '../policy/allocation-policy.ts';
import type { BatteryOperatingState } from '../statecharts/battery.machine.ts';
import type { DeviceSupervisorState, DeviceSupervisorTiming } from '../statecharts/device-supervisor.machine.ts';
import type { MinerSwitchPosition, MinerSwitchTiming } from '../statecharts/miner-switch.machine.ts';
import type { PlantOperatingState, PlantSupervisorTiming } from '../statecharts/plant-supervisor.machine.ts';
import { CycleDecider } from './cycle-decision.ts';
import { HeldReadings, readDevice } from './cycle-reading.ts';
import { CycleStats, type CycleStatsSnapshot } from './cycle-stats.ts';
import { CycleSupervision } from './cycle-supervision.ts';
import { parseCycleTiming, type CycleTiming } from './cycle-timing.ts';
import { SetpointWriter, type WriteOutcome } from './cycle-writing.ts';
import { deepFreeze } from './deep-freeze.ts';
import type { DeviceSnapshot, ProcessImage } from './process-image.ts';
import type { Scheduler, TimerHandle } from './scheduler.ts';

export type { WriteOutcome } from './cycle-writing.ts';

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

/**
 * The control cycle: every `periodMs`, read all devices concurrently (each with its own deadline) into a frozen
 * process image, run the controllers in priority order, write the setpoints that changed, and time it. Its seams
 * live beside it: reading (cycle-reading.ts), supervision by statecharts (cycle-supervision.ts), the decision
 * (cycle-decision.ts) and writing (cycle-writing.ts). All delays and every deadline run on the injected Scheduler,
 * so a ManualScheduler makes the whole thing deterministic in tests.
 */
export class ControlCycle {
  readonly operatorSetpoints: OperatorSetpoints;
  private readonly devices: readonly PlantDevice[];
  private readonly scheduler: Scheduler;
  private readonly timing: CycleTiming;
  private readonly stopwatch: () => number;
  private readonly onReport: ((report: CycleReport) => void) | undefined;
  private readonly stats: CycleStats;
  private readonly supervision: CycleSupervision;
  private readonly readings = new HeldReadings();
  private readonly decider: CycleDecider;
  private readonly writer: SetpointWriter;

  private policy: PolicyInForce;
  private plan: Plan | null = null;
  private cycleIndex = 0;
  private cycleRunning = false;
  private started = false;
  private tickTimer: TimerHandle | null = null;
  private nextTickMs = 0;
  private report: CycleReport | null = null;

  constructor(options: ControlCycleOptions) {
    this.devices = options.devices;
    this.scheduler = options.scheduler;
    this.timing = parseCycleTiming(options.timing ?? {});
    const tuning: ControlTuning = { ...defaultControlTuning, ...options.tuning };
    this.policy = { version: 0, policy: defaultAllocationPolicy };
    if (options.policy) this.setPolicy(options.policy);
    this.operatorSetpoints = options.operatorSetpoints ?? new OperatorSetpoints();
    this.stopwatch = options.stopwatch ?? (() => performance.now());
    this.onReport = options.onReport;
    this.stats = new CycleStats(this.timing.periodMs);
    this.supervision = new CycleSupervision({
      plant: options.plant,
      devices: options.devices,
      scheduler: options.scheduler,
      connectTimeoutMs: this.timing.connectTimeoutMs,
      supervisorTiming: options.supervisorTiming,
      plantTiming: options.plantTiming,
      minerTiming: options.minerTiming ?? {},
    });
    this.decider = new CycleDecider(
      options.plant,
      tuning,
      this.timing.periodMs / 1000,
      this.timing.loadAveragingCycles,
    );
    this.writer = new SetpointWriter(options.devices, this.timing.writeTimeoutMs, options.scheduler);
  }

  /** Starts the statecharts (devices begin connecting) and, unless `tick` is false, the periodic cycle. */
  start(options: { tick?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    this.supervision.start();
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
    await this.supervision.stop();
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
    this.supervision.acknowledgeBatteryFault(deviceId);
  }

  stopBattery(deviceId: string): void {
    this.supervision.stopBattery(deviceId);
  }

  startBattery(deviceId: string): void {
    this.supervision.startBattery(deviceId);
  }

  takeOutOfService(deviceId: string): void {
    this.supervision.takeOutOfService(deviceId);
  }

  putInService(deviceId: string): void {
    this.supervision.putInService(deviceId);
  }

  deviceState(deviceId: string): DeviceSupervisorState {
    return this.supervision.deviceState(deviceId);
  }

  batteryState(deviceId: string): BatteryOperatingState {
    return this.supervision.batteryState(deviceId);
  }

  /** Whether a battery has a fault for an operator to acknowledge: none, still present, or gone and awaiting it. */
  batteryFault(deviceId: string): 'none' | 'present' | 'awaiting-acknowledge' {
    return this.supervision.batteryFault(deviceId);
  }

  minerSwitchPosition(deviceId: string): MinerSwitchPosition | null {
    return this.supervision.minerSwitchPosition(deviceId);
  }

  plantState(): PlantOperatingState {
    return this.supervision.plantState();
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
    const outcomes = await Promise.all(
      this.devices.map((device) =>
        readDevice(device, this.supervision.deviceState(device.spec.id), this.timing.readTimeoutMs, this.scheduler),
      ),
    );

    // 2. Tell the supervisors, then freeze what we know into the process image.
    const snapshots: Record<string, DeviceSnapshot> = {};
    this.devices.forEach((device, index) => {
      const outcome = outcomes[index]!;
      const verdict = this.supervision.recordRead(device.spec.id, outcome);
      snapshots[device.spec.id] = this.readings.snapshot(device, outcome, atMs, verdict);
    });
    const image = deepFreeze<ProcessImage>({ cycleIndex, atMs, devices: snapshots });

    // 3. Battery and plant statecharts see the image.
    this.supervision.observe(image);
    const plantState = this.supervision.plantState();

    // 4. Decide: balancing only in running or degraded; failsafe holds batteries at 0 W; otherwise nothing.
    const { inputs, decision, commands } = this.decider.decideFor(image, plantState, this.supervision, {
      policy: this.policy,
      plan: this.plan,
      operatorSetpoints: this.operatorSetpoints,
    });
    this.writer.forgetUncontrollable(image);

    // 5. Write what changed, all at once, each against its own deadline.
    const writes = await Promise.all(commands.map((command) => this.writer.write(command)));

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
}
