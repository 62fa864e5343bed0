import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Planner, PlanInputError, planStepAt, type PlanInput } from '../../src/planner/index.ts';

const STEP_MS = 15 * 60_000;
const START = Date.UTC(2014, 0, 15, 0, 0);
const steps = 96;
const hourOf = (t: number) => (t * 15) / 60;
// a sunny day: PV peaking at 40 kW at noon, load 10-20 kW
const pvW = Array.from({ length: steps }, (_, t) => Math.max(0, 40_000 * Math.sin(((hourOf(t) - 6) / 12) * Math.PI)));
const loadW = Array.from(
  { length: steps },
  (_, t) => 10_000 + 10_000 * Math.max(0, Math.sin(((hourOf(t) - 14) / 10) * Math.PI)),
);

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    startMs: START,
    stepMs: STEP_MS,
    loadW,
    pvW,
    battery: {
      capacityWh: 50_000,
      socPct: 50,
      maxChargeW: 10_000,
      maxDischargeW: 10_000,
      roundTripEfficiency: 0.9,
      reservePct: 20,
      maxSocPct: 95,
    },
    miners: { minW: 0, maxW: 6_000, valuePerKWh: 0.05 },
    gridTargetW: Array(steps).fill(null),
    importCapW: 30_000,
    exportCapW: 5_000,
    importPricePerKWh: Array(steps).fill(0.3),
    exportPricePerKWh: Array(steps).fill(0.04),
    ...overrides,
  };
}

