import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor } from 'xstate';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { DeviceError } from '../../src/natures/index.ts';
import {
  defaultDeviceSupervisorTiming,
  deviceSupervisorMachine,
  retryBackoffMs,
} from '../../src/statecharts/device-supervisor.machine.ts';
import { InMemoryPv } from '../cycle/in-memory-plant.ts';

function supervise(timing = {}) {
  const scheduler = new ManualScheduler();
  const pv = new InMemoryPv('pv-1', scheduler, 10_000);
  const closes: number[] = [];
  const actor = createActor(deviceSupervisorMachine, {
    clock: scheduler,
    input: {
      deviceId: 'pv-1',
      connect: () => pv.connect(),
      close: async () => {
        closes.push(scheduler.now());
        await pv.close();
      },
      timing,
    },
  });
  return { scheduler, pv, actor, closes };
}

test('a device that keeps refusing connections is retried after a back-off that grows per failure and is capped', async () => {
  const { scheduler, pv, actor } = supervise({ backoffStepMs: 2_000, backoffCapMs: 10_000 });
  pv.connectFault = { kind: 'connection-refused' };
  actor.start();
  await scheduler.advance(60_000);
  const gaps = pv.connectAttemptsAtMs.slice(1).map((at, i) => at - pv.connectAttemptsAtMs[i]!);
  assert.deepEqual(gaps.slice(0, 7), [2_000, 4_000, 6_000, 8_000, 10_000, 10_000, 10_000]);
  assert.equal(actor.getSnapshot().value, 'faulted');
  assert.equal(actor.getSnapshot().context.lastFailure?.kind, 'connection-refused');

  pv.connectFault = null;
  await scheduler.advance(10_000);
  assert.equal(actor.getSnapshot().value, 'online');
  assert.equal(actor.getSnapshot().context.failures, 0, 'a successful connect resets the back-off');
  actor.stop();
});

test('the default back-off adds 2 s per failure and stops growing at 5 minutes', () => {
  const timing = defaultDeviceSupervisorTiming;
  assert.deepEqual(
    [1, 2, 3, 149, 150, 151, 10_000].map((n) => retryBackoffMs(timing, n)),
    [2_000, 4_000, 6_000, 298_000, 300_000, 300_000, 300_000],
  );
});

test('failed reads make a device stale, then faulted after three, and it is closed before reconnecting', async () => {
  const { scheduler, actor, closes } = supervise();
  actor.start();
  await scheduler.advance(0);
  assert.equal(actor.getSnapshot().value, 'online');
  const timeout = new DeviceError('pv-1', 'timeout', 'read took longer than 400 ms');
  actor.send({ type: 'READ_FAILED', error: timeout });
  assert.equal(actor.getSnapshot().value, 'stale');
  actor.send({ type: 'READ_OK' });
  assert.equal(actor.getSnapshot().value, 'online', 'one good read brings a stale device back');
  for (let i = 0; i < 2; i++) actor.send({ type: 'READ_FAILED', error: timeout });
  assert.equal(actor.getSnapshot().value, 'stale');
  actor.send({ type: 'READ_FAILED', error: timeout });
  assert.equal(actor.getSnapshot().value, 'faulted');
  await scheduler.advance(0);
  assert.equal(closes.length, 1, 'a faulted device is closed');
  await scheduler.advance(6_000); // 3 failures x 2 s
  assert.equal(actor.getSnapshot().value, 'online');
  actor.stop();
});

test('a dropped connection skips stale and goes straight to faulted', async () => {
  const { scheduler, actor } = supervise();
  actor.start();
  await scheduler.advance(0);
  actor.send({ type: 'READ_FAILED', error: new DeviceError('pv-1', 'disconnected', 'socket closed') });
  assert.equal(actor.getSnapshot().value, 'faulted');
  assert.equal(actor.getSnapshot().context.lastFailure?.kind, 'disconnected');
  actor.stop();
});

test('a device taken out of service is closed and not retried until it is put back in service', async () => {
  const { scheduler, pv, actor, closes } = supervise();
  actor.start();
  await scheduler.advance(0);
  actor.send({ type: 'TAKE_OUT_OF_SERVICE' });
  await scheduler.advance(600_000);
  assert.equal(actor.getSnapshot().value, 'outOfService');
  assert.equal(closes.length, 1);
  assert.equal(pv.connectAttemptsAtMs.length, 1, 'no reconnect attempts while out of service');
  actor.send({ type: 'PUT_IN_SERVICE' });
  await scheduler.advance(0);
  assert.equal(actor.getSnapshot().value, 'online');
  assert.equal(pv.connectAttemptsAtMs.length, 2);
  actor.stop();
});
