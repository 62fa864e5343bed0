import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { FaultSetting } from '../../../devices/src/faults/fault.ts';
import type { MinerServer } from '../../../devices/src/opcua/miner-server.ts';
import { ManualClock } from '../../../devices/src/sim/clock.ts';
import { opcUaMiner } from '../../src/drivers/opcua/opcua-miner.ts';
import { DeviceError, type DeviceErrorKind } from '../../src/natures/device-error.ts';
import type { FlexibleLoad, FlexibleLoadReading } from '../../src/natures/flexible-load.ts';
import { eventually, rejection, startTestFleet, type TestMiner } from './opcua-test-fleet.ts';

/**
 * Every fault the simulator injects, seen through the driver. Two gateways: 'faulty' (miners f-1, f-2) takes the
 * faults, 'healthy' (miner h-1) must keep answering throughout. Connection faults act on a whole gateway (one TCP
 * connection carries all its miners); value and device faults act on f-1 only, so f-2 must keep answering too.
 */
const TIMEOUT_MS = 1000;
/** A fault must show within its timeout plus a couple of publishing intervals and keep-alives. */
const DETECT_WITHIN_MS = TIMEOUT_MS * 5;
/** Recovery includes node-opcua's reconnection back-off (up to 1 s) and a new secure channel and subscription. */
const RECOVER_WITHIN_MS = 15_000;

const clock = new ManualClock();
let faulty: { server: MinerServer; miners: Map<string, TestMiner> };
let healthy: { server: MinerServer; miners: Map<string, TestMiner> };
let f1: FlexibleLoad;
let f2: FlexibleLoad;
let h1: FlexibleLoad;

function faultsOf(id: string): TestMiner['faults'] {
  const miner = faulty.miners.get(id);
  assert.ok(miner);
  return miner.faults;
}

async function inject(setting: FaultSetting): Promise<void> {
  faultsOf('f-1').inject(setting);
}

async function errorOf(work: () => Promise<unknown>, kind: DeviceErrorKind, what: string): Promise<DeviceError> {
  const error = await eventually(
    () => rejection(work()),
    (e) => e instanceof DeviceError && e.kind === kind,
    DETECT_WITHIN_MS,
    `${what} gives ${kind}`,
  );
  assert.ok(error instanceof DeviceError);
  return error;
}

async function stillAnswers(driver: FlexibleLoad, name: string): Promise<FlexibleLoadReading> {
  const reading = await driver.read();
  assert.equal(reading.maxPowerW, 3000, `${name} still answers`);
  return reading;
}

