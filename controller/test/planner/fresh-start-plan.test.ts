import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { clearSkyPvW } from '../../src/forecasting-fallback/clear-sky-pv.ts';
import { freshStartForecast } from '../../src/forecasting-fallback/fresh-start-forecast.ts';
import type { HistoryPoint } from '../../src/forecasting/history-store.ts';
import { LocalCalendar } from '../../src/forecasting/local-calendar.ts';
import { SqliteHistoryStore } from '../../src/forecasting/sqlite-history-store.ts';
import { startControllerFixture, type ControllerFixture } from '../service/controller-fixture.ts';

const MELBOURNE = { latitudeDeg: -37.81, longitudeDeg: 144.96 };
const calendar = new LocalCalendar('Australia/Melbourne');
const HOUR_MS = 3_600_000;
const localHour = (atMs: number): number => calendar.localTime(atMs).minuteOfDay / 60;

test('the clear-sky PV shape is zero at night, peaks near solar noon and never exceeds the rating', () => {
  const midnight = Date.UTC(2014, 0, 14, 14, 0); // 01:00 on 15 January in Melbourne (UTC+11)
  const pv = clearSkyPvW(MELBOURNE, 45_000, midnight, 24, HOUR_MS);
  pv.forEach((w, i) => {
    const hour = localHour(midnight + i * HOUR_MS);
    if (hour < 5 || hour >= 21) assert.equal(w, 0, `${hour}:00 local: ${w} W at night`);
    assert.ok(w <= 45_000);
  });
  const peakHour = localHour(midnight + pv.indexOf(Math.max(...pv)) * HOUR_MS);
  // Solar noon in Melbourne in January (daylight saving) is about 13:20.
  assert.ok(peakHour >= 12 && peakHour <= 14, `peak at ${peakHour}:00`);
  assert.ok(Math.max(...pv) > 0.6 * 45_000, 'a clear summer noon gives most of the rating');
});

test('the fallback PV is dimmed by a cloudy measurement and the load follows a daily shape through the latest value', () => {
  const noon = Date.UTC(2014, 0, 15, 2, 0);
  const options = { location: MELBOURNE, pvRatedW: 20_000, timeZone: 'Australia/Melbourne' };
  const sunny = freshStartForecast('pv', options, null, noon, 4, HOUR_MS);
  const cloudy = freshStartForecast('pv', options, { atMs: noon, siteLoadW: 5_000, pvW: 6_000 }, noon, 4, HOUR_MS);
  assert.ok(cloudy.values[0]! < 0.5 * sunny.values[0]!, `${cloudy.values[0]} vs ${sunny.values[0]}`);
  assert.match(cloudy.source, /clear-sky-pv x 0\.\d\d \(measured\)/);
  const load = freshStartForecast('load', options, { atMs: noon, siteLoadW: 5_000, pvW: 6_000 }, noon, 24, HOUR_MS);
  assert.ok(Math.abs(load.values[0]! - 5_000) < 500, 'the step of the measurement is near the measured load');
  assert.ok(new Set(load.values.map((w) => Math.round(w))).size > 12, 'a shape, not a flat line');
  assert.equal(freshStartForecast('load', options, null, noon, 4, HOUR_MS).source, 'nothing measured yet');
});

let f: ControllerFixture;
before(async () => {
  f = await startControllerFixture();
  await f.untilOnline();
});
after(async () => {
  await f?.stop();
});

test("a fresh controller's plan has no PV at night and runs miners only on the surplus the cycle would give them", async () => {
  await f.cycles(5);
  const plan = f.controller.service.replan();
  assert.ok(plan, f.controller.service.plan().lastError ?? 'no plan');
  assert.match(f.controller.service.plan().sources!.pv, /^clear-sky-pv/);
  const ratedW = 15_000;
  let nightSteps = 0;
  for (const step of plan.steps) {
    const hour = localHour(step.startMs + plan.stepMs / 2);
    if (hour < 4 || hour >= 22) {
      nightSteps++;
      assert.ok(step.pvForecastW < 0.01 * ratedW, `${hour.toFixed(2)} h local: PV forecast ${step.pvForecastW} W`);
      assert.ok(step.minerPowerW < 1, `${hour.toFixed(2)} h local: miners planned at ${step.minerPowerW} W at night`);
    }
    // The cycle offers miners only what PV has beyond the load: the plan must not count on more.
    const surplusW = Math.max(0, step.pvForecastW - step.loadForecastW);
    assert.ok(
      step.minerPowerW <= surplusW + 1,
      `${hour.toFixed(2)} h local: miners ${step.minerPowerW} W with a surplus of ${surplusW} W`,
    );
  }
  assert.ok(nightSteps >= 20, `${nightSteps} night steps checked`);
});

test('a fresh controller offers no forecast band (its fallbacks have none); with two weeks of history the plan carries the P10..P90 band of each forecast', async () => {
  assert.deepEqual(
    { load: f.controller.service.plan().bands?.load, pv: f.controller.service.plan().bands?.pv },
    { load: null, pv: null },
  );

  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-bands-'));
  const historyPath = join(dir, 'history.sqlite');
  const nowMs = Date.UTC(2014, 0, 15, 2, 0, 0); // the fixture's clock
  const store = new SqliteHistoryStore(historyPath);
  const load: HistoryPoint[] = [];
  const pv: HistoryPoint[] = [];
  for (let t = nowMs - 15 * 24 * HOUR_MS; t < nowMs; t += HOUR_MS) {
    const hour = localHour(t);
    const day = Math.floor((t - nowMs) / (24 * HOUR_MS));
    // Days unlike each other, so the baseline's own errors (its band) are not zero.
    load.push({ hourStartMs: t, value: 6_000 + 3_000 * Math.sin((Math.PI * hour) / 24) + 400 * Math.sin(day * 1.7) });
    pv.push({
      hourStartMs: t,
      value: Math.max(0, 12_000 * Math.sin((Math.PI * (hour - 6)) / 14)) * (0.8 + 0.2 * Math.cos(day)),
    });
  }
  store.append('site-load', load);
  store.append('pv', pv);
  store.close();
  const withHistory = await startControllerFixture({ config: { forecasting: { historyPath } } });
  try {
    await withHistory.untilOnline();
    await withHistory.cycles(5);
    assert.ok(withHistory.controller.service.replan(), withHistory.controller.service.plan().lastError ?? 'no plan');
    const { body } = await withHistory.api('/api/plan');
    assert.match(body.sources.load, /seasonal-naive/);
    const bands = body.bands;
    assert.ok(bands.load && bands.pv, 'both forecasts carry a band');
    assert.equal(bands.load.p10W.length, body.plan.steps.length);
    let wide = 0;
    body.plan.steps.forEach((step: { loadForecastW: number }, i: number) => {
      const low = bands.load.p10W[i] as number;
      const high = bands.load.p90W[i] as number;
      assert.ok(
        low <= step.loadForecastW + 1e-6 && step.loadForecastW <= high + 1e-6,
        `step ${i}: ${low} .. ${step.loadForecastW} .. ${high}`,
      );
      if (high - low > 1) wide++;
    });
    assert.ok(wide > body.plan.steps.length / 2, `${wide} steps with a band of width`);
  } finally {
    await withHistory.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
