import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { Outbox, OutboxConflictError } from '../../src/ledger/index.ts';
import type { ClosedInterval } from '../../src/metering/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-outbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function interval(nodeId: number, intervalStartS: number, energyOutWh: number, counterOutWh: number): ClosedInterval {
  return {
    deviceId: `dev-${nodeId}`,
    nodeId,
    intervalStartS,
    intervalS: 900,
    energyInWh: 0,
    energyOutWh,
    counterInWh: 0,
    counterOutWh,
    samplesHash: 'b'.repeat(64),
    sampleCount: 900,
    estimated: false,
  };
}

describe('the durable outbox', () => {
  test('closed intervals and meter boundaries survive closing and reopening', () => {
    const path = join(dir, 'reopen.sqlite');
    const outbox = new Outbox(path);
    outbox.store([interval(1, 900, 10, 110), interval(2, 900, 20, 220)]);
    outbox.close();
    const reopened = new Outbox(path);
    assert.deepEqual(reopened.counts(), { pending: 2, done: 0, rejected: 0, retrying: 0, oldestPendingStartS: 900 });
    assert.deepEqual(reopened.boundaries().get('dev-1'), { atS: 1800, counterInWh: 0, counterOutWh: 110 });
    assert.equal(reopened.nextBatch(10).length, 2);
    reopened.close();
  });

  test('storing the same interval again is a no-op; a conflicting one is refused and changes nothing', () => {
    const outbox = new Outbox(join(dir, 'conflict.sqlite'));
    outbox.store([interval(1, 900, 10, 110)]);
    outbox.store([interval(1, 900, 10, 110)]);
    assert.equal(outbox.counts().pending, 1);
    assert.throws(
      () => outbox.store([interval(1, 1800, 5, 115), interval(1, 900, 11, 111)]),
      (e: unknown) => e instanceof OutboxConflictError && e.nodeId === 1 && e.intervalStartS === 900,
    );
    // the whole store was one transaction: the good interval in it did not land either
    assert.equal(outbox.counts().pending, 1);
    assert.equal(outbox.records({ nodeId: 1 })[0]!.energyOutWh, 10);
    assert.equal(outbox.boundaries().get('dev-1')!.atS, 1800);
    outbox.close();
  });

  test('records move to done only with their transaction, and rejected ones keep the reason', () => {
    const outbox = new Outbox(join(dir, 'status.sqlite'));
    outbox.store([interval(1, 900, 10, 110), interval(1, 1800, 10, 120), interval(1, 2700, 10, 130)]);
    const [first, second] = outbox.nextBatch(2);
    outbox.markDone([first!], 'ABC', 7);
    outbox.markAttempt([second!], 'chain down');
    outbox.markRejected({ nodeId: 1, intervalStartS: 2700 }, 'exceeds rated power');
    const records = outbox.records({ nodeId: 1 });
    assert.deepEqual(
      records.map((r) => [r.status, r.txHash, r.attempts, r.lastError]),
      [
        ['done', 'ABC', 0, null],
        ['pending', null, 1, 'chain down'],
        ['rejected', null, 1, 'exceeds rated power'],
      ],
    );
    assert.deepEqual(
      outbox.nextBatch(10).map((r) => r.intervalStartS),
      [1800],
    );
    outbox.close();
  });

  test('a record refused for now waits out its retry time, and only intervals the chain clock has passed are offered', () => {
    const outbox = new Outbox(join(dir, 'retry.sqlite'));
    outbox.store([interval(1, 900, 10, 110), interval(2, 900, 20, 220), interval(1, 1800, 10, 120)]);
    outbox.markRetry({ nodeId: 2, intervalStartS: 900 }, 'node is pending: not bound to the plant yet', 5_000);
    assert.deepEqual(
      outbox.nextBatch(10, { nowMs: 4_999 }).map((r) => [r.nodeId, r.intervalStartS]),
      [
        [1, 900],
        [1, 1800],
      ],
    );
    assert.deepEqual(
      outbox.nextBatch(10, { nowMs: 5_000 }).map((r) => [r.nodeId, r.intervalStartS]),
      [
        [1, 900],
        [2, 900],
        [1, 1800],
      ],
    );
    // the chain's latest block is at 2,699 s: the interval 1,800-2,700 has not ended for the chain yet
    assert.deepEqual(
      outbox.nextBatch(10, { nowMs: 5_000, endedByS: 2_699 }).map((r) => r.intervalStartS),
      [900, 900],
    );
    assert.equal(outbox.nextBatch(10, { nowMs: 5_000, endedByS: 2_700 }).length, 3);
    const held = outbox.records({ nodeId: 2 })[0]!;
    assert.deepEqual([held.status, held.attempts, held.retryAtMs], ['pending', 1, 5_000]);
    assert.deepEqual(outbox.counts(), { pending: 3, done: 0, rejected: 0, retrying: 1, oldestPendingStartS: 900 });
    outbox.markDone([held], 'DEF', 9);
    assert.equal(outbox.records({ nodeId: 2 })[0]!.retryAtMs, 0);
    outbox.close();
  });

  test('requeueing rejected records makes them pending again, of one node or all, keeping their history', () => {
    const outbox = new Outbox(join(dir, 'requeue.sqlite'));
    outbox.store([interval(1, 900, 10, 110), interval(2, 900, 20, 220), interval(2, 1800, 20, 240)]);
    outbox.markDone([{ nodeId: 2, intervalStartS: 1800 }], 'ABC', 3);
    outbox.markRejected({ nodeId: 1, intervalStartS: 900 }, 'interval ends after the block time 1000 s');
    outbox.markRejected({ nodeId: 2, intervalStartS: 900 }, 'unauthorized: record_intervals');
    assert.equal(outbox.requeueRejected({ nodeId: 2 }), 1);
    assert.deepEqual(
      outbox.records().map((r) => [r.nodeId, r.intervalStartS, r.status]),
      [
        [1, 900, 'rejected'],
        [2, 900, 'pending'],
        [2, 1800, 'done'],
      ],
    );
    const requeued = outbox.records({ nodeId: 2 })[0]!;
    assert.deepEqual([requeued.attempts, requeued.lastError], [1, 'unauthorized: record_intervals']);
    assert.equal(outbox.requeueRejected(), 1);
    assert.equal(outbox.requeueRejected(), 0, 'nothing left to requeue');
    assert.deepEqual(outbox.counts(), { pending: 2, done: 1, rejected: 0, retrying: 0, oldestPendingStartS: 900 });
    outbox.close();
  });

  test('an outbox written before records could be held for a retry opens, and its records are all sendable', () => {
    const path = join(dir, 'old-layout.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE intervals (
        node_id INTEGER NOT NULL, interval_start INTEGER NOT NULL, device_id TEXT NOT NULL, interval_s INTEGER NOT NULL,
        energy_in_wh INTEGER NOT NULL, energy_out_wh INTEGER NOT NULL, counter_in_wh INTEGER NOT NULL,
        counter_out_wh INTEGER NOT NULL, samples_hash TEXT NOT NULL, sample_count INTEGER NOT NULL,
        estimated INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        tx_hash TEXT, height INTEGER, last_error TEXT, PRIMARY KEY (node_id, interval_start));
      INSERT INTO intervals (node_id, interval_start, device_id, interval_s, energy_in_wh, energy_out_wh, counter_in_wh,
        counter_out_wh, samples_hash, sample_count, estimated, status, last_error)
      VALUES (1, 900, 'dev-1', 900, 0, 10, 0, 110, '${'b'.repeat(64)}', 900, 0, 'rejected', 'interval ends after the block time 1000 s');`);
    old.close();
    const outbox = new Outbox(path);
    assert.equal(outbox.records()[0]!.retryAtMs, 0);
    assert.equal(outbox.requeueRejected(), 1);
    assert.deepEqual(
      outbox.nextBatch(10, { nowMs: 0 }).map((r) => r.intervalStartS),
      [900],
    );
    outbox.close();
  });

  test('a writer killed with SIGKILL mid-storm leaves every boundary equal to the end of its last stored interval', async () => {
    const path = join(dir, 'crash.sqlite');
    for (let round = 0; round < 3; round++) {
      const child = fork(fileURLToPath(new URL('./outbox-crash-writer.ts', import.meta.url)), [path], {
        execArgv: ['--import', 'tsx'],
        stdio: 'ignore',
      });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 70));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const outbox = new Outbox(path);
    const boundaries = outbox.boundaries();
    assert.ok(outbox.counts().pending > 0, 'the writer stored something before it was killed');
    for (const nodeId of [1, 2, 3]) {
      const records = outbox.records({ nodeId, limit: 1_000_000 });
      const last = records.at(-1)!;
      assert.deepEqual(boundaries.get(last.deviceId), {
        atS: last.intervalStartS + 900,
        counterInWh: 0,
        counterOutWh: last.counterOutWh,
      });
      // no interval missing or doubled across the kills, and the counters telescope
      for (const [i, r] of records.entries()) {
        assert.equal(r.intervalStartS, i * 900);
        assert.equal(r.counterOutWh, (i + 1) * (99 + nodeId));
      }
    }
    outbox.close();
  });
});
