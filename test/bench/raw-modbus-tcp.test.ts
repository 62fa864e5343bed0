import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { RawModbusTcp } from './raw-modbus-tcp.ts';

/** A Modbus TCP server that answers FC3 with register i = address + i, in two TCP chunks, and exception 2 at 9999. */
async function withServer(run: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (request: Buffer) => {
      const [id, unit, address, count] = [
        request.readUInt16BE(0),
        request.readUInt8(6),
        request.readUInt16BE(8),
        request.readUInt16BE(10),
      ];
      if (address === 9999) {
        const answer = Buffer.from([0, 0, 0, 0, 0, 3, unit, 0x83, 2]);
        answer.writeUInt16BE(id, 0);
        socket.write(answer);
        return;
      }
      const answer = Buffer.alloc(9 + 2 * count);
      answer.writeUInt16BE(id, 0);
      answer.writeUInt16BE(3 + 2 * count, 4);
      answer.writeUInt8(unit, 6);
      answer.writeUInt8(3, 7);
      answer.writeUInt8(2 * count, 8);
      for (let i = 0; i < count; i++) answer.writeUInt16BE(address + i, 9 + 2 * i);
      socket.write(answer.subarray(0, 5));
      setTimeout(() => socket.write(answer.subarray(5)), 5);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await run((server.address() as AddressInfo).port);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
}

test('the raw client frames FC3 by hand and reassembles an answer split across TCP chunks', async () => {
  await withServer(async (port) => {
    const client = await RawModbusTcp.open('127.0.0.1', port, 1);
    const registers = await client.readHoldingRegisters(40_000, 3);
    assert.deepEqual(
      [0, 1, 2].map((i) => registers.readUInt16BE(2 * i)),
      [40_000, 40_001, 40_002],
    );
    const again = await client.readHoldingRegisters(100, 1);
    assert.equal(again.readUInt16BE(0), 100);
    await client.close();
  });
});

test('a Modbus exception rejects the request and the connection stays usable', async () => {
  await withServer(async (port) => {
    const client = await RawModbusTcp.open('127.0.0.1', port, 1);
    await assert.rejects(client.readHoldingRegisters(9999, 1), /Modbus exception 2/);
    assert.equal((await client.readHoldingRegisters(7, 1)).readUInt16BE(0), 7);
    await client.close();
  });
});
