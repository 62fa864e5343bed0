import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import type { MinerModel, MinerState } from '@gridcoop/devices/models/miner';
import type { BatteryReading } from '@gridcoop/controller/natures/index';
import { startControlledPlant } from './controlled-plant.ts';

/** 22:00 in Melbourne (UTC+10 in the profiles): no sun, the site draws from the grid or the storage. */
const NIGHT = Date.UTC(2014, 0, 15, 12, 0, 0);

test('a battery at its reserve is never discharged further, even while the operator asks for export', async () => {
  const site = await startControlledPlant({
    startMs: NIGHT,
    plant: {
      pvInverters: [],
      miners: [],
      // The device's own reserve is 10 %; the policy's (20 %, the default) is stricter and the one that counts.
      batteries: [
        {
          id: 'battery-1',
          capacityWh: 10_000,
          maxChargeW: 5_000,
          maxDischargeW: 5_000,
          initialSocPct: 21,
          minReservePct: 10,
        },
      ],
    },
    importCapW: 100_000,
    exportCapW: 100_000,
  });
  try {
    const reservePct = site.cycle.policyInForce.policy.battery_reserve_pct;
    const battery = site.plant.model('battery-1') as BatteryModel;
    const first = await site.runCycle();
    site.cycle.operatorSetpoints.setLive({ gridW: -20_000, validForS: 3_600 }, site.scheduler.now());
    // 1 s cycles (the default) for 3 simulated minutes: at 5 kW the battery crosses its last 1 % in about 72 s,
    // then sits at the reserve for the rest. 180 cycles over Modbus TCP take a few seconds.
    // The device cannot stop at once: it ramps down at its own rate (here 2,500 W/s, so 2 s from full discharge).
    const rampDownMs = (battery.maxDischargeW / battery.rampWPerS) * 1000;
    let reserveSeenAtMs: number | null = null;
    const dischargeAtReserve: string[] = [];
    let lowestSocPct = battery.socPct;
    let mostDischargeW = 0;
    for (let i = 0; i < 180; i++) {
      const report = await site.step(1_000);
      mostDischargeW = Math.max(mostDischargeW, battery.acPowerW);
      lowestSocPct = Math.min(lowestSocPct, battery.socPct);
      const reading = report.image.devices['battery-1']!.reading as BatteryReading;
      const commandW = report.decision?.dispatch.powersW['battery-1'];
      if (reserveSeenAtMs === null && reading.socPct !== null && reading.socPct <= reservePct)
        reserveSeenAtMs = report.atMs;
      if (reserveSeenAtMs === null) continue;
      const afterS = (report.atMs - reserveSeenAtMs) / 1000;
      // Generation positive: a command above 0 W is a discharge order.
      if (commandW === undefined || commandW > 0) dischargeAtReserve.push(`${afterS} s after: command ${commandW} W`);
      // 20 W for rounding in the device's ramp.
      if (report.atMs - reserveSeenAtMs >= rampDownMs && battery.acPowerW > 20)
        dischargeAtReserve.push(`${afterS} s after: device at ${battery.acPowerW} W`);
    }
    assert.ok(site.gridW(first) > 0, 'the site imports at night before control');
    assert.ok(
      mostDischargeW > 4_000,
      `the battery did discharge towards the operator's export first (${mostDischargeW} W)`,
    );
    assert.notEqual(reserveSeenAtMs, null, `the battery reached its reserve (lowest ${lowestSocPct} %)`);
    assert.deepEqual(dischargeAtReserve, [], 'discharge at the reserve');
    assert.ok(lowestSocPct >= reservePct - 0.1, `lowest state of charge ${lowestSocPct} % vs reserve ${reservePct} %`);
  } finally {
    await site.stop();
  }
});

/** The simulated miners keep 60 s minimum on/off times of their own; the controller's are longer. */
const MIN_ON_S = 70;
const MIN_OFF_S = 80;
const CYCLE_MS = 10_000;
const WINDOW_MS = 30_000;

function isOn(state: MinerState): boolean {
  return state === 'running' || state === 'ramping-up';
}

