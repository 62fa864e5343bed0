import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import type { FaultSetting } from '@gridcoop/devices/faults/fault';
import { DeviceError, type Battery, type Meter, type PvInverter } from '../../src/natures/index.ts';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import { endpointOf } from './fixtures/plant-endpoint.ts';
import { ManualTimer } from './fixtures/manual-timer.ts';

const MIDDAY = Date.UTC(2014, 0, 15, 2, 0, 0);
const TIMEOUT_MS = 300;

describe('each injected fault gives its typed error, and the other devices keep answering', () => {
  const clock = new ManualClock(MIDDAY);
  let plant: RunningPlant;
  let inverter: PvInverter;
  let battery: Battery;
  let meter: Meter;

  before(async () => {
    plant = await startPlant(
      {
        miners: [],
        pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000 }],
        batteries: [{ id: 'battery-1', capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000 }],
      },
      { clock },
    );
    const options = { timeoutMs: TIMEOUT_MS, timer: new ManualTimer() };
    inverter = sunSpecPvInverter('pv-1', endpointOf(plant.endpoints, 'pv-1'), options);
    battery = sunSpecBattery('battery-1', endpointOf(plant.endpoints, 'battery-1'), options);
    meter = sunSpecMeter('meter-1', endpointOf(plant.endpoints, 'meter-1'), options);
    await Promise.all([inverter.connect(), battery.connect(), meter.connect()]);
  });
  after(async () => {
    await Promise.all([inverter.close(), battery.close(), meter.close()]);
    await plant.stop();
  });

  /** Injects a fault into pv-1, checks the inverter's outcome while the battery and meter are read at the same time. */
  async function withFault(setting: FaultSetting, check: () => Promise<void>): Promise<void> {
    plant.fault('pv-1').inject(setting);
    try {
      await delay(10); // connection faults switch asynchronously in the server
      const others = Promise.all([battery.read(), meter.read()]);
      await check();
      const [b, m] = await others;
      assert.equal(typeof b.socPct, 'number', 'the battery keeps answering');
      assert.equal(typeof m.powerW, 'number', 'the meter keeps answering');
    } finally {
      plant.fault('pv-1').clear();
    }
    await recovers();
  }

  async function recovers(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await inverter.connect();
        assert.equal(typeof (await inverter.read()).powerW, 'number');
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await delay(20);
      }
    }
  }

  function kindOf(error: unknown): string {
    assert.ok(error instanceof DeviceError, `a DeviceError, not ${String(error)}`);
    assert.equal(error.deviceId, 'pv-1');
    return error.kind;
  }

  test('refused connections: the open connection drops, then connection-refused until the device listens again', async () => {
    await withFault({ kind: 'refuse-connections' }, async () => {
      await assert.rejects(inverter.read(), (e) => ['disconnected', 'connection-refused'].includes(kindOf(e)));
      await inverter.close();
      await assert.rejects(
        inverter.connect(),
        (e) => kindOf(e) === 'connection-refused' && /127\.0\.0\.1/.test((e as Error).message),
      );
      await assert.rejects(inverter.read(), (e) => kindOf(e) === 'not-connected');
      const fresh = sunSpecPvInverter('pv-1', endpointOf(plant.endpoints, 'pv-1'), { timeoutMs: TIMEOUT_MS });
      await assert.rejects(fresh.connect(), (e) => kindOf(e) === 'connection-refused');
      await fresh.close();
    });
  });

  test('dropped connections: disconnected', async () => {
    await withFault({ kind: 'drop-connection' }, async () => {
      await assert.rejects(inverter.read(), (e) => kindOf(e) === 'disconnected');
    });
  });

  test('a device that stops answering: timeout naming the registers', async () => {
    await withFault({ kind: 'stop-answering' }, async () => {
      await assert.rejects(
        inverter.read(),
        (e) => kindOf(e) === 'timeout' && /FC3 \d+ register\(s\) at 400\d\d/.test((e as Error).message),
      );
    });
  });

  test('answers slower than the timeout: timeout; slower but within it: a reading', async () => {
    await withFault({ kind: 'slow', delayMs: TIMEOUT_MS * 2 }, async () => {
      await assert.rejects(inverter.read(), (e) => kindOf(e) === 'timeout');
    });
    await withFault({ kind: 'slow', delayMs: 20 }, async () => {
      assert.equal((await inverter.read()).state, 'mppt');
    });
  });

  test('Modbus exception answers: protocol-exception', async () => {
    await withFault({ kind: 'exception' }, async () => {
      await assert.rejects(
        inverter.read(),
        (e) => kindOf(e) === 'protocol-exception' && /exception 4/i.test((e as Error).message),
      );
      await assert.rejects(
        inverter.write({ powerLimitPct: 50, reversionS: 60 }),
        (e) => kindOf(e) === 'protocol-exception',
      );
    });
  });

  test('a device in FAULT reads as fault and refuses setpoints with device-fault', async () => {
    await withFault({ kind: 'device-fault' }, async () => {
      assert.equal((await inverter.read()).state, 'fault');
      await assert.rejects(inverter.write({ powerLimitPct: 50, reversionS: 60 }), (e) => kindOf(e) === 'device-fault');
    });
    plant.fault('battery-1').inject({ kind: 'device-fault' });
    try {
      assert.equal((await battery.read()).state, 'fault');
      await assert.rejects(
        battery.write({ powerW: 1000, reversionS: 60 }),
        (e) => e instanceof DeviceError && e.kind === 'device-fault' && e.deviceId === 'battery-1',
      );
      assert.equal(typeof (await meter.read()).powerW, 'number');
    } finally {
      plant.fault('battery-1').clear();
    }
  });
});

