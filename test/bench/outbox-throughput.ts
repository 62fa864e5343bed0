// How many interval records per second the outbox sustains: durable stores into SQLite, and end-to-end recording
// through the submitter into the real registry wasm on the local chain (unmodified CosmJS, 20 ms poll), per batch size.
//   node --import tsx test/bench/outbox-throughput.ts [--records 600] [--batches 10,50,100]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox, OutboxSubmitter, RegistrySender } from '../../controller/src/ledger/index.ts';
import type { ClosedInterval } from '../../controller/src/metering/index.ts';
import { INTERVAL_S, startRecordingChain } from '../../controller/test/ledger/chain-fixture.ts';
import { benchArgs } from './bench-args.ts';

const values = benchArgs(
  'outbox-throughput',
  'usage: npm run bench -- outbox-throughput [--records 600] [--batches 10,50,100]',
  { records: { type: 'string', default: '600' }, batches: { type: 'string', default: '10,50,100' } },
);
const total = Number(values.records);
const batchSizes = values.batches.split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-outbox-bench-'));
const NODES = 20;

function intervals(nodeIds: number[], perNode: number, firstS: number): ClosedInterval[] {
  const out: ClosedInterval[] = [];
  for (const nodeId of nodeIds) {
    let counter = 0;
    for (let i = 0; i < perNode; i++) {
      counter += 100;
      out.push({
        deviceId: `node-${nodeId}`,
        nodeId,
        intervalStartS: firstS + i * INTERVAL_S,
        intervalS: INTERVAL_S,
        energyInWh: 0,
        energyOutWh: 100,
        counterInWh: 0,
        counterOutWh: counter,
        samplesHash: (i % 16).toString(16).repeat(64),
        sampleCount: 900,
        estimated: false,
      });
    }
  }
  return out;
}

try {
  // 1. durable stores alone (WAL, synchronous FULL), one transaction per cycle's closed intervals (20 nodes)
  {
    const outbox = new Outbox(join(dir, 'store.sqlite'));
    const records = intervals(
      Array.from({ length: NODES }, (_, i) => i + 1),
      500,
      0,
    );
    const started = performance.now();
    for (let i = 0; i < records.length; i += NODES) outbox.store(records.slice(i, i + NODES));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `outbox store: ${records.length} records in ${seconds.toFixed(2)} s = ${Math.round(records.length / seconds)} records/s (transactions of ${NODES})`,
    );
    outbox.close();
  }
  // 2. end to end: submitter -> registry on the local chain, until every record is in a block
  for (const batchSize of batchSizes) {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      Array.from({ length: NODES }, () => ({ kind: 'pv' as const, ratedPowerW: 100_000 })),
    );
    try {
      const outbox = new Outbox(join(dir, `e2e-${batchSize}.sqlite`));
      const perNode = Math.ceil(total / NODES);
      const firstS = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - (perNode + 2) * INTERVAL_S;
      outbox.store(intervals(nodeIds, perNode, firstS));
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        batchSize,
      });
      const started = performance.now();
      const txMs: number[] = [];
      for (;;) {
        const t = performance.now();
        const outcome = await submitter.submitOnce();
        if (outcome.kind === 'idle') break;
        if (outcome.kind !== 'sent') throw new Error(`unexpected ${JSON.stringify(outcome)}`);
        txMs.push(performance.now() - t);
      }
      const seconds = (performance.now() - started) / 1000;
      const done = outbox.counts().done;
      txMs.sort((a, b) => a - b);
      console.log(
        `recorded on chain, batch ${batchSize}: ${done} records in ${seconds.toFixed(2)} s = ${Math.round(done / seconds)} records/s; ` +
          `per tx p50 ${txMs[Math.floor(txMs.length / 2)]!.toFixed(0)} ms, max ${txMs.at(-1)!.toFixed(0)} ms (${txMs.length} txs)`,
      );
      outbox.close();
    } finally {
      await chain.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
