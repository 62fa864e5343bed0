// Property-style randomised tests of the registry wasm (cw-simulate) with a seeded PRNG, so a failure
// replays exactly: recording is idempotent, and rewards paid never exceed the pool while the dust stays in it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wasmAttribute } from '../client/registry-client.ts';
import type { IntervalRecord, KindMultipliers, NodeKind } from '../client/registry-types.ts';
import {
  address,
  DENOM,
  EPOCH_LENGTH_S,
  INTERVAL_S,
  registryWorld,
  samplesHash,
  SETTLEMENT_DELAY_S,
  START_TIME_S,
} from './registry-fixture.ts';
import { seededRandom } from './seeded-random.ts';

const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

describe('registry: properties', () => {
  for (const seed of [1, 7, 42]) {
    it(`recording is idempotent: any resubmission in any order changes nothing (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const world = await registryWorld();
      const nodes = [];
      for (let i = 0; i < 3; i++) nodes.push(await world.activeNode(address(`owner-${i}`), { ratedPowerW: 8_000 }));
      world.advanceSeconds(40 * INTERVAL_S);
      // Each node's series: energies within 8 kW x 900 s = 2,000 Wh and counters that add them up.
      const all: IntervalRecord[] = [];
      for (const node of nodes) {
        let counterOut = int(random, 0, 1e6);
        let counterIn = int(random, 0, 1e6);
        for (let i = 0; i < 30; i++) {
          const out = int(random, 0, 2_000);
          const inWh = int(random, 0, 2_000);
          counterOut += out;
          counterIn += inWh;
          all.push({
            node_id: node,
            interval_start: START_TIME_S + i * INTERVAL_S,
            interval_s: INTERVAL_S,
            energy_in_wh: inWh,
            energy_out_wh: out,
            counter_in_wh: counterIn,
            counter_out_wh: counterOut,
            samples_hash: samplesHash(`${seed}/${node}/${i}`),
          });
        }
      }
      const key = (r: IntervalRecord) => `${r.node_id}@${r.interval_start}`;
      const recorded = new Set<string>();
      const oracle = world.as(world.oracle);
      // First pass: random batches drawn with repetition, so duplicates occur inside and across batches.
      while (recorded.size < all.length) {
        const batch = Array.from({ length: int(random, 1, 25) }, () => pick(random, all));
        const fresh = new Set(batch.map(key).filter((k) => !recorded.has(k)));
        const before = world.stateDigest();
        const result = await oracle.recordIntervals(batch);
        assert.equal(Number(wasmAttribute(result, 'recorded')), fresh.size);
        assert.equal(Number(wasmAttribute(result, 'duplicates')), batch.length - fresh.size);
        if (fresh.size > 0) assert.notEqual(world.stateDigest(), before, 'new records change the stored state');
        for (const k of fresh) recorded.add(k);
      }
      const settled = world.stateDigest();
      // Resubmissions of already-recorded records: always no-ops.
      for (let round = 0; round < 5; round++) {
        const batch = Array.from({ length: int(random, 1, 100) }, () => pick(random, all));
        const result = await oracle.recordIntervals(batch);
        assert.equal(wasmAttribute(result, 'recorded'), '0');
        assert.equal(world.stateDigest(), settled);
      }
      for (const node of nodes) {
        const series = all.filter((r) => r.node_id === node);
        const totals = await world.query.nodeTotals(node);
        assert.deepEqual(totals, {
          energy_in_wh: series.reduce((sum, r) => sum + r.energy_in_wh, 0),
          energy_out_wh: series.reduce((sum, r) => sum + r.energy_out_wh, 0),
          records: 30,
        });
      }
    });
  }

  for (const seed of [3, 11, 2024, 65537]) {
    it(`rewards paid never exceed the pool and the rounding dust stays in it (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const kinds: NodeKind[] = ['pv', 'battery', 'flexible_load'];
      const kindBps: KindMultipliers = {
        pv: int(random, 0, 50_000),
        battery: int(random, 0, 50_000),
        flexible_load: int(random, 1, 50_000),
      };
      const zones = ['zone-a', 'zone-b', 'zone-c'];
      const zoneBps: [string, number][] = [
        ['zone-a', int(random, 0, 50_000)],
        ['zone-b', int(random, 0, 50_000)],
      ];
      const world = await registryWorld({ instantiate: { reward_policy: { kind_bps: kindBps, zone_bps: zoneBps } } });
      const epoch = START_TIME_S / EPOCH_LENGTH_S;
      const nodes: { id: number; owner: string; weight: bigint }[] = [];
      const count = int(random, 2, 8);
      for (let i = 0; i < count; i++) {
        const owner = address(`owner-${seed}-${i}`);
        const kind = pick(random, kinds);
        const zone = pick(random, zones);
        const ratedPowerW = int(random, 1_000, 100_000);
        const id = await world.activeNode(owner, { kind, zone, ratedPowerW });
        const energyOutWh = int(random, 1, Math.floor((ratedPowerW * INTERVAL_S) / 3_600));
        const zoneMultiplier = BigInt(zoneBps.find(([z]) => z === zone)?.[1] ?? 10_000);
        nodes.push({ id, owner, weight: BigInt(energyOutWh) * BigInt(kindBps[kind]) * zoneMultiplier });
        world.advanceSeconds(0);
        await world
          .as(world.oracle)
          .recordIntervals([
            world.record(id, START_TIME_S, { energy_out_wh: energyOutWh, counter_out_wh: energyOutWh }),
          ]);
      }
      const funder = address('funder');
      const fund = async (amount: bigint) => {
        world.app.bank.setBalance(funder, [{ denom: DENOM, amount: amount.toString() }]);
        await world.as(funder).fundEpoch(epoch, [{ denom: DENOM, amount: amount.toString() }]);
      };
      let pool = BigInt(int(random, 1, 1_000_000));
      await fund(pool);
      world.advanceSeconds(EPOCH_LENGTH_S + SETTLEMENT_DELAY_S);
      const totalWeight = nodes.reduce((sum, n) => sum + n.weight, 0n);
      const paid = new Map<number, bigint>();
      // Claims in random order, with more funding arriving in between.
      for (let round = 0; round < 3; round++) {
        for (const node of [...nodes].sort(() => random() - 0.5)) {
          const entitled = totalWeight === 0n ? 0n : (pool * node.weight) / totalWeight;
          const due = entitled - (paid.get(node.id) ?? 0n);
          if (due === 0n) continue;
          await world.as(node.owner).claimRewards(node.id, epoch);
          paid.set(node.id, entitled);
        }
        // More funding between claim rounds (none after the last round: that would be unclaimed, not dust).
        const extra = round < 2 ? BigInt(int(random, 0, 1_000)) : 0n;
        if (extra > 0n) {
          await fund(extra);
          pool += extra;
        }
      }
      const state = await world.query.epoch(epoch);
      const paidTotal = [...paid.values()].reduce((sum, v) => sum + v, 0n);
      assert.equal(state.pool, pool.toString());
      assert.equal(
        state.paid,
        paidTotal.toString(),
        'the contract paid exactly the independently computed floor shares',
      );
      assert.ok(paidTotal <= pool, 'never more than the pool');
      if (totalWeight > 0n) assert.ok(pool - paidTotal < BigInt(nodes.length), 'the dust is below one unit per node');
      else assert.equal(paidTotal, 0n, 'without weighted output nothing is paid');
      const held = BigInt(world.app.bank.getBalance(world.contract).find((c) => c.denom === DENOM)?.amount ?? '0');
      assert.equal(held, pool - paidTotal, 'the dust is still in the contract');
      for (const node of nodes) {
        const received = BigInt(world.app.bank.getBalance(node.owner).find((c) => c.denom === DENOM)?.amount ?? '0');
        assert.equal(received, paid.get(node.id) ?? 0n);
      }
    });
  }
});
