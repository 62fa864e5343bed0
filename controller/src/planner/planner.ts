import { loadHighs, type Highs } from './load-highs.ts';
import { LpModel, type Term } from './lp-model.ts';
import type { Plan, PlanStep } from './plan.ts';
import { validatePlanInput, type PlanInput } from './plan-input.ts';

/**
 * Weights of the objective, in currency per kWh. Following the operator's schedule dominates cost; keeping the grid
 * caps dominates everything (the caps are hard limits; the slack only keeps the LP feasible when the forecasts
 * say a cap cannot hold, so the plan reports the shortfall instead of failing).
 */
export interface PlannerWeights {
  scheduleDeviationPerKWh: number;
  capSlackPerKWh: number;
  /**
   * Import within the last `importCapMarginShare` of the import cap: dearer than leaving the schedule, far cheaper
   * than breaking the cap. Forecasts err (a fresh controller's fallbacks by several kW on a winter evening), so the
   * plan keeps battery energy for a peak a little higher and longer than forecast when it can, instead of planning
   * to run exactly at the cap with nothing left for the error.
   */
  capMarginPerKWh: number;
  importCapMarginShare: number;
  curtailmentPerKWh: number;
  /** A tiny throughput cost so the LP never charges and discharges in the same step. */
  batteryThroughputPerKWh: number;
}

export const defaultPlannerWeights: PlannerWeights = {
  scheduleDeviationPerKWh: 10,
  capSlackPerKWh: 1000,
  capMarginPerKWh: 100,
  importCapMarginShare: 0.1,
  curtailmentPerKWh: 0.001,
  batteryThroughputPerKWh: 0.002,
};

/**
 * The day-ahead planner: a linear program over the horizon (HiGHS), minimising deviation from the operator's
 * schedule and grid cost within every limit. Variables per step t, in kW / kWh:
 *   charge c_t, discharge d_t, miners m_t, curtailment u_t, import gi_t, export ge_t, energy stored e_t,
 *   cap slacks si_t/se_t, import within the cap's margin sm_t, schedule deviation dp_t/dn_t.
 * Miners are relaxed to [0, max] (their on/off minimum is the cycle's business, not the plan's).
 */
export class Planner {
  private constructor(
    private readonly highs: Highs,
    private readonly weights: PlannerWeights,
  ) {}

  static async create(weights: PlannerWeights = defaultPlannerWeights): Promise<Planner> {
    return new Planner(await loadHighs(), weights);
  }

