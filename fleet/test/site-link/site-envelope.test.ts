import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '@gridcoop/controller/control/decide';
import { siteSnapshotOf } from '@gridcoop/controller/fleet/site-snapshot';
import { demoSite, type DemoSiteOptions } from '../../../controller/test/cycle/demo-site.ts';

// The envelope from the real control cycle on in-memory devices (10 kWh / 5 kW battery, 10 kW PV, a 1-3 kW miner,
// 2 kW load, policy reserve 20 %), so it is measured against the limits the cycle itself keeps.
async function envelopeAfter(options: DemoSiteOptions, cycles = 4, vppTargetW?: number) {
  const site = demoSite(options);
  if (vppTargetW !== undefined) {
    site.cycle.operatorSetpoints.followFleet({
      targetAt: () => ({ gridW: vppTargetW, source: 'vpp', untilMs: Number.MAX_SAFE_INTEGER }),
    });
  }
  await site.connect();
  let report = await site.step();
  for (let n = 1; n < cycles; n += 1) report = await site.step();
  const snapshot = siteSnapshotOf(report, site.plant.gridMeterId, null);
  assert.ok(snapshot, `a decision was made (plant ${report.plantState})`);
  return { snapshot, report, envelope: snapshot.envelope };
}

test('a half-full battery can raise and lower the grid power, for as long as its energy and room last', async () => {
  const { envelope, snapshot } = await envelopeAfter({ socPct: 50 });
  const battery = envelope.sources.battery;
  assert.ok(battery.raiseW > 0 && battery.lowerW > 0, JSON.stringify(battery));
  assert.equal(battery.raiseW + battery.lowerW, 10_000); // -5 kW..+5 kW whatever its setpoint
  // 50 % of 10 kWh up to 100 % at 5 kW: 1 h; down to the 20 % reserve at 5 kW: 36 min (the SoC moved a little).
  assert.ok(Math.abs((battery.raiseForS ?? 0) - 3_600) < 60, String(battery.raiseForS));
  assert.ok(Math.abs((battery.lowerForS ?? 0) - 2_160) < 60, String(battery.lowerForS));
  assert.equal(envelope.battery?.socMinPct, 20);
  assert.equal(snapshot.socPct, envelope.battery?.socPct);
  assert.ok(envelope.minGridW <= envelope.baselineW && envelope.baselineW <= envelope.maxGridW);
});

test('a battery at its reserve offers no more lowering, a full one no more charging than it can hold 15 min', async () => {
  const atReserve = await envelopeAfter({ socPct: 20 });
  const reserveSetpointW = atReserve.report.decision?.dispatch.powersW['battery-1'] ?? 0;
  assert.equal(atReserve.envelope.sources.battery.lowerW, Math.max(0, -reserveSetpointW));
  assert.ok(atReserve.envelope.sources.battery.raiseW > 0);
  // Full: raising grid power is only stopping its discharge, plus the few watts its last 0.02 % of room holds.
  const full = await envelopeAfter({ socPct: 100 });
  const fullSetpointW = full.report.decision?.dispatch.powersW['battery-1'] ?? 0;
  const battery = full.envelope.sources.battery;
  assert.ok(battery.raiseW - Math.max(0, fullSetpointW) < 100, `${battery.raiseW} W with setpoint ${fullSetpointW} W`);
  assert.ok((battery.raiseForS ?? 0) >= 900);
  assert.ok(battery.lowerW > 0);
});

test("the connection's caps bound the envelope whatever the devices could do", async () => {
  const { envelope } = await envelopeAfter({ socPct: 50, importCapW: 3_000, exportCapW: 1_000 });
  assert.ok(envelope.maxGridW <= 3_000 && envelope.minGridW >= -1_000, JSON.stringify(envelope));
  assert.ok(envelope.sources.battery.raiseW + envelope.baselineW > 3_000, 'the battery alone would go beyond');
});

test('a running miner adds room both ways; PV producing above its floor can be curtailed', async () => {
  const { envelope } = await envelopeAfter({ socPct: 50, minerRunning: true, pvAvailableW: 6_000 });
  assert.ok(envelope.sources.miners.raiseW + envelope.sources.miners.lowerW > 0, JSON.stringify(envelope.sources));
  assert.ok(envelope.sources.pvCurtailment.raiseW > 0);
  assert.equal(envelope.sources.miners.raiseForS, null);
});

test('while a VPP target is followed the envelope is still measured from the local policy', async () => {
  const local = await envelopeAfter({ socPct: 50 });
  const following = await envelopeAfter({ socPct: 50 }, 4, 4_000);
  assert.equal(following.report.inputs?.operatorTarget?.source, 'vpp');
  assert.equal(following.report.decision?.dispatch.gridTargetW, 4_000);
  const inputs = following.report.inputs;
  assert.ok(inputs);
  const localDispatch = decide({ ...inputs, operatorTarget: null }).dispatch;
  assert.equal(following.envelope.baselineW, localDispatch.gridTargetW + localDispatch.shortfallW);
  assert.notEqual(following.envelope.baselineW, 4_000);
  assert.equal(
    local.envelope.baselineW,
    local.report.decision!.dispatch.gridTargetW + local.report.decision!.dispatch.shortfallW,
  );
});