describe('OPC UA miner driver under injected faults', () => {
  before(async () => {
    [faulty, healthy] = await Promise.all([startTestFleet(clock, ['f-1', 'f-2']), startTestFleet(clock, ['h-1'])]);
    f1 = opcUaMiner('f-1', { endpointUrl: faulty.server.endpointUrl, browseName: 'f-1', timeoutMs: TIMEOUT_MS });
    f2 = opcUaMiner('f-2', { endpointUrl: faulty.server.endpointUrl, browseName: 'f-2', timeoutMs: TIMEOUT_MS });
    h1 = opcUaMiner('h-1', { endpointUrl: healthy.server.endpointUrl, browseName: 'h-1', timeoutMs: TIMEOUT_MS });
    await Promise.all([f1.connect(), f2.connect(), h1.connect()]);
  });
  afterEach(async () => {
    // Each test leaves the gateway healthy again: the next one starts from a working connection.
    faultsOf('f-1').clear();
    await eventually(
      () => f1.read(),
      (r) => r.state !== 'unknown' && r.powerW !== null,
      RECOVER_WITHIN_MS,
      'f-1 recovers',
    );
  });
  after(async () => {
    await Promise.all([f1, f2, h1].map((driver) => driver?.close()));
    await Promise.all([faulty?.server.stop(), healthy?.server.stop()]);
  });

  test('slow answers within the timeout are no failure: reads keep their values and writes succeed', async () => {
    await inject({ kind: 'slow', delayMs: TIMEOUT_MS / 4 });
    await f1.write({ kind: 'power-target', powerTargetW: 2600 });
    await eventually(
      () => f1.read(),
      (r) => r.powerTargetW === 2600,
      RECOVER_WITHIN_MS,
      'the slow target arrives',
    );
    assert.equal(faulty.miners.get('f-1')?.model.powerTargetW, 2600);
  });

  test('stop-answering: reads give timeout once the subscription is stale, writes time out, the other gateway answers', async () => {
    await inject({ kind: 'stop-answering' });
    const readError = await errorOf(() => f1.read(), 'timeout', 'read');
    assert.match(readError.detail, /subscription stale/);
    assert.equal(readError.deviceId, 'f-1');
    await errorOf(() => f2.read(), 'timeout', 'read of the other miner on the same gateway');
    await errorOf(() => f1.write({ kind: 'power-target', powerTargetW: 2000 }), 'timeout', 'write');
    await stillAnswers(h1, 'h-1');
  });

  test('slow answers beyond the timeout give timeout on reads and writes, and the driver recovers when they speed up', async () => {
    await inject({ kind: 'slow', delayMs: TIMEOUT_MS * 2.5 });
    await errorOf(() => f1.read(), 'timeout', 'read');
    await errorOf(() => f1.write({ kind: 'resume' }), 'timeout', 'write');
    await stillAnswers(h1, 'h-1');
  });

  test('drop-connection: reads give disconnected while the connection is down, the other gateway answers', async () => {
    await inject({ kind: 'drop-connection' });
    const error = await errorOf(() => f1.read(), 'disconnected', 'read');
    assert.match(error.detail, /connection lost/);
    await errorOf(() => f1.write({ kind: 'pause' }), 'disconnected', 'write');
    await stillAnswers(h1, 'h-1');
  });

  test('refuse-connections: open drivers read disconnected and a new connection is refused, the other gateway answers', async () => {
    await inject({ kind: 'refuse-connections' });
    await errorOf(() => f1.read(), 'disconnected', 'read');
    await errorOf(() => f2.read(), 'disconnected', 'read of the other miner on the same gateway');
    // With both drivers closed their shared connection is gone, so a new driver has to open a connection of its own.
    await Promise.all([f1.close(), f2.close()]);
    const newcomer = opcUaMiner('f-2', {
      endpointUrl: faulty.server.endpointUrl,
      browseName: 'f-2',
      timeoutMs: TIMEOUT_MS,
    });
    try {
      const error = await rejection(newcomer.connect());
      assert.ok(error instanceof DeviceError && error.kind === 'connection-refused', String(error));
      await stillAnswers(h1, 'h-1');
    } finally {
      await newcomer.close();
      faultsOf('f-1').clear();
      await eventually(
        () => Promise.all([f1.connect(), f2.connect()]),
        () => true,
        RECOVER_WITHIN_MS,
        'connect again',
      );
    }
  });

  test('exception: reads and method calls give protocol-exception for that miner only', async () => {
    const targetBeforeW = faulty.miners.get('f-1')?.model.powerTargetW;
    await inject({ kind: 'exception' });
    const readError = await errorOf(() => f1.read(), 'protocol-exception', 'read');
    assert.match(readError.detail, /BadInternalError/);
    const writeError = await rejection(f1.write({ kind: 'power-target', powerTargetW: 2000 }));
    assert.ok(writeError instanceof DeviceError && writeError.kind === 'protocol-exception', String(writeError));
    assert.equal(faulty.miners.get('f-1')?.model.powerTargetW, targetBeforeW);
    await stillAnswers(f2, 'f-2');
    await stillAnswers(h1, 'h-1');
  });

  for (const [kind, title, arrives] of [
    ['sentinels', 'sentinels: every point reads null and the state unknown, never a number', 'sentinels arrive'],
    [
      'out-of-range',
      'out-of-range: physically impossible values read as null, never as numbers',
      'impossible values arrive',
    ],
  ] as const) {
    test(title, async () => {
      await inject({ kind });
      const reading = await eventually(
        () => f1.read(),
        (r) => r.state === 'unknown',
        DETECT_WITHIN_MS,
        arrives,
      );
      assert.deepEqual(reading, {
        powerW: null,
        powerTargetW: null,
        minPowerW: null,
        maxPowerW: null,
        hashrateThs: null,
        temperatureC: null,
        energyWh: null,
        state: 'unknown',
      });
      await stillAnswers(f2, 'f-2');
    });
  }

  test('device-fault: the miner reads state fault with no power, and commands give device-fault', async () => {
    await inject({ kind: 'device-fault' });
    const reading = await eventually(
      () => f1.read(),
      (r) => r.state === 'fault',
      DETECT_WITHIN_MS,
      'FAULT arrives',
    );
    assert.equal(reading.powerW, 0);
    assert.equal(reading.hashrateThs, 0);
    const error = await rejection(f1.write({ kind: 'resume' }));
    assert.ok(error instanceof DeviceError && error.kind === 'device-fault', String(error));
    assert.match(error.detail, /FAULT/);
    await stillAnswers(f2, 'f-2');
    faultsOf('f-1').clear();
    await f1.write({ kind: 'resume' });
  });
});
