import type { DeviceConfig, DriverConfig } from '../config/controller-config.ts';
import type { ModbusEndpoint } from '../drivers/modbus/modbus-endpoint.ts';
import { opcUaMiner } from '../drivers/opcua/opcua-miner.ts';
import { opcUaSecurityFromConfig } from '../drivers/opcua/opcua-security.ts';
import {
  realTimer,
  sunSpecBattery,
  sunSpecMeter,
  sunSpecPvInverter,
  type RefreshTimer,
} from '../drivers/sunspec/index.ts';
import type { DeviceError } from '../natures/device-error.ts';
import type { Battery, FlexibleLoad, Meter, PvInverter } from '../natures/index.ts';

export type AnyDriver = PvInverter | Battery | FlexibleLoad | Meter;

export interface DriverOptions {
  /** Modbus/OPC UA request timeout; the cycle's own deadline is the one that counts for the cycle. */
  requestTimeoutMs: number;
  /** Timers for the setpoint refresh (the controller's scheduler, so a manual clock drives refreshes too). */
  timer?: RefreshTimer;
  onRefreshError?: (error: DeviceError) => void;
}

function modbusEndpointOf(deviceId: string, driver: DriverConfig): ModbusEndpoint {
  if (driver.type === 'sunspec-tcp')
    return { transport: 'tcp', host: driver.host, port: driver.port, unitId: driver.unitId };
  if (driver.type === 'sunspec-rtu')
    return { transport: 'rtu', path: driver.path, unitId: driver.unitId, baudRate: driver.baudRate };
  throw new TypeError(`device ${deviceId}: ${driver.type} is not a SunSpec driver`);
}

/** One driver per configured device: SunSpec over Modbus TCP/RTU for inverters, batteries and meters, OPC UA for miners. */
export function driversFor(devices: readonly DeviceConfig[], options: DriverOptions): AnyDriver[] {
  return devices.map((device): AnyDriver => {
    if (device.nature === 'flexible-load') {
      return opcUaMiner(device.id, {
        endpointUrl: device.driver.endpointUrl,
        browseName: device.driver.browseName,
        security: opcUaSecurityFromConfig(device.id, device.driver.security),
      });
    }
    const endpoint = modbusEndpointOf(device.id, device.driver);
    const sunSpec = {
      timeoutMs: options.requestTimeoutMs,
      timer: options.timer ?? realTimer,
      ...(device.driver.baseAddress === undefined ? {} : { baseAddresses: [device.driver.baseAddress] }),
      ...(options.onRefreshError ? { onRefreshError: options.onRefreshError } : {}),
    };
    switch (device.nature) {
      case 'meter':
        return sunSpecMeter(device.id, endpoint, sunSpec);
      case 'pv-inverter':
        return sunSpecPvInverter(device.id, endpoint, { ...sunSpec, minPowerLimitPct: device.minPowerLimitPct });
      case 'battery':
        return sunSpecBattery(device.id, endpoint, sunSpec);
    }
  });
}
