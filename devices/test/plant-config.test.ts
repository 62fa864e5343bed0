import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandNodes, parsePlantConfig, PlantConfigError } from '../src/plant/plant-config.ts';

test('an empty config is the demo plant: a meter, 3 PV inverters of 10-20 kW, 2 batteries, 3 miners of 3 kW', () => {
  const config = parsePlantConfig({});
  assert.equal(config.meter.id, 'meter-1');
  assert.deepEqual(
    config.pvInverters.map((d) => d.ratedPowerW),
    [10_000, 15_000, 20_000],
  );
  assert.deepEqual(
    config.batteries.map((d) => d.capacityWh),
    [10_000, 20_000],
  );
  assert.deepEqual(
    config.miners.map((d) => d.maxPowerW),
    [3000, 3000, 3000],
  );
  assert.equal(config.baseAddress, 40_000);
  assert.equal(config.pvInverters[0]?.protocol, 'modbus-tcp');
});

test('validation errors name the field that is wrong', () => {
  assert.throws(
    () => parsePlantConfig({ batteries: [{ id: 'b', capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: -1 }] }),
    (error: unknown) =>
      error instanceof PlantConfigError && error.issues.some((i) => i.path === 'batteries.0.maxDischargeW'),
  );
  assert.throws(
    () => parsePlantConfig({ baseAddress: 40_001 }),
    (error: unknown) =>
      error instanceof PlantConfigError &&
      error.issues.some((i) => i.path === 'baseAddress') &&
      /baseAddress/.test(error.message),
  );
  assert.throws(
    () => parsePlantConfig({ pvInverters: [{ id: 'pv 1', ratedPowerW: 1000 }] }),
    (error: unknown) => error instanceof PlantConfigError && error.issues.some((i) => i.path === 'pvInverters.0.id'),
  );
});

test('a device id used twice, two RTU devices at one address, or one port given twice are refused', () => {
  assert.throws(() => parsePlantConfig({ pvInverters: [{ id: 'meter-1', ratedPowerW: 1000 }] }), /used twice/);
  assert.throws(
    () =>
      parsePlantConfig({
        pvInverters: [
          { id: 'a', ratedPowerW: 1000, protocol: 'modbus-rtu', unitId: 2 },
          { id: 'b', ratedPowerW: 1000, protocol: 'modbus-rtu', unitId: 2 },
        ],
      }),
    /RTU unit id 2/,
  );
  assert.throws(
    () =>
      parsePlantConfig({
        pvInverters: [
          { id: 'a', ratedPowerW: 1000, port: 15020 },
          { id: 'b', ratedPowerW: 1000, port: 15020 },
        ],
      }),
    /port 15020/,
  );
});

test('nodes: N generates N energy nodes and scales the site load with them', () => {
  const config = expandNodes(parsePlantConfig({ nodes: 4, minersPerNode: 1 }));
  assert.equal(config.pvInverters.length, 4);
  assert.equal(config.batteries.length, 4);
  assert.equal(config.miners.length, 4);
  assert.equal(config.site.loadPeakW, 40_000);
  assert.equal(new Set(config.pvInverters.map((d) => d.id)).size, 4);
});
