import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { BatteryCycleCounter } from '@gridcoop/controller/fleet/battery-cycle-counter';
import { applyOwnerLimits, type OwnerLimits } from '@gridcoop/controller/fleet/owner-limits';
import { siteSnapshotOf } from '@gridcoop/controller/fleet/site-snapshot';
import { FleetDispatcher } from '../../src/aggregator/dispatch/index.ts';
import { demoSite, type DemoSiteOptions } from '../../../controller/test/cycle/demo-site.ts';

// The envelope from the real control cycle on in-memory devices (10 kWh / 5 kW battery, 10 kW PV, a 1-3 kW miner,
// 2 kW load), then narrowed by the owner's say as the site link does before it publishes.
async function measured(options: DemoSiteOptions) {
  const site = demoSite(options);
  await site.connect();
  let report = await site.step();
  for (let n = 1; n < 4; n += 1) report = await site.step();
  const snapshot = siteSnapshotOf(report, site.plant.gridMeterId, null);
  assert.ok(snapshot, `a decision was made (plant ${report.plantState})`);
  return snapshot;
}

const limits = (change: Partial<OwnerLimits> = {}): OwnerLimits => ({
  mode: 'min',
  dailyBatteryCycles: null,
  minerMinW: 0,
  ...change,
});

let dispatcher: FleetDispatcher;
before(async () => {
  dispatcher = await FleetDispatcher.create();
});

test('an opted-out site offers only its baseline, and the dispatch gives it no share', async () => {
  const snapshot = await measured({ socPct: 50, minerRunning: true, pvAvailableW: 6_000 });
  const context = { batteryCyclesToday: 0, minersBaselineW: snapshot.minersBaselineW ?? 0 };
  const full = applyOwnerLimits(snapshot.envelope, limits(), context);
  assert.ok(full.maxGridW - full.minGridW > 1_000, 'the site has flexibility to withhold');
  const off = applyOwnerLimits(snapshot.envelope, limits({ mode: 'off' }), context);
  assert.equal(off.minGridW, off.baselineW);
  assert.equal(off.maxGridW, off.baselineW);
  assert.equal(off.baselineW, snapshot.envelope.baselineW);
  for (const source of Object.values(off.sources)) assert.deepEqual([source.raiseW, source.lowerW], [0, 0]);
  // The production LP: a target 2 kW above both baselines is all carried by the site still in the fleet.
  const other = { siteId: 'other', zone: 'z', baselineW: 0, minW: -5_000, maxW: 5_000 };
  const optedOut = { siteId: 'owner', zone: 'z', baselineW: off.baselineW, minW: off.minGridW, maxW: off.maxGridW };
  const result = await dispatcher.dispatch({ targetW: off.baselineW + 2_000, sites: [other, optedOut] });
  assert.equal(result.status, 'met');
  const shareOf = (id: string) => result.shares.find((share) => share.siteId === id)?.targetW;
  assert.equal(shareOf('owner'), off.baselineW);
  assert.ok(Math.abs((shareOf('other') ?? 0) - 2_000) < 1, String(shareOf('other')));
  // The same site in the fleet would have taken a part of it: the opt-out is what kept it out.
  const inFleet = { ...optedOut, minW: full.minGridW, maxW: full.maxGridW };
  const shared = await dispatcher.dispatch({ targetW: off.baselineW + 2_000, sites: [other, inFleet] });
  assert.ok((shared.shares.find((share) => share.siteId === 'owner')?.targetW ?? 0) > off.baselineW + 1);
});

test('a site that has used its daily battery cycles offers no battery flexibility, the rest stays', async () => {
  const snapshot = await measured({ socPct: 50, minerRunning: true, pvAvailableW: 6_000 });
  const minersBaselineW = snapshot.minersBaselineW ?? 0;
  const battery = snapshot.envelope.sources.battery;
  assert.ok(battery.raiseW > 0 && battery.lowerW > 0, JSON.stringify(battery));
  const under = applyOwnerLimits(snapshot.envelope, limits({ dailyBatteryCycles: 1 }), {
    batteryCyclesToday: 0.99,
    minersBaselineW,
  });
  assert.deepEqual(under.sources.battery, battery);
  const at = applyOwnerLimits(snapshot.envelope, limits({ dailyBatteryCycles: 1 }), {
    batteryCyclesToday: 1,
    minersBaselineW,
  });
  assert.deepEqual([at.sources.battery.raiseW, at.sources.battery.lowerW], [0, 0]);
  assert.equal(at.raiseForS, null);
  assert.equal(at.lowerForS, null);
  const others = snapshot.envelope.sources.miners;
  const pv = snapshot.envelope.sources.pvCurtailment;
  assert.ok(at.maxGridW <= at.baselineW + others.raiseW + pv.raiseW + 1e-6, JSON.stringify(at));
  assert.ok(at.minGridW >= at.baselineW - others.lowerW - pv.lowerW - 1e-6, JSON.stringify(at));
  assert.ok(at.maxGridW - at.minGridW < snapshot.envelope.maxGridW - snapshot.envelope.minGridW);
});

