// The verifier (npm run verify) against a real local chain over CosmJS: honest recording reads "consistent" and
// exits 0; a copy of the same chain data with one field altered is named record by record and exits 1.
//
// Why a copy: the registry now refuses inconsistent records, so an honest chain cannot hold one. What the verifier
// defends against is data presented as the chain's that is not (an indexer, an archive, a lying RPC node) or records
// stored by an earlier, permissive registry build. The test saves what the verifier read from the chain
// (--save), alters one field of that copy the way such a source would, and verifies the copy (--evidence).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { batchDigest } from '../../controller/src/ledger/batch-digest.ts';
import type { ClosedInterval } from '../../controller/src/metering/closed-interval.ts';
import { RegistryClient } from '../client/registry-client.ts';
import type { IntervalRecord } from '../client/registry-types.ts';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import type { LedgerEvidence } from '../verify/ledger-evidence.ts';
import { verifyLedger } from '../verify/verify-ledger.ts';
import { signingClient } from './chain-fixture.ts';
import { registryWasm, samplesHash } from './registry-fixture.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const INTERVAL_S = 60;
const EPOCH_S = 600;
const EPOCHS = 3;

/** Runs the command in a child process; asynchronously, because the chain it reads runs in this process. */
function verify(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'contracts-cosmwasm/verify/cli.ts', ...args], {
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function asInterval(record: IntervalRecord): ClosedInterval {
  return {
    deviceId: `node-${record.node_id}`,
    nodeId: record.node_id,
    intervalStartS: record.interval_start,
    intervalS: record.interval_s,
    energyInWh: record.energy_in_wh,
    energyOutWh: record.energy_out_wh,
    counterInWh: record.counter_in_wh,
    counterOutWh: record.counter_out_wh,
    samplesHash: record.samples_hash,
    sampleCount: 1,
    estimated: false,
  };
}

describe('npm run verify: recomputing a node ledger from the chain', () => {
  let chain: LocalChain;
  let oracle: SigningCosmWasmClient;
  let owner: SigningCosmWasmClient;
  let registry: string;
  let dir: string;
  let clockMs: number;
  const base = (Math.floor(Date.now() / 1000 / EPOCH_S) - 20) * EPOCH_S; // twenty epochs ago, aligned
  const batches: IntervalRecord[][] = [];
  const nodes: number[] = [];

  // a block sealed after the clock moved: the chain's node runs in a worker and a block already being sealed when the
  // clock moves carries the old time, so the second block from now is the first one sure to carry the new time
  const nextBlock = async () => {
    const height = chain.height();
    while (chain.height() <= height + 1) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridcoop-verify-'));
    clockMs = base * 1000;
    chain = await startLocalChain({ blockTimeMs: 20, now: () => clockMs });
    let oracleAddress: string;
    let ownerAddress: string;
    ({ client: oracle, address: oracleAddress } = await signingClient(chain, 0, 20));
    ({ client: owner, address: ownerAddress } = await signingClient(chain, 1, 20));
    const { codeId } = await oracle.upload(oracleAddress, registryWasm(), 'auto');
    registry = (
      await oracle.instantiate(
        oracleAddress,
        codeId,
        {
          admin: null,
          operator: oracleAddress,
          governance: null,
          oracles: [oracleAddress],
          reward_denom: chain.denom,
          interval_s: INTERVAL_S,
          epoch_length_s: EPOCH_S,
          settlement_delay_s: INTERVAL_S,
          reward_policy: null,
        },
        'registry',
        'auto',
      )
    ).contractAddress;
    const asOwner = new RegistryClient(owner, registry, ownerAddress);
    const asOperator = new RegistryClient(oracle, registry, oracleAddress);
    for (const ratedPowerW of [6_000, 3_000]) {
      const result = await asOwner.registerNode({ kind: 'pv', ratedPowerW, zone: 'zone-a', metadata: [] });
      const id = Number(result.events.flatMap((e) => e.attributes).find((a) => a.key === 'node_id')!.value);
      await asOperator.approveNode(id);
      nodes.push(id);
    }
    // each epoch recorded right after it ends (so it counts for rewards), both nodes in the same batches
    const counters = new Map(nodes.map((n) => [n, 5_000]));
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      clockMs = (base + (epoch + 1) * EPOCH_S + 1) * 1000;
      await nextBlock(); // transactions are checked against the last block's time, as on a real chain
      const batch: IntervalRecord[] = [];
      for (let slot = 0; slot < EPOCH_S / INTERVAL_S; slot++) {
        for (const node of nodes) {
          const energy = (node * 7 + slot * 13 + epoch) % 50;
          const counter = counters.get(node)! + energy;
          counters.set(node, counter);
          const start = base + epoch * EPOCH_S + slot * INTERVAL_S;
          batch.push({
            node_id: node,
            interval_start: start,
            interval_s: INTERVAL_S,
            energy_in_wh: 0,
            energy_out_wh: energy,
            counter_in_wh: 0,
            counter_out_wh: counter,
            samples_hash: samplesHash(`${node}@${start}`),
          });
        }
      }
      // small batches (one interval of both nodes): the local chain's gas cap per simulation is being retuned
      for (let i = 0; i < batch.length; i += 2) {
        await asOperator.recordIntervals(batch.slice(i, i + 2));
        batches.push(batch.slice(i, i + 2));
      }
    }
    // a funded, settled, claimed epoch, so rewards are recomputed too
    const epoch0 = base / EPOCH_S;
    await oracle.execute(oracleAddress, registry, { fund_epoch: { epoch: epoch0 } }, 'auto', undefined, [
      { denom: chain.denom, amount: '1000' },
    ]);
    clockMs = (base + EPOCHS * EPOCH_S + 120) * 1000;
    await nextBlock();
    await asOwner.claimRewards(nodes[0]!, epoch0);
  });

  after(async () => {
    oracle?.disconnect();
    owner?.disconnect();
    await chain?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const range = () => ['--from', String(base), '--to', String(base + EPOCHS * EPOCH_S)];

  it('honest recording is consistent: totals, epochs, shares and every batch digest recomputed', async () => {
    const saved = join(dir, 'evidence.json');
    const run = await verify(
      '--node',
      String(nodes[0]),
      ...range(),
      '--rpc',
      chain.rpcUrl,
      '--registry',
      registry,
      '--save',
      saved,
    );
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /\nconsistent\n$/);
    assert.match(run.stdout, /: 30 records/);
    assert.match(run.stdout, /lifetime totals compared/);
    assert.match(run.stdout, /epoch \d+: 10 records, .* pool 1000, share \d+, claimed \d+/);
    // the digests are the controller's batchDigest of what it sent
    for (const batch of batches)
      assert.ok(run.stdout.includes(`digest ${batchDigest(batch.map(asInterval))}`), 'each batch digest is printed');
    const evidence = JSON.parse(readFileSync(saved, 'utf8')) as LedgerEvidence;
    assert.equal(evidence.links.length, 30);
    const report = verifyLedger(evidence);
    assert.equal(report.inconsistency, null);
    const expectedOut = batches
      .flat()
      .filter((r) => r.node_id === nodes[0])
      .reduce((s, r) => s + r.energy_out_wh, 0);
    assert.equal(report.energyOutWh, expectedOut);
  });

  /** Alters a copy of what the first test read from the chain (--save), then verifies the copy (--evidence). */
  async function verifyAlteredCopy(name: string, alter: (evidence: LedgerEvidence) => void) {
    const evidence = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')) as LedgerEvidence;
    alter(evidence);
    const copy = join(dir, `${name}.json`);
    writeFileSync(copy, JSON.stringify(evidence));
    return { evidence, run: await verify('--evidence', copy) };
  }

  it('a stored counter altered in a copy is named as the first inconsistent record, exit 1', async () => {
    const { evidence, run } = await verifyAlteredCopy('counter', (e) => {
      e.links[12]!.stored.record.counter_out_wh += 1;
    });
    const start = evidence.links[12]!.stored.record.interval_start;
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `inconsistent: record of node ${nodes[0]} for interval ${start} .*differs from its counter difference`,
      ),
    );
  });

  it('energy recorded with no counter movement behind it is named', async () => {
    const { evidence, run } = await verifyAlteredCopy('energy', (e) => {
      const link = e.links[20]!;
      link.stored.record.energy_out_wh = 100; // 6 kW x 60 s: within the rating, but not what the counters moved
    });
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      new RegExp(`interval ${evidence.links[20]!.stored.record.interval_start} .*energy_out_wh 100 differs`),
    );
  });

  it('a record that differs from the signed transaction that carried it is named', async () => {
    const { evidence, run } = await verifyAlteredCopy('signed', (e) => {
      const target = e.links[3]!.stored.record;
      const signed = e.messages
        .flatMap((m) => m.records)
        .find((r) => r.node_id === target.node_id && r.interval_start === target.interval_start)!;
      signed.samples_hash = 'f'.repeat(64);
    });
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      new RegExp(
        `interval ${evidence.links[3]!.stored.record.interval_start} .*samples_hash is [0-9a-f]{64} in the registry but f{64} in transaction`,
      ),
    );
  });

  it('an epoch total or a share that the records do not give is named with its epoch', async () => {
    const { evidence, run } = await verifyAlteredCopy('epoch', (e) => {
      e.epochs[1]!.node.reward_weight = String(BigInt(e.epochs[1]!.node.reward_weight) + 1n);
    });
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      new RegExp(
        `inconsistent: epoch ${evidence.epochs[1]!.epoch.epoch} of node ${nodes[0]}: the registry's reward weight`,
      ),
    );
    const share = await verifyAlteredCopy('share', (e) => {
      e.epochs[0]!.node.claimable = String(BigInt(e.epochs[0]!.node.claimable) + 1n);
    });
    assert.equal(share.run.status, 1);
    assert.match(share.run.stdout, /claimable is \d+, recomputed \d+/);
  });

  it('bad flags and values get one line and exit 2; --help exits 0', async () => {
    assert.equal((await verify('--help')).status, 0);
    for (const args of [
      ['--node', 'x'],
      ['--nodes', '1'],
      ['--node', '1', '--from', 'yesterday'],
      ['--evidence', join(dir, 'missing.json')],
    ]) {
      const run = await verify(...args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 2, 'one line, then where the help is');
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
    const offline = await verify('--node', '1', '--rpc', 'http://127.0.0.1:1', '--registry', registry);
    assert.equal(offline.status, 2);
    assert.match(offline.stderr, /reading the ledger from http:\/\/127.0.0.1:1/);
  });
});
