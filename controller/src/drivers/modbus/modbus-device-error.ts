import { DeviceError, type DeviceErrorKind } from '../../natures/device-error.ts';

/** Modbus exception codes a SunSpec client acts on. */
export const ILLEGAL_DATA_ADDRESS = 2;

/**
 * A DeviceError from a Modbus request, carrying the request's register range and, for a Modbus exception answer,
 * the exception code (2 = Illegal Data Address is how some devices end their SunSpec map).
 */
export class ModbusDeviceError extends DeviceError {
  constructor(
    deviceId: string,
    kind: DeviceErrorKind,
    detail: string,
    readonly request: { functionCode: 3 | 16; address: number; count: number },
    readonly exceptionCode?: number,
    options?: { cause?: unknown },
  ) {
    super(deviceId, kind, detail, options);
  }
}

interface ModbusSerialFailure {
  message?: unknown;
  errno?: unknown;
  code?: unknown;
  modbusCode?: unknown;
}

/** What kind of failure a modbus-serial or socket error is, by its codes (never by its text alone). */
export function classifyModbusFailure(error: unknown): {
  kind: DeviceErrorKind;
  exceptionCode?: number;
  reason: string;
} {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as ModbusSerialFailure;
  const reason = typeof failure.message === 'string' && failure.message !== '' ? failure.message : String(error);
  if (typeof failure.modbusCode === 'number') {
    return { kind: 'protocol-exception', exceptionCode: failure.modbusCode, reason };
  }
  const code = typeof failure.code === 'string' ? failure.code : typeof failure.errno === 'string' ? failure.errno : '';
  if (code === 'ETIMEDOUT') return { kind: 'timeout', reason };
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'EHOSTUNREACH') {
    return { kind: 'connection-refused', reason };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED')
    return { kind: 'disconnected', reason };
  // CRC errors, wrong lengths, unexpected function codes: the device answered, but not with a usable frame.
  return { kind: 'bad-value', reason };
}
