import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ProcessImage } from '../../src/cycle/process-image.ts';
import { DeviceHistory, HistoryQueryError, MAX_ENERGY_SPAN_DAYS } from '../../src/service/device-history.ts';
import { startControllerFixture, type ControllerFixture } from './controller-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2014, 0, 15, 0, 0);
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A process image with a battery and a miner (and a stale PV inverter that must not count). */
function image(atMs: number, batteryW: number, socPct: number, minerW: number): ProcessImage {
  const base = { health: 'online' as const, fresh: true, readAtMs: atMs, failure: null };
  return {
    cycleIndex: 0,
    atMs,
    devices: {
      'battery-1': {
        ...base,
        id: 'battery-1',
        kind: 'battery',
        reading: {
          powerW: batteryW,
          socPct,
          capacityWh: 10_000,
          maxChargeW: 5_000,
          maxDischargeW: 5_000,
          minReservePct: 5,
          energyInWh: 100,
          energyOutWh: 200 + atMs / MINUTE_MS,
          state: 'charging',
        },
      },
      'miner-1': {
        ...base,
        id: 'miner-1',
        kind: 'flexible-load',
        reading: {
          powerW: minerW,
          powerTargetW: minerW,
          minPowerW: 1_000,
          maxPowerW: 3_000,
          hashrateThs: 1,
          temperatureC: 60,
          energyWh: 5,
          state: 'running',
        },
      },
      'pv-1': {
        ...base,
        fresh: false,
        id: 'pv-1',
        kind: 'pv-inverter',
        reading: { powerW: 9_999, ratedPowerW: 10_000, powerLimitPct: 100, energyWh: 1, state: 'mppt' },
      },
    },
  };
}

test('history keeps per-minute averages of power (generation positive) and SoC, and buckets them by the step asked', () => {
  const history = new DeviceHistory(null);
  // Minute 0: battery charging 1 kW then 3 kW at 50 % then 52 %; the miner consumes 2 kW. Minute 1: discharging 4 kW.
  history.observe(image(T0, -1_000, 50, 2_000));
  history.observe(image(T0 + 30_000, -3_000, 52, 2_000));
  history.observe(image(T0 + MINUTE_MS, 4_000, 60, 0));
  history.observe(image(T0 + 2 * MINUTE_MS, 0, 60, 0)); // starts minute 2: minute 1 is written
  const minutes = history.query(T0, T0 + 10 * MINUTE_MS, MINUTE_MS);
  assert.deepEqual(minutes, [
    {
      deviceId: 'battery-1',
      points: [
        [T0, -2_000, 51],
        [T0 + MINUTE_MS, 4_000, 60],
      ],
    },
    {
      deviceId: 'miner-1',
      points: [
        [T0, -2_000, null],
        [T0 + MINUTE_MS, 0, null],
      ],
    },
  ]);
  const twoMinutes = history.query(T0, T0 + 10 * MINUTE_MS, 2 * MINUTE_MS);
  assert.deepEqual(twoMinutes[0]!.points, [[T0, 1_000, 55.5]]);
  history.close();
});

test('a bad history query is refused naming the parameter, and reads nothing', () => {
  const history = new DeviceHistory(null);
  const refused = (from: number, to: number, step: number, field: string) =>
    assert.throws(
      () => history.query(from, to, step),
      (e: unknown) => e instanceof HistoryQueryError && e.field === field,
    );
  refused(T0, T0 - 1, MINUTE_MS, 'to');
  refused(-5, T0, MINUTE_MS, 'from');
  refused(T0, T0 + DAY_MS, 1_000, 'step');
  refused(T0, T0 + 30 * DAY_MS, MINUTE_MS, 'step');
  history.close();
});

test('history survives a restart in its SQLite file and keeps at least 7 days, pruning older minutes', () => {
  const path = join(dir, 'history.sqlite');
  const first = new DeviceHistory(path, 7);
  for (let day = 0; day <= 9; day++) {
    first.observe(image(T0 + day * DAY_MS, -1_000, 50, 1_000));
    first.observe(image(T0 + day * DAY_MS + MINUTE_MS, -1_000, 50, 1_000));
  }
  first.close();
  const reopened = new DeviceHistory(path, 7);
  const days = reopened
    .query(T0, T0 + 11 * DAY_MS, DAY_MS)
    .find((s) => s.deviceId === 'battery-1')!
    .points.map(([t]) => (t - T0) / DAY_MS);
  assert.deepEqual(days, [2, 3, 4, 5, 6, 7, 8, 9], 'the last 7 days (and the day in progress) are kept');
  assert.throws(() => new DeviceHistory(null, 3), RangeError);
  reopened.close();
});

