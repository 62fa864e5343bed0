import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../../devices/src/sim/clock.ts';
import type { MinerServer } from '../../../devices/src/opcua/miner-server.ts';
import { opcUaMiner } from '../../src/drivers/opcua/opcua-miner.ts';
import { DeviceError } from '../../src/natures/device-error.ts';
import type { FlexibleLoad } from '../../src/natures/flexible-load.ts';
import { eventually, rejection, startTestFleet, type TestMiner } from './opcua-test-fleet.ts';

/** Headroom for a busy 2-core machine: under the whole controller suite a browse took longer than 1.5 s. */
const TIMEOUT_MS = 5000;
/** Generous: subscriptions deliver within a publishing interval, but the 2 shared cores may be busy with other tests. */
const DELIVERY_WITHIN_MS = 10_000;
const clock = new ManualClock();
let server: MinerServer;
let miners: Map<string, TestMiner>;
const drivers: FlexibleLoad[] = [];

function driverFor(browseName: string, endpointUrl = server.endpointUrl): FlexibleLoad {
  const driver = opcUaMiner(`site-1/${browseName}`, { endpointUrl, browseName, timeoutMs: TIMEOUT_MS });
  drivers.push(driver);
  return driver;
}

function miner(id: string): TestMiner {
  const found = miners.get(id);
  assert.ok(found, id);
  return found;
}

function isDeviceError(kind: DeviceError['kind']): (error: unknown) => boolean {
  return (error) => error instanceof DeviceError && error.kind === kind;
}

