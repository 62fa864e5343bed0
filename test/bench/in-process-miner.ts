/**
 * A FlexibleLoad driver that talks to a simulated miner's model in the same process instead of over OPC UA.
 *
 * Why: the miners' OPC UA server publishes by subscription on real-time timers (200 ms), so a simulated cycle must
 * wait real time for the values of the step before (the e2e tests wait 450 ms per step); 14 days of 10 s cycles
 * would take about 15 hours. The balancing benchmark measures control, not transport, so both the GridCoop
 * controller and the OpenEMS baseline reach the miners through this driver; every SunSpec device stays on its socket.
 * Refusals (minimum on/off time, fault, a target out of range) become the DeviceErrors the OPC UA driver gives.
 */
import type { MinerModel } from '@gridcoop/devices/models/miner';
import type { RunningPlant } from '@gridcoop/devices/plant/index';
import { DeviceError } from '@gridcoop/controller/natures/device-error';
import type {
  FlexibleLoad,
  FlexibleLoadReading,
  FlexibleLoadSetpoint,
} from '@gridcoop/controller/natures/flexible-load';

export function inProcessMiner(plant: RunningPlant, deviceId: string): FlexibleLoad {
  const model = plant.model(deviceId) as MinerModel;
  let connected = false;
  const requireConnected = (what: string): void => {
    if (!connected) throw new DeviceError(deviceId, 'not-connected', `${what}: connect() first`);
  };
  return {
    deviceId,
    nature: 'flexible-load',
    connect() {
      connected = true;
      return Promise.resolve();
    },
    read(): Promise<FlexibleLoadReading> {
      requireConnected('read');
      plant.advance();
      return Promise.resolve({
        powerW: model.powerW,
        powerTargetW: model.powerTargetW,
        minPowerW: model.minPowerW,
        maxPowerW: model.maxPowerW,
        hashrateThs: model.hashrateThs,
        temperatureC: model.temperatureC,
        energyWh: model.energyConsumedWh,
        state: model.state,
      });
    },
    write(setpoint: FlexibleLoadSetpoint): Promise<void> {
      requireConnected('write');
      const nowMs = plant.advance();
      try {
        if (setpoint.kind === 'pause') model.pause(nowMs);
        else if (setpoint.kind === 'resume') model.resume(nowMs);
        else model.setPowerTarget(setpoint.powerTargetW);
      } catch (error) {
        const kind = model.state === 'fault' ? 'device-fault' : 'write-rejected';
        return Promise.reject(new DeviceError(deviceId, kind, (error as Error).message, { cause: error }));
      }
      return Promise.resolve();
    },
    close() {
      connected = false;
      return Promise.resolve();
    },
  };
}
