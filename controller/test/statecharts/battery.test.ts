import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor } from 'xstate';
import { batteryMachine } from '../../src/statecharts/battery.machine.ts';

function battery() {
  const actor = createActor(batteryMachine, { input: { deviceId: 'battery-1' } });
  actor.start();
  return actor;
}

test('a battery runs once it gives a healthy reading and a fault stops it', () => {
  const actor = battery();
  assert.equal(actor.getSnapshot().value, 'standby');
  actor.send({ type: 'HEALTHY_READING' });
  assert.equal(actor.getSnapshot().value, 'running');
  actor.send({ type: 'FAULT_DETECTED', reason: 'the battery reports FAULT' });
  assert.deepEqual(actor.getSnapshot().value, { error: 'faultPresent' });
  assert.equal(actor.getSnapshot().context.faultReason, 'the battery reports FAULT');
});

test('an acknowledgement while the fault is still present is refused and the battery stays in error', () => {
  const actor = battery();
  actor.send({ type: 'HEALTHY_READING' });
  actor.send({ type: 'FAULT_DETECTED', reason: 'cell over-temperature' });
  actor.send({ type: 'ACKNOWLEDGE' });
  assert.deepEqual(actor.getSnapshot().value, { error: 'faultPresent' });
  assert.equal(actor.getSnapshot().context.refusedAcknowledgements, 1);
});

test('a cleared fault still needs an acknowledgement before the battery leaves error', () => {
  const actor = battery();
  actor.send({ type: 'FAULT_DETECTED', reason: 'cell over-temperature' });
  actor.send({ type: 'HEALTHY_READING' });
  actor.send({ type: 'HEALTHY_READING' });
  assert.deepEqual(actor.getSnapshot().value, { error: 'awaitingAcknowledge' }, 'fault gone is not enough');
  actor.send({ type: 'ACKNOWLEDGE' });
  assert.equal(actor.getSnapshot().value, 'standby');
  assert.equal(actor.getSnapshot().context.faultReason, null);
  actor.send({ type: 'HEALTHY_READING' });
  assert.equal(actor.getSnapshot().value, 'running');
});

test('a fault that comes back before the acknowledgement puts the battery back to fault present', () => {
  const actor = battery();
  actor.send({ type: 'FAULT_DETECTED', reason: 'first' });
  actor.send({ type: 'HEALTHY_READING' });
  actor.send({ type: 'FAULT_DETECTED', reason: 'again' });
  actor.send({ type: 'ACKNOWLEDGE' });
  assert.deepEqual(actor.getSnapshot().value, { error: 'faultPresent' });
  assert.equal(actor.getSnapshot().context.faultReason, 'again');
});

test('an operator stop holds the battery until it is started again', () => {
  const actor = battery();
  actor.send({ type: 'HEALTHY_READING' });
  actor.send({ type: 'STOP' });
  actor.send({ type: 'HEALTHY_READING' });
  assert.equal(actor.getSnapshot().value, 'stopped');
  actor.send({ type: 'START' });
  actor.send({ type: 'HEALTHY_READING' });
  assert.equal(actor.getSnapshot().value, 'running');
});
