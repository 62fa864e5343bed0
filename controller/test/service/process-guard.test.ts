import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/stray-rejection.ts', import.meta.url));

test('a stray promise rejection is logged with its error and counted, and the controller process keeps running', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const logLines = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; err?: { message?: string } });
  const logged = logLines.find((l) => l.msg === 'unhandled promise rejection (the controller keeps running)');
  assert.ok(logged, result.stdout);
  assert.equal(logged.err?.message, 'late answer from a device nobody waits for');
  assert.match(result.stdout, /STILL RUNNING gridcoop_process_incidents_total\{kind="unhandledRejection"\} 1/);
});

test('without the guard the same rejection ends the process (so the guard test above can fail)', () => {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--eval',
      "void Promise.reject(new Error('x')); setTimeout(() => console.log('STILL RUNNING'), 50);",
    ],
    { encoding: 'utf8' },
  );
  assert.notEqual(result.status, 0);
  assert.doesNotMatch(result.stdout, /STILL RUNNING/);
});