describe('day-ahead planner (HiGHS linear program)', () => {
  let planner: Planner;
  before(async () => {
    planner = await Planner.create();
  });

  test('a sunny day with a tight export cap stays inside both caps and never plans below the battery reserve', () => {
    const plan = planner.plan(input());
    assert.equal(plan.solverStatus, 'Optimal');
    assert.equal(plan.steps.length, steps);
    assert.ok(plan.capShortfallWh < 1e-6, `shortfall ${plan.capShortfallWh}`);
    for (const step of plan.steps) {
      assert.ok(step.gridW >= -5_000 - 1e-6 && step.gridW <= 30_000 + 1e-6, `grid ${step.gridW} at ${step.startMs}`);
      assert.ok(step.socPct >= 20 - 1e-6 && step.socPct <= 95 + 1e-6, `soc ${step.socPct}`);
      assert.ok(step.pvCurtailW >= -1e-6 && step.pvCurtailW <= step.pvForecastW + 1e-6);
    }
    const noon = plan.steps[48]!;
    assert.ok(noon.batteryPowerW < 0 || noon.socPct > 94, 'surplus at noon goes into the battery until it is full');
  });

  test('the state-of-charge path follows from the planned battery power and its efficiency', () => {
    const plan = planner.plan(input());
    const eta = Math.sqrt(0.9);
    let energyWh = 0.5 * 50_000;
    for (const step of plan.steps) {
      const powerW = step.batteryPowerW;
      energyWh += powerW < 0 ? -powerW * eta * 0.25 : (-powerW / eta) * 0.25;
      assert.ok(
        Math.abs((energyWh / 50_000) * 100 - step.socPct) < 0.05,
        `soc ${step.socPct} vs ${(energyWh / 500).toFixed(3)}`,
      );
    }
  });

  test('an operator schedule that the plant can reach is followed exactly', () => {
    const target = Array.from({ length: steps }, (_, t) => (t >= 40 && t < 52 ? -8_000 : null)); // export 8 kW 10:00-13:00
    const plan = planner.plan(input({ gridTargetW: target, exportCapW: 10_000 }));
    assert.equal(plan.solverStatus, 'Optimal');
    for (let t = 40; t < 52; t++)
      assert.ok(Math.abs(plan.steps[t]!.gridW - -8_000) < 1, `step ${t}: ${plan.steps[t]!.gridW}`);
    assert.ok(plan.objective.scheduleDeviationWh < 1);
  });

  test('when the forecasts say a cap cannot hold, the plan reports the shortfall instead of failing', () => {
    const plan = planner.plan(input({ battery: null, miners: null, pvW: Array(steps).fill(0), importCapW: 5_000 }));
    assert.equal(plan.solverStatus, 'Optimal');
    // load is at least 10 kW every step, the cap is 5 kW: at least 5 kW x 24 h short
    assert.ok(plan.capShortfallWh >= 5_000 * 24 - 1, `shortfall ${plan.capShortfallWh}`);
  });

  test('a battery below its reserve is never planned to discharge', () => {
    const plan = planner.plan(input({ battery: { ...input().battery!, socPct: 10 }, pvW: Array(steps).fill(0) }));
    for (const step of plan.steps) assert.ok(step.batteryPowerW <= 1e-6, `discharge ${step.batteryPowerW}`);
  });

  test('miners absorb surplus the export cap would otherwise curtail', () => {
    const withMiners = planner.plan(input({ battery: null }));
    const without = planner.plan(input({ battery: null, miners: null }));
    const curtailed = (p: typeof withMiners) => p.steps.reduce((s, x) => s + x.pvCurtailW, 0);
    assert.ok(curtailed(withMiners) < curtailed(without), `${curtailed(withMiners)} vs ${curtailed(without)}`);
    assert.ok(withMiners.steps[48]!.minerPowerW > 5_000);
  });

  test('for an evening peak above the import cap the plan keeps battery energy back and marks the steps before it', () => {
    // A winter day without sun: 14 kW all day, 21 kW 18:00-21:00 behind an 18 kW import cap; the operator asks for
    // 12 kW at night (the battery would cover 2 kW) and exactly the load by day (no room to recharge).
    const winterLoadW = Array.from({ length: steps }, (_, t) => (hourOf(t) >= 18 && hourOf(t) < 21 ? 21_000 : 14_000));
    const plan = planner.plan(
      input({
        loadW: winterLoadW,
        pvW: Array(steps).fill(0),
        miners: null,
        battery: { ...input().battery!, capacityWh: 30_000, maxChargeW: 15_000, maxDischargeW: 15_000 },
        gridTargetW: Array.from({ length: steps }, (_, t) => (hourOf(t) < 6 ? 12_000 : hourOf(t) < 18 ? 14_000 : null)),
        importCapW: 18_000,
      }),
    );
    assert.equal(plan.solverStatus, 'Optimal');
    assert.ok(plan.capShortfallWh < 1, `shortfall ${plan.capShortfallWh} Wh`);
    const eveningNeedWh = (3_000 * 3) / Math.sqrt(0.9);
    const at18 = plan.steps[18 * 4 - 1]!;
    assert.ok(at18.socPct >= 20 + (100 * eveningNeedWh) / 30_000, `SoC ${at18.socPct} % at 18:00`);
    for (let t = 0; t < steps; t++) {
      const hour = hourOf(t);
      assert.ok(plan.steps[t]!.gridW <= 18_000 + 1, `${hour} h: ${plan.steps[t]!.gridW} W`);
      if (hour < 18) assert.equal(plan.steps[t]!.capNeedsBatteryAhead, true, `${hour} h`);
      if (hour >= 21) assert.equal(plan.steps[t]!.capNeedsBatteryAhead, false, `${hour} h`);
    }
  });

  test('bad input is refused with an error naming the field', () => {
    assert.throws(
      () => planner.plan(input({ pvW: pvW.slice(1) })),
      (e: unknown) => e instanceof PlanInputError && /pvW/.test(e.message),
    );
    assert.throws(
      () => planner.plan(input({ loadW: loadW.map((v, i) => (i === 3 ? Number.NaN : v)) })),
      (e: unknown) => e instanceof PlanInputError && /loadW/.test(e.message),
    );
    assert.throws(
      () => planner.plan(input({ battery: { ...input().battery!, socPct: 120 } })),
      (e: unknown) => e instanceof PlanInputError && /socPct/.test(e.message),
    );
  });

  test('the step in force is found by time, and none outside the horizon', () => {
    const plan = planner.plan(input());
    assert.equal(planStepAt(plan, START + 5 * STEP_MS + 1)?.startMs, START + 5 * STEP_MS);
    assert.equal(planStepAt(plan, START + steps * STEP_MS), null);
    assert.equal(planStepAt(null, START), null);
  });
});