  plan(input: PlanInput, createdAtMs: number = input.startMs): Plan {
    const steps = validatePlanInput(input);
    const dtH = input.stepMs / 3_600_000;
    const w = this.weights;
    const lp = new LpModel();
    const b = input.battery;
    const m = input.miners;
    const kW = (watts: number) => watts / 1000;
    const etaOneWay = b ? Math.sqrt(b.roundTripEfficiency) : 1;
    const meanImportPrice = input.importPricePerKWh.reduce((s, p) => s + p, 0) / steps;

    for (let t = 0; t < steps; t++) {
      const load = kW(input.loadW[t] ?? 0);
      const pv = kW(input.pvW[t] ?? 0);
      // balance: import - export = load - pv + curtailment + charge + miners - discharge
      const balance: Term[] = [
        [1, `gi_${t}`],
        [-1, `ge_${t}`],
        [-1, `u_${t}`],
      ];
      if (b) balance.push([-1, `c_${t}`], [1, `d_${t}`]);
      if (m) balance.push([-1, `m_${t}`]);
      lp.constrain(`bal_${t}`, balance, '=', load - pv);
      lp.constrain(
        `imp_${t}`,
        [
          [1, `gi_${t}`],
          [-1, `si_${t}`],
        ],
        '<=',
        kW(input.importCapW),
      );
      lp.constrain(
        `impm_${t}`,
        [
          [1, `gi_${t}`],
          [-1, `si_${t}`],
          [-1, `sm_${t}`],
        ],
        '<=',
        kW(input.importCapW) * (1 - w.importCapMarginShare),
      );
      lp.bound(`sm_${t}`, 0, kW(input.importCapW) * w.importCapMarginShare);
      lp.minimise([w.capMarginPerKWh * dtH, `sm_${t}`]);
      lp.constrain(
        `exp_${t}`,
        [
          [1, `ge_${t}`],
          [-1, `se_${t}`],
        ],
        '<=',
        kW(input.exportCapW),
      );
      lp.bound(`gi_${t}`, 0, Infinity);
      lp.bound(`ge_${t}`, 0, Infinity);
      lp.bound(`si_${t}`, 0, Infinity);
      lp.bound(`se_${t}`, 0, Infinity);
      lp.bound(`u_${t}`, 0, pv);
      lp.minimise(
        [(input.importPricePerKWh[t] ?? 0) * dtH, `gi_${t}`],
        [-(input.exportPricePerKWh[t] ?? 0) * dtH, `ge_${t}`],
        [w.capSlackPerKWh * dtH, `si_${t}`],
        [w.capSlackPerKWh * dtH, `se_${t}`],
        [w.curtailmentPerKWh * dtH, `u_${t}`],
      );

      const target = input.gridTargetW[t];
      if (target !== null && target !== undefined) {
        lp.constrain(
          `dev_${t}`,
          [
            [1, `gi_${t}`],
            [-1, `ge_${t}`],
            [-1, `dp_${t}`],
            [1, `dn_${t}`],
          ],
          '=',
          kW(target),
        );
        lp.bound(`dp_${t}`, 0, Infinity);
        lp.bound(`dn_${t}`, 0, Infinity);
        lp.minimise([w.scheduleDeviationPerKWh * dtH, `dp_${t}`], [w.scheduleDeviationPerKWh * dtH, `dn_${t}`]);
      }

      if (b) {
        const capacity = b.capacityWh / 1000;
        lp.bound(`c_${t}`, 0, kW(b.maxChargeW));
        lp.bound(`d_${t}`, 0, kW(b.maxDischargeW));
        // never plan a step below the reserve; if the battery starts below it, let it only rise
        const floor = Math.min((b.reservePct / 100) * capacity, (b.socPct / 100) * capacity);
        lp.bound(`e_${t}`, floor, (b.maxSocPct / 100) * capacity);
        const stored: Term[] = [
          [1, `e_${t}`],
          [-etaOneWay * dtH, `c_${t}`],
          [dtH / etaOneWay, `d_${t}`],
        ];
        if (t > 0) stored.push([-1, `e_${t - 1}`]);
        lp.constrain(`soc_${t}`, stored, '=', t === 0 ? (b.socPct / 100) * capacity : 0);
        lp.minimise([w.batteryThroughputPerKWh * dtH, `c_${t}`], [w.batteryThroughputPerKWh * dtH, `d_${t}`]);
      }
      if (m) {
        lp.bound(`m_${t}`, 0, kW(m.maxW));
        lp.minimise([-m.valuePerKWh * dtH, `m_${t}`]);
      }
    }
    // energy left at the end is worth what it saves later, so the plan does not empty the battery to sell it
    if (b) lp.minimise([-meanImportPrice * etaOneWay, `e_${steps - 1}`]);

    const solution = this.highs.solve(lp.toString(), { output_flag: false });
    const value = (name: string) => {
      const column = solution.Columns[name];
      return column && 'Primal' in column ? column.Primal : 0;
    };
    const optimal = solution.Status === 'Optimal';
    const planSteps: PlanStep[] = [];
    let shortfallWh = 0;
    let deviationWh = 0;
    let cost = 0;
    let socPct = b?.socPct ?? 0;
    for (let t = 0; t < steps; t++) {
      const load = input.loadW[t] ?? 0;
      const pv = input.pvW[t] ?? 0;
      if (!optimal) {
        // hold: no battery or miner action; the cycle still balances in real time
        planSteps.push({
          startMs: input.startMs + t * input.stepMs,
          batteryPowerW: 0,
          socPct,
          minerPowerW: 0,
          pvCurtailW: 0,
          gridW: load - pv,
          loadForecastW: load,
          pvForecastW: pv,
        });
        continue;
      }
      const gridW = (value(`gi_${t}`) - value(`ge_${t}`)) * 1000;
      if (b) socPct = (value(`e_${t}`) / (b.capacityWh / 1000)) * 100;
      shortfallWh += (value(`si_${t}`) + value(`se_${t}`)) * 1000 * dtH;
      deviationWh += (value(`dp_${t}`) + value(`dn_${t}`)) * 1000 * dtH;
      cost +=
        (value(`gi_${t}`) * (input.importPricePerKWh[t] ?? 0) - value(`ge_${t}`) * (input.exportPricePerKWh[t] ?? 0)) *
        dtH;
      planSteps.push({
        startMs: input.startMs + t * input.stepMs,
        batteryPowerW: (value(`d_${t}`) - value(`c_${t}`)) * 1000,
        socPct,
        minerPowerW: value(`m_${t}`) * 1000,
        pvCurtailW: value(`u_${t}`) * 1000,
        gridW,
        loadForecastW: load,
        pvForecastW: pv,
      });
    }
    if (optimal && b)
      markCapNeedsAhead(planSteps, (t) => value(`si_${t}`), kW(input.importCapW) * (1 - w.importCapMarginShare));
    return {
      createdAtMs,
      stepMs: input.stepMs,
      steps: planSteps,
      solverStatus: solution.Status,
      capShortfallWh: shortfallWh,
      objective: { scheduleDeviationWh: deviationWh, gridCost: cost },
    };
  }
}

/** Below this (kW) a planned power or slack is solver noise, not a decision. */
const SOLVER_NOISE_KW = 1e-3;

/**
 * Marks each step after which the plan still needs the batteries for the import cap: a later step discharges while
 * importing at the cap's margin or above, or imports beyond the cap (a forecast shortfall). One backward pass.
 */
function markCapNeedsAhead(steps: PlanStep[], importSlackKW: (t: number) => number, importCapKW: number): void {
  let needAhead = false;
  for (let t = steps.length - 1; t >= 0; t--) {
    const step = steps[t]!;
    step.capNeedsBatteryAhead = needAhead;
    const atCap = step.gridW / 1000 >= importCapKW - SOLVER_NOISE_KW;
    const discharging = step.batteryPowerW / 1000 > SOLVER_NOISE_KW;
    if ((atCap && discharging) || importSlackKW(t) > SOLVER_NOISE_KW) needAhead = true;
  }
}
