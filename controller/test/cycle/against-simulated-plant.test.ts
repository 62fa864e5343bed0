import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPlant, type PlantEndpoint, type RunningPlant } from '@gridcoop/devices/plant/index';
import type { BatteryModel } from '@gridcoop/devices/models/battery';
import type { PvInverterModel } from '@gridcoop/devices/models/pv-inverter';
import { ControlCycle } from '../../src/cycle/control-cycle.ts';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import type { ModbusEndpoint } from '../../src/drivers/modbus/index.ts';
import { sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '../../src/drivers/sunspec/index.ts';
import { pairDevices } from '../../src/plant/plant-device.ts';
import { parsePlantSpec } from '../../src/plant/plant-spec.ts';

/** Late morning in Melbourne (UTC+10): the PV profile gives real output. */
const LATE_MORNING = Date.UTC(2014, 0, 15, 1, 0, 0);

function modbusEndpoint(endpoints: readonly PlantEndpoint[], id: string): ModbusEndpoint {
  const found = endpoints.find((e) => e.id === id);
  if (!found || found.protocol !== 'modbus-tcp' || found.host === undefined || found.port === undefined) {
    throw new Error(`device ${id}: no Modbus TCP endpoint in the plant`);
  }
  return { transport: 'tcp', host: found.host, port: found.port, unitId: found.unitId ?? 1 };
}

/** Polls (real time) until `condition` holds; the bound only keeps a broken test from hanging. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting until ${what}`);
}

const scheduler = new ManualScheduler(LATE_MORNING);
let plant: RunningPlant;
let cycle: ControlCycle;

before(async () => {
  plant = await startPlant(
    {
      site: { loadPeakW: 8_000 },
      miners: [],
      pvInverters: [{ id: 'pv-1', ratedPowerW: 10_000 }],
      batteries: [
        {
          id: 'battery-1',
          capacityWh: 10_000,
          maxChargeW: 5_000,
          maxDischargeW: 5_000,
          initialSocPct: 50,
          rampWPerS: 2_500,
        },
      ],
    },
    { clock: scheduler },
  );
  const spec = parsePlantSpec({
    gridMeterId: 'meter-1',
    importCapW: 20_000,
    exportCapW: 20_000,
    devices: [
      { kind: 'meter', id: 'meter-1' },
      { kind: 'pv-inverter', id: 'pv-1', ratedPowerW: 10_000 },
      {
        kind: 'battery',
        id: 'battery-1',
        capacityWh: 10_000,
        maxChargeW: 5_000,
        maxDischargeW: 5_000,
        rampWPerS: 2_500,
        minReservePct: 10,
      },
    ],
  });
  const options = { timer: scheduler, timeoutMs: 500 };
  const drivers = [
    sunSpecMeter('meter-1', modbusEndpoint(plant.endpoints, 'meter-1'), options),
    sunSpecPvInverter('pv-1', modbusEndpoint(plant.endpoints, 'pv-1'), { ...options, minPowerLimitPct: 10 }),
    sunSpecBattery('battery-1', modbusEndpoint(plant.endpoints, 'battery-1'), options),
  ];
  // Deadlines run on the manual clock, which stands still during a cycle: real socket round trips always fit.
  cycle = new ControlCycle({ plant: spec, devices: pairDevices(spec.devices, drivers), scheduler });
  cycle.start({ tick: false });
  await until(
    () => ['meter-1', 'pv-1', 'battery-1'].every((id) => cycle.deviceState(id) === 'online'),
    'every device is online',
  );
});

after(async () => {
  await cycle?.stop();
  await plant?.stop();
});

test('over real Modbus sockets on a manual clock, the grid power follows an operator setpoint', async () => {
  for (let i = 0; i < 3; i++) {
    await scheduler.advance(1_000);
    await cycle.runOnce();
  }
  assert.equal(cycle.plantState(), 'running');
  const pv = plant.model('pv-1') as PvInverterModel;
  assert.ok(pv.acPowerW > 1_000, 'the sun is up');

  const batteryBeforeW = (plant.model('battery-1') as BatteryModel).acPowerW;
  // Ask for 3 kW more import than the plant settled at: the battery must charge (harder) to get there.
  const readings = cycle.lastReport!.image.devices['meter-1']!.reading as { powerW: number };
  const targetW = Math.round(readings.powerW) + 3_000;
  cycle.operatorSetpoints.setLive({ gridW: targetW, validForS: 60 }, scheduler.now());

  const deviationsW: number[] = [];
  for (let i = 0; i < 20; i++) {
    await scheduler.advance(1_000);
    const report = await cycle.runOnce();
    const meter = report.image.devices['meter-1']!.reading as { powerW: number };
    deviationsW.push(Math.abs(meter.powerW - targetW));
  }
  const battery = plant.model('battery-1') as BatteryModel;
  assert.ok(
    battery.acPowerW < batteryBeforeW - 2_500,
    `the battery went from ${batteryBeforeW} W to ${battery.acPowerW} W`,
  );
  assert.ok(
    deviationsW.slice(-5).every((d) => d < 150),
    `last deviations ${deviationsW.slice(-5).join(', ')} W`,
  );
  assert.ok(deviationsW[0]! > deviationsW.at(-1)!, 'it moved towards the target as the battery ramped');
  assert.ok(
    cycle.lastReport!.writes.every((w) => w.result !== 'failed'),
    'no write failed',
  );
});