test('miners on OPC UA keep the controller minimum on and off times while the surplus flips every 30 s', async () => {
  const site = await startControlledPlant({
    startMs: NIGHT,
    // No storage: surplus goes to the miners and a deficit makes the plant short, which pauses them at once when
    // they are allowed to stop. The simulated miners refuse commands inside their own 60 s minimum on/off times;
    // the controller's are longer, so a refusal would show up as a failed write.
    plant: { pvInverters: [], batteries: [] },
    importCapW: 100_000,
    exportCapW: 100_000,
    minerMinOnS: MIN_ON_S,
    minerMinOffS: MIN_OFF_S,
    minerTiming: { enableDelayMs: 5_000, disableDelayMs: 5_000 },
    // 10 s cycles: 10 simulated minutes in 60 cycles, many times the minimum times. Each cycle waits 450 ms of real
    // time for the miners' subscriptions (about 30 s for the test on this machine).
    timing: { periodMs: CYCLE_MS, readTimeoutMs: 2_000, writeTimeoutMs: 2_000 },
    subscriptionSettleMs: 450,
  });
  try {
    const ids = ['miner-1', 'miner-2', 'miner-3'];
    const miners = ids.map((id) => site.plant.model(id) as MinerModel);
    const first = await site.runCycle();
    // Grid without the miners: what the site alone draws.
    const siteOnlyW = Math.round(site.gridW(first) - miners.reduce((sum, m) => sum + m.powerW, 0));
    const startMs = site.scheduler.now();
    const windows = Array.from({ length: 21 }, (_, i) => ({
      fromMs: startMs + i * WINDOW_MS,
      toMs: startMs + (i + 1) * WINDOW_MS,
      // Alternately: import 9 kW more than the site needs (room for every miner), or 3 kW less (the plant is short).
      gridW: i % 2 === 0 ? siteOnlyW - 3_000 : siteOnlyW + 9_000,
    }));
    site.cycle.operatorSetpoints.setSchedule(windows);

    const switches = new Map<string, Array<{ on: boolean; atMs: number }>>(ids.map((id) => [id, []]));
    const failedWrites: string[] = [];
    let last = miners.map((m) => isOn(m.state));
    for (let i = 0; i < 60; i++) {
      const report = await site.step(CYCLE_MS);
      for (const write of report.writes)
        if (write.result === 'failed') failedWrites.push(`${write.deviceId}: ${write.failure?.message}`);
      const now = miners.map((m) => isOn(m.state));
      now.forEach((on, j) => {
        if (on !== last[j]) switches.get(ids[j]!)!.push({ on, atMs: report.atMs });
      });
      last = now;
    }
    assert.deepEqual(failedWrites, [], 'no command was refused by a miner');
    const tooShort: string[] = [];
    // Whole periods (from one switch to the next) that were measured, on and off: both minimums must be put to the test.
    let onPeriods = 0;
    let offPeriods = 0;
    for (const [id, list] of switches) {
      for (let k = 1; k < list.length; k++) {
        const heldS = (list[k]!.atMs - list[k - 1]!.atMs) / 1000;
        const wasOn = list[k - 1]!.on;
        if (wasOn) onPeriods++;
        else offPeriods++;
        if (heldS < (wasOn ? MIN_ON_S : MIN_OFF_S)) tooShort.push(`${id} ${wasOn ? 'on' : 'off'} for ${heldS} s`);
      }
    }
    const story = JSON.stringify(
      Object.fromEntries(
        [...switches].map(([id, list]) => [
          id,
          list.map((s) => `${s.on ? 'on' : 'off'} +${(s.atMs - startMs) / 1000} s`),
        ]),
      ),
    );
    assert.ok(
      onPeriods >= 1 && offPeriods >= 1,
      `whole on and off periods were measured (${onPeriods} on, ${offPeriods} off: ${story})`,
    );
    assert.deepEqual(tooShort, [], 'on or off periods shorter than the minimum');
  } finally {
    await site.stop();
  }
});
