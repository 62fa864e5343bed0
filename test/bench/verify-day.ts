// The verifier over a day of demo recording: the demo plant's nine nodes, a day of 1-minute intervals each (the
// demo's interval length), recorded on the local chain (real registry wasm, gas metering on) by the controller's own
// outbox and submitter, then the verifier (what `npm run verify` runs: readLedgerEvidence + verifyLedger) over the
// whole day for every node. Figures: recording time and rate, then per node the verdict, the time and the records
// and RPC requests it needed.
// Assumptions: a simulated meter (each node's counters move by a steady amount per interval, with a daily shape);
// the day is the 24 h that ended a few minutes before the run, so every interval has closed and the chain's clock
// (real time) allows it at once: no 24 h wait; fast blocks (--block-ms, default 200) so the run takes minutes; the
// chain in this process; one oracle key; epochs of a day (the recording fixture's), not the demo's 10 minutes.
// Run: node --import tsx test/bench/verify-day.ts [--nodes 9] [--intervals 1440] [--block-ms 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLedgerEvidence } from '../../contracts-cosmwasm/verify/chain-reader.ts';
import { verifyLedger } from '../../contracts-cosmwasm/verify/verify-ledger.ts';
import { Outbox, OutboxSubmitter, RegistrySender } from '../../controller/src/ledger/index.ts';
import type { ClosedInterval } from '../../controller/src/metering/index.ts';
import { startRecordingChain } from '../../controller/test/ledger/chain-fixture.ts';

