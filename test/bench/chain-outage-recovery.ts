// Recovery after a chain outage of 10 simulated minutes, with the real parts of the nothing-lost test: plant on
// Modbus, the real controller service in a child process on the plant's clock (sped up), the local chain with the
// registry wasm over HTTP. For each outage it prints the backlog the outbox held when the chain came back, the
// recovery time (chain back -> outbox drained, real ms), how long the submitter's back-off kept it waiting before the
// first send, and the records per second it sustained while catching up.
//   node --import tsx test/bench/chain-outage-recovery.ts [--speed 100] [--batch-sizes 50,5] [--outages 3] [--retry-max-ms 1000]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { NothingLostScenario, realDelay } from '../fault/nothing-lost-scenario.ts';

const { values } = parseArgs({
  options: {
    speed: { type: 'string', default: '100' },
    'batch-sizes': { type: 'string', default: '50,5' },
    outages: { type: 'string', default: '3' },
    'retry-max-ms': { type: 'string', default: '1000' },
  },
});
const speed = Number(values.speed);
const batchSizes = values['batch-sizes'].split(',').map(Number);
const outages = Number(values.outages);
const retryMaxMs = Number(values['retry-max-ms']);
const OUTAGE_SIM_MS = 10 * 60_000;
const POLL_MS = 10;

interface Recovery {
  backlog: number;
  recoveryMs: number;
  waitBeforeFirstSendMs: number;
  caughtUp: number;
  recordsPerS: number;
  recordsPerSAfterFirstSend: number;
}

async function measureOutage(scenario: NothingLostScenario): Promise<Recovery> {
  await scenario.stopChain();
  await realDelay(OUTAGE_SIM_MS / speed);
  await scenario.restartChain();
  const backAt = performance.now();
  const atBack = scenario.outbox();
  let firstSendAt: number | null = null;
  let doneAtFirstSend = atBack.done;
  for (;;) {
    const tally = scenario.outbox();
    const now = performance.now();
    if (firstSendAt === null && tally.done > atBack.done) {
      firstSendAt = now;
      doneAtFirstSend = tally.done;
    }
    if (tally.pending === 0) {
      const recoveryMs = now - backAt;
      const caughtUp = tally.done - atBack.done;
      const sendingMs = firstSendAt === null ? 0 : now - firstSendAt;
      return {
        backlog: atBack.pending,
        recoveryMs,
        waitBeforeFirstSendMs: (firstSendAt ?? now) - backAt,
        caughtUp,
        recordsPerS: caughtUp / (recoveryMs / 1_000),
        // the first batch is counted when it is seen done: the rate after it is what the following sends sustained
        recordsPerSAfterFirstSend: sendingMs > 0 ? (tally.done - doneAtFirstSend) / (sendingMs / 1_000) : Number.NaN,
      };
    }
    if (now - backAt > 120_000) throw new Error(`the outbox did not drain within 120 s: ${JSON.stringify(tally)}`);
    await realDelay(POLL_MS);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `chain outage recovery: outage ${OUTAGE_SIM_MS / 60_000} simulated min at ${speed}x (${OUTAGE_SIM_MS / speed} real ms), ` +
    `3 nodes, 60 s intervals, submitter back-off 100 ms doubling to ${retryMaxMs} ms, CosmJS poll 20 ms; ` +
    `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`,
);
for (const batchSize of batchSizes) {
  const scenario = await NothingLostScenario.start({ speed, batchSize, retryMaxMs });
  try {
    await scenario.controller.start();
    await realDelay(3_000);
    const results: Recovery[] = [];
    for (let i = 0; i < outages; i++) {
      const r = await measureOutage(scenario);
      results.push(r);
      console.log(
        `  batch ${batchSize}, outage ${i + 1}: backlog ${r.backlog} records; recovered in ${r.recoveryMs.toFixed(0)} ms ` +
          `(${((r.recoveryMs * speed) / 60_000).toFixed(1)} simulated min), first records done after ${r.waitBeforeFirstSendMs.toFixed(0)} ms; ` +
          `${r.caughtUp} records at ${r.recordsPerS.toFixed(1)} rec/s overall, ` +
          (Number.isNaN(r.recordsPerSAfterFirstSend)
            ? 'all in one transaction'
            : `${r.recordsPerSAfterFirstSend.toFixed(1)} rec/s after the first batch`),
      );
      await realDelay(2_000);
    }
    const tally = scenario.outbox();
    console.log(
      `  batch ${batchSize}: median recovery ${median(results.map((r) => r.recoveryMs)).toFixed(0)} ms, ` +
        `median ${median(results.map((r) => r.recordsPerS)).toFixed(1)} rec/s during catch-up; ` +
        `outbox at the end: ${tally.done} done, ${tally.pending} pending, ${tally.rejected} rejected`,
    );
  } finally {
    await scenario.stop();
  }
}
