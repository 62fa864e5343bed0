import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CycleStats } from '../../src/cycle/cycle-stats.ts';
import { demoSite } from './demo-site.ts';

test('the process image is deeply frozen: nothing can change it while controllers run', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  const report = await s.step();
  const battery = report.image.devices['battery-1']!;
  assert.ok(Object.isFrozen(report.image) && Object.isFrozen(report.image.devices) && Object.isFrozen(battery));
  assert.ok(battery.reading && Object.isFrozen(battery.reading));
  assert.throws(() => {
    (battery.reading as { socPct: number }).socPct = 0;
  }, TypeError);
  await s.cycle.stop();
});

test('a device that never answers does not stall the cycle: it times out at the read deadline and the rest is balanced', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, cycle: { timing: { readTimeoutMs: 400 } } });
  await s.connect();
  await s.step();
  s.pv.fault = { kind: 'hang' };
  await s.scheduler.advance(1_000);
  const running = s.cycle.runOnce();
  await s.scheduler.advance(399);
  let finished = false;
  void running.then(() => (finished = true));
  await s.scheduler.advance(0);
  assert.equal(finished, false, 'still waiting before the deadline');
  await s.scheduler.advance(1);
  const report = await running;
  const pv = report.image.devices['pv-1']!;
  assert.equal(pv.fresh, false);
  assert.equal(pv.failure?.kind, 'timeout');
  assert.equal(pv.health, 'stale');
  assert.equal(report.image.devices['battery-1']!.fresh, true);
  assert.equal(report.plantState, 'degraded');
  assert.ok(!report.commands.some((c) => c.deviceId === 'pv-1'), 'a stale device is not commanded');
  await s.cycle.stop();
});

test('a dead battery is retried on its back-off while the rest keeps balancing, and rejoins when it answers', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, cycle: { supervisorTiming: { backoffStepMs: 2_000 } } });
  await s.connect();
  await s.step();
  s.battery.fault = { kind: 'disconnected' };
  s.battery.connectFault = { kind: 'connection-refused' };
  const report = await s.step();
  assert.equal(s.cycle.deviceState('battery-1'), 'faulted');
  assert.equal(report.plantState, 'degraded');
  for (let i = 0; i < 10; i++) await s.step();
  assert.ok(s.battery.connectAttemptsAtMs.length >= 3, 'retried');
  assert.ok(s.pv.reads >= 12, 'the PV inverter was read every cycle meanwhile');
  assert.ok(
    Math.abs(s.site.gridPowerW() - s.cycle.lastReport!.decision!.dispatch.gridTargetW) < 1,
    'still balancing around it',
  );
  s.battery.fault = null;
  s.battery.connectFault = null;
  for (let i = 0; i < 10; i++) await s.step();
  assert.equal(s.cycle.deviceState('battery-1'), 'online');
  assert.equal(s.cycle.plantState(), 'running');
  await s.cycle.stop();
});

test('with the grid meter lost the plant goes failsafe: batteries are held at 0 W and nothing else is written', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  await s.step();
  assert.ok(s.battery.setpointW < 0);
  const writesBefore = { pv: s.pv.writes.length, miner: s.miner.writes.length };
  s.site.meter.fault = { kind: 'timeout' };
  const report = await s.step();
  assert.equal(report.plantState, 'failsafe');
  assert.equal(report.decision, null);
  assert.equal(s.battery.setpointW, 0);
  assert.deepEqual({ pv: s.pv.writes.length, miner: s.miner.writes.length }, writesBefore);
  s.site.meter.fault = null;
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.cycle.plantState(), 'failsafe', 'the meter must be back for the recovery delay');
  for (let i = 0; i < 5; i++) await s.step();
  assert.equal(s.cycle.plantState(), 'running');
  assert.ok(s.battery.setpointW < 0, 'balancing resumed');
  await s.cycle.stop();
});

