import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BdSeqFile } from '@gridcoop/controller/fleet/bd-seq-file';
import { startControllerFixture } from '../../../controller/test/service/controller-fixture.ts';
import { startTestBroker, type TestBroker } from '../support/test-broker.ts';
import { TestHost } from '../support/test-host.ts';

// Sparkplug B: each session's bdSeq follows the last, also across a restart of the edge node, so a host never takes
// an old session's death for the new one. The whole controller restarts on the same data directory here.
const SITE = 'site-restarts';
const PASSWORD_ENV = 'TEST_FLEET_PASSWORD';
let fleet: TestBroker;
let host: TestHost;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gridcoop-bdseq-'));
  fleet = await startTestBroker([SITE]);
  host = await TestHost.connect(fleet.broker.url, fleet.credentials.aggregator);
});

after(async () => {
  await host?.close();
  await fleet?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the controller on dataDir, waits for its birth, stops it; the birth's and death's bdSeq. */
async function oneSession(bdSeqPath: string): Promise<{ born: number; died: number; logLines: object[] }> {
  const from = host.events.length;
  const site = await startControllerFixture({
    config: {
      planner: { enabled: false },
      fleet: { siteId: SITE, zone: 'z', brokerUrl: fleet.broker.url, passwordEnv: PASSWORD_ENV, bdSeqPath },
    },
    env: { [PASSWORD_ENV]: fleet.credentials.sites[SITE]!.password },
  });
  try {
    await site.untilOnline();
    await site.cycles(2);
    const { birth } = await host.next('NBIRTH', (e) => e.siteId === SITE, { fromIndex: from });
    await site.stop();
    const { death } = await host.next('NDEATH', (e) => e.siteId === SITE, { fromIndex: from });
    return { born: birth.bdSeq, died: death.bdSeq, logLines: site.logLines };
  } catch (error) {
    await site.stop();
    throw error;
  }
}

test('a restarted controller births with the next bdSeq, kept in its data directory', async () => {
  const path = join(dataDir, 'fleet', 'bdseq.json');
  const first = await oneSession(path);
  assert.deepEqual([first.born, first.died], [0, 0]);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { bdSeq: 0 });
  const second = await oneSession(path);
  assert.deepEqual([second.born, second.died], [1, 1]);
  // Wraps at 255 like every Sparkplug sequence.
  writeFileSync(path, JSON.stringify({ bdSeq: 255 }));
  const third = await oneSession(path);
  assert.equal(third.born, 0);
});

test('an unreadable kept bdSeq is logged, the site starts at 0 and the file is rewritten', async () => {
  const path = join(dataDir, 'broken.json');
  writeFileSync(path, '{"bdSeq": "seven"');
  const session = await oneSession(path);
  assert.equal(session.born, 0);
  assert.ok(
    session.logLines.some((line) => (line as { msg?: string }).msg?.includes('the kept bdSeq is unreadable') === true),
  );
  assert.deepEqual(new BdSeqFile(path).load(), { kind: 'loaded', bdSeq: 0 });
  writeFileSync(path, JSON.stringify({ bdSeq: 300 }));
  assert.equal(new BdSeqFile(path).load().kind, 'unreadable');
  assert.deepEqual(new BdSeqFile(join(dataDir, 'none.json')).load(), { kind: 'missing' });
});