const INTERVAL_S = 60;
const usage = 'usage: node --import tsx test/bench/verify-day.ts [--nodes 9] [--intervals 1440] [--block-ms 200]';
let values: { nodes: string; intervals: string; 'block-ms': string; help?: boolean };
try {
  values = parseArgs({
    options: {
      nodes: { type: 'string', default: '9' },
      intervals: { type: 'string', default: '1440' },
      'block-ms': { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values as typeof values;
} catch (error) {
  console.error(`verify-day: ${(error as Error).message}; ${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const nodeCount = Number(values.nodes);
const perNode = Number(values.intervals);
const blockMs = Number(values['block-ms']);
for (const [name, ok, expected] of [
  ['--nodes', Number.isSafeInteger(nodeCount) && nodeCount >= 1 && nodeCount <= 30, 'an integer 1..30'],
  ['--intervals', Number.isSafeInteger(perNode) && perNode >= 1 && perNode <= 10_080, 'an integer 1..10080'],
  ['--block-ms', Number.isSafeInteger(blockMs) && blockMs >= 20, 'an integer >= 20'],
] as const)
  if (!ok) {
    console.error(`verify-day: ${name} ${values[name.slice(2) as 'nodes']}: expected ${expected}; ${usage}`);
    process.exit(2);
  }

/** A node's day: energy out follows a daily shape (PV-like for odd nodes, flat for even), counters telescope. */
function day(nodeId: number, firstS: number): ClosedInterval[] {
  const out: ClosedInterval[] = [];
  let counter = 1_000 * nodeId;
  for (let i = 0; i < perNode; i++) {
    const hour = (i / 60) % 24;
    const energy =
      nodeId % 2 === 1 ? Math.max(0, Math.round(80 * Math.sin(((hour - 6) / 12) * Math.PI))) : 20 + (nodeId % 5);
    counter += energy;
    out.push({
      deviceId: `node-${nodeId}`,
      nodeId,
      intervalStartS: firstS + i * INTERVAL_S,
      intervalS: INTERVAL_S,
      energyInWh: 0,
      energyOutWh: energy,
      counterInWh: 0,
      counterOutWh: counter,
      samplesHash: ((i + nodeId) % 16).toString(16).repeat(64),
      sampleCount: 60,
      estimated: false,
    });
  }
  return out;
}

/** Counts the RPC requests the verifier makes (CosmJS's HTTP client uses the global fetch in Node 20). */
let rpcRequests = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (...args: Parameters<typeof fetch>) => {
  rpcRequests += 1;
  return realFetch(...args);
};

console.log(
  `verify-day: ${nodeCount} nodes x ${perNode} one-minute intervals (${(nodeCount * perNode).toLocaleString('en')} records), ` +
    `${blockMs} ms blocks, gas metering on (${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version})`,
);
console.log(
  'assumptions: simulated meters; the day is the 24 h that ended minutes ago (the chain runs on real time, no wait); ' +
    'the local chain in this process; the controller outbox + submitter at its defaults (up to 500 records per tx, ' +
    'half the 100M block gas); the verifier in process (as npm run verify), RPC over HTTP',
);
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-verify-day-'));
const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
  Array.from({ length: nodeCount }, () => ({ kind: 'pv' as const, ratedPowerW: 100_000 })),
  { blockTimeMs: blockMs, intervalS: INTERVAL_S },
);
try {
  const endS = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - 5 * INTERVAL_S;
  const firstS = endS - perNode * INTERVAL_S;
  const outbox = new Outbox(join(dir, 'outbox.sqlite'));
  const intervals = nodeIds.flatMap((id) => day(id, firstS)).sort((a, b) => a.intervalStartS - b.intervalStartS);
  outbox.store(intervals);
  const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
    batchSize: 500,
    txGasBudget: 50_000_000,
  });
  const heightBefore = await oracle.wasm.getHeight();
  const recordStarted = performance.now();
  let txs = 0;
  for (;;) {
    const outcome = await submitter.submitOnce();
    if (outcome.kind === 'idle') break;
    if (outcome.kind !== 'sent') throw new Error(`recording stopped: ${JSON.stringify(outcome)}`);
    txs += 1;
  }
  const recordS = (performance.now() - recordStarted) / 1000;
  const counts = outbox.counts();
  outbox.close();
  console.log(
    `recorded ${counts.done.toLocaleString('en')} records in ${recordS.toFixed(1)} s (${Math.round(counts.done / recordS)} records/s, ` +
      `${txs} txs over ${(await oracle.wasm.getHeight()) - heightBefore} blocks); pending ${counts.pending}, rejected ${counts.rejected}`,
  );

  let allConsistent = true;
  let totalS = 0;
  let totalRequests = 0;
  for (const nodeId of nodeIds) {
    const requestsBefore = rpcRequests;
    const started = performance.now();
    const evidence = await readLedgerEvidence({
      rpcUrl: chain.rpcUrl,
      registry: registryAddress,
      nodeId,
      fromS: firstS,
      toS: endS,
    });
    const report = verifyLedger(evidence);
    const seconds = (performance.now() - started) / 1000;
    const requests = rpcRequests - requestsBefore;
    totalS += seconds;
    totalRequests += requests;
    const verdict =
      report.inconsistency === null
        ? 'consistent'
        : `INCONSISTENT at ${report.inconsistency.intervalStart ?? report.inconsistency.epoch}: ${report.inconsistency.reason}`;
    if (report.inconsistency !== null || report.records !== perNode) allConsistent = false;
    console.log(
      `node ${nodeId}: ${verdict}; ${report.records} records, ${report.energyOutWh} Wh out, ` +
        `${evidence.messages.length} recording messages read; ${seconds.toFixed(1)} s, ${requests} RPC requests`,
    );
  }
  console.log(
    `verifier over the whole day, ${nodeIds.length} nodes: ${allConsistent ? 'consistent' : 'NOT consistent'}; ` +
      `${totalS.toFixed(1)} s in all, ${totalRequests} RPC requests (${Math.round(totalRequests / nodeIds.length)} per node)`,
  );
  if (!allConsistent) process.exitCode = 1;
  oracle.wasm.disconnect();
} finally {
  await chain.stop();
  rmSync(dir, { recursive: true, force: true });
}
