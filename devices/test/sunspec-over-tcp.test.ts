import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BatteryModel } from '../src/models/battery.ts';
import type { GridMeterModel } from '../src/models/grid-meter.ts';
import type { PvInverterModel } from '../src/models/pv-inverter.ts';
import { startTestPlant } from './support/plant-fixture.ts';
import { RawModbusClient } from './support/raw-modbus-client.ts';
import { walkSunSpec, type WalkedModel } from './support/sunspec-walk.ts';

let fixture: Awaited<ReturnType<typeof startTestPlant>>;
before(async () => {
  fixture = await startTestPlant({
    pvInverters: [
      { id: 'pv-1', ratedPowerW: 10_000 },
      { id: 'pv-50k', ratedPowerW: 15_000, baseAddress: 50_000, unitId: 7 },
    ],
  });
});
after(async () => {
  await fixture.stop();
});

const model = (models: WalkedModel[], id: number): WalkedModel => {
  const found = models.find((m) => m.id === id);
  assert.ok(found, `model ${id} is in the map`);
  return found;
};

/** Address of a point: the model's ID register plus the point's offset. */
async function pointAddress(walked: WalkedModel, point: string): Promise<number> {
  const { loadModelDef } = await import('@gridcoop/sunspec');
  const def = loadModelDef(walked.id).points.find((p) => p.name === point);
  assert.ok(def, `point ${point}`);
  return walked.address + def.offset;
}

test('an inverter shows the SunS marker at 40000 and models 1, 103, 120, 123 up to the end marker', async () => {
  const client = await fixture.connect('pv-1');
  const models = await walkSunSpec(client, 40_000);
  assert.deepEqual(
    models.map((m) => m.id),
    [1, 103, 120, 123],
  );
  assert.equal(model(models, 1).values.Mn, 'GridCoop');
  assert.equal(model(models, 1).values.SN, 'pv-1');
  assert.equal(model(models, 120).values.WRtg, 10_000);
  const inverter = fixture.plant.model('pv-1') as PvInverterModel;
  const w = model(models, 103).values.W as number;
  assert.ok(w > 3000, `noon output ${w} W`);
  assert.equal(w, Math.round(inverter.acPowerW));
  assert.equal(model(models, 103).values.St, 4); // MPPT
  assert.equal(model(models, 103).values.OutPFSet ?? null, null);
});

test('measurements are refreshed from the model on every read', async () => {
  const client = await fixture.connect('pv-1');
  const before = model(await walkSunSpec(client, 40_000), 103).values.WH as number;
  fixture.clock.advance(10 * 60_000);
  const after = model(await walkSunSpec(client, 40_000), 103).values.WH as number;
  assert.ok(after > before, `lifetime energy ${before} -> ${after} Wh`);
});

test('base address and unit id are configurable: 50000 and unit 7', async () => {
  const client = await fixture.connect('pv-50k');
  assert.equal(fixture.endpoint('pv-50k').unitId, 7);
  const models = await walkSunSpec(client, 50_000);
  assert.deepEqual(
    models.map((m) => m.id),
    [1, 103, 120, 123],
  );
  await assert.rejects(client.readHoldingRegisters(40_000, 2), (e: { modbusCode?: number }) => e.modbusCode === 2);
});

test('a battery walks 1, 120, 701, 124, 713, 802, and 701 (153 registers) reads in chunks', async () => {
  const client = await fixture.connect('battery-2');
  const models = await walkSunSpec(client, 40_000);
  assert.deepEqual(
    models.map((m) => m.id),
    [1, 120, 701, 124, 713, 802],
  );
  const battery = fixture.plant.model('battery-2') as BatteryModel;
  assert.equal(model(models, 701).length, 153);
  assert.equal(model(models, 713).values.SoC, Math.round(battery.socPct * 10) / 10);
  assert.equal(model(models, 713).values.SoH, 100);
  assert.equal(model(models, 124).values.MinRsvPct, 10);
  assert.equal(model(models, 120).values.WHRtg, 20_000);
});