/** A process image with a grid meter and a PV inverter whose lifetime counters read as given. */
function countersImage(atMs: number, pvWh: number, importWh: number, exportWh: number, pvFresh = true): ProcessImage {
  const base = { health: 'online' as const, fresh: true, readAtMs: atMs, failure: null };
  return {
    cycleIndex: 0,
    atMs,
    devices: {
      'meter-1': {
        ...base,
        id: 'meter-1',
        kind: 'meter',
        reading: { powerW: 0, frequencyHz: 50, voltageV: 230, energyImportedWh: importWh, energyExportedWh: exportWh },
      },
      'pv-1': {
        ...base,
        fresh: pvFresh,
        id: 'pv-1',
        kind: 'pv-inverter',
        reading: { powerW: 1_000, ratedPowerW: 10_000, powerLimitPct: 100, energyWh: pvWh, state: 'mppt' },
      },
    },
  };
}

describe("energy from the devices' counters", () => {
  const MIDNIGHT = T0 + DAY_MS;

  test('counts from the counter at the end of the minute before the span, across a gap and a device restart', () => {
    const history = new DeviceHistory(null);
    history.observe(countersImage(MIDNIGHT - 2 * MINUTE_MS, 900, 50, 0)); // before the span: not counted
    history.observe(countersImage(MIDNIGHT - MINUTE_MS + 30_000, 1_000, 60, 5)); // the counters at midnight
    history.observe(countersImage(MIDNIGHT + 10_000, 1_100, 60, 5));
    history.observe(countersImage(MIDNIGHT + 50_000, 1_200, 70, 5)); // a minute's last value is what it keeps
    // the controller was down for an hour: what the PV counted meanwhile is in its next value
    history.observe(countersImage(MIDNIGHT + 60 * MINUTE_MS, 4_200, 70, 25));
    history.observe(countersImage(MIDNIGHT + 61 * MINUTE_MS, 20, 80, 25)); // the inverter restarted at 20 Wh
    history.observe(countersImage(MIDNIGHT + 62 * MINUTE_MS, 120, 80, 25, false)); // a stale reading is not stored
    history.observe(countersImage(MIDNIGHT + 63 * MINUTE_MS, 220, 90, 25)); // in progress: not stored yet
    const energy = history.energy(MIDNIGHT, MIDNIGHT + DAY_MS);
    const pv = energy.find((d) => d.deviceId === 'pv-1')!;
    assert.equal(pv.kind, 'pv-inverter');
    assert.deepEqual(pv.counters.energyWh, {
      sinceMs: MIDNIGHT,
      risenWh: 200 + 3_000, // 1,000 -> 1,200 -> 4,200, then a new base at 20
      lastWh: 20,
      lastAtMs: MIDNIGHT + 62 * MINUTE_MS,
    });
    const meter = energy.find((d) => d.deviceId === 'meter-1')!;
    assert.equal(meter.counters.energyImportedWh!.risenWh, 20);
    assert.equal(meter.counters.energyExportedWh!.risenWh, 20);
    assert.equal(meter.counters.energyExportedWh!.lastWh, 25);
    history.close();
  });

  test('a span whose first minute is not stored counts from the end of the first stored one, and says so', () => {
    const history = new DeviceHistory(null);
    history.observe(countersImage(MIDNIGHT + 5 * MINUTE_MS, 1_000, 0, 0));
    history.observe(countersImage(MIDNIGHT + 6 * MINUTE_MS, 1_050, 0, 0));
    history.observe(countersImage(MIDNIGHT + 7 * MINUTE_MS, 1_150, 0, 0));
    const pv = history.energy(MIDNIGHT, MIDNIGHT + DAY_MS).find((d) => d.deviceId === 'pv-1')!;
    assert.equal(pv.counters.energyWh!.sinceMs, MIDNIGHT + 6 * MINUTE_MS);
    assert.equal(pv.counters.energyWh!.risenWh, 50);
    assert.deepEqual(history.energy(MIDNIGHT + 10 * MINUTE_MS, MIDNIGHT + DAY_MS), [], 'nothing stored: no device');
    history.close();
  });

  test('the counters survive a restart in the SQLite file; a bad span is refused naming the parameter', () => {
    const path = join(dir, 'counters.sqlite');
    const first = new DeviceHistory(path);
    first.observe(countersImage(MIDNIGHT - MINUTE_MS, 500, 0, 0));
    first.observe(countersImage(MIDNIGHT, 800, 0, 0));
    first.close(); // writes the minute in progress
    const reopened = new DeviceHistory(path);
    const pv = reopened.energy(MIDNIGHT, MIDNIGHT + DAY_MS).find((d) => d.deviceId === 'pv-1')!;
    assert.equal(pv.counters.energyWh!.risenWh, 300);
    const refused = (from: number, to: number, field: string) =>
      assert.throws(
        () => reopened.energy(from, to),
        (e: unknown) => e instanceof HistoryQueryError && e.field === field,
      );
    refused(-1, MIDNIGHT, 'from');
    refused(MIDNIGHT, MIDNIGHT, 'to');
    refused(MIDNIGHT - (MAX_ENERGY_SPAN_DAYS + 1) * DAY_MS, MIDNIGHT, 'from');
    reopened.close();
  });
});

