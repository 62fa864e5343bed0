import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { RegistryClient, RegistryQueryClient } from '@gridcoop/contracts';
import { readLedgerEvidence } from '../../../contracts-cosmwasm/verify/chain-reader.ts';
import { verifyLedger } from '../../../contracts-cosmwasm/verify/verify-ledger.ts';
import {
  MeteringRecorder,
  Outbox,
  OutboxSubmitter,
  RegistrySender,
  type FlexibilityClaim,
  type OutboxRecord,
} from '../../src/ledger/index.ts';
import { CYCLE_MS, cycles, type MinerScript } from './flexibility-fixture.ts';
import { signer, startRecordingChain } from './chain-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-flexibility-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const INTERVAL_S = 900;
const DAY_S = 86_400;
/** Two days ago at 00:00 UTC: the start of a reward epoch, far enough back for the chain's clock to be set to it. */
const T0_S = (Math.floor(Date.now() / 1000 / DAY_S) - 2) * DAY_S;
const EPOCH = T0_S / DAY_S;
const at = (interval: number) => (T0_S + interval * INTERVAL_S) * 1000;

/** The chain's block clock, moved by the test: it starts 4 h into the epoch and jumps past its settlement later. */
function movableClock(startMs: number) {
  let offsetMs = startMs - Date.now();
  return {
    now: () => Date.now() + offsetMs,
    advance: (ms: number) => (offsetMs += ms),
  };
}

async function drain(submitter: OutboxSubmitter): Promise<void> {
  for (let i = 0; i < 60; i++) if ((await submitter.submitOnce()).kind === 'idle') return;
  throw new Error('the submitter never became idle');
}

const claimOf = (records: OutboxRecord[], interval: number) =>
  records.find((r) => r.intervalStartS === T0_S + interval * INTERVAL_S)?.flexibility ?? null;

