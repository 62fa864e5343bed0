import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc16Modbus } from '../src/modbus/crc16.ts';
import { encodeMbap, MbapFramer, MbapFramingError } from '../src/modbus/mbap-framer.ts';
import { encodeRtu, RtuFramer } from '../src/modbus/rtu-framer.ts';

test('CRC-16/MODBUS of a read request matches the value in the Modbus serial line guide (C5 CD)', () => {
  const request = Buffer.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]);
  assert.equal(crc16Modbus(request), 0xcdc5); // sent low byte first: C5 CD
  assert.deepEqual([...encodeRtu(1, request.subarray(1))].slice(-2), [0xc5, 0xcd]);
});

test('MBAP frames are cut correctly whether bytes arrive split or coalesced', () => {
  const a = encodeMbap(1, 1, Buffer.from([3, 0x9c, 0x40, 0, 2]));
  const b = encodeMbap(2, 7, Buffer.from([6, 0x9c, 0x41, 0, 5]));
  const whole = Buffer.concat([a, b]);
  const framer = new MbapFramer();
  const frames = [
    ...framer.push(whole.subarray(0, 3)),
    ...framer.push(whole.subarray(3, 15)),
    ...framer.push(whole.subarray(15)),
  ];
  assert.deepEqual(
    frames.map((f) => [f.transactionId, f.unitId, [...f.pdu]]),
    [
      [1, 1, [3, 0x9c, 0x40, 0, 2]],
      [2, 7, [6, 0x9c, 0x41, 0, 5]],
    ],
  );
});

test('a stream that is not Modbus TCP is refused with a typed framing error', () => {
  const framer = new MbapFramer();
  assert.throws(() => framer.push(Buffer.from('GET / HTTP/1.1\r\n\r\n')), MbapFramingError);
});

test('RTU requests are framed by function code, and a frame with a bad CRC is dropped, not answered', () => {
  const framer = new RtuFramer();
  const good = encodeRtu(2, Buffer.from([3, 0x9c, 0x40, 0, 2]));
  const corrupted = Buffer.from(good);
  corrupted[3] = (corrupted[3] ?? 0) ^ 0xff;
  const write = encodeRtu(2, Buffer.from([16, 0x9c, 0x40, 0, 2, 4, 0, 1, 0, 2]));
  const frames = [
    ...framer.push(corrupted),
    ...framer.push(good.subarray(0, 5)),
    ...framer.push(Buffer.concat([good.subarray(5), write])),
  ];
  assert.deepEqual(
    frames.map((f) => [f.unitId, f.pdu[0]]),
    [
      [2, 3],
      [2, 16],
    ],
  );
  assert.ok(framer.discardedBytes >= 1);
});

test('an RTU frame with an unknown function code is framed by its CRC so it can be refused', () => {
  const framer = new RtuFramer();
  const frames = framer.push(encodeRtu(1, Buffer.from([0x2b, 0x0e, 0x01, 0x00])));
  assert.deepEqual(
    frames.map((f) => [...f.pdu]),
    [[0x2b, 0x0e, 0x01, 0x00]],
  );
});
