import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import { startControlledPlant, type ControlledPlant } from './controlled-plant.ts';

/** Noon in Melbourne (the plant's profiles run on UTC+10) on a summer day: PV, load and batteries all in play. */
const NOON = Date.UTC(2014, 0, 15, 2, 0, 0);
/**
 * 1 s cycles (the default period) over three 60 s windows: 190 cycles of real socket round trips, a few seconds on
 * this machine. A minute per window is many times the batteries' ramp time, so it shows settling and holding.
 */
const CYCLE_MS = 1_000;
const WINDOW_MS = 60_000;
/**
 * Tolerance at the connection point: the PV probe margin (200 W, ControlTuning.pvProbeMarginW: the controller aims
 * that far inside a limit that PV binds, so PV can show more sun) + 50 W for the meter's 10 W resolution and one
 * second of load and sun drift.
 */
const TOLERANCE_W = 250;

let site: ControlledPlant;

before(async () => {
  site = await startControlledPlant({ startMs: NOON, plant: { miners: [] }, importCapW: 100_000, exportCapW: 100_000 });
});
after(async () => {
  await site?.stop();
});

test('the grid power follows an operator schedule at the connection point within 250 W once the battery ramps allow', async () => {
  const first = await site.runCycle();
  const uncontrolledGridW = Math.round(site.gridW(first));
  const startMs = site.scheduler.now() + CYCLE_MS;
  // Windows relative to where the plant stands, so they ask for work from the batteries whatever the weather.
  const windows = [
    { fromMs: startMs, toMs: startMs + WINDOW_MS, gridW: uncontrolledGridW - 8_000 },
    { fromMs: startMs + WINDOW_MS, toMs: startMs + 2 * WINDOW_MS, gridW: uncontrolledGridW + 6_000 },
    { fromMs: startMs + 2 * WINDOW_MS, toMs: startMs + 3 * WINDOW_MS, gridW: uncontrolledGridW - 2_000 },
  ];
  site.cycle.operatorSetpoints.setSchedule(windows);

  const batteries = ['battery-1', 'battery-2'].map((id) => site.plant.model(id) as BatteryModel);
  const rampSumWPerS = batteries.reduce((sum, b) => sum + b.rampWPerS, 0);
  const outsideAfterSettling: string[] = [];
  const batteryPowerAtWindowEndW: number[] = [];
  let previousTargetW = uncontrolledGridW;
  for (const window of windows) {
    // The time the batteries need to swing the whole step at their ramp, plus the load average (3 cycles) and one.
    const settleCycles = Math.ceil(Math.abs(window.gridW - previousTargetW) / rampSumWPerS) + 4;
    for (let i = 0; site.scheduler.now() + CYCLE_MS < window.toMs; i++) {
      const report = await site.step(CYCLE_MS);
      assert.equal(report.inputs?.operatorTarget?.gridW, window.gridW, 'the scheduled target is the one in force');
      const deviationW = site.gridW(report) - window.gridW;
      if (i >= settleCycles && Math.abs(deviationW) > TOLERANCE_W)
        outsideAfterSettling.push(`cycle ${report.cycleIndex}: ${Math.round(deviationW)} W`);
    }
    batteryPowerAtWindowEndW.push(batteries.reduce((sum, b) => sum + b.acPowerW, 0));
    previousTargetW = window.gridW;
  }
  assert.deepEqual(outsideAfterSettling, [], 'deviations beyond the tolerance after settling');
  // The batteries did the work (generation positive): discharging for the low target, charging for the high one.
  assert.ok(
    batteryPowerAtWindowEndW[0]! - batteryPowerAtWindowEndW[1]! > 10_000,
    `battery powers ${batteryPowerAtWindowEndW.map(Math.round).join(', ')} W`,
  );

  // After the schedule, no operator target: the policy decides again.
  const afterSchedule = await site.step(CYCLE_MS);
  assert.equal(afterSchedule.inputs?.operatorTarget, null);
});
