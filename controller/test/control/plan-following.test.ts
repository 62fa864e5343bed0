import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Plan, PlanStep } from '../../src/planner/plan.ts';
import { demoSite } from '../cycle/demo-site.ts';

function planAt(startMs: number, step: Partial<PlanStep>): Plan {
  const base: PlanStep = {
    startMs,
    batteryPowerW: 0,
    socPct: 50,
    minerPowerW: 3_000,
    pvCurtailW: 0,
    gridW: 0,
    loadForecastW: 0,
    pvForecastW: 0,
  };
  return {
    createdAtMs: startMs,
    stepMs: 900_000,
    steps: [{ ...base, ...step }],
    solverStatus: 'Optimal',
    capShortfallWh: 0,
    objective: { scheduleDeviationWh: 0, gridCost: 0 },
  };
}

test('below the planned state of charge the batteries are not discharged, so the plan keeps its energy for later', async () => {
  const s = demoSite({ loadW: 4_000, pvAvailableW: 0, socPct: 50 });
  await s.connect();
  await s.step();
  assert.ok(s.battery.setpointW > 0, 'without a plan the battery covers the load');
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 70 }));
  await s.step();
  assert.equal(s.battery.setpointW, 0);
  const range = s.cycle.lastReport!.decision!.ranges['battery-1']!.range;
  assert.equal(range.maxBoundBy, 'plan-following');
  assert.match(range.maxReason, /below plan 70\.0 %/);
  await s.cycle.stop();
});

test('above the planned state of charge the batteries are not charged, and the surplus goes to export', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, socPct: 50 });
  await s.connect();
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 30 }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, 0);
  assert.equal(Math.round(s.site.gridPowerW()), -4_000);
  await s.cycle.stop();
});

test('a plan that does not cover now is not followed, and the plan never overrides the reserve', async () => {
  const s = demoSite({ loadW: 4_000, pvAvailableW: 0, socPct: 20 });
  await s.connect();
  s.cycle.setPlan(planAt(s.scheduler.now() + 3_600_000, { socPct: 70 }));
  await s.step();
  assert.equal(s.cycle.lastReport!.decision!.ranges['battery-1']!.range.maxBoundBy, 'safety');
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 10 }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, 0, 'the plan wants discharge, the reserve (20 %) says no');
  await s.cycle.stop();
});

test('running miners consume no more than the plan schedules for them', async () => {
  const s = demoSite({ loadW: 1_000, pvAvailableW: 9_000, socPct: 100, minerRunning: true });
  await s.connect();
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 100, minerPowerW: 1_500 }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.miner.acPowerW(), -1_500);
  await s.cycle.stop();
});

test('while the plan keeps energy for an import-cap peak ahead, the batteries discharge no more than planned', async () => {
  const s = demoSite({ loadW: 4_000, pvAvailableW: 0, socPct: 50 });
  await s.connect();
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 50, batteryPowerW: 1_000, capNeedsBatteryAhead: true }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, 1_000, 'the dead band does not hand the kept energy to the load');
  assert.match(s.cycle.lastReport!.decision!.ranges['battery-1']!.range.maxReason, /import cap ahead/);
  await s.cycle.stop();
});

test('below the path of a plan that charges for an import-cap peak ahead, the batteries charge as planned', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 0, socPct: 50 });
  await s.connect();
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 70, batteryPowerW: -3_000, capNeedsBatteryAhead: true }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, -3_000);
  // a plan that charges for nothing but the schedule is not forced on the plant
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 70, batteryPowerW: -3_000, capNeedsBatteryAhead: false }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, 0);
  await s.cycle.stop();
});

test('below the planned path the batteries still discharge what the import cap needs now', async () => {
  const s = demoSite({ loadW: 23_000, pvAvailableW: 0, socPct: 50, importCapW: 20_000 });
  await s.connect();
  s.cycle.setPlan(planAt(s.scheduler.now(), { socPct: 70, batteryPowerW: -3_000, capNeedsBatteryAhead: true }));
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, 3_000);
  assert.match(s.cycle.lastReport!.decision!.ranges['battery-1']!.range.maxReason, /for the import cap now/);
  await s.cycle.stop();
});
