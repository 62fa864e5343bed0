// The recording path at a real chain's pace: the local chain with 1 s blocks (not the 20-50 ms of the tests), gas
// metering on, the real registry wasm, the controller's own RegistrySender and OutboxSubmitter (fee "auto": one
// simulate, then broadcast, then polling until the tx is in a block, as in production). Figures:
//   1. a 50-record batch: how many blocks from broadcast (the chain's height when it is sent) to inclusion;
//   2. sustained records/s through the outbox submitter, per batch size (one signer: one tx in flight), and at the
//      controller's defaults (up to 500 records per tx, in messages of 100, sized to half the block gas by the gas
//      per record of the last tx): "default" in --batches;
//   3. gas per record (plain, and with a flexibility claim) against the block gas limit assumed.
// Run: node --import tsx test/bench/recording-path.ts [--records 1000] [--batches 50,100,default] [--block-ms 1000]
import { cpus, loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toUtf8 } from '@cosmjs/encoding';
import { calculateFee, GasPrice } from '@cosmjs/stargate';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { RegistryClient } from '../../contracts-cosmwasm/client/registry-client.ts';
import type { IntervalRecord } from '../../contracts-cosmwasm/client/registry-types.ts';
import { defaultGasLimits } from '../../contracts-cosmwasm/chain/gas-limits.ts';
import { Outbox, OutboxSubmitter, RegistrySender } from '../../controller/src/ledger/index.ts';
import type { ClosedInterval } from '../../controller/src/metering/index.ts';
import { INTERVAL_S, startRecordingChain } from '../../controller/test/ledger/chain-fixture.ts';

