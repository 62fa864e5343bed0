import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSite } from '../cycle/demo-site.ts';

test('miners resume on lasting surplus, and respect their minimum on and off times and the disable delay', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, socPct: 50, minerMinOnS: 300, minerMinOffS: 300 });
  await s.connect();
  const startMs = s.scheduler.now();
  const switches: [number, boolean][] = [];
  let running = s.miner.running;
  for (let second = 1; second <= 1_000; second++) {
    // Sun from the start, gone from 400 s to 700 s, back after.
    s.pv.availableW = second >= 400 && second < 700 ? 0 : 6_000;
    await s.step();
    if (s.miner.running !== running) {
      running = s.miner.running;
      switches.push([Math.round((s.scheduler.now() - startMs) / 1000), running]);
    }
  }
  // Paused at start: minimum off time (300 s) counts from start-up; then 60 s of surplus (enable delay).
  // Resumed at ~361 s; the sun goes at 400 s but the minimum on time holds it until ~661 s, then the 180 s
  // disable delay runs; the sun is back at 700 s, so it keeps mining.
  assert.equal(switches.length, 1, `switches: ${JSON.stringify(switches)}`);
  const [resumedAtS] = switches[0]!;
  assert.ok(resumedAtS >= 360 && resumedAtS <= 362, `resumed at ${resumedAtS} s`);
  assert.equal(s.miner.running, true);
  await s.cycle.stop();
});

test('a miner pauses after the disable delay once its minimum on time is over and the surplus is gone', async () => {
  const s = demoSite({
    loadW: 2_000,
    pvAvailableW: 6_000,
    socPct: 50,
    minerMinOnS: 120,
    minerMinOffS: 0,
    minerRunning: true,
  });
  await s.connect();
  const startMs = s.scheduler.now();
  s.pv.availableW = 0;
  let pausedAtS: number | null = null;
  for (let second = 1; second <= 400 && pausedAtS === null; second++) {
    await s.step();
    assert.ok(s.miner.running || second > 120, `paused at ${second} s, inside its minimum on time`);
    if (!s.miner.running) pausedAtS = Math.round((s.scheduler.now() - startMs) / 1000);
    if (s.miner.running) assert.equal(s.miner.acPowerW(), -1_000, 'short of surplus it runs at its minimum power');
  }
  // The battery covers the load, so the plant is not short: the 3-minute disable delay applies after min on.
  assert.ok(pausedAtS !== null && pausedAtS >= 300 && pausedAtS <= 302, `paused at ${pausedAtS} s`);
  await s.cycle.stop();
});
