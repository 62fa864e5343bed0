/**
 * The controller (real cycle and SunSpec drivers on the wall clock) as a child process, so a test can SIGKILL it.
 * Started by controller-killed.test.ts with one JSON argument: { spec, endpoints, periodMs }. It sends
 * { type: 'online' } once every device is online, then runs until it is killed.
 */
import type { PlantEndpoint } from '@gridcoop/devices/plant/index';
import { ControlCycle } from '@gridcoop/controller/cycle/control-cycle';
import { RealTimeScheduler } from '@gridcoop/controller/cycle/real-time-scheduler';
import { realTimer, sunSpecBattery, sunSpecMeter, sunSpecPvInverter } from '@gridcoop/controller/drivers/sunspec/index';
import type { ModbusEndpoint } from '@gridcoop/controller/drivers/modbus/index';
import { pairDevices } from '@gridcoop/controller/plant/plant-device';
import { parsePlantSpec } from '@gridcoop/controller/plant/plant-spec';

export interface ControllerProcessArgs {
  spec: unknown;
  endpoints: PlantEndpoint[];
  periodMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ControllerProcessArgs;
const spec = parsePlantSpec(args.spec);

function endpointOf(id: string): ModbusEndpoint {
  const found = args.endpoints.find((e) => e.id === id);
  if (!found?.host || !found.port) throw new Error(`device ${id}: no Modbus TCP endpoint given`);
  return { transport: 'tcp', host: found.host, port: found.port, unitId: found.unitId ?? 1 };
}

const options = { timer: realTimer, timeoutMs: 1_000 };
const drivers = spec.devices.map((device) => {
  switch (device.kind) {
    case 'meter':
      return sunSpecMeter(device.id, endpointOf(device.id), options);
    case 'pv-inverter':
      return sunSpecPvInverter(device.id, endpointOf(device.id), {
        ...options,
        minPowerLimitPct: device.minPowerLimitPct,
      });
    case 'battery':
      return sunSpecBattery(device.id, endpointOf(device.id), options);
    case 'flexible-load':
      throw new Error(`device ${device.id}: this controller process drives SunSpec devices only`);
  }
});
const cycle = new ControlCycle({
  plant: spec,
  devices: pairDevices(spec.devices, drivers),
  scheduler: new RealTimeScheduler(),
  // Generous deadlines: this machine's two cores are shared with other tests.
  timing: {
    periodMs: args.periodMs,
    readTimeoutMs: Math.floor(args.periodMs * 0.45),
    writeTimeoutMs: Math.floor(args.periodMs * 0.45),
  },
});
cycle.start();
const waitOnline = setInterval(() => {
  if (spec.devices.every((d) => cycle.deviceState(d.id) === 'online')) {
    clearInterval(waitOnline);
    process.send?.({ type: 'online' });
  }
}, 50);
