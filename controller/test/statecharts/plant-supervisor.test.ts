import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor, waitFor } from 'xstate';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { plantSupervisorMachine, type PlantHealth } from '../../src/statecharts/plant-supervisor.machine.ts';

const healthy: PlantHealth = { gridMeterOnline: true, unhealthyDeviceIds: [], connectingDeviceIds: [] };

function plant() {
  const scheduler = new ManualScheduler();
  let shutDowns = 0;
  const actor = createActor(plantSupervisorMachine, {
    clock: scheduler,
    input: {
      timing: { startupTimeoutMs: 30_000, failsafeRecoveryMs: 5_000 },
      shutDown: async () => void (shutDowns += 1),
    },
  });
  actor.start();
  return { scheduler, actor, shutDowns: () => shutDowns };
}

test('the plant stays starting while devices connect and runs once all are connected', () => {
  const { actor } = plant();
  actor.send({ type: 'HEALTH', health: { ...healthy, connectingDeviceIds: ['pv-1'] } });
  assert.equal(actor.getSnapshot().value, 'starting');
  actor.send({ type: 'HEALTH', health: healthy });
  assert.equal(actor.getSnapshot().value, 'running');
});

test('starting stops waiting for a slow device after the startup timeout and runs degraded', async () => {
  const { scheduler, actor } = plant();
  actor.send({ type: 'HEALTH', health: { ...healthy, connectingDeviceIds: ['pv-1'] } });
  await scheduler.advance(29_999);
  assert.equal(actor.getSnapshot().value, 'starting');
  await scheduler.advance(1);
  assert.equal(actor.getSnapshot().value, 'degraded');
});

test('a stale or faulted device makes the plant degraded, and its recovery makes it running again', () => {
  const { actor } = plant();
  actor.send({ type: 'HEALTH', health: healthy });
  actor.send({ type: 'HEALTH', health: { ...healthy, unhealthyDeviceIds: ['battery-1'] } });
  assert.equal(actor.getSnapshot().value, 'degraded');
  assert.deepEqual(actor.getSnapshot().context.health.unhealthyDeviceIds, ['battery-1']);
  actor.send({ type: 'HEALTH', health: healthy });
  assert.equal(actor.getSnapshot().value, 'running');
});

test('losing the grid meter puts the plant in failsafe, left only after the meter is back for the recovery delay', async () => {
  const { scheduler, actor } = plant();
  actor.send({ type: 'HEALTH', health: healthy });
  actor.send({ type: 'HEALTH', health: { ...healthy, gridMeterOnline: false } });
  assert.deepEqual(actor.getSnapshot().value, { failsafe: 'meterLost' });
  actor.send({ type: 'HEALTH', health: healthy });
  await scheduler.advance(4_000);
  actor.send({ type: 'HEALTH', health: { ...healthy, gridMeterOnline: false } });
  assert.deepEqual(actor.getSnapshot().value, { failsafe: 'meterLost' }, 'a flapping meter restarts the wait');
  actor.send({ type: 'HEALTH', health: { ...healthy, unhealthyDeviceIds: ['pv-1'] } });
  await scheduler.advance(4_999);
  assert.deepEqual(actor.getSnapshot().value, { failsafe: 'meterBack' });
  await scheduler.advance(1);
  assert.equal(
    actor.getSnapshot().value,
    'degraded',
    'after failsafe the plant resumes in the state its devices call for',
  );
});

test('stopping shuts the plant down once and ends in stopped', async () => {
  const { actor, shutDowns } = plant();
  actor.send({ type: 'HEALTH', health: healthy });
  actor.send({ type: 'STOP' });
  actor.send({ type: 'STOP' });
  await waitFor(actor, (s) => s.status === 'done');
  assert.equal(actor.getSnapshot().value, 'stopped');
  assert.equal(shutDowns(), 1);
});
