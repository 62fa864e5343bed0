import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PvInverterModel } from '../src/models/pv-inverter.ts';
import { startPlant, type RunningPlant } from '../src/plant/start-plant.ts';
import { ManualClock } from '../src/sim/clock.ts';
import { SUMMER_NOON_MS } from './support/plant-fixture.ts';
import { ModbusClient, walkSunSpec } from './support/sunspec-walk.ts';

let plant: RunningPlant;
let client: ModbusClient;
const clock = new ManualClock(SUMMER_NOON_MS);

before(async () => {
  // Inverter and battery share one serial line (a socat pty pair the plant starts), unit ids 3 and 4.
  plant = await startPlant(
    {
      miners: [],
      pvInverters: [{ id: 'pv-rtu', ratedPowerW: 10_000, protocol: 'modbus-rtu', unitId: 3 }],
      batteries: [
        {
          id: 'battery-rtu',
          capacityWh: 10_000,
          maxChargeW: 5000,
          maxDischargeW: 5000,
          protocol: 'modbus-rtu',
          unitId: 4,
        },
      ],
    },
    { clock },
  );
  const endpoint = plant.endpoints.find((e) => e.id === 'pv-rtu');
  assert.equal(endpoint?.protocol, 'modbus-rtu');
  client = new ModbusClient();
  await client.connectRTUBuffered(endpoint?.path as string, { baudRate: 19_200 });
  client.setTimeout(1000);
});
after(async () => {
  await new Promise<void>((resolve) => (client.isOpen ? client.close(() => resolve()) : resolve()));
  await plant.stop();
});

test('over RTU on a socat pair, the inverter and the battery answer at their own unit ids', async () => {
  client.setID(3);
  const inverter = await walkSunSpec(client, 40_000);
  assert.deepEqual(
    inverter.map((m) => m.id),
    [1, 103, 120, 123],
  );
  assert.equal(inverter[0]?.values.SN, 'pv-rtu');
  client.setID(4);
  const battery = await walkSunSpec(client, 40_000);
  assert.deepEqual(
    battery.map((m) => m.id),
    [1, 120, 701, 124, 713, 802],
  );
});

test('over RTU a power limit is written and read back, and a bad value gets exception 3', async () => {
  client.setID(3);
  const controls = (await walkSunSpec(client, 40_000)).find((m) => m.id === 123);
  assert.ok(controls);
  await client.writeRegisters(controls.address + 5, [500, 0, 60, 0, 1]); // WMaxLimPct 50.0 %, RvrtTms 60 s, Ena
  assert.equal((plant.model('pv-rtu') as PvInverterModel).powerLimitPct, 50);
  await assert.rejects(
    client.writeRegisters(controls.address + 5, [2000, 0, 60, 0, 1]),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  assert.equal((plant.model('pv-rtu') as PvInverterModel).powerLimitPct, 50);
});

test('a request to an address nobody has on the line gets no answer', async () => {
  client.setID(9);
  await assert.rejects(client.readHoldingRegisters(40_000, 2), (e: { errno?: string }) => e.errno === 'ETIMEDOUT');
  client.setID(3);
  assert.deepEqual((await client.readHoldingRegisters(40_000, 2)).data, [0x5375, 0x6e53]);
});

test('over RTU the exception fault answers exception 4', async () => {
  client.setID(3);
  plant.fault('pv-rtu').inject({ kind: 'exception' });
  try {
    await assert.rejects(client.readHoldingRegisters(40_000, 2), (e: { modbusCode?: number }) => e.modbusCode === 4);
  } finally {
    plant.fault('pv-rtu').clear();
  }
  assert.deepEqual((await client.readHoldingRegisters(40_000, 2)).data, [0x5375, 0x6e53]);
});

test('a serial device that does not exist fails with a typed error naming the path', async () => {
  const { startModbusRtuServer, SerialLineError } = await import('../src/modbus/modbus-rtu-server.ts');
  const { FaultSwitch } = await import('../src/faults/fault.ts');
  await assert.rejects(
    startModbusRtuServer({ path: '/dev/pts/does-not-exist', units: new Map(), faults: new FaultSwitch() }),
    (error: unknown) => error instanceof SerialLineError && error.path === '/dev/pts/does-not-exist',
  );
});
