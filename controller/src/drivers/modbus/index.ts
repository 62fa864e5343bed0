/** Modbus transport, with typed errors: TCP over our own MBAP client, RTU over modbus-serial. */
export {
  ModbusConnection,
  MAX_READ_REGISTERS,
  MAX_WRITE_REGISTERS,
  DEFAULT_TIMEOUT_MS,
  type ModbusConnectionOptions,
} from './modbus-connection.ts';
export { describeEndpoint, DEFAULT_RTU_BAUD_RATE, type ModbusEndpoint } from './modbus-endpoint.ts';
export { ModbusDeviceError, ILLEGAL_DATA_ADDRESS, classifyModbusFailure } from './modbus-device-error.ts';
export { MbapTcpClient, MbapAnswerError } from './mbap-tcp-client.ts';
