// The operator's answer to rejected interval records: once the cause is fixed, requeue them (API or command line)
// and they are sent again. The rejected records here are what a controller before issue 10 left behind: records
// it refused to resend because the chain's block was behind their interval's end or the oracle was de-authorised.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RegistryQueryClient } from '@gridcoop/contracts';
import { ORACLE_MNEMONIC_ENV } from '../../src/config/index.ts';
import { Outbox, toIntervalRecord } from '../../src/ledger/index.ts';
import type { ClosedInterval } from '../../src/metering/index.ts';
import { smallPlant, startControllerFixture } from '../service/controller-fixture.ts';
import { startRecordingChain } from './chain-fixture.ts';

const INTERVAL_S = 60;
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-requeue-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Intervals of a retired meter (not metered by the controller any more), in January 2014: long ended. */
function retiredIntervals(nodeId: number, count: number): ClosedInterval[] {
  const firstS = Date.UTC(2014, 0, 10) / 1000;
  return Array.from({ length: count }, (_, i) => ({
    deviceId: `retired-${nodeId}`,
    nodeId,
    intervalStartS: firstS + i * INTERVAL_S,
    intervalS: INTERVAL_S,
    energyInWh: 0,
    energyOutWh: 50,
    counterInWh: 0,
    counterOutWh: 10_000 + (i + 1) * 50,
    samplesHash: (i % 16).toString(16).repeat(64),
    sampleCount: 60,
    estimated: false,
  }));
}

/** An outbox as a controller before issue 10 left it: records rejected for refusals that were only for now. */
function outboxWithRejected(path: string, records: ClosedInterval[]): void {
  const outbox = new Outbox(path);
  outbox.store(records);
  for (const [i, record] of records.entries())
    outbox.markRejected(
      record,
      i % 2 === 0
        ? `record 0 (node ${record.nodeId}, interval ${record.intervalStartS}) refused: interval ends after the block time 1796178337 s`
        : 'unauthorized: record_intervals may only be called by an authorised oracle',
    );
  outbox.close();
}

