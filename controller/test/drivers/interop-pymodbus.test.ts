import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { DeviceError } from '../../src/natures/index.ts';
import { SunSpecClient, sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import type { ModbusEndpoint } from '../../src/drivers/modbus/index.ts';
import { startPymodbusPeer, type PymodbusPeer } from './fixtures/pymodbus-peer.ts';
import { ManualTimer } from './fixtures/manual-timer.ts';

function deviceError(kind: string, deviceId: string) {
  return (error: unknown) => {
    assert.ok(error instanceof DeviceError, `expected a DeviceError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.equal(error.deviceId, deviceId);
    return true;
  };
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await delay(10);
  assert.ok(condition(), 'condition never became true');
}

describe('a pymodbus SunSpec inverter at base 50000, unit 7', () => {
  let peer: PymodbusPeer;
  let endpoint: ModbusEndpoint;
  before(async () => {
    peer = await startPymodbusPeer({ baseAddress: 50000, unitId: 7 });
    endpoint = { transport: 'tcp', host: '127.0.0.1', port: peer.port, unitId: 7 };
  });
  after(() => peer.stop());

  test('is discovered at 50000 after 40000 answers an exception, with every model in order', async () => {
    const client = new SunSpecClient('py-inv', endpoint);
    try {
      const map = await client.connect();
      assert.equal(map.baseAddress, 50000);
      assert.deepEqual(
        map.models.map((m) => [m.id, m.length, m.address]),
        [
          [1, 66, 50002],
          [103, 50, 50070],
          [120, 26, 50122],
          [123, 24, 50150],
          [160, 48, 50176],
        ],
      );
      const common = await client.readModel(1);
      assert.equal(common.values.Mn, 'PyModbus Peer');
      assert.equal(common.values.SN, 'PEER-0007');
      const mppt = await client.readModel(160);
      assert.equal(mppt.values['module[1].IDStr'], 'string2');
      assert.equal(mppt.values['module[1].DCV'], 612);
    } finally {
      await client.close();
    }
  });

  test('reads as a PV inverter with scale factors applied and unimplemented points unknown', async () => {
    const inverter = sunSpecPvInverter('py-inv', endpoint);
    try {
      await inverter.connect();
      const reading = await inverter.read();
      assert.deepEqual(reading, {
        powerW: 14980,
        ratedPowerW: 20000,
        powerLimitPct: 100,
        energyWh: 123456789,
        state: 'mppt',
      });
      const client = new SunSpecClient('py-inv-raw', endpoint);
      await client.connect();
      const raw = await client.readModel(103);
      await client.close();
      assert.equal(raw.values.Hz, 50.02);
      assert.equal(raw.values.A, 21.7);
      assert.equal(raw.values.VA, null);
      assert.equal(raw.values.PF, null);
    } finally {
      await inverter.close();
    }
  });

  test('a power limit goes out with its enable point and reversion time, and is refreshed before half of it', async () => {
    const timer = new ManualTimer();
    const inverter = sunSpecPvInverter('py-inv', endpoint, { timer });
    const raw = new SunSpecClient('py-inv-raw', endpoint);
    try {
      await inverter.connect();
      await raw.connect();
      await inverter.write({ powerLimitPct: 42.5, reversionS: 60 });
      let controls = await raw.readModel(123);
      assert.equal(controls.values.WMaxLimPct, 42.5);
      assert.equal(controls.values.WMaxLimPct_RvrtTms, 60);
      assert.equal(controls.values.WMaxLim_Ena, 1);
      assert.equal((await inverter.read()).powerLimitPct, 42.5);
      assert.deepEqual(timer.scheduledMs, [24_000]);
      assert.ok(timer.scheduledMs[0]! < 30_000);

      // Someone (a restart, a local operator) clears the enable; the refresh puts the setpoint back.
      await raw.writePoints(controls, [['WMaxLim_Ena', 0]]);
      timer.fireAll();
      await waitUntil(() => timer.pending.size === 1);
      controls = await raw.readModel(123);
      assert.equal(controls.values.WMaxLim_Ena, 1);
      assert.equal(inverter.lastRefreshError, undefined);
    } finally {
      await inverter.close();
      await raw.close();
    }
    assert.equal(timer.pending.size, 0, 'close() stops the refresh');
  });

  test('a 0 % limit is written as the configured floor, never as 0', async () => {
    const inverter = sunSpecPvInverter('py-inv', endpoint, { timer: new ManualTimer(), minPowerLimitPct: 2 });
    try {
      await inverter.connect();
      await inverter.write({ powerLimitPct: 0, reversionS: 30 });
      assert.equal((await inverter.read()).powerLimitPct, 2);
      await inverter.write({ powerLimitPct: -20, reversionS: 30 });
      assert.equal((await inverter.read()).powerLimitPct, 2);
    } finally {
      await inverter.close();
    }
  });

  test('a bad setpoint is a typed error and leaves the limit in force untouched', async () => {
    const inverter = sunSpecPvInverter('py-inv', endpoint, { timer: new ManualTimer() });
    try {
      await inverter.connect();
      await inverter.write({ powerLimitPct: 80, reversionS: 120 });
      await assert.rejects(
        inverter.write({ powerLimitPct: Number.NaN, reversionS: 120 }),
        deviceError('write-rejected', 'py-inv'),
      );
      await assert.rejects(
        inverter.write({ powerLimitPct: 50, reversionS: 0 }),
        deviceError('write-rejected', 'py-inv'),
      );
      await assert.rejects(
        inverter.write({ powerLimitPct: 50, reversionS: 70_000 }),
        deviceError('write-rejected', 'py-inv'),
      );
      assert.equal((await inverter.read()).powerLimitPct, 80);
    } finally {
      await inverter.close();
    }
  });

  test('natures the device lacks are refused with missing-model naming the models', async () => {
    const meter = sunSpecMeter('py-meter', endpoint);
    await assert.rejects(
      meter.connect(),
      (e: unknown) => deviceError('missing-model', 'py-meter')(e) && /203/.test((e as Error).message),
    );
    await meter.close();
    const battery = sunSpecBattery('py-bat', endpoint);
    await assert.rejects(battery.connect(), deviceError('missing-model', 'py-bat'));
    await battery.close();
  });

  test('a unit id nobody answers for ends discovery with a timeout naming the register, not a hang', async () => {
    // pymodbus, like a Modbus gateway, stays silent for a unit it does not serve.
    const client = new SunSpecClient('py-wrong-unit', { ...endpoint, unitId: 3 }, { timeoutMs: 300 });
    await assert.rejects(
      client.connect(),
      (e: unknown) => deviceError('timeout', 'py-wrong-unit')(e) && /at 40000/.test((e as Error).message),
    );
    await client.close();
  });

  test('reads before connect() and after close() are not-connected errors', async () => {
    const inverter = sunSpecPvInverter('py-inv', endpoint);
    await assert.rejects(inverter.read(), deviceError('not-connected', 'py-inv'));
    await inverter.connect();
    await inverter.close();
    await assert.rejects(inverter.read(), deviceError('not-connected', 'py-inv'));
  });

  test('a peer that stops answering gives timeouts, and answers again once resumed', async () => {
    const inverter = sunSpecPvInverter('py-inv', endpoint, { timeoutMs: 300 });
    try {
      await inverter.connect();
      peer.process.kill('SIGSTOP');
      await assert.rejects(inverter.read(), deviceError('timeout', 'py-inv'));
      peer.process.kill('SIGCONT');
      await delay(50);
      assert.equal((await inverter.read()).powerW, 14980);
    } finally {
      peer.process.kill('SIGCONT');
      await inverter.close();
    }
  });
});

describe('a pymodbus SunSpec inverter without an end marker', () => {
  let peer: PymodbusPeer;
  before(async () => {
    peer = await startPymodbusPeer({ baseAddress: 50000, unitId: 7, endMarker: false });
  });
  after(() => peer.stop());

  test('its model walk ends at the Illegal Data Address answer after the last model', async () => {
    const client = new SunSpecClient('py-no-end', { transport: 'tcp', host: '127.0.0.1', port: peer.port, unitId: 7 });
    try {
      const map = await client.connect();
      assert.deepEqual(
        map.models.map((m) => m.id),
        [1, 103, 120, 123, 160],
      );
    } finally {
      await client.close();
    }
  });

  test('a peer that has gone away gives connection-refused, not a crash', async () => {
    const inverter = sunSpecPvInverter(
      'py-gone',
      { transport: 'tcp', host: '127.0.0.1', port: peer.port, unitId: 7 },
      { timeoutMs: 500 },
    );
    await inverter.connect();
    await peer.stop();
    await assert.rejects(
      inverter.read(),
      (e: unknown) => e instanceof DeviceError && ['disconnected', 'connection-refused'].includes(e.kind),
    );
    await assert.rejects(inverter.read(), deviceError('connection-refused', 'py-gone'));
    await inverter.close();
  });
});
