import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPlant } from '../src/plant/start-plant.ts';
import { ManualClock } from '../src/sim/clock.ts';
import { SUMMER_NOON_MS } from './support/plant-fixture.ts';
import { RawModbusClient } from './support/raw-modbus-client.ts';

test('one process holds a plant of 1,000 SunSpec devices, and every one of them answers its marker and power', async () => {
  const clock = new ManualClock(SUMMER_NOON_MS);
  // 500 nodes of a PV inverter and a battery, plus the grid meter: 1,001 Modbus TCP devices.
  const plant = await startPlant({ nodes: 500, miners: [] }, { clock });
  try {
    const devices = plant.endpoints.filter((e) => e.protocol === 'modbus-tcp');
    assert.equal(devices.length, 1001);
    assert.equal(new Set(devices.map((e) => e.port)).size, 1001);
    let answered = 0;
    const queue = [...devices];
    const worker = async (): Promise<void> => {
      for (let device = queue.shift(); device; device = queue.shift()) {
        const client = await RawModbusClient.open(device.port as number);
        try {
          const marker = await client.readHolding(device.unitId as number, 40_000, 6);
          assert.deepEqual([...marker.subarray(0, 6)], [3, 12, 0x53, 0x75, 0x6e, 0x53], device.id);
          assert.equal(marker.readUInt16BE(6), 1, `${device.id} starts with model 1`);
          answered += 1;
        } finally {
          client.close();
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    assert.equal(answered, 1001);
  } finally {
    await plant.stop();
  }
});
