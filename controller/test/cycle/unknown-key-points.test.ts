import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSite } from './demo-site.ts';

test('a battery whose power and state of charge both read unknown is isolated like a silent one (stale, then faulted), its last good reading is kept, and it is back once its values return', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, cycle: { supervisorTiming: { backoffStepMs: 2_000 } } });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  const lastGood = s.cycle.lastReport!.image.devices['battery-1']!;
  assert.equal(lastGood.health, 'online');
  const writes = s.battery.writes.length;

  s.battery.powerUnknown = true;
  s.battery.socUnknown = true;
  const first = await s.step();
  const battery = first.image.devices['battery-1']!;
  assert.equal(battery.health, 'stale', 'the supervisor leaves online at the first such answer');
  assert.equal(battery.fresh, false);
  assert.equal(battery.failure?.kind, 'bad-value');
  assert.match(battery.failure?.message ?? '', /battery-1.*powerW, socPct/);
  // Nothing lost: the last good reading is held (marked not fresh), not overwritten by the unknowns.
  assert.deepEqual(battery.reading, lastGood.reading);
  assert.equal(battery.readAtMs, lastGood.readAtMs);
  assert.equal(first.plantState, 'degraded');

  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.cycle.deviceState('battery-1'), 'faulted', "faulted after the supervisor's stale reads");
  assert.equal(s.battery.writes.length, writes, 'no setpoint written while it says nothing');

  s.battery.powerUnknown = false;
  s.battery.socUnknown = false;
  for (let i = 0; i < 10; i++) await s.step();
  assert.equal(s.cycle.deviceState('battery-1'), 'online');
  assert.equal(s.cycle.plantState(), 'running');
  assert.equal(s.cycle.lastReport!.image.devices['battery-1']!.fresh, true);
  await s.cycle.stop();
});

test('a battery with only one of its key points unknown stays online: the controllers handle that point', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000 });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  s.battery.socUnknown = true;
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.cycle.deviceState('battery-1'), 'online');
  const dispatch = s.cycle.lastReport!.decision!.dispatch;
  assert.equal(dispatch.powersW['battery-1'], 0, 'held at 0 W by safety while its state of charge is unknown');
  await s.cycle.stop();
});