test('a history file written before the counters were kept opens, keeps its minutes and stores counters from then on', () => {
  const path = join(dir, 'history-before-counters.sqlite');
  const old = new Database(path);
  old.exec(`CREATE TABLE device_minutes (device_id TEXT NOT NULL, minute_start_ms INTEGER NOT NULL, power_w REAL NOT NULL,
    soc_pct REAL, energy_wh REAL, PRIMARY KEY (device_id, minute_start_ms)) WITHOUT ROWID`);
  old.prepare('INSERT INTO device_minutes VALUES (?, ?, ?, ?, ?)').run('pv-1', T0, 1_500, null, 42);
  old.close();
  const history = new DeviceHistory(path);
  history.observe(countersImage(T0 + MINUTE_MS, 100, 0, 0));
  history.observe(countersImage(T0 + 2 * MINUTE_MS, 160, 0, 0));
  history.observe(countersImage(T0 + 3 * MINUTE_MS, 160, 0, 0));
  assert.deepEqual(history.query(T0, T0 + 3 * MINUTE_MS, MINUTE_MS).find((s) => s.deviceId === 'pv-1')!.points, [
    [T0, 1_500, null],
    [T0 + MINUTE_MS, 1_000, null],
    [T0 + 2 * MINUTE_MS, 1_000, null],
  ]);
  const pv = history.energy(T0 + 2 * MINUTE_MS, T0 + DAY_MS).find((d) => d.deviceId === 'pv-1')!;
  assert.equal(pv.counters.energyWh!.risenWh, 60);
  history.close();
});

describe('GET /api/history', () => {
  let f: ControllerFixture;
  before(async () => {
    f = await startControllerFixture({
      config: { cycle: { periodMs: 10_000, readTimeoutMs: 4_000, writeTimeoutMs: 4_000 } },
    });
    await f.untilOnline();
  });
  after(async () => {
    await f?.stop();
  });

  test("serves the controller's own series per device: { series: [{ deviceId, points: [[tMs, powerW, socPct]] }] }", async () => {
    const fromMs = f.scheduler.now();
    await f.cycles(20); // 200 s: three whole minutes
    const toMs = f.scheduler.now();
    const { status, body } = await f.api(`/api/history?from=${fromMs}&to=${toMs}&step=60000`, { token: null });
    assert.equal(status, 200);
    const ids = body.series.map((s: { deviceId: string }) => s.deviceId).sort();
    assert.deepEqual(ids, ['battery-1', 'meter-1', 'miner-1', 'pv-1']);
    const battery = body.series.find((s: { deviceId: string }) => s.deviceId === 'battery-1');
    assert.ok(battery.points.length >= 2);
    for (const [t, powerW, socPct] of battery.points) {
      assert.equal(t % 60_000, 0);
      assert.ok(t >= fromMs - 60_000 && t < toMs);
      assert.equal(typeof powerW, 'number');
      assert.ok(socPct > 0 && socPct <= 100);
    }
    const pv = body.series.find((s: { deviceId: string }) => s.deviceId === 'pv-1');
    assert.ok(
      pv.points.every((p: unknown[]) => p[2] === null && (p[1] as number) >= 0),
      'PV: no SoC, generation >= 0',
    );
    const defaults = await f.api('/api/history', { token: null });
    assert.equal(defaults.status, 200, 'the last 24 h in 5-minute steps by default');
    const bad = await f.api(`/api/history?from=${fromMs}&to=${toMs}&step=1000`, { token: null });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details[0].path, 'step');
    const unknown = await f.api('/api/history?since=1', { token: null });
    assert.equal(unknown.status, 400);
  });

  test("GET /api/energy: per device and counter what it counted since the span began, read from the plant's counters", async () => {
    const fromMs = f.scheduler.now();
    await f.cycles(20); // 200 s: three whole minutes stored
    const { status, body } = await f.api(`/api/energy?from=${fromMs}`, { token: null });
    assert.equal(status, 200);
    assert.equal(body.fromMs, fromMs);
    const byId = new Map<string, { kind: string; counters: Record<string, { risenWh: number; lastWh: number }> }>(
      body.devices.map((d: { deviceId: string }) => [d.deviceId, d]),
    );
    assert.deepEqual(Object.keys(byId.get('battery-1')!.counters).sort(), ['energyInWh', 'energyOutWh']);
    assert.deepEqual(Object.keys(byId.get('meter-1')!.counters).sort(), ['energyExportedWh', 'energyImportedWh']);
    // the stored last value is the counter the plant reported in that minute; it only ever rises in the simulator
    const pv = byId.get('pv-1')!.counters.energyWh!;
    const live = f.controller.service.lastReport()!.image.devices['pv-1']!.reading as { energyWh: number };
    assert.ok(pv.risenWh > 0, `PV produced ${pv.risenWh} Wh in three minutes`);
    assert.ok(pv.lastWh <= live.energyWh && pv.lastWh > live.energyWh - 1_000, `${pv.lastWh} vs ${live.energyWh}`);
    const bad = await f.api(`/api/energy?from=${fromMs}&to=${fromMs}`, { token: null });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details[0].path, 'to');
    assert.equal((await f.api('/api/energy?day=today', { token: null })).status, 400);
  });
});
