import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RealTimeScheduler } from '@gridcoop/controller/cycle/real-time-scheduler';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { SimulatedSite } from './support/simulated-site.ts';
import { waitUntil } from './support/fleet-harness.ts';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const cli = join(root, 'fleet/src/aggregator/cli.ts');
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('npm run aggregator', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('--help prints the usage; a bad flag, value or file gets one line naming it and exit 2', () => {
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: npm run aggregator/);
    for (const [args, line] of [
      [['--nope'], "aggregator: Unknown option '--nope' (see --help)"],
      [['--credentials', 'c.json'], 'aggregator: --broker is required (or GRIDCOOP_MQTT_URL)'],
      [
        ['--broker', 'mqtt://127.0.0.1:1883', '--credentials', '/nonexistent.json'],
        'aggregator: --credentials /nonexistent.json: cannot read it (ENOENT)',
      ],
      [
        ['--broker', 'mqtt://127.0.0.1:1883', '--credentials', 'c.json', '--cycle-ms', '10'],
        'aggregator: --cycle-ms: expected an integer from 100 to 3600000, got "10"',
      ],
      [
        ['--broker', 'mqtt://127.0.0.1:1883', '--credentials', 'c.json', '--target-ttl-s', '1', '--cycle-ms', '2000'],
        'aggregator: --target-ttl-s: 1 s must be longer than one cycle (2000 ms), or targets lapse between cycles',
      ],
    ] as const) {
      const result = run([...args]);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr.trim(), line);
    }
    const badZones = run([
      '--broker',
      'mqtt://127.0.0.1:1883',
      '--credentials',
      join(root, 'package.json'),
      '--zones',
      join(root, 'package.json'),
    ]);
    assert.equal(badZones.status, 2);
    assert.equal(badZones.stderr.trim().split('\n').length, 1);
  });

  test('the aggregator process killed: the broker publishes its STATE will and every site returns to local control when its target expires', async () => {
    const broker: TestBroker = await startTestBroker(['home-1', 'home-2']);
    cleanups.push(() => broker.close());
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        '--broker',
        broker.broker.url,
        '--credentials',
        join(broker.dir, 'credentials', 'credentials.json'),
        '--api-port',
        '0',
        '--target-ttl-s',
        '3',
        '--log-level',
        'warn',
      ],
      {
        cwd: root,
        env: { ...process.env, GRIDCOOP_AGGREGATOR_TOKEN: 'cli-test-token' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanups.push(async () => {
      child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitUntil(
      () => /fleet API\s+(http:\S+)\/api\/fleet/.test(stdout),
      'the aggregator to print its address',
      60_000,
    );
    const api = /fleet API\s+(http:\S+)\/api\/fleet/.exec(stdout)![1]!;
    // real time here: the process runs on the wall clock, so the sites do too
    const scheduler = new RealTimeScheduler();
    const sites = [
      new SimulatedSite(
        { siteId: 'home-1', zone: 'north', baselineW: 1_000, minW: -4_000, maxW: 6_000 },
        broker,
        scheduler,
      ),
      new SimulatedSite(
        { siteId: 'home-2', zone: 'south', baselineW: 0, minW: -2_000, maxW: 2_000 },
        broker,
        scheduler,
      ),
    ];
    for (const site of sites) {
      await site.connect();
      cleanups.push(() => site.close());
    }
    const put = await fetch(`${api}/api/target`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer cli-test-token' },
      body: JSON.stringify({ targetW: -3_000 }),
    });
    assert.equal(put.status, 200);
    await waitUntil(() => sites.every((site) => site.control === 'vpp'), 'both sites to follow a VPP target', 60_000);
    assert.ok(sites.every((site) => site.hostOnline === true));
    child.kill('SIGKILL');
    await waitUntil(() => sites.every((site) => site.hostOnline === false), 'the STATE will');
    const lastExpiry = Math.max(...sites.map((site) => site.target!.expiresAtMs));
    await waitUntil(() => Date.now() > lastExpiry, 'the last target to expire', 30_000);
    for (const site of sites) {
      site.apply();
      assert.equal(site.control, 'local', site.siteId);
      assert.equal(site.gridPowerW, site.spec.baselineW);
    }
  });
});
