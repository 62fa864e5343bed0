import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSite } from '../cycle/demo-site.ts';

/** Live operator targets refreshed every cycle, as a grid operator's control loop would. */
async function followTarget(s: ReturnType<typeof demoSite>, gridW: number, cycles: number): Promise<void> {
  for (let i = 0; i < cycles; i++) {
    s.cycle.operatorSetpoints.setLive({ gridW, validForS: 60 }, s.scheduler.now());
    await s.step();
  }
}

test('PV curtailed for a target that has passed is back at what the sun offers within a few cycles, instead of the batteries covering for it', async () => {
  // A full battery and a paused miner cannot take the surplus: to import 0 W the 8 kW of sun is curtailed to the load.
  const s = demoSite({ loadW: 2_000, pvAvailableW: 8_000, socPct: 100, exportCapW: 20_000 });
  await s.connect();
  await followTarget(s, 0, 10);
  assert.ok(s.pv.acPowerW() < 2_500, `PV curtailed to ${s.pv.acPowerW()} W`);

  // Now the operator wants 4 kW of export: the sun offers it, but PV is held at its cap and looks like 2 kW.
  const batteryW: number[] = [];
  const pvW: number[] = [];
  for (let i = 0; i < 8; i++) {
    await followTarget(s, -4_000, 1);
    batteryW.push(s.battery.acPowerW());
    pvW.push(s.pv.acPowerW());
  }
  // The caps may rise 1 kW a cycle (10 %/s of 10 kW); creeping back by the 200 W probe margin would take 20 cycles.
  assert.ok(pvW.at(-1)! >= 5_900, `PV ${pvW.map(Math.round).join(', ')} W`);
  // Discharging no more (it takes back what it gave while PV came back): PV covers the export.
  assert.ok(batteryW.at(-1)! <= 0, `battery ${batteryW.map(Math.round).join(', ')} W`);
  // Within the probe margin (200 W) the caps leave PV to show more sun.
  assert.ok(Math.abs(s.site.gridPowerW() + 4_000) <= 250, `grid ${s.site.gridPowerW()} W`);
  await s.cycle.stop();
});

test('PV held at its cap by sun that has no more to give is not trusted with a deficit: the batteries cover it', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 8_000, socPct: 100, exportCapW: 20_000 });
  await s.connect();
  await followTarget(s, 0, 10);
  // The sun drops to just what PV produces at its cap: raising the cap shows nothing more.
  s.pv.availableW = s.pv.acPowerW();
  const deviations: number[] = [];
  for (let i = 0; i < 10; i++) {
    await followTarget(s, -3_000, 1);
    if (i >= 2) deviations.push(Math.abs(s.site.gridPowerW() + 3_000));
  }
  assert.ok(Math.max(...deviations) < 250, `grid off its target by ${deviations.map(Math.round).join(', ')} W`);
  assert.ok(s.battery.acPowerW() > 2_500, `the battery covers the export: ${s.battery.acPowerW()} W`);
  await s.cycle.stop();
});
