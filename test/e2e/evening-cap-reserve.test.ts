import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startControlledPlant } from './controlled-plant.ts';
import { freshStartPlanning } from './fresh-start-planning.ts';

/**
 * Issue 11: on a winter day the operator's schedule (import 12 kW at night, export 4 kW at midday) drains the
 * batteries long before the evening peak, and the 18 kW import cap then breaks for hours. A development day, not one
 * of the balancing benchmark's evaluation days: 1 July 2014 (Melbourne winter) in vic_elec and the Victorian PV
 * capacity factors, the demo plant (30 kW site load peak, 45 kW of PV, 15 kW / 30 kWh of batteries from 50 %), no
 * miners, the benchmark's schedule and caps. The controller plans as a fresh controller does (no history, so the
 * fallback forecasts) and must keep back what the plan says the evening needs.
 */
const MIDNIGHT = Date.UTC(2014, 6, 1, 0, 0) - 600 * 60_000;
const HOUR_MS = 3_600_000;
const IMPORT_CAP_W = 18_000;
const EXPORT_CAP_W = 5_000;
/** 60 s cycles (the longest the cycle accepts) keep a day at 1,440 cycles of real socket round trips. */
const CYCLE_MS = 60_000;
const SCHEDULE_HOURS = [
  { fromH: 0, toH: 6, gridW: 12_000 },
  { fromH: 6, toH: 9, gridW: 6_000 },
  { fromH: 9, toH: 15, gridW: -4_000 },
  { fromH: 15, toH: 18, gridW: 0 },
  { fromH: 18, toH: 24, gridW: 12_000 },
];

interface DayResult {
  outsideCapsWh: number;
  rmsW: number;
  plans: number;
  worstForecastShortfallWh: number;
}

async function runDay(withPlanning: boolean): Promise<DayResult> {
  const site = await startControlledPlant({
    startMs: MIDNIGHT,
    plant: {
      miners: [],
      batteries: [
        { id: 'battery-1', capacityWh: 10_000, maxChargeW: 5_000, maxDischargeW: 5_000, initialSocPct: 50 },
        { id: 'battery-2', capacityWh: 20_000, maxChargeW: 10_000, maxDischargeW: 10_000, initialSocPct: 50 },
      ],
    },
    importCapW: IMPORT_CAP_W,
    exportCapW: EXPORT_CAP_W,
    timing: { periodMs: CYCLE_MS, readTimeoutMs: 5_000, writeTimeoutMs: 5_000 },
    pvReversionS: 300,
    batteryReversionS: 300,
  });
  try {
    site.cycle.operatorSetpoints.setSchedule(
      SCHEDULE_HOURS.map((e) => ({
        fromMs: MIDNIGHT + e.fromH * HOUR_MS,
        toMs: MIDNIGHT + e.toH * HOUR_MS,
        gridW: e.gridW,
      })),
    );
    const planning = withPlanning ? await freshStartPlanning(site) : null;
    let outsideCapsWh = 0;
    let squared = 0;
    let samples = 0;
    while (site.scheduler.now() + CYCLE_MS < MIDNIGHT + 24 * HOUR_MS) {
      const report = await site.step(CYCLE_MS);
      planning?.afterCycle(report);
      const gridW = site.gridW(report);
      const targetW = SCHEDULE_HOURS.find((e) => report.atMs < MIDNIGHT + e.toH * HOUR_MS)!.gridW;
      outsideCapsWh += (Math.max(0, gridW - IMPORT_CAP_W, -EXPORT_CAP_W - gridW) * CYCLE_MS) / HOUR_MS;
      squared += (gridW - targetW) ** 2;
      samples++;
    }
    return {
      outsideCapsWh,
      rmsW: Math.sqrt(squared / samples),
      plans: planning?.plans ?? 0,
      worstForecastShortfallWh: planning?.worstForecastShortfallWh ?? 0,
    };
  } finally {
    await site.stop();
  }
}

test('a winter evening: the plan keeps battery energy back for the import cap, and energy outside the caps falls', async () => {
  const greedy = await runDay(false);
  const planned = await runDay(true);
  console.log(`schedule alone: ${JSON.stringify(greedy)}\nwith the plan: ${JSON.stringify(planned)}`);
  // The day must show the problem, or the test proves nothing.
  assert.ok(greedy.outsideCapsWh > 1_000, `without a plan only ${greedy.outsideCapsWh.toFixed(0)} Wh outside the caps`);
  assert.ok(planned.plans >= 90, `${planned.plans} plans in a day (one every 15 min)`);
  assert.ok(
    planned.outsideCapsWh < 0.5 * greedy.outsideCapsWh,
    `outside the caps: ${planned.outsideCapsWh.toFixed(0)} Wh with the plan vs ${greedy.outsideCapsWh.toFixed(0)} Wh without`,
  );
});
