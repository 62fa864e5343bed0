import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatteryReading } from '../../src/natures/index.ts';
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

/**
 * Energy a battery still moves if it is commanded `powerW` now, keeps it for a whole cycle, and is then told 0 W and
 * ramps down at its ramp rate: what must fit in the room left before its BMS would stop it by itself.
 */
function energyUntilAtRestWh(powerW: number, cycleS: number, rampWPerS: number): number {
  return (Math.abs(powerW) * cycleS + powerW ** 2 / (2 * rampWPerS)) / 3600;
}

test('charge tapers as a battery nears full: stopped at the next cycle, it comes to rest before its BMS stops it', async () => {
  // A slow ramp (500 W/s: 10 s from 5 kW to 0) makes the tail after a cycle matter.
  const s = demoSite({ loadW: 1_000, pvAvailableW: 8_000, socPct: 99.5, batteryRampWPerS: 500 });
  await s.connect();
  const tooMuch: string[] = [];
  let charged = false;
  for (let i = 0; i < 120; i++) {
    const report = await s.step();
    const socPct = (report.image.devices['battery-1']!.reading as BatteryReading).socPct as number;
    const powerW = report.decision!.dispatch.powersW['battery-1'] ?? 0;
    if (powerW < -100) charged = true;
    const roomWh = ((100 - socPct) / 100) * 10_000;
    if (powerW < 0 && energyUntilAtRestWh(powerW, 1, 500) > roomWh + 1e-9) {
      tooMuch.push(`SoC ${socPct.toFixed(3)} %: ${Math.round(powerW)} W`);
    }
  }
  assert.ok(charged, 'it did charge while below full');
  assert.deepEqual(tooMuch, [], 'charge commands that would run the battery into full before it could stop');
  assert.match(
    s.cycle.lastReport!.decision!.ranges['battery-1']!.range.minReason,
    /maximum SoC 100 %.*tapered over 11 s/,
  );
  await s.cycle.stop();
});

test('discharge tapers as a battery nears its reserve: stopped at the next cycle, it comes to rest above the reserve', async () => {
  // Policy reserve 20 %; no PV and a large load, so the battery is asked for all it may give.
  const s = demoSite({ loadW: 6_000, pvAvailableW: 0, socPct: 20.5, batteryRampWPerS: 500 });
  await s.connect();
  const tooMuch: string[] = [];
  let discharged = false;
  for (let i = 0; i < 120; i++) {
    const report = await s.step();
    const socPct = (report.image.devices['battery-1']!.reading as BatteryReading).socPct as number;
    const powerW = report.decision!.dispatch.powersW['battery-1'] ?? 0;
    if (powerW > 100) discharged = true;
    const roomWh = ((socPct - 20) / 100) * 10_000;
    if (powerW > 0 && energyUntilAtRestWh(powerW, 1, 500) > roomWh + 1e-9) {
      tooMuch.push(`SoC ${socPct.toFixed(3)} %: ${Math.round(powerW)} W`);
    }
  }
  assert.ok(discharged, 'it did discharge while above the reserve');
  assert.deepEqual(tooMuch, [], 'discharge commands that would run the battery into its reserve before it could stop');
  assert.ok(s.battery.socPct >= 20 - 1e-9);
  await s.cycle.stop();
});
