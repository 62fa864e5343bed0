/**
 * What a Modbus server serves for one unit id: 16-bit registers by 0-based protocol address. Both methods throw
 * ModbusException to refuse; a refused write must leave every register as it was.
 */
export interface ModbusRegisterBank {
  readRegisters(address: number, count: number): Uint16Array;
  writeRegisters(address: number, values: Uint16Array): void;
}

/** The banks a server answers for, by unit id. */
export type ModbusUnits = ReadonlyMap<number, ModbusRegisterBank>;
