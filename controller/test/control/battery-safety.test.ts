import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSite } from '../cycle/demo-site.ts';

test('a battery at its reserve is never discharged further', async () => {
  // No PV and a large load: the plant is short and the battery is the only help. Policy reserve is 20 %.
  const s = demoSite({ loadW: 6_000, pvAvailableW: 0, socPct: 20.2 });
  await s.connect();
  const socs: number[] = [];
  for (let i = 0; i < 80; i++) {
    await s.step();
    socs.push(s.battery.socPct);
  }
  assert.ok(
    s.battery.writes.some((w) => w.powerW > 0),
    'it did discharge while above the reserve',
  );
  assert.ok(Math.min(...socs) >= 20 - 1e-9, `SoC went down to ${Math.min(...socs)} %`);
  assert.equal(s.battery.setpointW, 0, 'held at the reserve');
  const range = s.cycle.lastReport!.decision!.ranges['battery-1']!.range;
  assert.equal(range.maxW, 0);
  assert.match(range.maxReason, /reserve 20 %/);
  await s.cycle.stop();
});

test('the stricter reserve wins: a battery reserve above the policy one is honoured', async () => {
  const s = demoSite({ loadW: 6_000, pvAvailableW: 0, socPct: 30, batteryMinReservePct: 30 });
  await s.connect();
  for (let i = 0; i < 5; i++) await s.step();
  assert.ok(s.battery.writes.every((w) => w.powerW <= 0));
  assert.match(s.cycle.lastReport!.decision!.ranges['battery-1']!.range.maxReason, /reserve 30 %/);
  await s.cycle.stop();
});

test('a full battery is not charged further', async () => {
  const s = demoSite({ loadW: 1_000, pvAvailableW: 8_000, socPct: 100 });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  assert.ok(s.battery.writes.every((w) => w.powerW >= 0));
  await s.cycle.stop();
});

test('a battery setpoint changes no faster than its ramp limit', async () => {
  const s = demoSite({ loadW: 6_000, pvAvailableW: 0, socPct: 80, batteryRampWPerS: 500 });
  await s.connect();
  for (let i = 0; i < 12; i++) await s.step();
  const powers = [0, ...s.battery.writes.map((w) => w.powerW)];
  const steps = powers.slice(1).map((p, i) => Math.abs(p - powers[i]!));
  assert.ok(Math.max(...steps) <= 500, `largest step ${Math.max(...steps)} W`);
  assert.equal(powers.at(-1), 5_000, 'it reaches full discharge in ramp steps');
  await s.cycle.stop();
});
