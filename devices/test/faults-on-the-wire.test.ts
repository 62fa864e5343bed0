import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import type { BatteryModel } from '../src/models/battery.ts';
import { startTestPlant } from './support/plant-fixture.ts';
import { RawModbusClient } from './support/raw-modbus-client.ts';
import { walkSunSpec, type WalkedModel } from './support/sunspec-walk.ts';

let fixture: Awaited<ReturnType<typeof startTestPlant>>;
before(async () => {
  fixture = await startTestPlant({ pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000 }] });
});
afterEach(() => {
  for (const id of ['pv-1', 'battery-1', 'meter-1']) fixture.plant.fault(id).clear();
});
after(async () => {
  await fixture.stop();
});

const port = (id: string): number => fixture.endpoint(id).port as number;
const model103 = (models: WalkedModel[]) => models.find((m) => m.id === 103) as WalkedModel;

/** Resolves with how a plain TCP connect ends: 'connected' or the error code. */
function tryConnect(p: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port: p, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** Waits for the server side to apply a fault switched asynchronously (listen/close are async). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition never held');
}

async function assertOthersAnswer(): Promise<void> {
  const other = await RawModbusClient.open(port('battery-1'));
  try {
    assert.deepEqual([...(await other.readHolding(1, 40_000, 2))], [3, 4, 0x53, 0x75, 0x6e, 0x53]);
  } finally {
    other.close();
  }
}

test('refuse-connections: connecting gets ECONNREFUSED until the fault clears; other devices keep answering', async () => {
  fixture.plant.fault('pv-1').inject({ kind: 'refuse-connections' });
  await eventually(async () => (await tryConnect(port('pv-1'))) === 'ECONNREFUSED');
  await assertOthersAnswer();
  fixture.plant.fault('pv-1').clear();
  await eventually(async () => (await tryConnect(port('pv-1'))) === 'connected');
});

test('drop-connection: an open connection is closed and new ones are dropped', async () => {
  const raw = await RawModbusClient.open(port('pv-1'));
  fixture.plant.fault('pv-1').inject({ kind: 'drop-connection' });
  await assert.rejects(raw.readHolding(1, 40_000, 2), /connection closed/);
  const again = await RawModbusClient.open(port('pv-1'));
  await assert.rejects(again.readHolding(1, 40_000, 2), /connection closed/);
  await assertOthersAnswer();
  raw.close();
  again.close();
});

test('stop-answering: requests are read and never answered', async () => {
  const client = await fixture.connect('pv-1', 300);
  fixture.plant.fault('pv-1').inject({ kind: 'stop-answering' });
  await assert.rejects(client.readHoldingRegisters(40_000, 2), (e: { errno?: string }) => e.errno === 'ETIMEDOUT');
  await assertOthersAnswer();
});

test('slow: answers come after the delay, so a client with a shorter timeout gives up and a patient one gets them', async () => {
  fixture.plant.fault('pv-1').inject({ kind: 'slow', delayMs: 400 });
  const hasty = await fixture.connect('pv-1', 50);
  await assert.rejects(hasty.readHoldingRegisters(40_000, 2), (e: { errno?: string }) => e.errno === 'ETIMEDOUT');
  const patient = await fixture.connect('pv-1', 5000);
  assert.deepEqual((await patient.readHoldingRegisters(40_000, 2)).data, [0x5375, 0x6e53]);
});

test('exception: every request is answered with exception 4 (device failure)', async () => {
  const client = await fixture.connect('pv-1');
  fixture.plant.fault('pv-1').inject({ kind: 'exception' });
  await assert.rejects(client.readHoldingRegisters(40_000, 2), (e: { modbusCode?: number }) => e.modbusCode === 4);
  fixture.plant.fault('pv-1').clear();
  assert.deepEqual((await client.readHoldingRegisters(40_000, 2)).data, [0x5375, 0x6e53]);
});

test('sentinels: measurements read as "not implemented" and decode to null, never to numbers', async () => {
  const client = await fixture.connect('pv-1');
  fixture.plant.fault('pv-1').inject({ kind: 'sentinels' });
  const m = model103(await walkSunSpec(client, 40_000));
  for (const point of ['W', 'A', 'Hz', 'PhVphA', 'DCW', 'WH']) assert.equal(m.values[point], null, point);
  const wOffset = 14; // W sits 14 registers after 103's ID
  const raw = (await client.readHoldingRegisters(m.address + wOffset, 1)).data[0];
  assert.equal(raw, 0x8000);
  fixture.plant.fault('pv-1').clear();
  assert.notEqual(model103(await walkSunSpec(client, 40_000)).values.W, null);
});

test('out-of-range: measurements read physically impossible values', async () => {
  const client = await fixture.connect('pv-1');
  fixture.plant.fault('pv-1').inject({ kind: 'out-of-range' });
  const m = model103(await walkSunSpec(client, 40_000));
  assert.ok((m.values.W as number) > 10_000 * 2, `W ${m.values.W} on a 10 kW inverter`);
  assert.ok((m.values.Hz as number) > 600, `Hz ${m.values.Hz}`);
});

test('device-fault: the inverter reports FAULT and stops feeding; the battery reports FAULT and ignores setpoints', async () => {
  const client = await fixture.connect('pv-1');
  fixture.plant.fault('pv-1').inject({ kind: 'device-fault' });
  fixture.clock.advance(1000);
  const m = model103(await walkSunSpec(client, 40_000));
  assert.equal(m.values.St, 7);
  assert.equal(m.values.W, 0);
  fixture.plant.fault('pv-1').clear();
  fixture.clock.advance(2 * 60_000);
  assert.equal(model103(await walkSunSpec(client, 40_000)).values.St, 4);

  const batteryClient = await fixture.connect('battery-1');
  fixture.plant.fault('battery-1').inject({ kind: 'device-fault' });
  const models = await walkSunSpec(batteryClient, 40_000);
  assert.equal(models.find((x) => x.id === 713)?.values.Sta, 2); // ERROR
  assert.equal(models.find((x) => x.id === 701)?.values.InvSt, 6); // FAULT
  assert.equal(models.find((x) => x.id === 802)?.values.State, 99); // FAULT
  assert.equal((fixture.plant.model('battery-1') as BatteryModel).state, 'FAULT');
  const storage = models.find((x) => x.id === 124) as WalkedModel;
  await batteryClient.writeRegisters(storage.address + 12, [500, 0, 0, 60, 0]); // OutWRte 50 %, RvrtTms 60 s
  await batteryClient.writeRegister(storage.address + 5, 2); // StorCtl_Mod discharge
  fixture.clock.advance(10_000);
  const afterWrite = await walkSunSpec(batteryClient, 40_000);
  assert.equal(afterWrite.find((x) => x.id === 701)?.values.W, 0);
});

test('a faulted meter raises its power-failure event and reads unknown, while its counters keep their values', async () => {
  const client = await fixture.connect('meter-1');
  fixture.clock.advance(60_000);
  fixture.plant.fault('meter-1').inject({ kind: 'device-fault' });
  const meter = (await walkSunSpec(client, 40_000)).find((x) => x.id === 203) as WalkedModel;
  assert.equal(meter.values.W, null);
  assert.equal(meter.values.Evt, 4);
  assert.ok((meter.values.TotWhImp as number) > 0);
});