describe('garbage and sentinel values never become numbers in the device interface', () => {
  const clock = new ManualClock(MIDDAY);
  let plant: RunningPlant;
  before(async () => {
    plant = await startPlant(
      {
        miners: [],
        pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000 }],
        batteries: [{ id: 'battery-1', capacityWh: 10_000, maxChargeW: 5000, maxDischargeW: 5000 }],
      },
      { clock },
    );
    clock.advance(3_600_000); // counters well away from zero
  });
  after(() => plant.stop());

  for (const kind of ['sentinels', 'out-of-range'] as const) {
    test(`${kind}: inverter, battery and meter measurements read as unknown`, async () => {
      const inverter = sunSpecPvInverter('pv-1', endpointOf(plant.endpoints, 'pv-1'));
      const battery = sunSpecBattery('battery-1', endpointOf(plant.endpoints, 'battery-1'));
      const meter = sunSpecMeter('meter-1', endpointOf(plant.endpoints, 'meter-1'));
      await Promise.all([inverter.connect(), battery.connect(), meter.connect()]);
      for (const id of ['pv-1', 'battery-1', 'meter-1']) plant.fault(id).inject({ kind });
      try {
        const pv = await inverter.read();
        assert.equal(pv.powerW, null);
        assert.equal(pv.energyWh, null);
        assert.equal(pv.ratedPowerW, 10_000, 'the nameplate is not a measurement and stays known');
        const bat = await battery.read();
        assert.equal(bat.powerW, null);
        assert.equal(bat.socPct, null);
        const m = await meter.read();
        assert.equal(m.powerW, null);
        assert.equal(m.frequencyHz, null);
        assert.equal(m.voltageV, null);
      } finally {
        for (const id of ['pv-1', 'battery-1', 'meter-1']) plant.fault(id).clear();
      }
      // Once the device tells the truth again, so does the driver.
      assert.equal(typeof (await inverter.read()).powerW, 'number');
      assert.equal(typeof (await battery.read()).socPct, 'number');
      await Promise.all([inverter.close(), battery.close(), meter.close()]);
    });
  }
});
