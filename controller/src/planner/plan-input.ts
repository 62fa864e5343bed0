/** Everything the planner needs for one horizon; aggregates of the plant (batteries summed, miners summed). */
export interface PlanInput {
  startMs: number;
  stepMs: number;
  /** Forecast load and PV for each step (W, average over the step). */
  loadW: readonly number[];
  pvW: readonly number[];
  battery: {
    capacityWh: number;
    socPct: number;
    maxChargeW: number;
    maxDischargeW: number;
    /** Round-trip efficiency 0..1, split evenly between charge and discharge. */
    roundTripEfficiency: number;
    /** The policy's reserve and the devices' own reserve, whichever is stricter. */
    reservePct: number;
    maxSocPct: number;
  } | null;
  miners: {
    /** The range the policy lets the controller modulate (already scaled by miner_flexibility_pct). */
    minW: number;
    maxW: number;
    /** What a kWh of mining is worth, in the same currency as the prices: why miners absorb surplus. */
    valuePerKWh: number;
  } | null;
  /** The grid operator's target at the connection point per step (W, import positive); null where there is none. */
  gridTargetW: readonly (number | null)[];
  importCapW: number;
  exportCapW: number;
  importPricePerKWh: readonly number[];
  exportPricePerKWh: readonly number[];
}

export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}

/** Refuses inputs that would make a meaningless plan, naming the field. */
export function validatePlanInput(input: PlanInput): number {
  const steps = input.loadW.length;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new PlanInputError(`plan input: ${what}`);
  };
  check(steps > 0 && steps <= 7 * 96, `horizon of ${steps} steps is outside 1..672`);
  check(input.stepMs > 0, 'stepMs must be positive');
  for (const [name, series] of [
    ['pvW', input.pvW],
    ['gridTargetW', input.gridTargetW],
    ['importPricePerKWh', input.importPricePerKWh],
    ['exportPricePerKWh', input.exportPricePerKWh],
  ] as const) {
    check(series.length === steps, `${name} has ${series.length} steps, loadW has ${steps}`);
  }
  for (const [name, series] of [
    ['loadW', input.loadW],
    ['pvW', input.pvW],
  ] as const) {
    check(
      series.every((v) => Number.isFinite(v) && v >= 0),
      `${name} must be finite and >= 0`,
    );
  }
  check(input.importCapW >= 0 && input.exportCapW >= 0, 'grid caps must be >= 0');
  const b = input.battery;
  if (b) {
    check(b.capacityWh > 0, 'battery capacityWh must be > 0');
    check(b.socPct >= 0 && b.socPct <= 100, 'battery socPct outside 0..100');
    check(
      b.reservePct >= 0 && b.reservePct <= b.maxSocPct && b.maxSocPct <= 100,
      'battery reserve/max outside 0..max..100',
    );
    check(b.roundTripEfficiency > 0 && b.roundTripEfficiency <= 1, 'battery efficiency outside (0, 1]');
    check(b.maxChargeW >= 0 && b.maxDischargeW >= 0, 'battery power limits must be >= 0');
  }
  const m = input.miners;
  if (m) check(m.minW >= 0 && m.maxW >= m.minW, 'miner range must satisfy 0 <= minW <= maxW');
  return steps;
}