describe('OPC UA miner driver', () => {
  before(async () => {
    ({ server, miners } = await startTestFleet(clock, ['miner-1', 'miner-2', 'miner-3'], { minOffS: 120 }));
  });
  after(async () => {
    for (const driver of drivers) await driver.close();
    await server?.stop();
  });

  test('after connect, read() gives every point of the miner from its subscription', async () => {
    const driver = driverFor('miner-1');
    await driver.connect();
    const reading = await driver.read();
    assert.deepEqual(reading, {
      powerW: 3000,
      powerTargetW: 3000,
      minPowerW: 1000,
      maxPowerW: 3000,
      hashrateThs: 90,
      temperatureC: miner('miner-1').model.temperatureC,
      energyWh: miner('miner-1').model.energyConsumedWh,
      state: 'running',
    });
  });

  test('subscribed values follow the miner as simulated time passes, without the caller polling the server', async () => {
    const driver = driverFor('miner-2');
    await driver.connect();
    await driver.write({ kind: 'pause' });
    clock.advance(5000);
    const reading = await eventually(
      () => driver.read(),
      (r) => r.powerW === 1500,
      DELIVERY_WITHIN_MS,
      'power halfway down the pause ramp',
    );
    assert.equal(reading.state, 'ramping-down');
    assert.equal(reading.hashrateThs, 45);
    clock.advance(5000);
    await eventually(
      () => driver.read(),
      (r) => r.state === 'paused' && r.powerW === 0,
      DELIVERY_WITHIN_MS,
      'paused',
    );
    assert.equal(miner('miner-2').model.state, 'paused');
  });

  test('pause, resume and power target are method calls the miner obeys', async () => {
    const driver = driverFor('miner-3');
    await driver.connect();
    await driver.write({ kind: 'power-target', powerTargetW: 2000 });
    assert.equal(miner('miner-3').model.powerTargetW, 2000);
    await eventually(
      () => driver.read(),
      (r) => r.powerTargetW === 2000,
      DELIVERY_WITHIN_MS,
      'new target published',
    );
    await driver.write({ kind: 'pause' });
    assert.equal(miner('miner-3').model.state, 'ramping-down');
    clock.advance(120_000);
    await driver.write({ kind: 'resume' });
    assert.equal(miner('miner-3').model.state, 'ramping-up');
    clock.advance(10_000);
    await eventually(
      () => driver.read(),
      (r) => r.state === 'running' && r.powerW === 2000,
      DELIVERY_WITHIN_MS,
      'running at the new target',
    );
  });

  test('a resume before the minimum off time is refused as write-rejected with the reason, and the miner stays paused', async () => {
    const driver = driverFor('miner-3');
    await driver.connect();
    await driver.write({ kind: 'pause' });
    clock.advance(20_000);
    const error = await rejection(driver.write({ kind: 'resume' }));
    assert.ok(error instanceof DeviceError);
    assert.equal(error.kind, 'write-rejected');
    assert.equal(error.deviceId, 'site-1/miner-3');
    assert.match(
      error.detail,
      /call Resume answered BadInvalidState: miner miner-3: resume refused: minimum off time not reached, 100\.0 s left/,
    );
    assert.equal(miner('miner-3').model.state, 'paused');
    clock.advance(100_000);
    await driver.write({ kind: 'resume' });
  });

  test('bad power targets are refused as write-rejected and change nothing', async () => {
    const driver = driverFor('miner-1');
    await driver.connect();
    await driver.write({ kind: 'power-target', powerTargetW: 2500 });
    for (const powerTargetW of [5000, 999, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await rejection(driver.write({ kind: 'power-target', powerTargetW }));
      assert.ok(isDeviceError('write-rejected')(error), `${powerTargetW} W: ${String(error)}`);
      assert.equal(miner('miner-1').model.powerTargetW, 2500);
    }
    await eventually(
      () => driver.read(),
      (r) => r.powerTargetW === 2500,
      DELIVERY_WITHIN_MS,
      'the target set before the refusals',
    );
    assert.equal(miner('miner-1').model.powerTargetW, 2500);
  });

  test('a browse name the server does not have gives missing-model on connect', async () => {
    const error = await rejection(driverFor('miner-99').connect());
    assert.ok(isDeviceError('missing-model')(error), String(error));
    assert.match((error as DeviceError).detail, /DeviceSet\/miner-99/);
  });

  test('read and write before connect, or after close, give not-connected', async () => {
    const driver = driverFor('miner-1');
    assert.ok(isDeviceError('not-connected')(await rejection(driver.read())));
    assert.ok(isDeviceError('not-connected')(await rejection(driver.write({ kind: 'pause' }))));
    await driver.connect();
    await driver.close();
    assert.ok(isDeviceError('not-connected')(await rejection(driver.read())));
  });

  test('a connect to a port where nobody listens gives connection-refused', async () => {
    const port = Number(new URL(server.endpointUrl.replace('opc.tcp:', 'http:')).port);
    // The port below ours is almost certainly closed; if not, the test still needs a refusal from somewhere else.
    const error = await rejection(driverFor('miner-1', `opc.tcp://127.0.0.1:${port === 1 ? 2 : 1}`).connect());
    assert.ok(isDeviceError('connection-refused')(error), String(error));
  });

  test('several miners on one endpoint are read side by side through the shared connection', async () => {
    const fleet = ['miner-1', 'miner-2', 'miner-3'].map((id) => driverFor(id));
    await Promise.all(fleet.map((driver) => driver.connect()));
    const readings = await Promise.all(fleet.map((driver) => driver.read()));
    readings.forEach((reading, index) =>
      assert.equal(reading.powerTargetW, miner(`miner-${index + 1}`).model.powerTargetW),
    );
    await fleet[0]!.close();
    // Closing one miner's driver leaves the shared connection to the others.
    assert.equal((await fleet[1]!.read()).maxPowerW, 3000);
  });

  test('after a server restart the driver reconnects and its subscription delivers new values again', async () => {
    const driver = driverFor('miner-1');
    await driver.connect();
    await driver.write({ kind: 'power-target', powerTargetW: 2200 });
    await server.restart();
    await eventually(
      () => driver.read(),
      (r) => r.powerTargetW === 2200,
      15_000,
      'reading again after the restart',
    );
    // A value that changes only after the restart proves the subscription was created again.
    await driver.write({ kind: 'power-target', powerTargetW: 1800 });
    await eventually(
      () => driver.read(),
      (r) => r.powerTargetW === 1800,
      DELIVERY_WITHIN_MS,
      'new subscription delivers changes',
    );
  });
});
