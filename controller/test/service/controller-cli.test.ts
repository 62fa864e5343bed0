import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/controller.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GRIDCOOP_API_TOKEN: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the controller command refuses a bad configuration file with exit code 2, naming each bad field', () => {
  const file = join(dir, 'bad.json');
  writeFileSync(
    file,
    JSON.stringify({
      plant: {
        devices: [{ nature: 'meter', id: 'meter-1', driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 99_999 } }],
      },
      grid: { exportCapW: -1 },
    }),
  );
  const { status, stderr } = runCli('--config', file);
  assert.equal(status, 2);
  assert.match(stderr, /bad\.json/);
  assert.match(stderr, /plant\.devices\.0\.driver\.port: /);
  assert.match(stderr, /grid\.exportCapW: /);
});

test('the controller command checks a valid file without starting anything', () => {
  const file = join(dir, 'good.json');
  writeFileSync(
    file,
    JSON.stringify({
      plant: {
        devices: [{ nature: 'meter', id: 'meter-1', driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1502 } }],
      },
      grid: { importCapW: 18_000, exportCapW: 5_000 },
    }),
  );
  const { status, stdout } = runCli('--config', file, '--check');
  assert.equal(status, 0);
  assert.match(stdout, /valid \(1 devices, cycle 1000 ms\)/);
  assert.match(
    stdout,
    /limits in force:\n {2}grid connection: import cap 18000 W, export cap 5000 W \(meter meter-1\)/,
  );
});

test('the controller command refuses a file without grid caps in one clear line, exit 2', () => {
  const file = join(dir, 'no-caps.json');
  writeFileSync(
    file,
    JSON.stringify({
      plant: {
        devices: [{ nature: 'meter', id: 'meter-1', driver: { type: 'sunspec-tcp', host: '127.0.0.1', port: 1502 } }],
      },
    }),
  );
  const { status, stdout, stderr } = runCli('--config', file, '--check');
  assert.equal(status, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /grid: grid is required: the grid connection's caps are safety limits/);
  assert.doesNotMatch(stderr, /at .*\.ts:\d+/, 'no stack trace');
});