test('the meter walks 1, 203 and reads load minus generation, import positive', async () => {
  const client = await fixture.connect('meter-1');
  const models = await walkSunSpec(client, 40_000);
  assert.deepEqual(
    models.map((m) => m.id),
    [1, 203],
  );
  const meter = fixture.plant.model('meter-1') as GridMeterModel;
  const values = model(models, 203).values;
  const sumW = ['pv-1', 'pv-50k', 'battery-1', 'battery-2'].reduce((s, id) => s + fixture.plant.model(id).acPowerW, 0);
  // W_SF is 1 for a 70 kW connection: 10 W steps.
  assert.ok(Math.abs((values.W as number) - (fixture.plant.siteLoad.demandW - sumW)) <= 5, `${values.W} W`);
  assert.ok(Math.abs((values.W as number) - meter.powerW) <= 5);
  assert.ok((values.Hz as number) > 49.9 && (values.Hz as number) < 50.1);
});

test('WMaxLimPct with WMaxLim_Ena and a reversion time limits the inverter, which reverts when not refreshed', async () => {
  const client = await fixture.connect('pv-1');
  const controls = model(await walkSunSpec(client, 40_000), 123);
  const inverter = fixture.plant.model('pv-1') as PvInverterModel;
  // WMaxLimPct (SF -1: 30.0 % = 300), WinTms, RvrtTms 60 s, RmpTms 0, Ena 1: one contiguous write.
  await client.writeRegisters(await pointAddress(controls, 'WMaxLimPct'), [300, 0, 60, 0, 1]);
  fixture.clock.advance(30_000);
  const limited = model(await walkSunSpec(client, 40_000), 103).values.W as number;
  assert.ok(Math.abs(limited - 3000) <= 1, `limited to ${limited} W`);
  assert.equal(model(await walkSunSpec(client, 40_000), 103).values.St, 5); // THROTTLED
  fixture.clock.advance(5 * 60_000);
  const reverted = await walkSunSpec(client, 40_000);
  assert.equal(model(reverted, 123).values.WMaxLim_Ena, 0);
  assert.equal(inverter.powerLimitEnabled, false);
  assert.ok((model(reverted, 103).values.W as number) > 3000);
});

test('StorCtl_Mod discharge with OutWRte drives the battery, which falls back to idle after InOutWRte_RvrtTms', async () => {
  const client = await fixture.connect('battery-1');
  const storage = model(await walkSunSpec(client, 40_000), 124);
  const battery = fixture.plant.model('battery-1') as BatteryModel;
  // OutWRte 50.0 % of WChaMax (5 kW), InWRte 0, WinTms 0, RvrtTms 120 s, RmpTms 0; then StorCtl_Mod = discharge.
  await client.writeRegisters(await pointAddress(storage, 'OutWRte'), [500, 0, 0, 120, 0]);
  await client.writeRegister(await pointAddress(storage, 'StorCtl_Mod'), 2);
  fixture.clock.advance(60_000);
  let models = await walkSunSpec(client, 40_000);
  assert.equal(model(models, 701).values.W, 2500);
  assert.equal(model(models, 124).values.ChaSt, 3); // DISCHARGING
  fixture.clock.advance(5 * 60_000);
  models = await walkSunSpec(client, 40_000);
  assert.equal(model(models, 701).values.W, 0);
  assert.equal(model(models, 124).values.StorCtl_Mod, 0);
  assert.ok(battery.energyOutWh > 0);
  assert.equal(model(models, 701).values.TotWhInj, Math.floor(battery.energyOutWh));
});

