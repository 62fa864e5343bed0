import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planView, scheduleView, setpointsView } from '../../src/api/operator-views.ts';
import type { PlanningState } from '../../src/service/planning-loop.ts';
import type { SetpointsReport } from '../../src/service/setpoint-reasons.ts';

test("the API's plan gives the miners' draw as a negative power, like every device power, and leaves the rest", () => {
  const state: PlanningState = {
    plan: {
      createdAtMs: 0,
      stepMs: 900_000,
      steps: [
        {
          startMs: 0,
          batteryPowerW: 2_000,
          socPct: 50,
          minerPowerW: 6_000,
          pvCurtailW: 0,
          gridW: -1_000,
          loadForecastW: 9_000,
          pvForecastW: 10_000,
        },
        {
          startMs: 900_000,
          batteryPowerW: -1_000,
          socPct: 52,
          minerPowerW: 0,
          pvCurtailW: 0,
          gridW: 0,
          loadForecastW: 9_000,
          pvForecastW: 10_000,
        },
      ],
      solverStatus: 'Optimal',
      capShortfallWh: 0,
    } as unknown as NonNullable<PlanningState['plan']>,
    sources: null,
    bands: null,
    lastAttemptAtMs: 0,
    lastError: null,
  };
  const view = planView(state);
  assert.deepEqual(
    view.plan!.steps.map((s) => [s.minerPowerW, s.batteryPowerW, s.gridW]),
    [
      [-6_000, 2_000, -1_000],
      [0, -1_000, 0],
    ],
  );
  assert.ok(Object.is(view.plan!.steps[1]!.minerPowerW, 0), 'no -0 in JSON-bound numbers');
  assert.equal(state.plan!.steps[0]!.minerPowerW, 6_000, 'the planner state itself is untouched');
});

test('targets at the connection point are gridTargetW in the schedule and the setpoints', () => {
  assert.deepEqual(scheduleView([{ fromMs: 1, toMs: 2, gridW: -500 }]), [{ fromMs: 1, toMs: 2, gridTargetW: -500 }]);
  const report = {
    cycleIndex: 3,
    atMs: 10,
    plantState: 'running',
    grid: {
      targetW: 1_500,
      decidedBy: 'operator-setpoint',
      reason: 'r',
      range: { minW: 1_500, maxW: 1_500 },
      operatorTarget: { gridW: 1_500, source: 'live', untilMs: 99 },
    },
    devices: [],
  } as SetpointsReport;
  const view = setpointsView(report);
  assert.deepEqual(view.grid, {
    gridTargetW: 1_500,
    decidedBy: 'operator-setpoint',
    reason: 'r',
    range: { minW: 1_500, maxW: 1_500 },
    operatorTarget: { gridTargetW: 1_500, source: 'live', untilMs: 99 },
  });
  assert.deepEqual(setpointsView(null), { note: 'no cycle has run yet', grid: null, devices: [] });
});