test('a battery that reports a fault is held at 0 W until the fault is gone and acknowledged', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  await s.step();
  s.battery.reportsFault = true;
  await s.step();
  assert.equal(s.cycle.batteryState('battery-1'), 'error');
  assert.equal(s.battery.setpointW, 0);
  s.cycle.acknowledgeBatteryFault('battery-1');
  await s.step();
  assert.equal(s.battery.setpointW, 0, 'an acknowledgement while the fault is present changes nothing');
  s.battery.reportsFault = false;
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.cycle.batteryState('battery-1'), 'error');
  assert.equal(s.battery.setpointW, 0, 'the fault is gone but nobody acknowledged it');
  s.cycle.acknowledgeBatteryFault('battery-1');
  await s.step();
  await s.step();
  assert.equal(s.cycle.batteryState('battery-1'), 'running');
  assert.ok(s.battery.setpointW < 0);
  await s.cycle.stop();
});

test('a battery whose power reads unknown is not commanded, and the plant balances around it as load', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  const writes = s.battery.writes.length;
  s.battery.powerUnknown = true;
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.writes.length, writes, 'no setpoint without a known power');
  assert.ok(!s.cycle.lastReport!.commands.some((c) => c.deviceId === 'battery-1'));
  // It keeps charging 3.2 kW on its last setpoint; that is load now: PV 6 kW - 5.2 kW load leaves 0.8 kW of surplus,
  // and with no battery to command and the miner paused, all of it is exported.
  const dispatch = s.cycle.lastReport!.decision!.dispatch;
  assert.equal(Math.round(dispatch.gridTargetW), -800);
  assert.equal(Math.round(s.site.gridPowerW()), -800);
  await s.cycle.stop();
});

test('the periodic tick runs one cycle per period on the scheduler clock and counts overruns', async () => {
  let fakeNowMs = 0;
  const durations = [20, 30, 1_500, 25, 40];
  let call = 0;
  // Each cycle reads the stopwatch twice (start, end): this fake makes cycle i last durations[i] ms.
  const stopwatch = () => {
    const i = Math.floor(call / 2);
    fakeNowMs += call % 2 === 0 ? 0 : durations[i % durations.length]!;
    call += 1;
    return fakeNowMs;
  };
  const reported: number[] = [];
  const s = demoSite({
    loadW: 2_000,
    pvAvailableW: 6_000,
    cycle: { stopwatch, onReport: (r) => reported.push(r.cycleIndex) },
  });
  s.cycle.start();
  await s.scheduler.advance(5_000);
  const stats = s.cycle.cycleStats();
  assert.equal(stats.cycles, 5);
  assert.deepEqual(reported, [1, 2, 3, 4, 5], 'every report is handed on');
  assert.equal(stats.overruns, 1);
  assert.equal(stats.p50Ms, 30);
  assert.equal(stats.p99Ms, 1_500);
  await s.cycle.stop();
});

test('cycle statistics give nearest-rank p50 and p99 over the window', () => {
  const stats = new CycleStats(1_000, 100);
  for (let i = 1; i <= 200; i++) stats.record(i);
  const snapshot = stats.snapshot();
  assert.equal(snapshot.cycles, 200);
  assert.equal(snapshot.p50Ms, 150);
  assert.equal(snapshot.p99Ms, 199);
  assert.equal(snapshot.maxMs, 200);
});

test('stopping the cycle closes every driver and stops the ticks', async () => {
  const s = demoSite();
  s.cycle.start();
  await s.scheduler.advance(2_000);
  await s.cycle.stop();
  assert.equal(s.cycle.plantState(), 'stopped');
  assert.ok([s.pv, s.battery, s.miner, s.site.meter].every((d) => !d.connected));
  const reads = s.pv.reads;
  await s.scheduler.advance(5_000);
  assert.equal(s.pv.reads, reads);
});

test('a configuration with deadlines that do not fit in the period is refused with a typed error', () => {
  assert.throws(() => demoSite({ cycle: { timing: { periodMs: 500, readTimeoutMs: 400, writeTimeoutMs: 300 } } }), {
    name: 'CycleTimingError',
    message: /readTimeoutMs \+ writeTimeoutMs/,
  });
});
