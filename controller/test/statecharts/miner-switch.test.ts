import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor } from 'xstate';
import { ManualScheduler } from '../../src/cycle/manual-scheduler.ts';
import { minerSwitchMachine } from '../../src/statecharts/miner-switch.machine.ts';

function minerSwitch(options: { minOnMs?: number; minOffMs?: number; initiallyOn?: boolean } = {}) {
  const scheduler = new ManualScheduler();
  const actor = createActor(minerSwitchMachine, {
    clock: scheduler,
    input: {
      deviceId: 'miner-1',
      minPowerW: 1_000,
      timing: { minOnMs: options.minOnMs ?? 0, minOffMs: options.minOffMs ?? 0 },
      initiallyOn: options.initiallyOn ?? false,
    },
  });
  actor.start();
  /** Offers `availableW` once per second for `seconds`. */
  const offer = async (availableW: number, seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      actor.send({ type: 'SURPLUS', availableW });
      await scheduler.advance(1_000);
    }
  };
  const isOn = () => 'on' in (actor.getSnapshot().value as object);
  return { scheduler, actor, offer, isOn };
}

test('a paused miner resumes only after the surplus stayed above its minimum power for the enable delay (1 min)', async () => {
  const { offer, isOn, scheduler } = minerSwitch();
  await scheduler.advance(0);
  await offer(1_500, 59);
  assert.equal(isOn(), false);
  await offer(1_500, 1);
  assert.equal(isOn(), true);
});

test('a dip in surplus during the enable delay restarts the wait', async () => {
  const { offer, isOn, scheduler } = minerSwitch();
  await scheduler.advance(0);
  await offer(1_500, 50);
  await offer(500, 1);
  await offer(1_500, 50);
  assert.equal(isOn(), false, '101 s of mostly-enough surplus is not 60 s of enough surplus');
  await offer(1_500, 10);
  assert.equal(isOn(), true);
});

test('a running miner pauses only after the surplus stayed too low for the disable delay (3 min)', async () => {
  const { offer, isOn } = minerSwitch({ initiallyOn: true });
  await offer(0, 179);
  assert.equal(isOn(), true);
  await offer(2_000, 1);
  await offer(0, 179);
  assert.equal(isOn(), true, 'one good second restarts the disable wait');
  await offer(0, 1);
  assert.equal(isOn(), false);
});

test('a miner within its minimum on time keeps mining even when the plant is short, and pauses at once after it', async () => {
  const { actor, scheduler, isOn } = minerSwitch({ initiallyOn: true, minOnMs: 300_000 });
  await scheduler.advance(299_000);
  actor.send({ type: 'PLANT_SHORT' });
  assert.equal(isOn(), true);
  await scheduler.advance(1_000);
  actor.send({ type: 'PLANT_SHORT' });
  assert.equal(isOn(), false);
});

test('a miner within its minimum off time stays paused whatever the surplus', async () => {
  const { offer, isOn } = minerSwitch({ minOffMs: 600_000 });
  await offer(10_000, 599);
  assert.equal(isOn(), false);
  await offer(10_000, 61);
  assert.equal(isOn(), true, 'after the minimum off time the enable delay still applies, then it resumes');
});
