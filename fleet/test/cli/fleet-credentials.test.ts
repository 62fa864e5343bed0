import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FleetCredentials } from '../../src/broker/index.ts';

const cli = new URL('../../src/cli/fleet-credentials.ts', import.meta.url).pathname;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('fleet-credentials answers --help and refuses a bad flag or site id with one line and exit 2', () => {
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: npm run fleet-credentials -- --out DIR/);
  const cases: [string[], RegExp][] = [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--out', '/tmp/x'], /--sites or --sites-file: give exactly one list/],
    [['--sites', 'home-1'], /--out: give the directory/],
    [['--out', '/tmp/x', '--sites', 'home-1,spBv1.0/#'], /--sites: site id: expected 1-64 letters.*"spBv1.0\/#"/],
    [['--out', '/tmp/x', '--sites', 'home-1,,home-2'], /--sites: expected site ids, got an empty one/],
    [['--out', '/tmp/x', '--sites-file', '/nonexistent/sites.txt'], /--sites-file \/nonexistent\/sites.txt: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const result = run(...args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
});

test('running it again with more sites keeps the passwords already issued and removes sites left out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-credentials-'));
  try {
    const sitesFile = join(dir, 'sites.txt');
    writeFileSync(sitesFile, 'home-1\n# the farm joins later\nhome-2\n');
    assert.equal(run('--out', join(dir, 'out'), '--sites-file', sitesFile).status, 0);
    const first = JSON.parse(readFileSync(join(dir, 'out/credentials.json'), 'utf8')) as FleetCredentials;
    assert.deepEqual(Object.keys(first.sites), ['home-1', 'home-2']);
    assert.equal(run('--out', join(dir, 'out'), '--sites', 'home-2,farm-1').status, 0);
    const second = JSON.parse(readFileSync(join(dir, 'out/credentials.json'), 'utf8')) as FleetCredentials;
    assert.deepEqual(Object.keys(second.sites), ['home-2', 'farm-1']);
    assert.equal(second.sites['home-2']?.password, first.sites['home-2']?.password);
    assert.equal(second.aggregator.password, first.aggregator.password);
    assert.notEqual(second.sites['farm-1']?.password, first.sites['home-1']?.password);
    const acl = readFileSync(join(dir, 'out/acl'), 'utf8');
    assert.doesNotMatch(acl, /home-1/);
    assert.match(acl, /user farm-1\ntopic write spBv1.0\/gridcoop\/NBIRTH\/farm-1/);
    const passwd = readFileSync(join(dir, 'out/passwd'), 'utf8');
    assert.deepEqual(
      passwd
        .trim()
        .split('\n')
        .map((line) => line.split(':')[0]),
      ['aggregator', 'home-2', 'farm-1'],
    );
    assert.ok(
      passwd
        .split('\n')
        .filter(Boolean)
        .every((line) => /^[\w-]+:\$7\$/.test(line)),
      'hashed',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
