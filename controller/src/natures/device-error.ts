/** What went wrong talking to a device. Controllers branch on this, never on message text. */
export type DeviceErrorKind =
  | 'connection-refused' // nobody listens, or the device refuses the connection
  | 'disconnected' // the connection dropped mid-request
  | 'timeout' // the device stopped answering or answered slower than the timeout
  | 'protocol-exception' // the device answered with a Modbus exception / OPC UA bad status for a request
  | 'not-sunspec' // no SunSpec marker at any base address, or the model map is malformed
  | 'missing-model' // the device lacks a model the nature needs
  | 'bad-value' // the device answered, but with garbage where a value is needed
  | 'device-fault' // the device itself reports FAULT
  | 'write-rejected' // a write was refused, or reading it back did not give what was written
  | 'not-connected'; // a read or write before connect() or after close()

/** A typed error that names the device and what failed. Drivers throw only this. */
export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly deviceId: string,
    readonly kind: DeviceErrorKind,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`device ${deviceId}: ${kind}: ${detail}`, options);
  }
}

export function isDeviceError(error: unknown): error is DeviceError {
  return error instanceof DeviceError;
}
