import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { pairDevices } from '../../src/plant/plant-device.ts';
import { parsePlantSpec, PlantSpecError } from '../../src/plant/plant-spec.ts';
import { InMemoryBattery, InMemoryPv, InMemorySite } from '../cycle/in-memory-plant.ts';

const good = {
  gridMeterId: 'meter',
  importCapW: 10_000,
  exportCapW: 0,
  devices: [
    { kind: 'meter', id: 'meter' },
    { kind: 'pv-inverter', id: 'pv-1', ratedPowerW: 10_000 },
    { kind: 'battery', id: 'battery-1', capacityWh: 10_000, maxChargeW: 5_000, maxDischargeW: 5_000, rampWPerS: 1_000 },
  ],
};

test('a plant spec gets its safe defaults: PV floor 10 %, reversion 60 s for PV and 30 s for batteries', () => {
  const spec = parsePlantSpec(good);
  const [, pv, battery] = spec.devices;
  assert.ok(pv?.kind === 'pv-inverter' && battery?.kind === 'battery');
  assert.deepEqual([pv.minPowerLimitPct, pv.reversionS, battery.reversionS, battery.maxSocPct], [10, 60, 30, 100]);
});

test('a bad plant spec is refused with a typed error naming every problem', () => {
  const bad = {
    ...good,
    gridMeterId: 'pv-1',
    importCapW: -1,
    devices: [
      ...good.devices,
      { kind: 'pv-inverter', id: 'pv-1', ratedPowerW: 5_000, minPowerLimitPct: 0 },
      { kind: 'flexible-load', id: 'miner-1', minPowerW: 3_000, maxPowerW: 1_000 },
    ],
  };
  assert.throws(
    () => parsePlantSpec(bad),
    (error: unknown) => {
      assert.ok(error instanceof PlantSpecError);
      const all = error.issues.join('\n');
      assert.match(all, /importCapW/);
      assert.match(all, /minPowerLimitPct/);
      return true;
    },
  );
  const duplicates = {
    ...good,
    gridMeterId: 'pv-1',
    devices: [
      ...good.devices,
      { kind: 'flexible-load', id: 'miner-1', minPowerW: 3_000, maxPowerW: 1_000 },
      { kind: 'meter', id: 'meter' },
    ],
  };
  assert.throws(
    () => parsePlantSpec(duplicates),
    (error: unknown) => {
      assert.ok(error instanceof PlantSpecError);
      const all = error.issues.join('\n');
      assert.match(all, /device id meter appears twice/);
      assert.match(all, /miner miner-1: minPowerW > maxPowerW/);
      assert.match(all, /gridMeterId pv-1 is not a meter/);
      return true;
    },
  );
});

test('pairing refuses a device without a driver, a driver of the wrong nature and a driver without a spec', () => {
  const scheduler = new ManualScheduler();
  const site = new InMemorySite(scheduler, 'meter');
  const spec = parsePlantSpec(good);
  const pv = new InMemoryPv('pv-1', scheduler, 10_000);
  const battery = new InMemoryBattery('battery-1', scheduler, 10_000, 50, 5_000);
  assert.equal(pairDevices(spec.devices, [site.meter, pv, battery]).length, 3);
  assert.throws(() => pairDevices(spec.devices, [site.meter, pv]), {
    name: 'PlantSpecError',
    message: /battery-1: no driver/,
  });
  const impostor = new InMemoryPv('battery-1', scheduler, 10_000);
  assert.throws(
    () => pairDevices(spec.devices, [site.meter, pv, impostor]),
    /battery-1: spec says battery but its driver is a pv-inverter/,
  );
  const extra = new InMemoryPv('pv-9', scheduler, 10_000);
  assert.throws(() => pairDevices(spec.devices, [site.meter, pv, battery, extra]), /drivers without a spec: pv-9/);
});
