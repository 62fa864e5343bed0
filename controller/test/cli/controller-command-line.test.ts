import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/controller.ts', import.meta.url));

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('npm run controller -- --help prints the usage and exits 0', () => {
  const { status, stdout } = runCli('--help');
  assert.equal(status, 0);
  assert.match(stdout, /^usage: npm run controller -- --config <file\.json> \[--check\]/);
  assert.match(stdout, /--requeue-rejected/);
});

test('a wrong command line gets one line naming what is wrong, and exit 2', () => {
  for (const [args, expected] of [
    [['--bogus'], /^controller: Unknown option '--bogus'/],
    [['--check'], /^controller: --config is required/],
    [['--config', 'x.json', '--requeue-rejected', '--node', 'three'], /^controller: --node must be a registry node id/],
    [['--config', 'x.json', '--node', '3'], /^controller: --node goes with --requeue-rejected/],
  ] as const) {
    const { status, stdout, stderr } = runCli(...args);
    assert.equal(status, 2, `${args.join(' ')}: ${stderr}`);
    assert.equal(stdout, '');
    assert.equal(stderr.trimEnd().split('\n').length, 1, `one line for ${args.join(' ')}: ${stderr}`);
    assert.match(stderr, expected);
    assert.match(stderr, /see npm run controller -- --help/);
  }
});
