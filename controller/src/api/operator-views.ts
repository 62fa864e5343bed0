import type { z } from 'zod';
import type { OperatorTarget, ScheduleEntry } from '../control/operator-setpoints.ts';
import type { ServiceStatus } from '../service/controller-service.ts';
import type { PlanningState } from '../service/planning-loop.ts';
import type { operatorTargetViewSchema, scheduleEntryViewSchema } from './operator-responses.ts';
import type { SetpointsReport } from '../service/setpoint-reasons.ts';

/**
 * The API's one naming and sign convention, applied where the service's internal shapes differ:
 * - `gridW` is a power at the connection point (measured or planned), `gridTargetW` a target for it; both import
 *   positive. A request, the schedule, the operator's target and the cycle's target all say `gridTargetW`.
 * - Every device power (`powerW` of a setpoint, history, metrics; `pvW`, `batteryW`, `minersW` of a sum) is
 *   generation positive: PV output and battery discharge positive, battery charging and a miner's consumption
 *   negative. `siteLoadW` is the site's own consumption (positive). A device's `reading` is in its nature's own terms
 *   (a miner's reading.powerW is what it draws).
 */
export type OperatorTargetView = z.infer<typeof operatorTargetViewSchema>;
export type ScheduleEntryView = z.infer<typeof scheduleEntryViewSchema>;

export function operatorTargetView(target: OperatorTarget | null): OperatorTargetView | null {
  return target === null ? null : { gridTargetW: target.gridW, source: target.source, untilMs: target.untilMs };
}

export function scheduleView(entries: readonly ScheduleEntry[]): ScheduleEntryView[] {
  return entries.map((e) => ({ fromMs: e.fromMs, toMs: e.toMs, gridTargetW: e.gridW }));
}

export function statusView(status: ServiceStatus) {
  const { powers } = status;
  return {
    ...status,
    // The service sums what the miners draw; the API gives it generation positive like every device power.
    powers: powers === null ? null : { ...powers, minersW: powers.minersW === 0 ? 0 : -powers.minersW },
    operatorTarget: operatorTargetView(status.operatorTarget),
  };
}

export function setpointsView(report: SetpointsReport | null) {
  if (report === null) return { note: 'no cycle has run yet', grid: null, devices: [] };
  if (report.grid === null) return report;
  const { targetW, operatorTarget, ...grid } = report.grid;
  return { ...report, grid: { gridTargetW: targetW, ...grid, operatorTarget: operatorTargetView(operatorTarget) } };
}

/** The plan's miner power is the miners' draw inside the planner; the API gives it generation positive. */
export function planView(state: PlanningState) {
  if (state.plan === null) return state;
  const steps = state.plan.steps.map((step) => ({
    ...step,
    minerPowerW: step.minerPowerW === 0 ? 0 : -step.minerPowerW,
  }));
  return { ...state, plan: { ...state.plan, steps } };
}