describe('flexibility claims of flexible loads, from the control cycle to the registry reward', () => {
  test('an owner who inflates consumption before a request earns no more than an honest one', async () => {
    const clock = movableClock((T0_S + 4 * 3600) * 1000);
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      [
        { kind: 'flexible_load', ratedPowerW: 3_000 },
        { kind: 'flexible_load', ratedPowerW: 3_000 },
      ],
      { now: clock.now },
    );
    try {
      const [honestId, inflaterId] = nodeIds as [number, number];
      const nodes = [
        { deviceId: 'miner-honest', nodeId: honestId, ratedPowerW: 3_000 },
        { deviceId: 'miner-inflater', nodeId: inflaterId, ratedPowerW: 3_000 },
      ];
      // Both normally run at 2 kW (500 Wh an interval) and the controller asks them for that; the inflater runs flat
      // out (750 Wh) for the 4 intervals before a request it expects. From interval 8 the controller asks both for
      // 800 W (200 Wh) and both follow.
      const asked = (i: number) => (i < 8 ? 2_000 : 800);
      const miners: MinerScript[] = [
        { deviceId: 'miner-honest', consumedW: (i) => (i < 8 ? 2_000 : 800), requestedW: asked },
        { deviceId: 'miner-inflater', consumedW: (i) => (i < 4 ? 2_000 : i < 8 ? 3_000 : 800), requestedW: asked },
      ];
      const path = join(dir, 'inflater.sqlite');
      let outbox = new Outbox(path);
      let recorder = new MeteringRecorder(outbox, nodes, INTERVAL_S);
      for (const { image, requestedW } of cycles(miners, at(0), INTERVAL_S, at(0) - CYCLE_MS, at(9.25)))
        recorder.observe(image, requestedW);
      // the controller crashes in the middle of interval 9 and comes back a quarter of an interval later
      outbox.close();
      outbox = new Outbox(path);
      recorder = new MeteringRecorder(outbox, nodes, INTERVAL_S);
      for (const { image, requestedW } of cycles(miners, at(0), INTERVAL_S, at(9.5), at(10) + CYCLE_MS))
        recorder.observe(image, requestedW);

      const honest = outbox.records({ nodeId: honestId });
      const inflater = outbox.records({ nodeId: inflaterId });
      assert.deepEqual(
        inflater.map((r) => r.energyInWh),
        [500, 500, 500, 500, 750, 750, 750, 750, 200, 200],
      );
      // no claim before a request, nor without 8 intervals of baseline
      for (let i = 0; i < 8; i++) assert.equal(claimOf(inflater, i), null, `interval ${i}`);
      const expected: FlexibilityClaim = {
        direction: 'down',
        requestStartS: T0_S + 8 * INTERVAL_S,
        baselineWh: 500, // the median, not the inflated mean of 625 Wh
        deliveredWh: 300,
      };
      for (const records of [honest, inflater]) {
        assert.deepEqual(claimOf(records, 8), expected);
        assert.deepEqual(claimOf(records, 9), expected, 'the request continues across the restart');
      }

      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        batchSize: 7,
      });
      await drain(submitter);
      assert.deepEqual(outbox.counts(), { pending: 0, done: 20, rejected: 0, retrying: 0, oldestPendingStartS: null });
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      for (const id of nodeIds) assert.equal((await registry.nodeTotals(id)).flexibility_wh, 600);

      const asOracle = new RegistryClient(oracle.wasm, registryAddress, oracle.address);
      await asOracle.fundEpoch(EPOCH, [{ denom: chain.denom, amount: '1000000' }]);
      clock.advance((DAY_S + 2 * 3600) * 1000); // past the epoch's end and its settlement delay
      const owner = await signer(chain, 1);
      const asOwner = new RegistryClient(owner.wasm, registryAddress, owner.address);
      // queries see the last sealed block's time, as on a real chain: wait for a block past the settlement
      for (let tries = 0; !(await registry.epoch(EPOCH)).settled; tries++) {
        assert.ok(tries < 200, 'a block after the clock moved past the settlement');
        await new Promise((r) => setTimeout(r, 50));
      }
      const claimable = async (id: number) => BigInt((await registry.nodeEpoch(id, EPOCH)).claimable);
      const [honestShare, inflaterShare] = [await claimable(honestId), await claimable(inflaterId)];
      assert.ok(honestShare > 0n, 'flexibility earns a reward');
      assert.ok(inflaterShare <= honestShare, `inflater ${inflaterShare} vs honest ${honestShare}`);
      assert.equal(inflaterShare, honestShare);
      await asOwner.claimRewards(honestId, EPOCH);
      await asOwner.claimRewards(inflaterId, EPOCH);
      assert.equal(BigInt((await registry.nodeEpoch(inflaterId, EPOCH)).claimed), inflaterShare);
      assert.equal(BigInt((await registry.nodeEpoch(honestId, EPOCH)).claimed), honestShare);

      // npm run verify recomputes the baselines, the flexibility and the rewards from the chain alone
      const evidence = await readLedgerEvidence({
        rpcUrl: chain.rpcUrl,
        registry: registryAddress,
        nodeId: inflaterId,
        fromS: T0_S,
        toS: T0_S + DAY_S,
      });
      const report = verifyLedger(evidence);
      assert.equal(report.inconsistency, null, JSON.stringify(report.inconsistency));
      assert.equal(report.flexibilityWh, 600);
      assert.equal(report.epochs[0]?.entitled, inflaterShare);
      // a copy whose baseline inputs were altered (as if the node had consumed 600 Wh before the request)
      const altered = structuredClone(evidence);
      for (const record of altered.baselineWindows[String(expected.requestStartS)]!) record.energy_in_wh = 600;
      const named = verifyLedger(altered).inconsistency;
      assert.equal(named?.intervalStart, expected.requestStartS);
      assert.match(named?.reason ?? '', /baseline_wh 500 differs from the median 600/);
      // a copy whose lifetime flexibility total differs from its records'
      const inflated = structuredClone(evidence);
      inflated.nodeTotals.flexibility_wh = 900;
      assert.match(verifyLedger(inflated).inconsistency?.reason ?? '', /flexibility 600 Wh/);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });

  test('garbage miner readings and a claim the chain refuses lose no record', async () => {
    const clock = movableClock((T0_S + 4 * 3600) * 1000);
    // the second miner's node is registered as PV: the registry refuses flexibility for it
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      [
        { kind: 'flexible_load', ratedPowerW: 3_000 },
        { kind: 'pv', ratedPowerW: 3_000 },
      ],
      { now: clock.now },
    );
    try {
      const [loadId, pvId] = nodeIds as [number, number];
      const nodes = [
        { deviceId: 'miner-a', nodeId: loadId, ratedPowerW: 3_000 },
        { deviceId: 'miner-b', nodeId: pvId, ratedPowerW: 3_000 },
      ];
      const garbage: Record<number, Record<string, unknown>> = {
        5: { energyWh: Number.NaN },
        40: { energyWh: -1 },
        100: { energyWh: Number.POSITIVE_INFINITY },
        150: { energyWh: null },
        200: { energyWh: 'twelve', powerW: 'x' },
        250: { energyWh: Number.NaN, powerW: Number.NaN },
        275: { energyWh: undefined },
      };
      const script = (deviceId: string): MinerScript => ({
        deviceId,
        consumedW: (i) => (i < 8 ? 2_000 : 800),
        // the controller's requests are garbage in two intervals (a decision with odd numbers must not matter)
        requestedW: (i) => (i === 2 ? Number.NaN : i === 5 ? Number.POSITIVE_INFINITY : i < 8 ? 2_000 : 800),
        garbage: (cycle) => garbage[cycle] as Partial<import('../../src/natures/index.ts').FlexibleLoadReading>,
      });
      const outbox = new Outbox(join(dir, 'garbage.sqlite'));
      const recorder = new MeteringRecorder(outbox, nodes, INTERVAL_S);
      for (const { image, requestedW } of cycles(
        [script('miner-a'), script('miner-b')],
        at(0),
        INTERVAL_S,
        at(0) - CYCLE_MS,
        at(10) + CYCLE_MS,
      ))
        recorder.observe(image, requestedW);
      for (const id of nodeIds) {
        const records = outbox.records({ nodeId: id });
        assert.deepEqual(
          records.map((r) => r.intervalStartS),
          Array.from({ length: 10 }, (_, i) => T0_S + i * INTERVAL_S),
          'every interval closed despite the garbage',
        );
        assert.equal(
          records.reduce((sum, r) => sum + r.energyInWh, 0),
          8 * 500 + 2 * 200,
        );
        assert.equal(claimOf(records, 8)?.deliveredWh, 300);
      }

      const refused: string[] = [];
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        batchSize: 50,
        onFlexibilityRefused: (record, reason) => refused.push(`${record.nodeId}@${record.intervalStartS}: ${reason}`),
      });
      await drain(submitter);
      assert.deepEqual(outbox.counts(), { pending: 0, done: 20, rejected: 0, retrying: 0, oldestPendingStartS: null });
      assert.equal(refused.length, 2, refused.join('\n'));
      assert.ok(refused.every((r) => r.startsWith(`${pvId}@`) && /flexible loads only/.test(r)));
      const pvRecords = outbox.records({ nodeId: pvId });
      assert.ok(pvRecords.every((r) => r.flexibility === null));
      assert.match(pvRecords[8]!.flexibilityRefused ?? '', /flexible loads only/);
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      assert.deepEqual(await registry.nodeTotals(pvId), { energy_in_wh: 4_400, energy_out_wh: 0, records: 10 });
      const load = await registry.nodeTotals(loadId);
      assert.equal(load.records, 10);
      assert.equal(load.flexibility_wh, 600);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });
  test('a claim whose baseline interval is still on its way waits for it, then goes with its claim', async () => {
    const clock = movableClock((T0_S + 4 * 3600) * 1000);
    const { chain, registryAddress, oracle, nodeIds } = await startRecordingChain(
      [{ kind: 'flexible_load', ratedPowerW: 3_000 }],
      { now: clock.now },
    );
    try {
      const [nodeId] = nodeIds as [number];
      let counter = 20_000;
      const stored = Array.from({ length: 9 }, (_, i) => {
        const energy = i < 8 ? 500 : 200;
        counter += energy;
        return {
          deviceId: 'miner-1',
          nodeId,
          intervalStartS: T0_S + i * INTERVAL_S,
          intervalS: INTERVAL_S,
          energyInWh: energy,
          energyOutWh: 0,
          counterInWh: counter,
          counterOutWh: 0,
          samplesHash: 'e'.repeat(64),
          sampleCount: 30,
          estimated: false,
          flexibility:
            i === 8
              ? { direction: 'down' as const, requestStartS: T0_S + 8 * INTERVAL_S, baselineWh: 500, deliveredWh: 300 }
              : null,
        };
      });
      const outbox = new Outbox(join(dir, 'waits.sqlite'));
      outbox.store(stored);
      let nowMs = 1_000_000;
      // a baseline interval the chain refused for now (e.g. the node was briefly suspended): held for a while
      outbox.markRetry(stored[3]!, 'node is suspended', nowMs + 60_000);
      const submitter = new OutboxSubmitter(outbox, new RegistrySender(oracle.wasm, oracle.address, registryAddress), {
        batchSize: 50,
        now: () => nowMs,
        retryInitialMs: 1_000,
      });
      assert.deepEqual(await submitter.submitOnce(), { kind: 'refused', rejected: 0, retrying: 1, sent: 7 });
      const waiting = outbox.records({ nodeId }).find((r) => r.intervalStartS === stored[8]!.intervalStartS)!;
      assert.equal(waiting.status, 'pending');
      assert.deepEqual(
        waiting.flexibility,
        stored[8]!.flexibility,
        'the claim is kept while its baseline is on its way',
      );
      assert.match(waiting.lastError ?? '', /the baseline needs the 8 intervals/);
      nowMs += 120_000;
      await drain(submitter);
      assert.deepEqual(outbox.counts(), { pending: 0, done: 9, rejected: 0, retrying: 0, oldestPendingStartS: null });
      const registry = new RegistryQueryClient(oracle.wasm, registryAddress);
      assert.equal((await registry.nodeTotals(nodeId)).flexibility_wh, 300);
      assert.equal(outbox.records({ nodeId })[8]!.flexibilityRefused, null);
      outbox.close();
    } finally {
      await chain.stop();
    }
  });
});
