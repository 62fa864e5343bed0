/** Modbus exception codes a device answers with (Modbus Application Protocol V1.1b3, section 7). */
export const ModbusExceptionCode = {
  IllegalFunction: 1,
  IllegalDataAddress: 2,
  IllegalDataValue: 3,
  ServerDeviceFailure: 4,
  GatewayTargetFailedToRespond: 0x0b,
} as const;
export type ModbusExceptionCode = (typeof ModbusExceptionCode)[keyof typeof ModbusExceptionCode];

/**
 * A request the device refuses. The server turns it into an exception response; `detail` says why (which register,
 * which value) for logs and tests, since the wire only carries the code.
 */
export class ModbusException extends Error {
  constructor(
    readonly code: ModbusExceptionCode,
    readonly detail: string,
  ) {
    super(`Modbus exception ${code}: ${detail}`);
    this.name = 'ModbusException';
  }
}
