import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import { startControlledPlant, type ControlledPlant } from './controlled-plant.ts';

/**
 * The demo's two batteries (10 kWh / 5 kW and 20 kWh / 10 kW) start far apart, at 20 % and 80 %, on the balancing
 * benchmark's day (1 December 2013, Melbourne) with its operator schedule for the night: import 12 kW from midnight to
 * 06:00. Whatever the fleet does in those six hours, a fleet operator moves the two towards each other: the simulated
 * batteries (their own SoC, not the controller's reading of it) must end within 5 points of each other.
 */
const MIDNIGHT = Date.UTC(2013, 11, 1, 0, 0) - 600 * 60_000;
const HOUR_MS = 3_600_000;
/** 10 s cycles: 2,160 cycles of real socket round trips make the six hours. */
const CYCLE_MS = 10_000;
let site: ControlledPlant;

before(async () => {
  site = await startControlledPlant({
    startMs: MIDNIGHT,
    plant: {
      miners: [],
      batteries: [
        { id: 'battery-1', capacityWh: 10_000, maxChargeW: 5_000, maxDischargeW: 5_000, initialSocPct: 20 },
        { id: 'battery-2', capacityWh: 20_000, maxChargeW: 10_000, maxDischargeW: 10_000, initialSocPct: 80 },
      ],
    },
    importCapW: 18_000,
    exportCapW: 5_000,
    timing: { periodMs: CYCLE_MS, readTimeoutMs: 4_000, writeTimeoutMs: 4_000 },
    pvReversionS: 60,
    batteryReversionS: 30,
  });
});
after(async () => {
  await site?.stop();
});

test('from 20 % and 80 % state of charge the batteries end within 5 points of each other after 6 simulated hours', async () => {
  site.cycle.operatorSetpoints.setSchedule([{ fromMs: MIDNIGHT, toMs: MIDNIGHT + 6 * HOUR_MS, gridW: 12_000 }]);
  const [small, big] = ['battery-1', 'battery-2'].map((id) => site.plant.model(id) as BatteryModel);
  let throughputWh = 0;
  while (site.scheduler.now() + CYCLE_MS <= MIDNIGHT + 6 * HOUR_MS) {
    const report = await site.step(CYCLE_MS);
    for (const id of ['battery-1', 'battery-2']) {
      const reading = report.image.devices[id]?.reading as { powerW: number | null } | null;
      throughputWh += (Math.abs(reading?.powerW ?? 0) * CYCLE_MS) / HOUR_MS;
    }
  }
  const spread = Math.abs(small!.socPct - big!.socPct);
  assert.ok(spread <= 5, `battery-1 ${small!.socPct.toFixed(1)} %, battery-2 ${big!.socPct.toFixed(1)} %`);
  // The batteries did work in those hours (the spread did not close by both standing still at a limit).
  assert.ok(throughputWh > 3_000, `battery throughput ${throughputWh.toFixed(0)} Wh`);
  assert.ok(small!.socPct - 20 > big!.socPct - 80, 'the emptier battery took the larger share of the charge');
});
