import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { RegistryClient, RegistryQueryClient } from '@gridcoop/contracts';
import { startLocalChain } from '../../../contracts-cosmwasm/chain/local-chain.ts';
import {
  Outbox,
  OutboxSubmitter,
  RegistrySender,
  KavaAnchorSender,
  batchDigest,
  parseAnchorMemo,
  toIntervalRecord,
  type SubmitOutcome,
} from '../../src/ledger/index.ts';
import type { ClosedInterval } from '../../src/metering/index.ts';
import { INTERVAL_S, signer, startRecordingChain } from './chain-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-recording-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Intervals of the last hours (the registry refuses intervals that end after the block time), or from `firstS`.
 */
function intervals(
  nodeId: number,
  count: number,
  energyOutWh: (i: number) => number,
  firstS = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - (count + 2) * INTERVAL_S,
): ClosedInterval[] {
  let counter = 50_000;
  return Array.from({ length: count }, (_, i) => {
    const energy = energyOutWh(i);
    counter += energy;
    return {
      deviceId: `node-${nodeId}`,
      nodeId,
      intervalStartS: firstS + i * INTERVAL_S,
      intervalS: INTERVAL_S,
      energyInWh: 0,
      energyOutWh: energy,
      counterInWh: 0,
      counterOutWh: counter,
      samplesHash: (i % 16).toString(16).repeat(64),
      sampleCount: 900,
      estimated: false,
    };
  });
}

async function drain(submitter: OutboxSubmitter): Promise<SubmitOutcome[]> {
  const outcomes: SubmitOutcome[] = [];
  for (let i = 0; i < 50; i++) {
    const outcome = await submitter.submitOnce();
    if (outcome.kind === 'idle') return outcomes;
    outcomes.push(outcome);
  }
  throw new Error('the submitter never became idle');
}

const sum = (records: ClosedInterval[], pick: (r: ClosedInterval) => number) =>
  records.reduce((s, r) => s + pick(r), 0);

