import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import type { PvInverterModel } from '@gridcoop/devices/models/pv-inverter';
import { DeviceError } from '../../src/natures/index.ts';
import { sunSpecBattery, sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import { DEFAULT_RTU_BAUD_RATE } from '../../src/drivers/modbus/index.ts';
import { endpointOf } from './fixtures/plant-endpoint.ts';
import { ManualTimer } from './fixtures/manual-timer.ts';
import { mbpollRead } from './fixtures/mbpoll.ts';

describe('Modbus RTU over a socat pseudo-terminal pair, against the simulator’s RTU face', () => {
  const clock = new ManualClock(Date.UTC(2014, 0, 15, 2, 0, 0));
  let plant: RunningPlant;
  before(async () => {
    plant = await startPlant(
      {
        miners: [],
        meter: { id: 'meter-1', protocol: 'modbus-tcp', unitId: 1 },
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
  });
  after(() => plant.stop());

  test('two devices on one serial line are discovered, read and commanded by unit id', async () => {
    const inverterEndpoint = endpointOf(plant.endpoints, 'pv-rtu');
    const batteryEndpoint = endpointOf(plant.endpoints, 'battery-rtu');
    assert.equal(inverterEndpoint.transport, 'rtu');
    assert.ok(
      inverterEndpoint.transport === 'rtu' &&
        batteryEndpoint.transport === 'rtu' &&
        inverterEndpoint.path === batteryEndpoint.path,
      'one line',
    );
    const inverter = sunSpecPvInverter('pv-rtu', inverterEndpoint, { timer: new ManualTimer() });
    const battery = sunSpecBattery('battery-rtu', batteryEndpoint, { timer: new ManualTimer() });
    try {
      await Promise.all([inverter.connect(), battery.connect()]);
      const [pv, bat] = await Promise.all([inverter.read(), battery.read()]);
      const model = plant.model('pv-rtu') as PvInverterModel;
      assert.equal(pv.powerW, Math.round(model.acPowerW));
      assert.equal(pv.ratedPowerW, 10_000);
      assert.equal(bat.capacityWh, 10_000);
      await inverter.write({ powerLimitPct: 40, reversionS: 120 });
      await battery.write({ powerW: -1500, reversionS: 120 });
      clock.advance(15_000);
      const [pvAfter, batAfter] = await Promise.all([inverter.read(), battery.read()]);
      assert.equal(pvAfter.powerLimitPct, 40);
      assert.ok(pvAfter.powerW !== null && pvAfter.powerW <= 4000 + 1);
      assert.equal(batAfter.powerW, -1500);
    } finally {
      await Promise.all([inverter.close(), battery.close()]);
    }
  });

  test('a line that stops answering gives timeouts, and answers again when it recovers', async () => {
    const inverter = sunSpecPvInverter('pv-rtu', endpointOf(plant.endpoints, 'pv-rtu'), { timeoutMs: 300 });
    try {
      await inverter.connect();
      plant.fault('pv-rtu').inject({ kind: 'stop-answering' });
      await assert.rejects(
        inverter.read(),
        (e: unknown) =>
          e instanceof DeviceError && e.kind === 'timeout' && /rtu \/dev\/pts\/\d+ unit 3/.test(e.message),
      );
      plant.fault('pv-rtu').clear();
      assert.equal((await inverter.read()).ratedPowerW, 10_000);
    } finally {
      plant.fault('pv-rtu').clear();
      await inverter.close();
    }
  });

  test("Debian's mbpoll reads the SunS marker and model 1 header over the same serial line", async () => {
    const endpoint = endpointOf(plant.endpoints, 'pv-rtu');
    assert.ok(endpoint.transport === 'rtu');
    const registers = await mbpollRead(
      { transport: 'rtu', path: endpoint.path, baudRate: DEFAULT_RTU_BAUD_RATE },
      3,
      40000,
      4,
    );
    assert.deepEqual([...registers.values()], [0x5375, 0x6e53, 1, 66]);
  });
});
