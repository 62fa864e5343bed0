import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OperatorSetpointError, OperatorSetpoints } from '../../src/control/operator-setpoints.ts';
import { demoSite } from '../cycle/demo-site.ts';

test('the grid power follows a live operator target', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  s.cycle.operatorSetpoints.setLive({ gridW: -3_000, validForS: 60 }, s.scheduler.now());
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(Math.round(s.site.gridPowerW()), -3_000);
  const grid = s.cycle.lastReport!.decision!.ranges['@grid']!.range;
  assert.deepEqual([grid.minW, grid.maxW, grid.minBoundBy], [-3_000, -3_000, 'operator-setpoint']);
  await s.cycle.stop();
});

test('a live target that is not refreshed in time lapses to the default', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  s.cycle.operatorSetpoints.setLive({ gridW: 1_000, validForS: 10 }, s.scheduler.now());
  for (let i = 0; i < 9; i++) await s.step();
  assert.equal(Math.round(s.site.gridPowerW()), 1_000);
  s.cycle.operatorSetpoints.setLive({ gridW: 1_000, validForS: 10 }, s.scheduler.now()); // refreshed in time
  for (let i = 0; i < 9; i++) await s.step();
  assert.equal(Math.round(s.site.gridPowerW()), 1_000);
  for (let i = 0; i < 2; i++) await s.step();
  // The default: the policy exports 20 % of the 4 kW surplus.
  assert.equal(Math.round(s.site.gridPowerW()), -800);
  assert.equal(s.cycle.operatorSetpoints.targetAt(s.scheduler.now()), null);
  await s.cycle.stop();
});

test('a target beyond the export cap is held at the cap', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, exportCapW: 2_500 });
  await s.connect();
  s.cycle.operatorSetpoints.setLive({ gridW: -15_000, validForS: 60 }, s.scheduler.now());
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(Math.round(s.site.gridPowerW()), -2_500);
  await s.cycle.stop();
});

test('a schedule entry applies within its window, and the default after it', () => {
  const setpoints = new OperatorSetpoints();
  setpoints.setSchedule([
    { fromMs: 2_000, toMs: 3_000, gridW: 500 },
    { fromMs: 1_000, toMs: 2_000, gridW: -500 },
  ]);
  assert.equal(setpoints.targetAt(999), null);
  assert.equal(setpoints.targetAt(1_000)?.gridW, -500);
  assert.equal(setpoints.targetAt(2_500)?.gridW, 500);
  assert.equal(setpoints.targetAt(3_000), null);
  setpoints.setLive({ gridW: 0, validForS: 1 }, 2_000);
  assert.equal(setpoints.targetAt(2_500)?.source, 'live', 'a live call beats the schedule while valid');
});

test('malformed operator setpoints are refused with a typed error and the targets in force are kept', () => {
  const setpoints = new OperatorSetpoints({ maxValidityS: 600 });
  setpoints.setLive({ gridW: -1_000, validForS: 60 }, 0);
  setpoints.setSchedule([{ fromMs: 100_000, toMs: 200_000, gridW: 700 }]);
  const bad: unknown[] = [
    { gridW: Number.NaN, validForS: 60 },
    { gridW: '1000', validForS: 60 },
    { gridW: 1_000 },
    { gridW: 1_000, validForS: 601 },
    { gridW: 1_000, validForS: 60, extra: true },
  ];
  for (const request of bad) {
    assert.throws(
      () => setpoints.setLive(request, 0),
      (error: unknown) => {
        assert.ok(error instanceof OperatorSetpointError);
        assert.ok(error.issues.length > 0);
        return true;
      },
    );
  }
  assert.throws(
    () =>
      setpoints.setSchedule([
        { fromMs: 0, toMs: 10, gridW: 1 },
        { fromMs: 5, toMs: 20, gridW: 2 },
      ]),
    { name: 'OperatorSetpointError', message: /overlap/ },
  );
  assert.throws(() => setpoints.setSchedule([{ fromMs: 10, toMs: 10, gridW: 1 }]), /fromMs must be before toMs/);
  assert.deepEqual(setpoints.targetAt(1_000), { gridW: -1_000, source: 'live', untilMs: 60_000 });
  assert.deepEqual(setpoints.scheduleEntries, [{ fromMs: 100_000, toMs: 200_000, gridW: 700 }]);
});
