/**
 * A plan: what the plant should do in each step of the horizon (default 24 h in 15-min steps).
 * The control cycle follows it as a target and corrects forecast error in real time.
 */
export interface PlanStep {
  startMs: number;
  /** Aggregate battery AC power, discharge positive. */
  batteryPowerW: number;
  /** Aggregate state of charge at the end of the step. */
  socPct: number;
  /** Aggregate miner power, consumption positive. */
  minerPowerW: number;
  /** PV power the plan expects to curtail. */
  pvCurtailW: number;
  /** Power at the connection point, import positive. */
  gridW: number;
  /**
   * True when a later step of the plan needs the batteries to hold the import cap (it discharges at the cap, or the
   * plan already falls short there): energy the plan stores now is for the cap, not for the schedule, so the cycle
   * charges as planned even against the operator's target (a cap is a safety limit; the schedule is not).
   * Absent in plans made before this field existed.
   */
  capNeedsBatteryAhead?: boolean;
  /** Forecast inputs the step was planned on, kept so a plan can be checked against what happened. */
  loadForecastW: number;
  pvForecastW: number;
}

export interface Plan {
  createdAtMs: number;
  stepMs: number;
  steps: PlanStep[];
  /** HiGHS's status; anything but 'Optimal' means the plan is a fallback (hold). */
  solverStatus: string;
  /** Energy the plan could not keep inside the grid caps (Wh); > 0 means the forecasts say a cap cannot hold. */
  capShortfallWh: number;
  /** Objective terms, for the API and for comparing plans. */
  objective: { scheduleDeviationWh: number; gridCost: number };
}

/** The plan step in force at `nowMs`, or null when the plan does not cover it. */
export function planStepAt(plan: Plan | null, nowMs: number): PlanStep | null {
  if (!plan) return null;
  const index = Math.floor((nowMs - (plan.steps[0]?.startMs ?? Infinity)) / plan.stepMs);
  return plan.steps[index] ?? null;
}
