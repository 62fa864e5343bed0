/**
 * Test fixture: the planning a fresh controller does (controller/src/service/planning-loop.ts) for a ControlledPlant,
 * which runs the bare cycle. No history exists, so the forecasts are the service's fallbacks: a clear-sky PV arc for
 * the plant's location and rating, dimmed by the latest PV measurement, and a seasonal daily load shape scaled to the
 * latest measured site load. Prices, horizon, step and miner value are the service's defaults.
 */
import type { CycleReport } from '@gridcoop/controller/cycle/control-cycle';
import { freshStartForecast } from '@gridcoop/controller/forecasting-fallback/fresh-start-forecast';
import type { BatteryReading, PvInverterReading } from '@gridcoop/controller/natures/index';
import type { PlanInput } from '@gridcoop/controller/planner/plan-input';
import type { Plan } from '@gridcoop/controller/planner/plan';
import { Planner } from '@gridcoop/controller/planner/planner';
import type { ControlledPlant } from './controlled-plant.ts';

/** The profiles are Melbourne's on UTC+10 all year (no daylight saving), so local hours are Brisbane's clock. */
const PROFILE_TIME_ZONE = 'Australia/Brisbane';
const MELBOURNE = { latitudeDeg: -37.81, longitudeDeg: 144.96 };
/** The service's defaults (controller-config.ts): re-plan every 15 min, 24 h ahead in 15-min steps. */
const EVERY_MS = 900_000;
const STEP_MS = 900_000;
const HORIZON_STEPS = 96;
const IMPORT_PRICE_PER_KWH = 0.3;
const EXPORT_PRICE_PER_KWH = 0.05;
const MINER_VALUE_PER_KWH = 0.1;
const ROUND_TRIP_EFFICIENCY = 0.9;

export interface FreshStartPlanning {
  /** Re-plans when the last plan is EVERY_MS old (or none exists) and hands the plan to the cycle. */
  afterCycle(report: CycleReport): Plan | null;
  /** Plans made so far and the largest cap shortfall one of them forecast (Wh). */
  readonly plans: number;
  readonly worstForecastShortfallWh: number;
}

export async function freshStartPlanning(site: ControlledPlant): Promise<FreshStartPlanning> {
  const planner = await Planner.create();
  const spec = site.spec;
  const pvRatedW = spec.devices.reduce((sum, d) => sum + (d.kind === 'pv-inverter' ? d.ratedPowerW : 0), 0);
  let lastPlanAtMs: number | null = null;
  let plans = 0;
  let worstForecastShortfallWh = 0;

  const planInput = (report: CycleReport): PlanInput | null => {
    const estimates = report.inputs?.estimates;
    if (!estimates) return null;
    const startMs = Math.floor(report.atMs / STEP_MS) * STEP_MS;
    let pvW = 0;
    let capacityWh = 0;
    let storedWh = 0;
    for (const d of spec.devices) {
      const reading = report.image.devices[d.id]?.reading;
      if (d.kind === 'pv-inverter') pvW += Math.max(0, (reading as PvInverterReading | null)?.powerW ?? 0);
      const socPct = d.kind === 'battery' ? (reading as BatteryReading | null)?.socPct : null;
      if (d.kind === 'battery' && socPct !== null && socPct !== undefined) {
        capacityWh += d.capacityWh;
        storedWh += (d.capacityWh * socPct) / 100;
      }
    }
    const latest = { atMs: report.atMs, siteLoadW: estimates.uncontrolledLoadSmoothedW, pvW };
    const options = { location: MELBOURNE, pvRatedW, timeZone: PROFILE_TIME_ZONE };
    const load = freshStartForecast('load', options, latest, startMs, HORIZON_STEPS, STEP_MS).values;
    const pv = freshStartForecast('pv', options, latest, startMs, HORIZON_STEPS, STEP_MS).values;
    const batteries = spec.devices.flatMap((d) => (d.kind === 'battery' ? [d] : []));
    const miners = spec.devices.flatMap((d) => (d.kind === 'flexible-load' ? [d] : []));
    const policy = site.cycle.policyInForce.policy;
    const stepStarts = Array.from({ length: HORIZON_STEPS }, (_, i) => startMs + i * STEP_MS);
    return {
      startMs,
      stepMs: STEP_MS,
      loadW: load.map((w) => Math.max(0, w)),
      pvW: pv.map((w) => Math.max(0, w)),
      battery:
        capacityWh > 0
          ? {
              capacityWh,
              socPct: (100 * storedWh) / capacityWh,
              maxChargeW: batteries.reduce((sum, b) => sum + b.maxChargeW, 0),
              maxDischargeW: batteries.reduce((sum, b) => sum + b.maxDischargeW, 0),
              roundTripEfficiency: ROUND_TRIP_EFFICIENCY,
              reservePct: Math.max(policy.battery_reserve_pct, ...batteries.map((b) => b.minReservePct)),
              maxSocPct: Math.min(...batteries.map((b) => b.maxSocPct)),
            }
          : null,
      miners:
        miners.length > 0
          ? {
              minW: 0,
              maxW: (miners.reduce((sum, m) => sum + m.maxPowerW, 0) * policy.miner_flexibility_pct) / 100,
              valuePerKWh: MINER_VALUE_PER_KWH,
            }
          : null,
      gridTargetW: stepStarts.map((t) => site.cycle.operatorSetpoints.targetAt(t)?.gridW ?? null),
      importCapW: spec.importCapW,
      exportCapW: spec.exportCapW,
      importPricePerKWh: stepStarts.map(() => IMPORT_PRICE_PER_KWH),
      exportPricePerKWh: stepStarts.map(() => EXPORT_PRICE_PER_KWH),
    };
  };

  return {
    afterCycle(report) {
      if (lastPlanAtMs !== null && report.atMs - lastPlanAtMs < EVERY_MS) return null;
      const input = planInput(report);
      if (!input) return null;
      const plan = planner.plan(input, report.atMs);
      site.cycle.setPlan(plan);
      lastPlanAtMs = report.atMs;
      plans++;
      worstForecastShortfallWh = Math.max(worstForecastShortfallWh, plan.capShortfallWh);
      return plan;
    },
    get plans() {
      return plans;
    },
    get worstForecastShortfallWh() {
      return worstForecastShortfallWh;
    },
  };
}
