import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import type { PvInverterModel } from '@gridcoop/devices/models/pv-inverter';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import type { GridMeterModel } from '@gridcoop/devices/models/grid-meter';
import { DeviceError } from '../../src/natures/index.ts';
import { SunSpecClient, sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import { endpointOf } from './fixtures/plant-endpoint.ts';
import { ManualTimer } from './fixtures/manual-timer.ts';

/** Midday in Melbourne (UTC+10): the PV profile gives real output. */
const MIDDAY = Date.UTC(2014, 0, 15, 2, 0, 0);

function isDeviceError(kind: string) {
  return (error: unknown) => error instanceof DeviceError && error.kind === kind;
}

describe('SunSpec drivers against the simulated plant over Modbus TCP', () => {
  const clock = new ManualClock(MIDDAY);
  let plant: RunningPlant;
  before(async () => {
    plant = await startPlant(
      {
        miners: [],
        pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000 }],
        batteries: [{ id: 'battery-1', capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000, initialSocPct: 60 }],
      },
      { clock },
    );
  });
  after(() => plant.stop());

  test('the inverter reads as its model is: power, rating, limit, energy and state', async () => {
    const inverter = sunSpecPvInverter('pv-1', endpointOf(plant.endpoints, 'pv-1'));
    try {
      await inverter.connect();
      clock.advance(60_000); // some energy on the counter
      const reading = await inverter.read();
      const model = plant.model('pv-1') as PvInverterModel;
      assert.ok(model.acPowerW > 1000, 'midday sun');
      assert.equal(reading.powerW, Math.round(model.acPowerW));
      assert.equal(reading.ratedPowerW, 10_000);
      assert.equal(reading.powerLimitPct, 100);
      assert.equal(reading.energyWh, Math.floor(model.lifetimeEnergyWh));
      assert.equal(reading.state, 'mppt');
    } finally {
      await inverter.close();
    }
  });

  test('a power limit written through the driver throttles the inverter, kept while refreshed, reverted when not', async () => {
    const timer = new ManualTimer();
    const inverter = sunSpecPvInverter('pv-1', endpointOf(plant.endpoints, 'pv-1'), { timer });
    const model = plant.model('pv-1') as PvInverterModel;
    try {
      await inverter.connect();
      await inverter.write({ powerLimitPct: 30, reversionS: 60 });
      clock.advance(20_000);
      let reading = await inverter.read();
      assert.equal(reading.powerLimitPct, 30);
      assert.equal(reading.state, 'throttled');
      assert.ok(
        reading.powerW !== null && reading.powerW <= 3000 + 1,
        `${reading.powerW} W under a 30 % limit of 10 kW`,
      );
      // The refresh comes before half the reversion time: fire it, and the limit outlives its first 60 s.
      assert.ok(timer.scheduledMs[0]! < 30_000);
      for (let i = 0; i < 4; i += 1) {
        timer.fireAll();
        await waitForPending(timer);
        clock.advance(timer.scheduledMs[0]!);
      }
      reading = await inverter.read();
      assert.equal(reading.powerLimitPct, 30, 'still limited after 20 s + 4 x 24 s > 60 s');
    } finally {
      await inverter.close();
    }
    // No more refreshes: the inverter returns to 100 % by itself after its reversion time.
    clock.advance(61_000);
    plant.advance(); // physics run lazily: bring the models to the clock
    assert.equal(model.powerLimitInForcePct, 100);
    const after = sunSpecPvInverter('pv-1-check', endpointOf(plant.endpoints, 'pv-1'));
    await after.connect();
    assert.equal((await after.read()).powerLimitPct, 100);
    await after.close();
  });

  test('a battery setpoint discharges the battery and it falls back to idle when the driver stops', async () => {
    const timer = new ManualTimer();
    const battery = sunSpecBattery('battery-1', endpointOf(plant.endpoints, 'battery-1'), { timer });
    const model = plant.model('battery-1') as BatteryModel;
    try {
      await battery.connect();
      let reading = await battery.read();
      assert.equal(reading.socPct, 60);
      assert.equal(reading.capacityWh, 10_000);
      assert.equal(reading.maxChargeW, 5000);
      assert.equal(reading.maxDischargeW, 5000);
      assert.equal(reading.minReservePct, 10);
      await battery.write({ powerW: 2500, reversionS: 30 });
      clock.advance(10_000);
      reading = await battery.read();
      assert.equal(reading.powerW, 2500);
      assert.equal(reading.state, 'discharging');
      assert.ok(reading.socPct !== null && reading.socPct < 60);
      assert.ok(reading.energyOutWh !== null && reading.energyOutWh > 0);
      await battery.write({ powerW: -4000, reversionS: 30 });
      clock.advance(10_000);
      reading = await battery.read();
      assert.equal(reading.powerW, -4000);
      assert.equal(reading.state, 'charging');
      await battery.write({ powerW: 0, reversionS: 30 });
      clock.advance(10_000);
      assert.equal((await battery.read()).powerW, 0);
      await battery.write({ powerW: 3000, reversionS: 30 });
      clock.advance(5_000);
    } finally {
      await battery.close();
    }
    assert.equal(model.setpointW, 3000);
    clock.advance(31_000);
    plant.advance();
    assert.equal(model.setpointW, 0, 'idle after the reversion time without refresh');
  });

  test('a battery setpoint beyond its rating is refused before anything is written', async () => {
    const battery = sunSpecBattery('battery-1', endpointOf(plant.endpoints, 'battery-1'), { timer: new ManualTimer() });
    const model = plant.model('battery-1') as BatteryModel;
    try {
      await battery.connect();
      await battery.write({ powerW: 1000, reversionS: 60 });
      await assert.rejects(battery.write({ powerW: -6000, reversionS: 60 }), isDeviceError('write-rejected'));
      await assert.rejects(battery.write({ powerW: 5001, reversionS: 60 }), isDeviceError('write-rejected'));
      await assert.rejects(
        battery.write({ powerW: Number.POSITIVE_INFINITY, reversionS: 60 }),
        isDeviceError('write-rejected'),
      );
      await assert.rejects(battery.write({ powerW: 100, reversionS: 0.5 }), isDeviceError('write-rejected'));
      assert.equal(model.setpointW, 1000, 'the setpoint in force is untouched');
    } finally {
      await battery.close();
    }
  });

  test('the meter reads the connection point: import positive, as the site balance is', async () => {
    const meter = sunSpecMeter('meter-1', endpointOf(plant.endpoints, 'meter-1'));
    try {
      await meter.connect();
      clock.advance(3_600_000); // an hour of flows on the counters
      const reading = await meter.read();
      const model = plant.model('meter-1') as GridMeterModel;
      assert.ok(
        reading.powerW !== null && Math.abs(reading.powerW - model.powerW) <= 10,
        `${reading.powerW} vs ${model.powerW}`,
      );
      assert.equal(reading.energyImportedWh, Math.floor(model.energyImportedWh) || null);
      assert.equal(reading.energyExportedWh, Math.floor(model.energyExportedWh) || null);
      assert.ok(reading.frequencyHz !== null && Math.abs(reading.frequencyHz - model.frequencyHz) < 0.01);
      assert.ok(reading.voltageV !== null && Math.abs(reading.voltageV - model.voltageV) < 0.1);
      await assert.rejects(meter.write(undefined as never), isDeviceError('write-rejected'));
    } finally {
      await meter.close();
    }
  });

  test('a write the device refuses is write-rejected and leaves its registers as they were', async () => {
    const client = new SunSpecClient('pv-1-raw', endpointOf(plant.endpoints, 'pv-1'));
    try {
      await client.connect();
      const before = await client.readModel(123);
      // 150 % is valid for the register (uint16) but not for the device, which answers Illegal Data Value.
      await assert.rejects(
        client.writePoints(before, [
          ['WMaxLimPct', 150],
          ['WMaxLimPct_RvrtTms', 60],
          ['WMaxLim_Ena', 1],
        ]),
        (e: unknown) => isDeviceError('write-rejected')(e) && /WMaxLimPct=150/.test((e as Error).message),
      );
      const afterRead = await client.readModel(123);
      assert.deepEqual(Array.from(afterRead.block.registers), Array.from(before.block.registers));
    } finally {
      await client.close();
    }
  });

  test('a write spanning read-only points is refused by the driver before it reaches the device', async () => {
    const client = new SunSpecClient('battery-1-raw', endpointOf(plant.endpoints, 'battery-1'));
    try {
      await client.connect();
      const storage = await client.readModel(124);
      await assert.rejects(
        client.writePoints(storage, [
          ['StorCtl_Mod', 2],
          ['OutWRte', 10],
        ]),
        (e: unknown) => isDeviceError('write-rejected')(e) && /read-only point ChaState/.test((e as Error).message),
      );
      assert.deepEqual(
        Array.from((await client.readModel(124)).block.registers.subarray(0, 8)),
        Array.from(storage.block.registers.subarray(0, 8)),
      );
    } finally {
      await client.close();
    }
  });
});

async function waitForPending(timer: ManualTimer): Promise<void> {
  for (let i = 0; i < 500 && timer.pending.size === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
  assert.equal(timer.pending.size, 1, 'the next refresh is scheduled');
}