describe('recording closed intervals on a chain through the outbox', () => {
  test('every pending interval is recorded once, and a resend after a crash changes nothing', async () => {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain([
      { kind: 'pv', ratedPowerW: 10_000 },
      { kind: 'pv', ratedPowerW: 20_000 },
    ]);
    try {
      const outbox = new Outbox(join(dir, 'once.sqlite'));
      const stored = nodeIds.flatMap((id, n) => intervals(id, 12, (i) => 100 * (n + 1) + i));
      outbox.store(stored);
      const sender = new RegistrySender(oracle.wasm, oracle.address, registryAddress);
      const submitter = new OutboxSubmitter(outbox, sender, { batchSize: 5 });
      const outcomes = await drain(submitter);
      assert.ok(outcomes.every((o) => o.kind === 'sent'));
      assert.deepEqual(outbox.counts(), { pending: 0, done: 24, rejected: 0, retrying: 0, oldestPendingStartS: null });
      assert.ok(outbox.records().every((r) => r.txHash && r.height && r.height > 0));

      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      for (const id of nodeIds) {
        const mine = stored.filter((r) => r.nodeId === id);
        assert.deepEqual(await registry.nodeTotals(id), {
          energy_in_wh: 0,
          energy_out_wh: sum(mine, (r) => r.energyOutWh),
          records: 12,
        });
      }
      // the controller crashed after broadcasting but before marking done: the same batch goes again
      await sender.send(stored.slice(0, 5));
      for (const id of nodeIds) assert.equal((await registry.nodeTotals(id)).records, 12);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test('a chain outage delays records, loses none, and the submitter resumes in order once the chain is back', async () => {
    const dataDir = join(dir, 'outage-chain');
    const first = await startRecordingChain([{ kind: 'battery', ratedPowerW: 5_000, energyCapacityWh: 10_000 }], {
      dataDir,
    });
    const port = Number(new URL(first.chain.rpcUrl).port);
    const outbox = new Outbox(join(dir, 'outage.sqlite'));
    const [nodeId] = first.nodeIds as [number];
    const stored = intervals(nodeId, 9, (i) => 200 + i);
    outbox.store(stored.slice(0, 3));
    const submitter = new OutboxSubmitter(
      outbox,
      new RegistrySender(first.oracle.wasm, first.oracle.address, first.registryAddress),
      {
        batchSize: 4,
        retryInitialMs: 500,
        retryMaxMs: 4_000,
      },
    );
    assert.equal((await submitter.submitOnce()).kind, 'sent');
    await first.chain.stop();

    // the meter keeps closing intervals while the chain is away
    outbox.store(stored.slice(3));
    const retries: number[] = [];
    for (let i = 0; i < 5; i++) {
      const outcome = await submitter.submitOnce();
      assert.equal(outcome.kind, 'unavailable');
      if (outcome.kind === 'unavailable') retries.push(outcome.retryInMs);
    }
    assert.deepEqual(retries, [500, 1_000, 2_000, 4_000, 4_000], 'back-off grows per failure up to its cap');
    assert.equal(outbox.counts().pending, 6);
    assert.match(submitter.status().lastError ?? '', /./, 'the failure is visible');
    // the batch at the head of the queue carries the attempts and the error; the records behind it wait untouched
    assert.deepEqual(
      outbox.records({ status: 'pending' }).map((r) => [r.attempts, r.lastError !== null]),
      [...Array(4).fill([5, true]), ...Array(2).fill([0, false])],
    );

    const chain = await startLocalChain({ dataDir, port, blockTimeMs: 50 });
    try {
      const outcomes = await drain(submitter);
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['sent', 'sent'],
      );
      assert.equal(outbox.counts().done, 9);
      const registry = new RegistryQueryClient(first.oracle.wasm, first.registryAddress);
      const { records } = await registry.records(nodeId, { limit: 30 });
      assert.deepEqual(
        records.map((r) => r.record.interval_start),
        stored.map((r) => r.intervalStartS),
        'every interval once, in order',
      );
      assert.equal(
        (await registry.nodeTotals(nodeId)).energy_out_wh,
        sum(stored, (r) => r.energyOutWh),
      );
    } finally {
      outbox.close();
      await chain.stop();
    }
  });

  test('a record the registry refuses is isolated and kept with the reason, while the rest are recorded', async () => {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain([{ kind: 'pv', ratedPowerW: 4_000 }]);
    try {
      const [nodeId] = nodeIds as [number];
      const outbox = new Outbox(join(dir, 'refused.sqlite'));
      // 4 kW for 15 min is at most 1,000 Wh: the fifth interval claims 1,500 Wh
      const stored = intervals(nodeId, 8, (i) => (i === 4 ? 1_500 : 300));
      outbox.store(stored);
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        batchSize: 8,
      });
      const outcomes = await drain(submitter);
      assert.deepEqual(outcomes, [{ kind: 'refused', rejected: 1, retrying: 0, sent: 7 }]);
      const [rejected] = outbox.records({ status: 'rejected' });
      assert.equal(rejected?.intervalStartS, stored[4]!.intervalStartS);
      assert.match(rejected?.lastError ?? '', /exceeds rated power/);
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      assert.equal((await registry.nodeTotals(nodeId)).records, 7);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test('kava mode anchors each batch with a bank-send memo that matches the batch kept in the outbox', async () => {
    const chain = await startLocalChain({ blockTimeMs: 50 });
    try {
      const operator = await signer(chain, 0);
      const outbox = new Outbox(join(dir, 'kava.sqlite'));
      const stored = [...intervals(1, 6, (i) => 10 + i), ...intervals(2, 6, (i) => 20 + i)];
      outbox.store(stored);
      const submitter = new OutboxSubmitter(
        outbox,
        new KavaAnchorSender(operator.bank, operator.address, chain.denom),
        { batchSize: 5 },
      );
      const outcomes = await drain(submitter);
      assert.equal(outcomes.length, 3);
      const hashes = new Set(outbox.records().map((r) => r.txHash));
      assert.equal(hashes.size, 3);
      for (const hash of hashes) {
        const tx = await operator.bank.getTx(hash!);
        assert.ok(tx, `anchor tx ${hash} is in a block`);
        const memo = parseAnchorMemo(decodeTxRaw(tx.tx).body.memo);
        const batch = outbox.records().filter((r) => r.txHash === hash);
        assert.ok(memo);
        assert.equal(memo.digest, batchDigest(batch));
        assert.equal(memo.count, batch.length);
        assert.equal(memo.fromS, Math.min(...batch.map((r) => r.intervalStartS)));
      }
      outbox.close();
    } finally {
      await chain.stop();
    }
  });
});

/** Waits for a block whose time is at least `s` (the chain's clock was moved; blocks keep coming every 50 ms). */
async function untilBlockTimeReaches(client: { getBlock(): Promise<{ header: { time: string } }> }, s: number) {
  for (let i = 0; i < 200; i++) {
    if (Date.parse((await client.getBlock()).header.time) / 1000 >= s) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the chain's block time never reached ${s} s`);
}

describe('records the chain refuses for now are kept and land later (issue 10)', () => {
  test("an interval that ends after the chain's latest block waits unsent, and lands once the block time passes its end", async () => {
    // the chain's clock is the test's: blocks keep coming every 50 ms, their time moves only when the test says
    let clockMs = Date.now();
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      [{ kind: 'pv', ratedPowerW: 10_000 }],
      {
        now: () => clockMs,
      },
    );
    try {
      const [nodeId] = nodeIds as [number];
      const currentS = Math.floor(clockMs / 1000 / INTERVAL_S) * INTERVAL_S;
      // the interval before the current one has ended; the current one ends in up to 15 minutes of chain time
      const stored = intervals(nodeId, 2, (i) => 100 + i, currentS - INTERVAL_S);
      const outbox = new Outbox(join(dir, 'block-time.sqlite'));
      outbox.store(stored);
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress));
      const first = await submitter.submitOnce();
      assert.deepEqual([first.kind, first.kind === 'sent' && first.records], ['sent', 1]);
      const waiting = await submitter.submitOnce();
      assert.equal(waiting.kind, 'waiting');
      assert.ok(waiting.kind === 'waiting' && waiting.chainTimeS! < currentS + INTERVAL_S);
      const pending = outbox.records({ status: 'pending' });
      assert.deepEqual(
        pending.map((r) => [r.intervalStartS, r.attempts]),
        [[currentS, 0]],
        'not even tried: nothing was spent on a transaction the chain would refuse',
      );

      clockMs = (currentS + INTERVAL_S) * 1000 + 1;
      await untilBlockTimeReaches(oracle.wasm, currentS + INTERVAL_S);
      const second = await submitter.submitOnce();
      assert.equal(second.kind, 'sent');
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      const { records } = await registry.records(nodeId, { limit: 30 });
      assert.deepEqual(
        records.map((r) => r.record.interval_start),
        [currentS - INTERVAL_S, currentS],
      );
      assert.deepEqual(outbox.counts(), { pending: 0, done: 2, rejected: 0, retrying: 0, oldestPendingStartS: null });
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test('a record sent before the block time passed its end is refused by the chain for now, retried with back-off, and lands', async () => {
    let clockMs = Date.now();
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      [{ kind: 'pv', ratedPowerW: 10_000 }],
      {
        now: () => clockMs,
      },
    );
    try {
      const [nodeId] = nodeIds as [number];
      const currentS = Math.floor(clockMs / 1000 / INTERVAL_S) * INTERVAL_S;
      const stored = intervals(nodeId, 1, () => 500, currentS);
      const outbox = new Outbox(join(dir, 'early.sqlite'));
      outbox.store(stored);
      const real = new RegistrySender(oracle.wasm, oracle.address, registryAddress);
      // the node answering for the time is ahead of the one that checks the transaction (e.g. behind a load
      // balancer), as the wall clock is ahead of a real chain's last block: the record goes too early
      const early = {
        mode: real.mode,
        send: real.send.bind(real),
        latestBlockTimeS: async () => currentS + INTERVAL_S + 60,
        storedRecord: real.storedRecord.bind(real),
      };
      const submitter = new OutboxSubmitter(outbox, early, { retryInitialMs: 200, retryMaxMs: 1_000 });
      const refused = [await submitter.submitOnce(), await submitter.submitOnce()];
      assert.deepEqual(
        refused.map((o) => [o.kind, 'retryInMs' in o && o.retryInMs]),
        [
          ['deferred', 200],
          ['deferred', 400],
        ],
      );
      const [firstRefusal] = refused;
      assert.match(firstRefusal?.kind === 'deferred' ? firstRefusal.error : '', /interval ends after the block time/);
      assert.deepEqual(outbox.counts(), {
        pending: 1,
        done: 0,
        rejected: 0,
        retrying: 0,
        oldestPendingStartS: currentS,
      });
      assert.equal(outbox.records()[0]!.attempts, 2);

      clockMs = (currentS + INTERVAL_S) * 1000 + 1;
      await untilBlockTimeReaches(oracle.wasm, currentS + INTERVAL_S);
      assert.equal((await submitter.submitOnce()).kind, 'sent');
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      assert.deepEqual(await registry.nodeTotals(nodeId), { energy_in_wh: 0, energy_out_wh: 500, records: 1 });
      assert.equal(submitter.status().consecutiveFailures, 0);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test("a de-authorised oracle's records wait, and land once the oracle is authorised again", async () => {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain([
      { kind: 'pv', ratedPowerW: 10_000 },
      { kind: 'battery', ratedPowerW: 5_000, energyCapacityWh: 10_000 },
    ]);
    try {
      const outbox = new Outbox(join(dir, 'deauthorised.sqlite'));
      const stored = nodeIds.flatMap((id, n) => intervals(id, 3, (i) => 100 * (n + 1) + i));
      outbox.store(stored.filter((r) => r.intervalStartS === stored[0]!.intervalStartS));
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        batchSize: 4,
        retryInitialMs: 300,
      });
      assert.equal((await submitter.submitOnce()).kind, 'sent');
      // the admin (here the same dev key) takes the oracle off the list; the meter keeps closing intervals
      const admin = new RegistryClient(oracle.wasm, registryAddress, oracle.address);
      await oracle.wasm.execute(
        oracle.address,
        registryAddress,
        { update_oracles: { add: [], remove: [oracle.address] } },
        'auto',
      );
      outbox.store(stored.filter((r) => r.intervalStartS !== stored[0]!.intervalStartS));
      const deferred = [await submitter.submitOnce(), await submitter.submitOnce()];
      assert.deepEqual(
        deferred.map((o) => [o.kind, 'retryInMs' in o && o.retryInMs]),
        [
          ['deferred', 300],
          ['deferred', 600],
        ],
      );
      assert.match(submitter.status().lastError ?? '', /unauthorized: record_intervals/);
      assert.deepEqual(outbox.counts(), {
        pending: 4,
        done: 2,
        rejected: 0,
        retrying: 0,
        oldestPendingStartS: stored[1]!.intervalStartS,
      });

      await oracle.wasm.execute(
        oracle.address,
        registryAddress,
        { update_oracles: { add: [oracle.address], remove: [] } },
        'auto',
      );
      const outcomes = await drain(submitter);
      assert.ok(outcomes.every((o) => o.kind === 'sent'));
      assert.deepEqual(outbox.counts(), { pending: 0, done: 6, rejected: 0, retrying: 0, oldestPendingStartS: null });
      for (const id of nodeIds) {
        const { records } = await admin.records(id, { limit: 30 });
        assert.deepEqual(
          records.map((r) => r.record.interval_start),
          stored.filter((r) => r.nodeId === id).map((r) => r.intervalStartS),
          `node ${id}: every interval once`,
        );
      }
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test("a suspended node's records wait out a per-record back-off while the others land, and land once it is resumed", async () => {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain([
      { kind: 'pv', ratedPowerW: 10_000 },
      { kind: 'pv', ratedPowerW: 10_000 },
    ]);
    try {
      const [active, suspended] = nodeIds as [number, number];
      const operator = new RegistryClient(oracle.wasm, registryAddress, oracle.address);
      await operator.suspendNode(suspended, 'inverter replaced, meter to be checked');
      const outbox = new Outbox(join(dir, 'suspended.sqlite'));
      const stored = [...intervals(active, 3, (i) => 100 + i), ...intervals(suspended, 3, (i) => 200 + i)];
      outbox.store(stored);
      let nowMs = 1_000_000;
      const alerts: string[] = [];
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        retryInitialMs: 5_000,
        now: () => nowMs,
        onRejected: (_record, reason) => alerts.push(reason),
      });
      // each refused record is named by the registry: isolated without splitting the batch, held, the rest sent
      assert.deepEqual(await submitter.submitOnce(), { kind: 'refused', rejected: 0, retrying: 3, sent: 3 });
      assert.deepEqual(
        outbox.records({ nodeId: suspended }).map((r) => [r.status, r.retryAtMs]),
        Array(3).fill(['pending', 1_005_000]),
      );
      assert.match(outbox.records({ nodeId: suspended })[0]!.lastError ?? '', /node is suspended/);
      assert.equal(outbox.counts().retrying, 3);
      assert.equal((await submitter.submitOnce()).kind, 'waiting', 'held until their retry time');

      await operator.resumeNode(suspended);
      nowMs += 5_000;
      const resumed = await submitter.submitOnce();
      assert.deepEqual([resumed.kind, resumed.kind === 'sent' && resumed.records], ['sent', 3]);
      assert.deepEqual(outbox.counts(), { pending: 0, done: 6, rejected: 0, retrying: 0, oldestPendingStartS: null });
      assert.deepEqual(alerts, [], 'nothing was refused for good');
      for (const id of nodeIds)
        assert.equal((await operator.nodeTotals(id)).records, 3, `node ${id}: every interval once`);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test('a record that conflicts with a different stored one is rejected with an alert; an identical stored one is done', async () => {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain([
      { kind: 'pv', ratedPowerW: 10_000 },
    ]);
    try {
      const [nodeId] = nodeIds as [number];
      const stored = intervals(nodeId, 5, (i) => 200 + i);
      // on chain before the outbox sends anything: record 1 exactly as the outbox holds it (its acknowledgement was
      // lost), record 3 with other content (another controller on the same node, or a metering bug)
      await oracle.wasm.execute(
        oracle.address,
        registryAddress,
        {
          record_intervals: {
            records: [toIntervalRecord(stored[1]!), { ...toIntervalRecord(stored[3]!), samples_hash: 'f'.repeat(64) }],
          },
        },
        'auto',
      );
      const outbox = new Outbox(join(dir, 'conflict.sqlite'));
      outbox.store(stored);
      const alerts: string[] = [];
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        onRejected: (record, reason) => alerts.push(`${record.intervalStartS}: ${reason}`),
      });
      assert.deepEqual(await drain(submitter), [{ kind: 'refused', rejected: 1, retrying: 0, sent: 4 }]);
      assert.deepEqual(
        outbox.records().map((r) => r.status),
        ['done', 'done', 'done', 'rejected', 'done'],
      );
      assert.equal(alerts.length, 1);
      assert.match(alerts[0]!, new RegExp(`^${stored[3]!.intervalStartS}: .*conflicts with the record already stored`));
      assert.deepEqual(submitter.status().lastRejection, {
        nodeId,
        intervalStartS: stored[3]!.intervalStartS,
        reason: outbox.records({ status: 'rejected' })[0]!.lastError,
      });
      assert.equal(submitter.status().rejectedSinceStart, 1);
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      assert.equal((await registry.nodeTotals(nodeId)).records, 5, 'four from the outbox and the different one');
      outbox.close();
    } finally {
      await chain.stop();
    }
  });
});
