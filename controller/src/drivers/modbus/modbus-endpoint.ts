/** Where a Modbus device answers: a TCP socket, or a serial line speaking RTU. */
export type ModbusEndpoint =
  | { transport: 'tcp'; host: string; port: number; unitId: number }
  | { transport: 'rtu'; path: string; unitId: number; baudRate?: number };

export const DEFAULT_RTU_BAUD_RATE = 9600;

/** For messages: "tcp 127.0.0.1:5020 unit 1" / "rtu /dev/pts/3 unit 7". */
export function describeEndpoint(endpoint: ModbusEndpoint): string {
  return endpoint.transport === 'tcp'
    ? `tcp ${endpoint.host}:${endpoint.port} unit ${endpoint.unitId}`
    : `rtu ${endpoint.path} unit ${endpoint.unitId}`;
}
