import type { ProcessImage } from '../cycle/process-image.ts';
import type { PlanStep } from '../planner/plan.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import type { AllocationPolicy } from '../policy/allocation-policy.ts';
import type { BatteryOperatingState } from '../statecharts/battery.machine.ts';
import type { MinerSwitchPosition } from '../statecharts/miner-switch.machine.ts';
import type { OperatorTarget } from './operator-setpoints.ts';

/** Knobs of the decision that are not limits (limits live in the PlantSpec and the policy). */
export interface ControlTuning {
  /** A PV power cap may rise at most this fast (% of rated per second); it may always fall at once. */
  pvCapRiseRatePctPerS: number;
  /** Plan following leaves the batteries alone while their SoC is within this band around the plan's path. */
  planSocDeadbandPct: number;
  /** A shortfall the batteries cannot cover beyond this counts as "plant short": miners pause at once. */
  plantShortToleranceW: number;
  /**
   * How far inside a binding export limit the grid is aimed. A PV inverter held at its cap cannot show that the sun
   * offers more; this margin is the room it gets to show it each cycle (and the most export can lag the sun).
   */
  pvProbeMarginW: number;
  /**
   * Batteries share the fleet's power so that their states of charge would meet after this long (s): the shorter,
   * the harder an emptier battery is charged first. Within ramp limits and without energy flowing between them.
   */
  batterySocBalancingS: number;
}

export const defaultControlTuning: ControlTuning = {
  pvCapRiseRatePctPerS: 10,
  planSocDeadbandPct: 2,
  plantShortToleranceW: 100,
  pvProbeMarginW: 200,
  batterySocBalancingS: 3_600,
};

/**
 * Power estimates the cycle derives from the process image before the controllers run.
 * The uncontrolled load is what the connection point would see if no controllable device ran:
 * grid power + the measured power of every controllable device (generation positive). It is measured, not
 * forecast, so battery or miner lag does not bias it: this is OpenEMS's "grid + battery - target" generalised.
 */
export interface PowerEstimates {
  /** This cycle's value. Used for the caps, so a load step is honoured at once. */
  uncontrolledLoadNowW: number;
  /** Averaged over the last few cycles. Used for balancing, so noise does not make the batteries oscillate. */
  uncontrolledLoadSmoothedW: number;
}

/** The last command per device in the range convention (PV cap W, battery W, miner W negative). */
export type LastCommands = Readonly<Record<string, number>>;

/** Everything a decision depends on. Frozen; the same inputs always give the same decision. */
export interface ControlInputs {
  image: ProcessImage;
  plant: PlantSpec;
  policy: AllocationPolicy;
  operatorTarget: OperatorTarget | null;
  planStep: PlanStep | null;
  batteryStates: Readonly<Record<string, BatteryOperatingState>>;
  minerSwitches: Readonly<Record<string, MinerSwitchPosition>>;
  lastCommandsW: LastCommands;
  /** Each PV inverter's measured output at the previous decision: with its last cap, shows whether it had more. */
  previousPvOutputW: Readonly<Record<string, number>>;
  estimates: PowerEstimates;
  cycleS: number;
  tuning: ControlTuning;
}
