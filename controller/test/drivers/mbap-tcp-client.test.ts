import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { DeviceError } from '../../src/natures/index.ts';
import { ModbusConnection, ModbusDeviceError } from '../../src/drivers/modbus/index.ts';

/** One request as the scripted server saw it. */
interface SeenRequest {
  transactionId: number;
  unitId: number;
  functionCode: number;
  address: number;
  count: number;
}

/** What the server does with a request: answer these bytes (a whole MBAP frame), or nothing. */
type Script = (request: SeenRequest, socket: Socket) => Buffer | undefined;

/** Register i holds 1000 + i: a wrong or shifted answer shows in the values. */
function registerValue(address: number): number {
  return 1000 + address;
}

function frame(transactionId: number, unitId: number, pdu: Buffer, protocolId = 0): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt16BE(transactionId, 0);
  header.writeUInt16BE(protocolId, 2);
  header.writeUInt16BE(pdu.length + 1, 4);
  header[6] = unitId;
  return Buffer.concat([header, pdu]);
}

function goodAnswer(request: SeenRequest, count = request.count): Buffer {
  const pdu = Buffer.alloc(2 + 2 * count);
  pdu[0] = 3;
  pdu[1] = 2 * count;
  for (let i = 0; i < count; i += 1) pdu.writeUInt16BE(registerValue(request.address + i), 2 + 2 * i);
  return frame(request.transactionId, request.unitId, pdu);
}

/** A Modbus TCP server on 127.0.0.1 (port from the OS) that answers as the current script says. */
async function startScriptedServer(): Promise<{ server: Server; port: number; setScript(script: Script): void }> {
  let script: Script = (request) => goodAnswer(request);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 12) {
        const length = buffered.readUInt16BE(4);
        const request: SeenRequest = {
          transactionId: buffered.readUInt16BE(0),
          unitId: buffered[6]!,
          functionCode: buffered[7]!,
          address: buffered.readUInt16BE(8),
          count: buffered.readUInt16BE(10),
        };
        buffered = buffered.subarray(6 + length);
        const answer = script(request, socket);
        if (answer) socket.write(answer);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  return {
    server,
    port: (server.address() as { port: number }).port,
    setScript(next) {
      script = next;
    },
  };
}

async function rejectsWith(promise: Promise<unknown>, kind: string, message: RegExp): Promise<ModbusDeviceError> {
  const error = await promise.then(
    () => assert.fail('expected a DeviceError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DeviceError, `a DeviceError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  assert.match(error.message, message);
  return error as ModbusDeviceError;
}

function expectedValues(address: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => registerValue(address + i));
}

describe('Modbus TCP read path: answers that do not fit the request', () => {
  let scripted: Awaited<ReturnType<typeof startScriptedServer>>;
  let connection: ModbusConnection;

  before(async () => {
    scripted = await startScriptedServer();
    connection = new ModbusConnection(
      'dev-7',
      { transport: 'tcp', host: '127.0.0.1', port: scripted.port, unitId: 1 },
      { timeoutMs: 300 },
    );
    await connection.connect();
  });

  after(async () => {
    await connection.close();
    await new Promise((resolve) => scripted.server.close(resolve));
  });

  test('registers come back decoded in order, one request for up to 125 and split beyond', async () => {
    assert.deepEqual([...(await connection.readRegisters(40000, 5))], expectedValues(40000, 5));
    const long = await connection.readRegisters(40000, 300);
    assert.deepEqual([...long], expectedValues(40000, 300));
  });

  test('an answer with fewer registers than asked is bad-value naming device and registers; the next read is whole', async () => {
    scripted.setScript((request) => goodAnswer(request, request.count - 1));
    const error = await rejectsWith(connection.readRegisters(40010, 4), 'bad-value', /FC3 4 register\(s\) at 40010/);
    assert.equal(error.deviceId, 'dev-7');
    assert.deepEqual(error.request, { functionCode: 3, address: 40010, count: 4 });
    scripted.setScript((request) => goodAnswer(request));
    assert.deepEqual([...(await connection.readRegisters(40010, 4))], expectedValues(40010, 4));
  });

  test('a Modbus exception answer is protocol-exception with its code; the connection stays usable', async () => {
    scripted.setScript((request) => frame(request.transactionId, request.unitId, Buffer.from([0x83, 2])));
    const error = await rejectsWith(connection.readRegisters(40020, 2), 'protocol-exception', /exception 2/);
    assert.equal(error.exceptionCode, 2);
    scripted.setScript((request) => goodAnswer(request));
    assert.deepEqual([...(await connection.readRegisters(40020, 2))], expectedValues(40020, 2));
  });

  test('an answer from another unit or with another function code is bad-value, never taken as registers', async () => {
    scripted.setScript((request) => goodAnswer({ ...request, unitId: 9 }));
    await rejectsWith(connection.readRegisters(40030, 2), 'bad-value', /unit 9, not 1/);
    scripted.setScript((request) => frame(request.transactionId, request.unitId, Buffer.from([4, 2, 0, 1])));
    await rejectsWith(connection.readRegisters(40030, 1), 'bad-value', /function code 4/);
    scripted.setScript((request) => goodAnswer(request));
    assert.deepEqual([...(await connection.readRegisters(40030, 2))], expectedValues(40030, 2));
  });

  test('a late answer to a timed-out read is dropped, not taken as the next read', async () => {
    let late: Buffer | undefined;
    let lateSocket: Socket | undefined;
    scripted.setScript((request, socket) => {
      late = goodAnswer(request); // held back past the timeout
      lateSocket = socket;
      return undefined;
    });
    await rejectsWith(connection.readRegisters(40040, 3), 'timeout', /no answer within 300 ms/);
    // The next read's answer is preceded on the wire by the stale one (other transaction id, other registers).
    scripted.setScript((request) => Buffer.concat([late!, goodAnswer(request)]));
    assert.ok(lateSocket);
    assert.deepEqual([...(await connection.readRegisters(40050, 3))], expectedValues(40050, 3));
  });

  test('answers split over several TCP chunks are put back together', async () => {
    scripted.setScript((request, socket) => {
      const answer = goodAnswer(request);
      socket.write(answer.subarray(0, 5));
      setTimeout(() => socket.write(answer.subarray(5)), 20);
      return undefined;
    });
    assert.deepEqual([...(await connection.readRegisters(40060, 10))], expectedValues(40060, 10));
    scripted.setScript((request) => goodAnswer(request));
  });

  test('a stream that is not Modbus TCP fails the read as bad-value and drops it; the next read reconnects', async () => {
    scripted.setScript((request) => frame(request.transactionId, request.unitId, Buffer.from([3, 2, 0, 1]), 7));
    await rejectsWith(connection.readRegisters(40070, 1), 'bad-value', /protocol id 7/);
    scripted.setScript((request) => goodAnswer(request));
    assert.deepEqual([...(await connection.readRegisters(40070, 2))], expectedValues(40070, 2));
  });
});
