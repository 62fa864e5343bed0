import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MeterReading } from '../../src/natures/index.ts';
import { AllocationPolicyError } from '../../src/policy/allocation-policy.ts';
import { smallPlant, startControllerFixture, type ControllerFixture } from './controller-fixture.ts';

let f: ControllerFixture;
before(async () => {
  // Meter, PV and battery over Modbus TCP only: the OPC UA miners are covered by the API tests, and here a miner
  // still ramping down in the simulator would only blur what is measured.
  f = await startControllerFixture({
    plant: { ...smallPlant, miners: [] },
    config: { planner: { stepMs: 60_000, horizonMs: 3_600_000, everyMs: 120_000 } },
  });
  await f.untilOnline();
  await f.cycles(3);
});
after(async () => {
  await f?.stop();
});

const gridW = (report: Awaited<ReturnType<ControllerFixture['cycles']>>): number =>
  (report.image.devices['meter-1']!.reading as MeterReading).powerW!;

test('a grid setpoint put through the API is followed at the connection point once the ramps allow', async () => {
  const importingW = gridW(await f.cycles(1));
  // Ask for well away from where the plant sits now, within what the battery alone can do.
  const targetW = importingW > 0 ? importingW - 4_000 : importingW + 4_000;
  const put = await f.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: targetW, validForS: 600 } });
  assert.equal(put.status, 200);
  const measured: number[] = [];
  for (let i = 0; i < 40; i++) measured.push(gridW(await f.cycles(1)));
  const settled = measured.slice(-5);
  for (const w of settled)
    assert.ok(
      Math.abs(w - targetW) <= 250,
      `grid ${w} W should be within 250 W of ${targetW} W (last cycles: ${measured.join(', ')})`,
    );
  const setpoints = f.controller.service.setpoints()!;
  assert.equal(setpoints.grid?.decidedBy, 'operator-setpoint');
});

test('an operator setpoint that is not refreshed lapses to the default after its expiry', async () => {
  const put = await f.api('/api/grid-setpoint', { method: 'PUT', json: { gridTargetW: 3_000, validForS: 5 } });
  assert.equal(put.status, 200);
  assert.equal((await f.cycles(2)).decision?.dispatch.gridTargetW, 3_000);
  const report = await f.cycles(5);
  assert.equal(f.controller.service.status().operatorTarget, null);
  assert.notEqual(f.controller.service.setpoints()!.grid?.decidedBy, 'operator-setpoint');
  assert.ok(report.decision);
});

test('the planner plans on its own every planner.everyMs from the measured state, and the forecast is compared with what was measured', async () => {
  // The fixture's planner: 1-minute steps over 1 h, every 2 minutes (the defaults are 15 min / 24 h / 15 min).
  const first = f.controller.service.plan().plan;
  assert.ok(first, 'planned 5 cycles after start');
  assert.equal(first.steps.length, 60);
  assert.equal(first.stepMs, 60_000);
  assert.equal(first.solverStatus, 'Optimal');
  const state = f.controller.service.plan();
  assert.equal(state.lastError, null);
  assert.match(state.sources!.fallbackReason ?? '', /seasonal-naive/, 'the fallback and its reason are visible');
  await f.cycles(130);
  const later = f.controller.service.plan().plan!;
  assert.ok(later.createdAtMs > first.createdAtMs, 'replanned on the schedule');
  const forecast = await f.api('/api/forecast', { token: null });
  const compared = forecast.body.steps.filter((s: { loadForecastW: number | null }) => s.loadForecastW !== null);
  assert.ok(compared.length >= 1, JSON.stringify(forecast.body));
  for (const step of compared) {
    assert.equal(typeof step.loadActualW, 'number');
    assert.equal(typeof step.pvActualW, 'number');
  }
});

test('a policy from governance replaces the local one and the API reports its version; a policy out of bounds is refused and the old one stays', async () => {
  const local = f.controller.service.policy();
  assert.equal(local.version, 0);
  const passed = { ...local.policy, battery_reserve_pct: 35 };
  f.controller.service.applyPolicy(3, passed);
  const status = await f.api('/api/status', { token: null });
  assert.deepEqual(status.body.policy, { version: 3, source: 'chain' });
  assert.equal((await f.api('/api/policy', { token: null })).body.policy.battery_reserve_pct, 35);
  assert.throws(
    () => f.controller.service.applyPolicy(4, { ...passed, battery_reserve_pct: 2 }),
    (e: unknown) => e instanceof AllocationPolicyError && e.issues.some((i) => i.startsWith('battery_reserve_pct')),
  );
  assert.equal(f.controller.service.policy().version, 3);
  const report = await f.cycles(1);
  const reserveStep = report.decision?.ranges['battery-1']?.trail.find((n) => n.reason.startsWith('reserve'));
  assert.match(reserveStep?.reason ?? '', /reserve 35 %/, 'the cycle applies the new reserve');
});
