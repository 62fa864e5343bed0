// Property: whatever the chain's block lag, block times, outages, lost acknowledgements and oracle changes
// (de-authorised, re-authorised), batch sizes and gas budgets (a budget the chain's own gas limit is below: batches
// that fail as out of gas), every interval the meter closes ends up on chain exactly once, and the outbox
// marks every one done (none rejected, none left pending).
//
// Why a model: the property runs 1,000 random scenarios; the real local chain with the real registry wasm takes
// about a second to start per scenario, so the submitter (and the real SQLite outbox) is driven here against an
// in-process model of the registry's acceptance rules (registry-model.ts: block time, oracle authorisation,
// exactly-once and conflict, all-or-nothing batches, with the error texts the real chain gives). The real chain
// and the real wasm are covered by recording-on-chain.test.ts, "records the chain refuses for now are kept and land
// later": a record sent before the block time passed its end is retried and lands, an interval is held until the
// block time passes its end, and a de-authorised oracle's records land after re-authorisation.
//
// The seed is printed (test diagnostic "property seed N"); GRIDCOOP_PROPERTY_SEED=N replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Outbox, OutboxSubmitter, toIntervalRecord, type SubmitOutcome } from '../../src/ledger/index.ts';
import type { ClosedInterval } from '../../src/metering/index.ts';
import { keyOf, ModelChain, RegistryModel } from './registry-model.ts';

const INTERVAL_S = 60;
const START_MS = 1_796_000_000_000;
const RUNS = 1_000;

interface Step {
  /** how far the wall clock moves before this step */
  advanceMs: number;
  /** how far the chain's latest block is behind the wall clock */
  lagMs: number;
  reachable: boolean;
  loseAck: boolean;
  /** the admin changes the oracle list before this step: de-authorise, re-authorise, or leave it */
  oracle: 'deauthorise' | 'authorise' | 'keep';
}

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  advanceMs: fc.integer({ min: 100, max: 20_000 }),
  lagMs: fc.integer({ min: 0, max: 30_000 }),
  reachable: fc.integer({ min: 0, max: 99 }).map((n) => n < 85),
  loseAck: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  oracle: fc.constantFrom<Step['oracle']>('keep', 'keep', 'keep', 'keep', 'deauthorise', 'authorise'),
});

const scenarioArbitrary = fc.record({
  nodes: fc.integer({ min: 1, max: 3 }),
  blockMs: fc.integer({ min: 500, max: 8_000 }),
  batchSize: fc.integer({ min: 1, max: 12 }),
  /** the submitter's gas budget per tx (null: batchSize alone), in records' worth at the estimate of 1 per record */
  budgetRecords: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  /** the chain's own gas limit per tx, in records at its real gas per record; may be below the budget */
  chainLimitRecords: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  /** gas per record on the chain against the submitter's estimate of 100 */
  chainGasPerRecord: fc.integer({ min: 50, max: 200 }),
  strictDuplicates: fc.boolean(),
  steps: fc.array(stepArbitrary, { minLength: 5, maxLength: 40 }),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The interval of `nodeId` that starts at `startS`, as the meter closes it (counters telescope). */
function closedInterval(nodeId: number, startS: number): ClosedInterval {
  const index = (startS * 1000 - START_MS) / (INTERVAL_S * 1000);
  const energy = 10 * nodeId + (index % 7);
  return {
    deviceId: `node-${nodeId}`,
    nodeId,
    intervalStartS: startS,
    intervalS: INTERVAL_S,
    energyInWh: 0,
    energyOutWh: energy,
    counterInWh: 0,
    counterOutWh: 1_000 + index * 100 + energy,
    samplesHash: (index % 16).toString(16).repeat(64),
    sampleCount: 60,
    estimated: false,
  };
}

/** Runs one scenario; returns what went wrong, or null when every interval is on chain exactly once. */
async function runScenario(scenario: Scenario): Promise<string | null> {
  const registry = new RegistryModel(scenario.strictDuplicates);
  const chain = new ModelChain(registry);
  chain.gasPerRecord = scenario.chainGasPerRecord;
  chain.txGasLimit =
    scenario.chainLimitRecords === null ? null : scenario.chainLimitRecords * scenario.chainGasPerRecord;
  const outbox = new Outbox(':memory:');
  let wallMs = START_MS;
  const submitter = new OutboxSubmitter(outbox, chain, {
    batchSize: scenario.batchSize,
    txGasBudget: scenario.budgetRecords === null ? null : scenario.budgetRecords * 100,
    gasPerRecordEstimate: 100,
    retryInitialMs: 1_000,
    retryMaxMs: 60_000,
    now: () => wallMs,
  });
  let nextStartS = START_MS / 1000;
  const closed: ClosedInterval[] = [];
  /** the meter closes every interval that ended by the wall clock, and stores it at once */
  const meter = () => {
    while ((nextStartS + INTERVAL_S) * 1000 <= wallMs) {
      const batch = Array.from({ length: scenario.nodes }, (_, n) => closedInterval(n + 1, nextStartS));
      outbox.store(batch);
      closed.push(...batch);
      nextStartS += INTERVAL_S;
    }
  };
  let waitMs = 0;
  let metering = true;
  const step = async (s: Step) => {
    wallMs += Math.max(s.advanceMs, waitMs);
    if (s.oracle !== 'keep') registry.authorised = s.oracle === 'authorise';
    chain.reachable = s.reachable;
    chain.loseNextAck = s.loseAck;
    chain.advance(wallMs, s.lagMs, scenario.blockMs);
    if (metering) meter();
    const outcome: SubmitOutcome = await submitter.submitOnce();
    // the submitter's loop sleeps what it is told to; the driver does the same on the simulated clock
    waitMs = 'retryInMs' in outcome ? outcome.retryInMs : 0;
  };
  try {
    for (const s of scenario.steps) await step(s);
    // the trouble ends: the oracle is authorised again, the chain is reachable and keeps a lag; the meter stops
    metering = false;
    for (let i = 0; i < 500 && outbox.counts().pending > 0; i++)
      await step({ advanceMs: 5_000, lagMs: 15_000, reachable: true, loseAck: false, oracle: 'authorise' });
    const counts = outbox.counts();
    if (counts.pending > 0 || counts.rejected > 0)
      return `outbox not settled: ${JSON.stringify(counts)}; rejected: ${JSON.stringify(outbox.records({ status: 'rejected' }).map((r) => r.lastError))}`;
    for (const interval of closed) {
      const key = keyOf(interval.nodeId, interval.intervalStartS);
      const stored = registry.stored.get(key);
      if (!stored) return `${key} never reached the chain`;
      if (registry.writes.get(key) !== 1) return `${key} written ${registry.writes.get(key)} times`;
      assert.deepEqual(stored.record, toIntervalRecord(interval), `${key} on chain as metered`);
    }
    if (registry.stored.size !== closed.length)
      return `${registry.stored.size} records on chain for ${closed.length} intervals`;
    return null;
  } finally {
    outbox.close();
  }
}

test(`every interval ends up on chain exactly once, whatever the block lag, outages and oracle changes (${RUNS} runs)`, async (t) => {
  const seed = Number(process.env.GRIDCOOP_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`property seed ${seed} (replay: GRIDCOOP_PROPERTY_SEED=${seed})`);
  const started = process.hrtime.bigint();
  await fc.assert(
    fc.asyncProperty(scenarioArbitrary, async (scenario) => {
      const problem = await runScenario(scenario);
      if (problem) throw new Error(problem);
    }),
    { numRuns: RUNS, seed },
  );
  t.diagnostic(`${RUNS} runs in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
});
