// `npm start` resets its chain and deletes its outbox, so it refuses a data directory that the demo did not make,
// or one whose outbox still holds records not on chain, unless `--reset` says to discard them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Outbox } from '@gridcoop/controller/ledger/outbox';
import { claimDemoDataDir, DEMO_MARKER_FILE, DemoDataDirError } from '../../scripts/demo-ledger.ts';

const root = mkdtempSync(join(tmpdir(), 'gridcoop-demo-dir-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('npm start refuses a data directory the demo did not make, in one line and with a non-zero exit', () => {
  const foreign = join(root, 'foreign');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'outbox.sqlite'), 'a real plant’s outbox');
  const started = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../../scripts/start.ts')],
    {
      env: {
        ...process.env,
        GRIDCOOP_DATA_DIR: foreign,
        GRIDCOOP_API_PORT: '0',
        GRIDCOOP_UI_PORT: '0',
        GRIDCOOP_CHAIN_PORT: '0',
      },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  assert.notEqual(started.status, 0);
  const lines = started.stderr.trim().split('\n');
  assert.equal(lines.length, 1, started.stderr);
  assert.match(
    lines[0]!,
    /was not made by the demo \(no \.gridcoop-demo in it\), so npm start will not reset its chain/,
  );
});

test('a new directory becomes the demo’s (0700, marked); pending outbox records are discarded only with reset', () => {
  const dir = join(root, 'demo');
  claimDemoDataDir(dir, { reset: false });
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.ok(statSync(join(dir, DEMO_MARKER_FILE)).isFile());
  claimDemoDataDir(dir, { reset: false }); // the demo's own, nothing pending: a start goes ahead

  const outbox = new Outbox(join(dir, 'outbox.sqlite'));
  outbox.store([
    {
      deviceId: 'pv-1',
      nodeId: 1,
      intervalStartS: 1_800_000_000 - (1_800_000_000 % 60),
      intervalS: 60,
      energyInWh: 0,
      energyOutWh: 10,
      counterInWh: 0,
      counterOutWh: 10,
      samplesHash: '0'.repeat(64),
      sampleCount: 6,
      estimated: false,
    },
  ]);
  outbox.close();
  assert.throws(
    () => claimDemoDataDir(dir, { reset: false }),
    (e: unknown) =>
      e instanceof DemoDataDirError &&
      e.message ===
        `${dir} holds 1 outbox records not yet on chain, which a start would delete: npm start -- --reset discards them`,
  );
  assert.doesNotThrow(() => claimDemoDataDir(dir, { reset: true }));
});

test('a demo home site’s pending outbox records are protected too (the fleet keeps one outbox per site)', () => {
  const dir = join(root, 'fleet-demo');
  claimDemoDataDir(dir, { reset: false });
  const siteDir = join(dir, 'sites', 'home-north');
  mkdirSync(siteDir, { recursive: true });
  const outbox = new Outbox(join(siteDir, 'outbox.sqlite'));
  outbox.store([
    {
      deviceId: 'home-north-pv',
      nodeId: 12,
      intervalStartS: 1_800_000_000 - (1_800_000_000 % 60),
      intervalS: 60,
      energyInWh: 0,
      energyOutWh: 4,
      counterInWh: 0,
      counterOutWh: 4,
      samplesHash: '0'.repeat(64),
      sampleCount: 6,
      estimated: false,
    },
  ]);
  outbox.close();
  assert.throws(
    () => claimDemoDataDir(dir, { reset: false }),
    (e: unknown) => e instanceof DemoDataDirError && /holds 1 outbox records not yet on chain/.test(e.message),
  );
  assert.doesNotThrow(() => claimDemoDataDir(dir, { reset: true }));
});