const usage = `usage: node --import tsx test/bench/recording-path.ts [--records N] [--batches 50,100,default] [--block-ms 1000]`;
let values: { records: string; batches: string; 'block-ms': string; help?: boolean };
try {
  values = parseArgs({
    options: {
      records: { type: 'string', default: '1000' },
      batches: { type: 'string', default: '50,100,default' },
      'block-ms': { type: 'string', default: '1000' },
      help: { type: 'boolean' },
    },
  }).values as typeof values;
} catch (error) {
  console.error(`recording-path: ${(error as Error).message}; ${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const total = Number(values.records);
/** A batch size, or "default": the controller's defaults (batchSize 500 under a gas budget of half the block). */
const batchSizes = values.batches.split(',').map((b) => (b === 'default' ? 'default' : Number(b)));
const blockMs = Number(values['block-ms']);
for (const [name, ok] of [
  ['--records', Number.isSafeInteger(total) && total >= 100],
  ['--batches', batchSizes.every((b) => b === 'default' || (Number.isSafeInteger(b) && b >= 1 && b <= 1_000))],
  ['--block-ms', Number.isSafeInteger(blockMs) && blockMs >= 20],
] as const)
  if (!ok) {
    console.error(
      `recording-path: ${name} is out of range (records >= 100, batches 1..1000 or default, block-ms >= 20); ${usage}`,
    );
    process.exit(2);
  }

const NODES = 20;
const INCLUSION_BATCHES = 10;
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-recording-path-'));
const maxBlockGas = Number(defaultGasLimits.maxBlockGas);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Each node's intervals `fromIndex`.. from `firstS`, 100 Wh each (counters continue), in interval order. */
function intervals(nodeIds: number[], perNode: number, firstS: number, fromIndex = 0): ClosedInterval[] {
  const out: ClosedInterval[] = [];
  for (let i = fromIndex; i < fromIndex + perNode; i++)
    for (const nodeId of nodeIds)
      out.push({
        deviceId: `node-${nodeId}`,
        nodeId,
        intervalStartS: firstS + i * INTERVAL_S,
        intervalS: INTERVAL_S,
        energyInWh: 0,
        energyOutWh: 100,
        counterInWh: 0,
        counterOutWh: 100 * (i + 1),
        samplesHash: (i % 16).toString(16).repeat(64),
        sampleCount: 900,
        estimated: false,
      });
  return out;
}

console.log(
  `recording path with ${blockMs} ms blocks, gas metering on, block gas limit ${maxBlockGas.toLocaleString('en')} assumed ` +
    `(${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version})`,
);
console.log(
  `assumptions: one oracle key (one tx in flight), fee "auto" (simulate + broadcast + poll every 20 ms), ` +
    `${NODES} PV nodes with consecutive 15-minute intervals, the chain in this process`,
);
try {
  // 1. inclusion of 50-record batches, and 3. gas per record
  {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      [
        ...Array.from({ length: NODES }, () => ({ kind: 'pv' as const, ratedPowerW: 100_000 })),
        { kind: 'flexible_load' as const, ratedPowerW: 100_000 },
      ],
      { blockTimeMs: blockMs },
    );
    try {
      const pvIds = nodeIds.slice(0, NODES);
      const flexibleId = nodeIds[NODES]!;
      const perNode = Math.ceil((INCLUSION_BATCHES * 50) / NODES);
      const firstS = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - (perNode + 6) * INTERVAL_S;
      const records = intervals(pvIds, perNode, firstS);
      const sender = new RegistrySender(oracle.wasm, oracle.address, registryAddress);
      const blocks: number[] = [];
      const ms: number[] = [];
      for (let b = 0; b < INCLUSION_BATCHES; b++) {
        const batch = records.slice(b * 50, b * 50 + 50);
        const heightAtSend = await oracle.wasm.getHeight();
        const started = performance.now();
        const sent = await sender.send(batch);
        ms.push(performance.now() - started);
        blocks.push(sent.height - heightAtSend);
      }
      console.log(
        `1. a 50-record batch is in the block ${median(blocks)} after the chain's height at sending (median of ${INCLUSION_BATCHES}; ` +
          `min ${Math.min(...blocks)}, max ${Math.max(...blocks)}), ${(median(ms) / 1000).toFixed(2)} s send to confirmed (max ${(Math.max(...ms) / 1000).toFixed(2)} s); ` +
          `goal: within 2 blocks`,
      );

      // gas of one 50-record batch, plain and with flexibility claims (one load under one long request)
      const registry = new RegistryClient(oracle.wasm, registryAddress, oracle.address);
      const plain = intervals(pvIds, Math.ceil(50 / NODES), firstS, perNode).slice(0, 50);
      const plainGas = (
        await oracle.wasm.execute(
          oracle.address,
          registryAddress,
          { record_intervals: { records: plain.map(toRecord) } },
          'auto',
        )
      ).gasUsed;
      const loadStart = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - 70 * INTERVAL_S;
      const load = (i: number, claim: boolean): IntervalRecord => ({
        node_id: flexibleId,
        interval_start: loadStart + i * INTERVAL_S,
        interval_s: INTERVAL_S,
        energy_in_wh: i < 8 ? 500 : 200,
        energy_out_wh: 0,
        counter_in_wh: 10_000 + (i < 8 ? 500 * (i + 1) : 4_000 + 200 * (i - 7)),
        counter_out_wh: 0,
        samples_hash: 'cd'.repeat(32),
        ...(claim
          ? {
              flexibility: {
                direction: 'down' as const,
                request_start: loadStart + 8 * INTERVAL_S,
                baseline_wh: 500,
                delivered_wh: 300,
              },
            }
          : {}),
      });
      await registry.recordIntervals(Array.from({ length: 8 }, (_, i) => load(i, false)));
      const claimed = Array.from({ length: 50 }, (_, i) => load(8 + i, true));
      const claimedGas = (
        await oracle.wasm.execute(oracle.address, registryAddress, { record_intervals: { records: claimed } }, 'auto')
      ).gasUsed;
      for (const [what, gas] of [
        ['plain records', Number(plainGas)],
        ['records with a flexibility claim', Number(claimedGas)],
      ] as const) {
        const perRecord = gas / 50;
        console.log(
          `3. gas, 50 ${what}: ${gas.toLocaleString('en')} (${Math.round(perRecord).toLocaleString('en')} per record), ` +
            `${((gas / maxBlockGas) * 100).toFixed(1)} % of a block: ${Math.floor(maxBlockGas / perRecord).toLocaleString('en')} records fit a block by gas ` +
            `(${Math.floor(maxBlockGas / perRecord / (blockMs / 1000)).toLocaleString('en')} records/s at ${blockMs} ms blocks)`,
        );
      }
      oracle.wasm.disconnect();
    } finally {
      await chain.stop();
    }
  }

  // 2. sustained records/s through the outbox submitter
  for (const batchSize of batchSizes) {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      Array.from({ length: NODES }, () => ({ kind: 'pv' as const, ratedPowerW: 100_000 })),
      { blockTimeMs: blockMs },
    );
    try {
      const outbox = new Outbox(join(dir, `sustained-${batchSize}.sqlite`));
      const sizing =
        batchSize === 'default'
          ? { batchSize: 500, txGasBudget: Math.floor(maxBlockGas * 0.5) }
          : { batchSize, txGasBudget: null };
      const perNode = Math.ceil(total / NODES);
      const firstS = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - (perNode + 2) * INTERVAL_S;
      outbox.store(intervals(nodeIds, perNode, firstS));
      const submitter = new OutboxSubmitter(
        outbox,
        new RegistrySender(oracle.wasm, oracle.address, registryAddress),
        sizing,
      );
      const startHeight = await oracle.wasm.getHeight();
      const started = performance.now();
      let txs = 0;
      const perTx: number[] = [];
      for (;;) {
        const outcome = await submitter.submitOnce();
        if (outcome.kind === 'idle') break;
        if (outcome.kind !== 'sent') throw new Error(`unexpected ${JSON.stringify(outcome)}`);
        txs += 1;
        perTx.push(outcome.records);
      }
      const seconds = (performance.now() - started) / 1000;
      const blocksUsed = (await oracle.wasm.getHeight()) - startHeight;
      const done = outbox.counts().done;
      console.log(
        `2. sustained, ${batchSize === 'default' ? `controller defaults (up to 500 per tx, half the block gas: ${Math.min(...perTx)}-${Math.max(...perTx)} records per tx)` : `batches of ${batchSize}`}: ${done} records in ${seconds.toFixed(1)} s = ${Math.round(done / seconds)} records/s ` +
          `(${txs} txs over ${blocksUsed} blocks, ${(blocksUsed / txs).toFixed(2)} blocks per tx); goal >= 100 records/s, ` +
          `a 10,000-node fleet at 15-minute intervals needs 11`,
      );
      outbox.close();
      oracle.wasm.disconnect();
    } finally {
      await chain.stop();
    }
  }

  // 4. what the chain itself takes when one key keeps several txs in flight (a pipelining client written here with
  //    explicit sequence numbers and broadcast_tx_sync; the controller's submitter does not do this)
  {
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      Array.from({ length: NODES }, () => ({ kind: 'pv' as const, ratedPowerW: 100_000 })),
      { blockTimeMs: blockMs },
    );
    try {
      const batch = 50;
      const perNode = Math.ceil(total / NODES);
      const firstS = Math.floor(Date.now() / 1000 / INTERVAL_S) * INTERVAL_S - (perNode + 2) * INTERVAL_S;
      const records = intervals(nodeIds, perNode, firstS).map(toRecord);
      const client = oracle.wasm;
      const message = (part: IntervalRecord[]) => ({
        typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
        value: MsgExecuteContract.fromPartial({
          sender: oracle.address,
          contract: registryAddress,
          msg: toUtf8(JSON.stringify({ record_intervals: { records: part } })),
          funds: [],
        }),
      });
      const gas = await client.simulate(oracle.address, [message(records.slice(0, batch))], '');
      const fee = calculateFee(Math.ceil(gas * 1.3), GasPrice.fromString(chain.gasPrice));
      const { accountNumber, sequence } = await client.getSequence(oracle.address);
      const chainId = await client.getChainId();
      const startHeight = await client.getHeight();
      const started = performance.now();
      const hashes: string[] = [];
      const refused: string[] = [];
      for (let i = 0, n = 0; i < records.length; i += batch, n++) {
        const signed = await client.sign(oracle.address, [message(records.slice(i, i + batch))], fee, '', {
          accountNumber,
          sequence: sequence + n,
          chainId,
        });
        try {
          hashes.push(await client.broadcastTxSync(TxRaw.encode(signed).finish()));
        } catch (error) {
          refused.push((error as Error).message.slice(0, 160));
        }
      }
      let included = 0;
      let failed = 0;
      let lastHeight = startHeight;
      for (const hash of hashes) {
        for (;;) {
          const tx = await client.getTx(hash);
          if (tx) {
            if (tx.code === 0) included += 1;
            else failed += 1;
            lastHeight = Math.max(lastHeight, tx.height);
            break;
          }
          if (performance.now() - started > 120_000) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `4. chain capacity, ${hashes.length} txs of ${batch} signed ahead and broadcast at once: ${included * batch} records in ${seconds.toFixed(1)} s = ` +
          `${Math.round((included * batch) / seconds)} records/s over ${lastHeight - startHeight} blocks` +
          (failed || refused.length
            ? `; ${failed} failed in a block, ${refused.length} refused at broadcast (${refused[0] ?? ''})`
            : ''),
      );
      client.disconnect();
    } finally {
      await chain.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function toRecord(interval: ClosedInterval): IntervalRecord {
  return {
    node_id: interval.nodeId,
    interval_start: interval.intervalStartS,
    interval_s: interval.intervalS,
    energy_in_wh: interval.energyInWh,
    energy_out_wh: interval.energyOutWh,
    counter_in_wh: interval.counterInWh,
    counter_out_wh: interval.counterOutWh,
    samples_hash: interval.samplesHash,
  };
}