describe('requeueing rejected interval records', () => {
  test('a record refused for good is alerted in the log, API and metrics; POST /api/ledger/requeue-rejected needs the token, checks its body, and requeued records land once', async () => {
    const chain = await startRecordingChain(
      [
        { kind: 'pv', ratedPowerW: 15_000 },
        { kind: 'battery', ratedPowerW: 10_000, energyCapacityWh: 20_000 },
        { kind: 'pv', ratedPowerW: 10_000 },
      ],
      { intervalS: INTERVAL_S },
    );
    const [pvNode, batteryNode, retiredNode] = chain.nodeIds as [number, number, number];
    const outboxPath = join(dir, 'api-outbox.sqlite');
    const all = retiredIntervals(retiredNode, 4);
    const stored = all.slice(0, 3);
    const conflicting = all[3]!;
    outboxWithRejected(outboxPath, stored);
    // the fourth interval is pending in the outbox, but the chain already holds other content for it
    const outbox = new Outbox(outboxPath);
    outbox.store([conflicting]);
    outbox.close();
    await chain.oracle.wasm.execute(
      chain.oracle.address,
      chain.registryAddress,
      { record_intervals: { records: [{ ...toIntervalRecord(conflicting), samples_hash: 'e'.repeat(64) }] } },
      'auto',
    );
    const f = await startControllerFixture({
      plant: { ...smallPlant, miners: [] },
      config: {
        planner: { enabled: false },
        ledger: {
          mode: 'cosmwasm',
          chain: {
            rpcUrl: chain.chain.rpcUrl,
            chainId: chain.chain.chainId,
            prefix: chain.chain.prefix,
            gasPrice: chain.chain.gasPrice,
            broadcastPollIntervalMs: 20,
          },
          registryAddress: chain.registryAddress,
          intervalS: INTERVAL_S,
          outboxPath,
          retryInitialMs: 100,
          nodes: { 'pv-1': pvNode, 'battery-1': batteryNode },
        },
      },
      env: { [ORACLE_MNEMONIC_ENV]: chain.oracleMnemonic },
    }).catch(async (error: unknown) => {
      await chain.chain.stop();
      throw error;
    });
    try {
      for (let i = 0; i < 400 && f.controller.service.ledger().outbox!.rejected < 4; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      const before = await f.api('/api/ledger', { token: null });
      assert.equal(before.body.outbox.rejected, 4);
      assert.equal(before.body.submitter.lastRejection.intervalStartS, conflicting.intervalStartS);
      assert.match(before.body.submitter.lastRejection.reason, /conflicts with the record already stored/);
      const alert = f.logLines.find((l) => l.level === 50 && l.intervalStartS === conflicting.intervalStartS);
      assert.match(String(alert?.msg), /refused an interval record for good/);
      await f.cycles(1); // metrics are refreshed once per cycle
      assert.match((await f.api('/metrics', { token: null })).body, /gridcoop_outbox_records\{status="rejected"\} 4/);

      const anonymous = await f.api('/api/ledger/requeue-rejected', { method: 'POST', token: null, json: {} });
      assert.equal(anonymous.status, 401);
      const bad = await f.api('/api/ledger/requeue-rejected', { method: 'POST', json: { nodeId: 0, all: true } });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body.details.map((d: { path: string }) => d.path).sort(), ['(body)', 'nodeId']);
      assert.equal((await f.api('/api/ledger', { token: null })).body.outbox.rejected, 4, 'a refusal changes nothing');

      const otherNode = await f.api('/api/ledger/requeue-rejected', { method: 'POST', json: { nodeId: pvNode } });
      assert.deepEqual([otherNode.status, otherNode.body], [200, { requeued: 0 }]);
      const requeued = await f.api('/api/ledger/requeue-rejected', { method: 'POST', json: {} });
      assert.deepEqual([requeued.status, requeued.body], [200, { requeued: 4 }]);
      assert.ok(
        f.logLines.some((l) => l.msg === 'rejected interval records requeued by the operator' && l.requeued === 4),
      );

      const registry = new RegistryQueryClient(chain.oracle.wasm, chain.registryAddress);
      let onChain: number[] = [];
      for (let i = 0; i < 400 && onChain.length < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        onChain = (await registry.records(retiredNode, { limit: 30 })).records.map((r) => r.record.interval_start);
      }
      assert.deepEqual(
        onChain,
        all.map((r) => r.intervalStartS),
        'every interval once: the three requeued from the outbox and the other content already there',
      );
      const settled = () =>
        f.controller.service.ledgerRecords({ nodeId: retiredNode }).filter((r) => r.status !== 'pending').length;
      for (let i = 0; i < 400 && settled() < 4; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.deepEqual(
        f.controller.service.ledgerRecords({ nodeId: retiredNode }).map((r) => r.status),
        ['done', 'done', 'done', 'rejected'],
        'the conflict was not fixed: requeued, it is rejected (and alerted) again',
      );
    } finally {
      await f.stop();
      await chain.chain.stop();
    }
  });

  test("`npm run controller -- --requeue-rejected --node N` requeues that node's rejected records; a bad value is one line and exit 2", () => {
    const outboxPath = join(dir, 'cli-outbox.sqlite');
    outboxWithRejected(outboxPath, [...retiredIntervals(4, 2), ...retiredIntervals(5, 1)]);
    const example = JSON.parse(readFileSync(join(root, 'controller/src/config/example.controller.json'), 'utf8')) as {
      ledger?: unknown;
    };
    const ledger = {
      mode: 'cosmwasm',
      chain: { rpcUrl: 'http://127.0.0.1:9', chainId: 'gridcoop-local-1', prefix: 'gridcoop', gasPrice: '0.025ugrid' },
      registryAddress: 'gridcoop1registry',
      outboxPath,
      nodes: { 'pv-1': 4 },
    };
    const configPath = join(dir, 'controller.json');
    writeFileSync(configPath, JSON.stringify({ ...example, ledger }));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'controller/src/cli/controller.ts', ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const counts = () => {
      const outbox = new Outbox(outboxPath);
      try {
        return outbox.counts();
      } finally {
        outbox.close();
      }
    };

    const badNode = run('--config', configPath, '--requeue-rejected', '--node', 'four');
    assert.equal(badNode.status, 2);
    assert.match(
      badNode.stderr,
      /^controller: --node must be a registry node id \(a positive integer\), not four \(see npm run controller -- --help\)\n/,
    );
    assert.doesNotMatch(badNode.stderr, /\n\s+at /, 'no stack trace');
    const unknownFlag = run('--config', configPath, '--requeue-everything');
    assert.equal(unknownFlag.status, 2);
    assert.match(unknownFlag.stderr, /^controller: Unknown option '--requeue-everything'/);
    assert.equal(counts().rejected, 3, 'a refused command line changes nothing');

    const one = run('--config', configPath, '--requeue-rejected', '--node', '4');
    assert.equal(one.status, 0, one.stderr);
    assert.equal(one.stdout, `requeued 2 rejected records of node 4 in ${outboxPath} (now 2 pending, 1 rejected)\n`);
    const all = run('--config', configPath, '--requeue-rejected');
    assert.equal(all.stdout, `requeued 1 rejected record in ${outboxPath} (now 3 pending, 0 rejected)\n`);
    assert.deepEqual(counts(), { pending: 3, done: 0, rejected: 0, retrying: 0, oldestPendingStartS: 1389312000 });

    writeFileSync(
      configPath,
      JSON.stringify({ ...example, ledger: { ...ledger, outboxPath: join(dir, 'none.sqlite') } }),
    );
    const missing = run('--config', configPath, '--requeue-rejected');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^controller: no outbox at .*none\.sqlite: nothing was recorded yet\n$/);
    const help = run('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--requeue-rejected/);
  });
});