test('a limit above 100 % gets exception 3 and changes nothing', async () => {
  const client = await fixture.connect('pv-1');
  const controls = model(await walkSunSpec(client, 40_000), 123);
  const address = await pointAddress(controls, 'WMaxLimPct');
  const before = (await client.readHoldingRegisters(controls.address, controls.length + 2)).data;
  const inverter = fixture.plant.model('pv-1') as PvInverterModel;
  const limitBefore = inverter.powerLimitPct;
  await assert.rejects(
    client.writeRegisters(address, [1500, 0, 60, 0, 1]),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  await assert.rejects(
    client.writeRegister(await pointAddress(controls, 'WMaxLim_Ena'), 7),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  assert.deepEqual((await client.readHoldingRegisters(controls.address, controls.length + 2)).data, before);
  assert.equal(inverter.powerLimitPct, limitBefore);
});

test('a battery told to charge and discharge at once, or beyond 100 %, gets exception 3 and keeps its setpoint', async () => {
  const client = await fixture.connect('battery-2');
  const storage = model(await walkSunSpec(client, 40_000), 124);
  const battery = fixture.plant.model('battery-2') as BatteryModel;
  const setpointBefore = battery.setpointW;
  await assert.rejects(
    client.writeRegister(await pointAddress(storage, 'StorCtl_Mod'), 3),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  await assert.rejects(
    client.writeRegister(await pointAddress(storage, 'InWRte'), 1001),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  assert.equal(battery.setpointW, setpointBefore);
  assert.equal(model(await walkSunSpec(client, 40_000), 124).values.StorCtl_Mod, 0);
});

test('a write to a read-only point or to the marker gets exception 2 and changes nothing', async () => {
  const client = await fixture.connect('pv-1');
  const models = await walkSunSpec(client, 40_000);
  const measurements = model(models, 103);
  await assert.rejects(
    client.writeRegister(await pointAddress(measurements, 'W'), 1234),
    (e: { modbusCode?: number }) => e.modbusCode === 2,
  );
  await assert.rejects(client.writeRegister(40_000, 0), (e: { modbusCode?: number }) => e.modbusCode === 2);
  const marker = (await client.readHoldingRegisters(40_000, 2)).data;
  assert.deepEqual(marker, [0x5375, 0x6e53]);
  const meterClient = await fixture.connect('meter-1');
  await assert.rejects(meterClient.writeRegister(40_004 + 68, 1), (e: { modbusCode?: number }) => e.modbusCode === 2);
});

test('reads past the map get exception 2, oversize reads exception 3, unknown functions exception 1', async () => {
  const raw = await RawModbusClient.open(fixture.endpoint('pv-1').port as number);
  try {
    const past = await raw.readHolding(1, 40_000 + 175, 10);
    assert.deepEqual([...past], [0x83, 2]);
    const oversize = await raw.readHolding(1, 40_000, 126);
    assert.deepEqual([...oversize], [0x83, 3]);
    const unknown = await raw.request(1, Buffer.from([0x2b, 0x0e, 0x01, 0x00]));
    assert.deepEqual([...unknown], [0xab, 1]);
    const otherUnit = await raw.readHolding(9, 40_000, 2);
    assert.deepEqual([...otherUnit], [0x83, 0x0b]);
    // FC4 serves the same map.
    const input = await raw.request(1, Buffer.from([4, 0x9c, 0x40, 0, 2]));
    assert.deepEqual([...input], [4, 4, 0x53, 0x75, 0x6e, 0x53]);
  } finally {
    raw.close();
  }
});

test("model 802 shows the bank's SoC and heartbeat, takes the controller's heartbeat, and SoCRsvMin sets the reserve", async () => {
  const client = await fixture.connect('battery-2');
  const battery = fixture.plant.model('battery-2') as BatteryModel;
  let bank = model(await walkSunSpec(client, 40_000), 802);
  assert.equal(bank.values.SoC, Math.round(battery.socPct * 10) / 10);
  assert.equal(bank.values.State, 3); // CONNECTED
  const hb = bank.values.Hb as number;
  await client.writeRegister(await pointAddress(bank, 'CtrlHb'), 42);
  await client.writeRegister(await pointAddress(bank, 'SoCRsvMin'), 250); // SF -1: 25.0 %
  fixture.clock.advance(5000);
  bank = model(await walkSunSpec(client, 40_000), 802);
  assert.equal(bank.values.CtrlHb, 42);
  assert.equal((bank.values.Hb as number) - hb, 5);
  assert.equal(battery.minReservePct, 25);
  assert.equal(model(await walkSunSpec(client, 40_000), 124).values.MinRsvPct, 25);
  await assert.rejects(
    client.writeRegister(await pointAddress(bank, 'SoCRsvMin'), 1000),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  assert.equal(battery.minReservePct, 25);
});

test('a generic 802 client stops and starts the battery with SetInvState and SetOp, and 802 State follows', async () => {
  const client = await fixture.connect('battery-1');
  const battery = fixture.plant.model('battery-1') as BatteryModel;
  const storage = model(await walkSunSpec(client, 40_000), 124);
  let bank = model(await walkSunSpec(client, 40_000), 802);
  assert.equal(bank.values.SetOp, 1); // CONNECT
  assert.equal(bank.values.SetInvState, 3); // INVERTER_STARTED
  // Discharge at 40.0 % of WChaMax, held (no reversion).
  await client.writeRegisters(await pointAddress(storage, 'OutWRte'), [400, 0, 0, 0, 0]);
  await client.writeRegister(await pointAddress(storage, 'StorCtl_Mod'), 2);
  fixture.clock.advance(60_000);
  await walkSunSpec(client, 40_000); // a read brings the model to the clock's now
  assert.ok(battery.acPowerW > 0, `discharging ${battery.acPowerW} W`);

  await client.writeRegister(await pointAddress(bank, 'SetInvState'), 1); // INVERTER_STOPPED
  fixture.clock.advance(1000);
  bank = model(await walkSunSpec(client, 40_000), 802);
  assert.equal(battery.acPowerW, 0);
  assert.equal(bank.values.State, 4); // STANDBY
  assert.equal(bank.values.SetInvState, 1);

  await client.writeRegister(await pointAddress(bank, 'SetInvState'), 3); // INVERTER_STARTED
  await client.writeRegister(await pointAddress(bank, 'SetOp'), 2); // DISCONNECT
  fixture.clock.advance(1000);
  assert.equal(model(await walkSunSpec(client, 40_000), 802).values.State, 1); // DISCONNECTED (after the read)
  assert.equal(battery.acPowerW, 0);

  await client.writeRegister(await pointAddress(bank, 'SetOp'), 1); // CONNECT
  fixture.clock.advance(60_000);
  assert.equal(model(await walkSunSpec(client, 40_000), 802).values.State, 3);
  assert.ok(battery.acPowerW > 0, `running again at ${battery.acPowerW} W`);
  await assert.rejects(
    client.writeRegister(await pointAddress(bank, 'SetOp'), 7),
    (e: { modbusCode?: number }) => e.modbusCode === 3,
  );
  await client.writeRegister(await pointAddress(storage, 'StorCtl_Mod'), 0);
});

test('mandatory points of 120, 123 and 203 answer real values, and the meter counters never read 0', async () => {
  const { loadModelDef } = await import('@gridcoop/sunspec');
  const missing: string[] = [];
  for (const [id, models] of [
    ['pv-1', [120, 123]],
    ['battery-1', [120, 802]],
    ['meter-1', [203]],
  ] as const) {
    const walked = await walkSunSpec(await fixture.connect(id), 40_000);
    for (const modelId of models) {
      const values = model(walked, modelId).values;
      for (const point of loadModelDef(modelId).points)
        if (point.mandatory && !point.name.includes('[') && values[point.name] == null)
          missing.push(`${id} ${modelId}.${point.name}`);
    }
  }
  assert.deepEqual(missing, [], 'mandatory points reading "not implemented"');
  const meter = model(await walkSunSpec(await fixture.connect('meter-1'), 40_000), 203).values;
  assert.ok((meter.TotWhExp as number) > 0 && (meter.TotWhImp as number) > 0, `${meter.TotWhImp} / ${meter.TotWhExp}`);
});

test('a device addressed directly by IP answers unit id 0 and 255 as its own', async () => {
  const e = fixture.endpoint('pv-1');
  for (const unitId of [0, 255]) {
    const raw = await RawModbusClient.open(e.port as number);
    try {
      const pdu = await raw.readHolding(unitId, 40_000, 2);
      assert.deepEqual([...pdu], [3, 4, 0x53, 0x75, 0x6e, 0x53], `unit ${unitId} reads the SunS marker`);
    } finally {
      raw.close();
    }
  }
});
