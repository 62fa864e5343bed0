import { BASE_ADDRESSES, END_MODEL_ID, SUNSPEC_MARKER } from '@gridcoop/sunspec';
import { DeviceError } from '../../natures/device-error.ts';
import { ILLEGAL_DATA_ADDRESS, ModbusDeviceError } from '../modbus/modbus-device-error.ts';
import type { ModbusConnection } from '../modbus/modbus-connection.ts';
import type { SunSpecMap, SunSpecModelLocation } from './sunspec-map.ts';

/** A map with more models than this is taken as garbage rather than walked for ever. */
const MAX_MODELS = 200;

function isModbusException(error: unknown): error is ModbusDeviceError {
  return error instanceof ModbusDeviceError && error.exceptionCode !== undefined;
}

/**
 * Finds the "SunS" marker at each base address in turn (40000, 50000, 0 by default), then walks the models until
 * the end marker (ID 0xFFFF) or an Illegal Data Address answer, which some devices give instead of an end marker.
 * A Modbus exception at a base address means "not here"; a timeout or dropped connection ends discovery with that
 * error, since the device is not answering at all.
 */
export async function discoverSunSpecMap(
  connection: ModbusConnection,
  baseAddresses: readonly number[] = BASE_ADDRESSES,
): Promise<SunSpecMap> {
  const deviceId = connection.deviceId;
  let baseAddress: number | undefined;
  const tried: string[] = [];
  for (const base of baseAddresses) {
    try {
      const marker = await connection.readRegisters(base, 2);
      if (marker[0] === SUNSPEC_MARKER[0] && marker[1] === SUNSPEC_MARKER[1]) {
        baseAddress = base;
        break;
      }
      tried.push(`${base}: 0x${marker[0]!.toString(16)} 0x${marker[1]!.toString(16)}`);
    } catch (error) {
      if (!isModbusException(error)) throw error;
      tried.push(`${base}: exception ${error.exceptionCode}`);
    }
  }
  if (baseAddress === undefined) {
    throw new DeviceError(deviceId, 'not-sunspec', `no "SunS" marker at any base address (${tried.join('; ')})`);
  }

  const models: SunSpecModelLocation[] = [];
  let address = baseAddress + 2;
  while (address + 2 <= 0x10000) {
    if (models.length >= MAX_MODELS) {
      throw new DeviceError(
        deviceId,
        'not-sunspec',
        `more than ${MAX_MODELS} models from base ${baseAddress}: no end marker`,
      );
    }
    let header: Uint16Array;
    try {
      header = await connection.readRegisters(address, 2);
    } catch (error) {
      if (isModbusException(error) && error.exceptionCode === ILLEGAL_DATA_ADDRESS) break;
      throw error;
    }
    const [id, length] = [header[0]!, header[1]!];
    if (id === END_MODEL_ID) break;
    if (id === 0 || address + 2 + length > 0x10000) {
      throw new DeviceError(
        deviceId,
        'not-sunspec',
        `malformed model header at register ${address}: ID ${id}, L ${length}`,
      );
    }
    models.push({ id, length, address });
    address += 2 + length;
  }
  if (models.length === 0)
    throw new DeviceError(deviceId, 'not-sunspec', `the map at base ${baseAddress} holds no model`);
  return { baseAddress, models };
}
