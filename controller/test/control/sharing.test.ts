import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControlCycle } from '../../src/cycle/control-cycle.ts';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { shareWithinRanges } from '../../src/control/share-within-ranges.ts';
import { pairDevices } from '../../src/plant/plant-device.ts';
import { parsePlantSpec } from '../../src/plant/plant-spec.ts';
import { InMemoryBattery, InMemoryPv, InMemorySite } from '../cycle/in-memory-plant.ts';

test('a total is shared in proportion to each part room, never outside a part range', () => {
  assert.deepEqual(
    shareWithinRanges(6_000, [
      { loW: 0, hiW: 5_000 },
      { loW: 0, hiW: 10_000 },
    ]),
    [2_000, 4_000],
  );
  assert.deepEqual(
    shareWithinRanges(99_000, [
      { loW: 0, hiW: 5_000 },
      { loW: -1_000, hiW: 1_000 },
    ]),
    [5_000, 1_000],
  );
  assert.deepEqual(
    shareWithinRanges(-99_000, [
      { loW: 0, hiW: 5_000 },
      { loW: -1_000, hiW: 1_000 },
    ]),
    [0, -1_000],
  );
});

test('two batteries of different size share the surplus by their charge power, and a stale one is left out', async () => {
  const scheduler = new ManualScheduler();
  const site = new InMemorySite(scheduler);
  site.loadW = 1_000;
  const pv = site.add(new InMemoryPv('pv-1', scheduler, 20_000, 7_000));
  const small = site.add(new InMemoryBattery('battery-small', scheduler, 10_000, 50, 2_000));
  const big = site.add(new InMemoryBattery('battery-big', scheduler, 20_000, 50, 4_000));
  const plant = parsePlantSpec({
    gridMeterId: 'meter',
    importCapW: 20_000,
    exportCapW: 20_000,
    devices: [
      { kind: 'meter', id: 'meter' },
      { kind: 'pv-inverter', id: 'pv-1', ratedPowerW: 20_000 },
      {
        kind: 'battery',
        id: 'battery-small',
        capacityWh: 10_000,
        maxChargeW: 2_000,
        maxDischargeW: 2_000,
        rampWPerS: 10_000,
      },
      {
        kind: 'battery',
        id: 'battery-big',
        capacityWh: 20_000,
        maxChargeW: 4_000,
        maxDischargeW: 4_000,
        rampWPerS: 10_000,
      },
    ],
  });
  const cycle = new ControlCycle({
    plant,
    devices: pairDevices(plant.devices, [site.meter, pv, small, big]),
    scheduler,
  });
  cycle.setPolicy({
    version: 1,
    policy: { ...cycle.policyInForce.policy, surplus_split: { battery_pct: 50, miners_pct: 0, export_pct: 50 } },
  });
  cycle.start({ tick: false });
  for (let i = 0; i < 3; i++) {
    await scheduler.advance(1_000);
    await cycle.runOnce();
  }
  // Surplus 6 kW: export 3 kW, batteries 3 kW shared 1:2 by their charge power.
  assert.equal(small.setpointW, -1_000);
  assert.equal(big.setpointW, -2_000);
  assert.equal(Math.round(site.gridPowerW()), -3_000);

  big.fault = { kind: 'timeout' };
  for (let i = 0; i < 3; i++) {
    await scheduler.advance(1_000);
    await cycle.runOnce();
  }
  // The big one still charges at 2 kW by its own last setpoint: it is not commanded any more, so it counts as load
  // (the meter sees it). Surplus over that load is 4 kW: export 2 kW, the small battery takes the other 2 kW.
  assert.equal(cycle.plantState(), 'degraded');
  assert.ok(!cycle.lastReport!.commands.some((c) => c.deviceId === 'battery-big'));
  assert.equal(small.setpointW, -2_000);
  assert.equal(Math.round(site.gridPowerW()), -2_000);
  await cycle.stop();
});
