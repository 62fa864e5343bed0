import { ModbusException, ModbusExceptionCode } from './modbus-exception.ts';
import type { ModbusRegisterBank } from './register-bank.ts';

/** Function codes this server implements. */
export const FunctionCode = {
  ReadHoldingRegisters: 3,
  ReadInputRegisters: 4,
  WriteSingleRegister: 6,
  WriteMultipleRegisters: 16,
} as const;

/** Largest register counts one request may carry (Modbus spec: 125 to read, 123 to write). */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

/** The PDU of an exception response: function code with the high bit set, then the exception code. */
export function exceptionPdu(functionCode: number, code: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, code]);
}

/**
 * Answers one request PDU against a register bank and returns the response PDU. Every refusal (unknown function,
 * malformed request, bad address or value, device failure) becomes an exception response; nothing throws.
 */
export function answerPdu(request: Buffer, bank: ModbusRegisterBank): Buffer {
  const functionCode = request[0] ?? 0;
  try {
    switch (functionCode) {
      case FunctionCode.ReadHoldingRegisters:
      case FunctionCode.ReadInputRegisters:
        return readRegisters(request, bank);
      case FunctionCode.WriteSingleRegister:
        return writeSingle(request, bank);
      case FunctionCode.WriteMultipleRegisters:
        return writeMultiple(request, bank);
      default:
        throw new ModbusException(
          ModbusExceptionCode.IllegalFunction,
          `function code ${functionCode} is not supported`,
        );
    }
  } catch (error) {
    if (error instanceof ModbusException) return exceptionPdu(functionCode, error.code);
    // A bug in a face must not take the server down: the client sees a device failure.
    return exceptionPdu(functionCode, ModbusExceptionCode.ServerDeviceFailure);
  }
}

function requireLength(request: Buffer, length: number): void {
  if (request.length !== length) {
    throw new ModbusException(
      ModbusExceptionCode.IllegalDataValue,
      `function ${request[0]} request is ${request.length} bytes, expected ${length}`,
    );
  }
}

function readRegisters(request: Buffer, bank: ModbusRegisterBank): Buffer {
  requireLength(request, 5);
  const address = request.readUInt16BE(1);
  const count = request.readUInt16BE(3);
  if (count < 1 || count > MAX_READ_REGISTERS) {
    throw new ModbusException(
      ModbusExceptionCode.IllegalDataValue,
      `read of ${count} registers (1..${MAX_READ_REGISTERS})`,
    );
  }
  const values = bank.readRegisters(address, count);
  const response = Buffer.alloc(2 + count * 2);
  response[0] = request[0] ?? 0;
  response[1] = count * 2;
  for (let i = 0; i < count; i++) response.writeUInt16BE(values[i] ?? 0, 2 + i * 2);
  return response;
}

function writeSingle(request: Buffer, bank: ModbusRegisterBank): Buffer {
  requireLength(request, 5);
  bank.writeRegisters(request.readUInt16BE(1), Uint16Array.of(request.readUInt16BE(3)));
  return Buffer.from(request); // the echo of the request is the answer
}

function writeMultiple(request: Buffer, bank: ModbusRegisterBank): Buffer {
  if (request.length < 6)
    throw new ModbusException(ModbusExceptionCode.IllegalDataValue, 'write-multiple request is truncated');
  const address = request.readUInt16BE(1);
  const count = request.readUInt16BE(3);
  const byteCount = request[5] ?? 0;
  if (count < 1 || count > MAX_WRITE_REGISTERS || byteCount !== count * 2) {
    throw new ModbusException(
      ModbusExceptionCode.IllegalDataValue,
      `write of ${count} registers with ${byteCount} bytes`,
    );
  }
  requireLength(request, 6 + byteCount);
  const values = new Uint16Array(count);
  for (let i = 0; i < count; i++) values[i] = request.readUInt16BE(6 + i * 2);
  bank.writeRegisters(address, values);
  return request.subarray(0, 5);
}
