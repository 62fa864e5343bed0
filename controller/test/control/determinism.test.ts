import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../src/control/decide.ts';
import { deviceCommands } from '../../src/control/device-commands.ts';
import { demoSite } from '../cycle/demo-site.ts';

async function run(seedW: number) {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, minerRunning: true });
  await s.connect();
  const commands: string[] = [];
  for (let t = 0; t < 200; t++) {
    s.site.loadW = 2_000 + ((t * seedW) % 3_000);
    s.pv.availableW = 6_000 + ((t * 7_919) % 2_000);
    const report = await s.step();
    commands.push(JSON.stringify(report.commands));
  }
  await s.cycle.stop();
  return commands;
}

test('the same process images and state give the same setpoints, cycle after cycle', async () => {
  const first = await run(1_237);
  const second = await run(1_237);
  assert.deepEqual(second, first);
  assert.notDeepEqual(await run(611), first, 'different inputs do give different setpoints');
});

test('a decision is a pure function of its frozen inputs: replaying a cycle report gives its setpoints', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, minerRunning: true });
  await s.connect();
  for (let i = 0; i < 5; i++) {
    s.site.loadW += 700;
    const report = await s.step();
    const inputs = report.inputs!;
    assert.ok(Object.isFrozen(inputs) && Object.isFrozen(inputs.image) && Object.isFrozen(inputs.estimates));
    const replayed = decide(inputs);
    assert.deepEqual(replayed, report.decision);
    assert.deepEqual(deviceCommands(inputs, replayed.dispatch), report.commands);
  }
  await s.cycle.stop();
});