test("the owner's mining minimum bounds the lowering in modes min and pv, not in now", async () => {
  const snapshot = await measured({ socPct: 95, minerRunning: true, pvAvailableW: 9_000 });
  const minersBaselineW = snapshot.minersBaselineW ?? 0;
  const miners = snapshot.envelope.sources.miners;
  assert.ok(minersBaselineW > 500 && miners.lowerW > 500, `miners at ${minersBaselineW} W: ${JSON.stringify(miners)}`);
  const context = { batteryCyclesToday: 0, minersBaselineW };
  const minerMinW = minersBaselineW - 300;
  const kept = applyOwnerLimits(snapshot.envelope, limits({ minerMinW }), context);
  assert.ok(Math.abs(kept.sources.miners.lowerW - 300) < 1e-6, String(kept.sources.miners.lowerW));
  assert.equal(kept.sources.miners.raiseW, miners.raiseW, 'running them harder is still offered');
  const battery = snapshot.envelope.sources.battery;
  assert.ok(
    Math.abs(kept.baselineW - kept.minGridW - (300 + battery.lowerW + snapshot.envelope.sources.pvCurtailment.lowerW)) <
      1e-6,
  );
  const above = applyOwnerLimits(snapshot.envelope, limits({ minerMinW: minersBaselineW + 1_000 }), context);
  assert.equal(above.sources.miners.lowerW, 0);
  const now = applyOwnerLimits(snapshot.envelope, limits({ mode: 'now', minerMinW }), context);
  assert.equal(now.sources.miners.lowerW, miners.lowerW);
});

test('in pv mode the VPP may only soak up surplus: no raise into import, no discharge or miner pause', async () => {
  const exporting = await measured({ socPct: 95, pvAvailableW: 9_000 });
  assert.ok(exporting.envelope.baselineW < 0, `the site exports (${exporting.envelope.baselineW} W)`);
  const context = { batteryCyclesToday: 0, minersBaselineW: exporting.minersBaselineW ?? 0 };
  const pv = applyOwnerLimits(exporting.envelope, limits({ mode: 'pv' }), context);
  assert.ok(exporting.envelope.maxGridW > 0, 'without the mode it could raise into import');
  assert.ok(pv.maxGridW <= 1e-6 && pv.maxGridW > pv.baselineW, JSON.stringify(pv));
  assert.equal(pv.sources.battery.lowerW, 0);
  assert.equal(pv.sources.miners.lowerW, 0);
  assert.equal(pv.minGridW, Math.max(exporting.envelope.minGridW, pv.baselineW - pv.sources.pvCurtailment.lowerW));
  const importing = await measured({ socPct: 50, pvAvailableW: 0 });
  const pvImporting = applyOwnerLimits(importing.envelope, limits({ mode: 'pv' }), context);
  assert.equal(pvImporting.maxGridW, pvImporting.baselineW, 'an importing site has no surplus to offer');
});

test('battery cycles are counted from the discharged energy per UTC day, without integrating gaps', () => {
  const counter = new BatteryCycleCounter(10_000);
  const day = Date.UTC(2026, 11, 2);
  // 5 kW for 2 h of 10 s samples = 10 kWh = one cycle; charging does not count.
  for (let t = 0; t <= 7_200_000; t += 10_000) counter.observe(day + t, 5_000);
  for (let t = 7_210_000; t <= 8_000_000; t += 10_000) counter.observe(day + t, -5_000);
  assert.ok(Math.abs(counter.cyclesOn(day + 8_000_000) - 1) < 1e-9, String(counter.cyclesOn(day + 8_000_000)));
  // A 10-minute hole (controller stopped) adds nothing; an unread battery neither.
  counter.observe(day + 8_600_000, 5_000);
  counter.observe(day + 8_610_000, null);
  counter.observe(day + 8_620_000, 5_000);
  assert.ok(Math.abs(counter.cyclesOn(day + 8_620_000) - 1) < 1e-9);
  // The next UTC day starts from zero.
  const tomorrow = day + 86_400_000;
  assert.equal(counter.cyclesOn(tomorrow), 0);
  counter.observe(tomorrow + 1_000, 5_000);
  counter.observe(tomorrow + 11_000, 5_000);
  assert.ok(Math.abs(counter.cyclesOn(tomorrow + 11_000) - 5_000 / 360 / 10_000) < 1e-9);
});
