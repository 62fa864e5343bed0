import type { ControlInputs, ControlTuning, PowerEstimates } from '../control/control-inputs.ts';
import { decide, type Decision } from '../control/decide.ts';
import { deviceCommands, type DeviceCommand } from '../control/device-commands.ts';
import { MovingAverage } from '../control/moving-average.ts';
import type { OperatorSetpoints } from '../control/operator-setpoints.ts';
import type { BatteryReading, FlexibleLoadReading, MeterReading, PvInverterReading } from '../natures/index.ts';
import { planStepAt, type Plan } from '../planner/plan.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import type { PolicyInForce } from '../policy/allocation-policy.ts';
import type { PlantOperatingState } from '../statecharts/plant-supervisor.machine.ts';
import type { CycleSupervision } from './cycle-supervision.ts';
import { deepFreeze, type DeepReadonly } from './deep-freeze.ts';
import { isControllable, type DeviceSnapshot, type ProcessImage } from './process-image.ts';

export interface CycleDecision {
  /** Everything the decision depended on (frozen): `decide(inputs)` replays it exactly. */
  inputs: ControlInputs | null;
  /** Null in starting, failsafe and stopping: no balancing decision was made. */
  decision: Decision | null;
  commands: DeviceCommand[];
}

/** What the decision reads besides the image, as it stands this cycle. */
export interface DecisionContext {
  policy: PolicyInForce;
  plan: Plan | null;
  operatorSetpoints: OperatorSetpoints;
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
 * The decision side of the cycle: from the frozen image, the controllers in priority order (decide) in running or
 * degraded, batteries held at 0 W in failsafe, nothing otherwise. It keeps what the next decision needs from this
 * one: the smoothed uncontrolled load, the last commands and each inverter's last measured output.
 */
export class CycleDecider {
  private readonly loadAverage: MovingAverage;
  private readonly lastCommandsW = new Map<string, number>();
  /** PV output measured at the last decision, per inverter (see pvRecoveryProbeW). */
  private readonly previousPvOutputW = new Map<string, number>();

  constructor(
    private readonly plant: PlantSpec,
    private readonly tuning: ControlTuning,
    private readonly cycleS: number,
    loadAveragingCycles: number,
  ) {
    this.loadAverage = new MovingAverage(loadAveragingCycles);
  }

  decideFor(
    image: ProcessImage,
    plantState: PlantOperatingState,
    supervision: CycleSupervision,
    context: DecisionContext,
  ): CycleDecision {
    if (plantState === 'running' || plantState === 'degraded') {
      const estimates = this.powerEstimates(image);
      let inputs = this.controlInputs(image, estimates, supervision, context);
      let decision = decide(inputs);
      // A plant-short signal pauses miners at once; decide again so this very cycle's commands already curtail them.
      const positionsBefore = JSON.stringify(inputs.minerSwitches);
      supervision.updateMinerSwitches(image, decision, this.tuning.plantShortToleranceW);
      if (JSON.stringify(supervision.minerPositions()) !== positionsBefore) {
        inputs = this.controlInputs(image, estimates, supervision, context);
        decision = decide(inputs);
      }
      const commands = deviceCommands(inputs, decision.dispatch);
      this.lastCommandsW.clear();
      for (const [id, powerW] of Object.entries(decision.dispatch.powersW)) this.lastCommandsW.set(id, powerW);
      this.previousPvOutputW.clear();
      for (const snapshot of Object.values(image.devices)) {
        const outputW = snapshot.kind === 'pv-inverter' && snapshot.fresh ? (snapshot.reading?.powerW ?? null) : null;
        if (outputW !== null) this.previousPvOutputW.set(snapshot.id, outputW);
      }
      return { inputs, decision, commands };
    }
    if (plantState === 'failsafe') {
      this.lastCommandsW.clear();
      this.previousPvOutputW.clear();
      return { inputs: null, decision: null, commands: this.failsafeCommands(image) };
    }
    return { inputs: null, decision: null, commands: [] };
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

  private controlInputs(
    image: ProcessImage,
    estimates: PowerEstimates,
    supervision: CycleSupervision,
    context: DecisionContext,
  ): ControlInputs {
    return deepFreeze({
      image,
      plant: this.plant,
      policy: context.policy.policy,
      operatorTarget: context.operatorSetpoints.targetAt(image.atMs),
      planStep: planStepAt(context.plan, image.atMs),
      batteryStates: supervision.batteryStates(),
      minerSwitches: supervision.minerPositions(),
      lastCommandsW: Object.fromEntries(this.lastCommandsW),
      previousPvOutputW: Object.fromEntries(this.previousPvOutputW),
      estimates,
      cycleS: this.cycleS,
      tuning: this.tuning,
    }) as ControlInputs;
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
}
