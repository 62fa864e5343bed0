/**
 * The live plant view's figures, without a browser: the day's energy from the devices' lifetime counters and the two
 * Home Assistant ratios, the power balance of one process image, and the controller's history as chart samples.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceOf, EnergyToday, localMidnight } from '../src/lib/plant/energy-today.ts';
import { plantPowers } from '../src/lib/plant/plant-powers.ts';
import { historySamples } from '../src/lib/plant/history-samples.ts';
import { BAND_FILLS, CHART_SERIES, chartData, pointCounts } from '../src/lib/plant/chart-series.ts';
import type { DeviceSnapshot, EnergyView, StreamEvent } from '../src/lib/plant/controller-api.ts';

function snapshot(
  id: string,
  kind: DeviceSnapshot['kind'],
  reading: DeviceSnapshot['reading'],
  fresh = true,
): DeviceSnapshot {
  return { id, kind, health: fresh ? 'online' : 'stale', fresh, readAtMs: 0, reading, failure: null };
}

function event(atMs: number, devices: DeviceSnapshot[]): StreamEvent {
  return {
    cycleIndex: atMs,
    atMs,
    plantState: 'running',
    gridTargetW: 0,
    image: { cycleIndex: atMs, atMs, devices: Object.fromEntries(devices.map((d) => [d.id, d])) },
  };
}

const plant = (pvWh: number, importWh: number, exportWh: number, inWh: number, outWh: number, fresh = true) => [
  snapshot('meter-1', 'meter', { powerW: 0, energyImportedWh: importWh, energyExportedWh: exportWh }),
  snapshot('pv-1', 'pv-inverter', { powerW: 0, energyWh: pvWh }, fresh),
  snapshot('battery-1', 'battery', { powerW: 0, energyInWh: inWh, energyOutWh: outWh }, fresh),
];

describe('the day energy and its ratios', () => {
  test('without stored counters, energy is the rise of each counter since the first event, and the ratios follow Home Assistant', () => {
    const energy = new EnergyToday();
    energy.observe(event(0, plant(1_000, 500, 200, 300, 100)), 'meter-1');
    energy.observe(event(1_000, plant(11_000, 1_500, 2_200, 2_300, 1_100)), 'meter-1');
    const b = energy.balance();
    assert.deepEqual(
      { pv: b.pvWh, imp: b.importWh, exp: b.exportWh, in: b.batteryInWh, out: b.batteryOutWh },
      { pv: 10_000, imp: 1_000, exp: 2_000, in: 2_000, out: 1_000 },
    );
    // consumption = PV + import + battery out - export - battery in
    assert.equal(b.consumptionWh, 10_000 + 1_000 + 1_000 - 2_000 - 2_000);
    assert.equal(b.selfConsumption, (10_000 - 2_000) / 10_000);
    assert.equal(b.selfSufficiency, (8_000 - 1_000) / 8_000);
  });

  test('a counter that goes backwards (a device restarted) starts a new base instead of counting negative energy', () => {
    const energy = new EnergyToday();
    energy.observe(event(0, plant(5_000, 0, 0, 0, 0)), 'meter-1');
    energy.observe(event(1, plant(6_000, 0, 0, 0, 0)), 'meter-1');
    energy.observe(event(2, plant(10, 0, 0, 0, 0)), 'meter-1'); // restarted at 10 Wh
    energy.observe(event(3, plant(510, 0, 0, 0, 0)), 'meter-1');
    assert.equal(energy.balance().pvWh, 1_000 + 500);
  });

  test('a reading held over from an earlier cycle adds nothing, and a new seed starts the day from zero', () => {
    const energy = new EnergyToday();
    energy.observe(event(0, plant(0, 0, 0, 0, 0)), 'meter-1');
    energy.observe(event(1, plant(9_999, 0, 0, 9_999, 0, false)), 'meter-1'); // stale: not read this cycle
    assert.equal(energy.balance().pvWh, 0);
    assert.equal(energy.balance().batteryInWh, 0);
    energy.seed(null, 86_400_000);
    energy.observe(event(86_400_500, plant(12_000, 0, 0, 0, 0)), 'meter-1');
    assert.equal(energy.sinceMs, 86_400_500);
    assert.equal(energy.balance().pvWh, 0);
  });

  test("seeded with the controller's stored counts since midnight, the day counts on from their last values", () => {
    const midnight = localMidnight(Date.UTC(2026, 11, 3, 12));
    const counted = (risenWh: number, lastWh: number, sinceMs = midnight) => ({
      sinceMs,
      risenWh,
      lastWh,
      lastAtMs: midnight + 3_600_000,
    });
    const stored: EnergyView['devices'] = [
      { deviceId: 'pv-1', kind: 'pv-inverter', counters: { energyWh: counted(4_000, 10_000) } },
      {
        deviceId: 'meter-1',
        kind: 'meter',
        counters: { energyImportedWh: counted(300, 500), energyExportedWh: counted(1_000, 2_000) },
      },
      // a sub-meter is not the grid connection: its energy is not the site's import
      { deviceId: 'meter-2', kind: 'meter', counters: { energyImportedWh: counted(99_000, 99_000) } },
      { deviceId: 'miner-1', kind: 'flexible-load', counters: { energyWh: counted(7_000, 7_000) } },
    ];
    const energy = new EnergyToday();
    energy.seed(stored, midnight);
    assert.equal(energy.source, 'controller');
    // the live counters moved on since the last stored minute: PV 10,000 -> 10,250, import 500 -> 520
    energy.observe(event(midnight + 3_630_000, plant(10_250, 520, 2_000, 0, 0)), 'meter-1');
    const b = energy.balance();
    assert.equal(energy.sinceMs, midnight);
    assert.deepEqual({ pv: b.pvWh, imp: b.importWh, exp: b.exportWh }, { pv: 4_250, imp: 320, exp: 1_000 });

    // a controller whose stored minutes begin after midnight: the day is counted from there, and says so
    const later = new EnergyToday();
    later.seed(
      [{ deviceId: 'pv-1', kind: 'pv-inverter', counters: { energyWh: counted(50, 10_000, midnight + 7_200_000) } }],
      midnight,
    );
    later.observe(event(midnight + 7_300_000, plant(10_000, 0, 0, 0, 0)), 'meter-1');
    assert.equal(later.sinceMs, midnight + 7_200_000);
    assert.equal(later.balance().pvWh, 50);

    // nothing stored today: counted from the first event, as without a controller store
    const none = new EnergyToday();
    none.seed([], midnight);
    none.observe(event(midnight + 5_000, plant(10_000, 0, 0, 0, 0)), 'meter-1');
    assert.equal(none.source, 'page');
    assert.equal(none.sinceMs, midnight + 5_000);
  });

  test('without PV or consumption the ratios are unknown, not 0 % or 100 %', () => {
    const b = balanceOf({ pvWh: 0, importWh: 0, exportWh: 0, batteryInWh: 0, batteryOutWh: 0 });
    assert.equal(b.selfConsumption, null);
    assert.equal(b.selfSufficiency, null);
  });
});

describe('the power balance of one process image', () => {
  test('site load is grid + PV + battery discharge - miners, and unknown without a fresh meter reading', () => {
    const devices = [
      snapshot('meter-1', 'meter', { powerW: 2_000 }),
      snapshot('pv-1', 'pv-inverter', { powerW: 10_000 }),
      snapshot('battery-1', 'battery', { powerW: -3_000 }),
      snapshot('miner-1', 'flexible-load', { powerW: 1_000 }),
    ];
    const p = plantPowers(event(0, devices).image, 'meter-1');
    assert.deepEqual(p, { pvW: 10_000, batteryW: -3_000, minersW: 1_000, gridW: 2_000, siteLoadW: 8_000 });
    const stale = [snapshot('meter-1', 'meter', { powerW: 2_000 }, false), ...devices.slice(1)];
    const q = plantPowers(event(0, stale).image, 'meter-1');
    assert.equal(q.gridW, null);
    assert.equal(q.siteLoadW, null);
  });
});

describe("the controller's history as chart samples", () => {
  test('per step: PV and batteries summed, miners (negative in the history) as consumption, the site load balancing', () => {
    const natures = { 'meter-1': 'meter', 'pv-1': 'pv-inverter', 'pv-2': 'pv-inverter', 'miner-1': 'flexible-load' };
    const samples = historySamples(
      {
        series: [
          { deviceId: 'meter-1', points: [[0, 1_000, null]] },
          { deviceId: 'pv-1', points: [[0, 4_000, null]] },
          { deviceId: 'pv-2', points: [[0, 6_000, null]] },
          {
            deviceId: 'miner-1',
            points: [
              [0, -2_000, null],
              [300_000, -2_000, null],
            ],
          },
        ],
      },
      (id) => natures[id as keyof typeof natures] as DeviceSnapshot['kind'] | undefined,
      'meter-1',
    );
    assert.deepEqual(samples, [
      { atMs: 0, pvW: 10_000, batteryW: 0, minersW: 2_000, gridW: 1_000, siteLoadW: 9_000 },
      { atMs: 300_000, pvW: 0, batteryW: 0, minersW: 2_000, gridW: null, siteLoadW: null },
    ]);
  });
});

describe('the chart of the last 24 h and the plan ahead', () => {
  const nowMs = Date.UTC(2026, 11, 2, 12, 0);
  const stepMs = 900_000;
  const startMs = nowMs - stepMs / 2; // the plan began with the step now half done
  const steps = Array.from({ length: 8 }, (_, i) => ({
    startMs: startMs + i * stepMs,
    batteryPowerW: 0,
    socPct: 50,
    minerPowerW: 0,
    pvCurtailW: 0,
    gridW: 1_000,
    loadForecastW: 5_000,
    pvForecastW: 3_000,
  }));
  const plan = { createdAtMs: startMs, stepMs, steps, solverStatus: 'Optimal', capShortfallWh: 0 };
  const sources = { load: 'seasonal-naive', pv: 'seasonal-naive', fallbackReason: null };

  test("draws each forecast's P10..P90 band for the steps ahead, in kW, with its edges on either side of the forecast", () => {
    const bands = {
      startMs,
      stepMs,
      load: { p10W: steps.map(() => 4_000), p90W: steps.map(() => 6_500) },
      pv: { p10W: steps.map(() => 2_000), p90W: steps.map(() => 3_500) },
    };
    const data = chartData({
      nowMs,
      samples: [],
      forecast: null,
      planning: { plan, sources, bands, lastAttemptAtMs: startMs, lastError: null },
    });
    const counts = pointCounts(data);
    // the step that began before now is still running, so it counts as ahead: all 8
    assert.equal(counts.loadP10, 8);
    assert.equal(counts.loadP90, 8);
    assert.equal(counts.pvP10, 8);
    const column = (key: string) => data[CHART_SERIES.findIndex((s) => s.key === key) + 1] ?? [];
    const first = (key: string) => column(key).find((v) => v !== null);
    assert.equal(first('loadP10'), 4);
    assert.equal(first('loadForecast'), 5);
    assert.equal(first('loadP90'), 6.5);
    for (const fill of BAND_FILLS) {
      const [upper, lower] = fill.series.map((i) => CHART_SERIES[i - 1]?.key);
      assert.match(upper ?? '', /P90$/);
      assert.match(lower ?? '', /P10$/);
    }
  });

  test('a plan from forecasts without a band (a fresh controller) or from an older controller draws none', () => {
    for (const bands of [{ startMs, stepMs, load: null, pv: null }, undefined]) {
      const counts = pointCounts(
        chartData({
          nowMs,
          samples: [],
          forecast: null,
          planning: { plan, sources, ...(bands ? { bands } : {}), lastAttemptAtMs: startMs, lastError: null },
        }),
      );
      assert.equal(counts.loadP10 + counts.loadP90 + counts.pvP10 + counts.pvP90, 0);
      assert.equal(counts.loadForecast, 8);
    }
  });
});
