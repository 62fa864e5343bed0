// Epoch rewards in the registry wasm (cw-simulate): funding, settlement, shares by output x multipliers, claims
// paid with a bank send, the reward policy set by governance only, and the dust that stays in the pool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wasmAttribute } from '../client/registry-client.ts';
import { REGISTRY_LIMITS, type IntervalRecord } from '../client/registry-types.ts';
import {
  address,
  assertRefused,
  DENOM,
  EPOCH_LENGTH_S,
  INTERVAL_S,
  registryWorld,
  SETTLEMENT_DELAY_S,
  START_TIME_S,
  type RegistryWorld,
} from './registry-fixture.ts';

const alice = address('alice');
const bob = address('bob');
const funder = address('funder');
const EPOCH = START_TIME_S / EPOCH_LENGTH_S;
const neutral = { pv: 10_000, battery: 10_000, flexible_load: 10_000 };

async function fund(world: RegistryWorld, amount: number): Promise<void> {
  world.app.bank.setBalance(funder, [{ denom: DENOM, amount: String(amount) }]);
  await world.as(funder).fundEpoch(EPOCH, [{ denom: DENOM, amount: String(amount) }]);
}

function balance(world: RegistryWorld, who: string): bigint {
  return BigInt(world.app.bank.getBalance(who).find((c) => c.denom === DENOM)?.amount ?? '0');
}

/** Records `outputsWh[i]` for node `nodes[i]` in the first interval of the epoch, then lets the epoch settle. */
async function recordAndSettle(world: RegistryWorld, nodes: number[], outputsWh: number[]): Promise<void> {
  await world
    .as(world.oracle)
    .recordIntervals(
      nodes.map((node, i) =>
        world.record(node, START_TIME_S, { energy_out_wh: outputsWh[i]!, counter_out_wh: outputsWh[i]! }),
      ),
    );
  world.advanceSeconds(EPOCH_LENGTH_S + SETTLEMENT_DELAY_S);
}

describe('registry: rewards', () => {
  it('anyone funds an epoch with the reward denomination; other funds are refused', async () => {
    const world = await registryWorld();
    await fund(world, 1_000);
    assert.equal((await world.query.epoch(EPOCH)).pool, '1000');
    world.app.bank.setBalance(funder, [
      { denom: DENOM, amount: '100' },
      { denom: 'uother', amount: '100' },
    ]);
    const funderClient = world.as(funder);
    await assertRefused(
      world,
      () => funderClient.fundEpoch(EPOCH, []),
      /invalid funds for fund_epoch: send exactly one non-zero coin of ugrid/,
    );
    await assertRefused(
      world,
      () => funderClient.fundEpoch(EPOCH, [{ denom: 'uother', amount: '5' }]),
      /invalid funds for fund_epoch/,
    );
    await assertRefused(
      world,
      () =>
        funderClient.fundEpoch(EPOCH, [
          { denom: DENOM, amount: '5' },
          { denom: 'uother', amount: '5' },
        ]),
      /invalid funds for fund_epoch/,
    );
  });

  it('owners claim their share of a settled epoch by output, paid with a bank send', async () => {
    const world = await registryWorld();
    const a = await world.activeNode(alice);
    const b = await world.activeNode(bob);
    await fund(world, 9_000);
    await recordAndSettle(world, [a, b], [2_000, 1_000]);
    const claim = await world.as(alice).claimRewards(a, EPOCH);
    assert.equal(wasmAttribute(claim, 'amount'), '6000');
    await world.as(bob).claimRewards(b, EPOCH);
    assert.equal(balance(world, alice), 6_000n);
    assert.equal(balance(world, bob), 3_000n);
    const epoch = await world.query.epoch(EPOCH);
    assert.deepEqual([epoch.pool, epoch.paid, epoch.settled], ['9000', '9000', true]);
  });

  it('claims open only once the epoch has settled', async () => {
    const world = await registryWorld();
    const a = await world.activeNode(alice);
    await fund(world, 100);
    await world.as(world.oracle).recordIntervals([world.record(a, START_TIME_S)]);
    world.app.time = (START_TIME_S + EPOCH_LENGTH_S + SETTLEMENT_DELAY_S - 1) * 1e9;
    await assertRefused(
      world,
      () => world.as(alice).claimRewards(a, EPOCH),
      new RegExp(
        `epoch ${EPOCH} is not settled yet: claims open at ${START_TIME_S + EPOCH_LENGTH_S + SETTLEMENT_DELAY_S} s`,
      ),
    );
    assert.equal((await world.query.nodeEpoch(a, EPOCH)).claimable, '0');
    world.advanceSeconds(1);
    assert.equal((await world.query.nodeEpoch(a, EPOCH)).claimable, '100');
    await world.as(alice).claimRewards(a, EPOCH);
  });

  it('only the owner claims, once, and not while the node is suspended', async () => {
    const world = await registryWorld();
    const a = await world.activeNode(alice);
    await fund(world, 100);
    await recordAndSettle(world, [a], [1_000]);
    for (const sender of [bob, world.operator, world.admin, world.oracle]) {
      await assertRefused(
        world,
        () => world.as(sender).claimRewards(a, EPOCH),
        /unauthorized: claim_rewards may only be called by the node's owner/,
      );
    }
    await world.as(world.operator).suspendNode(a, 'audit');
    await assertRefused(
      world,
      () => world.as(alice).claimRewards(a, EPOCH),
      /node \d+ is suspended: cannot claim_rewards/,
    );
    await world.as(world.operator).resumeNode(a);
    await world.as(alice).claimRewards(a, EPOCH);
    await assertRefused(world, () => world.as(alice).claimRewards(a, EPOCH), /has nothing to claim for epoch/);
  });

  it('kind and zone multipliers weigh the output', async () => {
    const world = await registryWorld({
      instantiate: {
        reward_policy: {
          kind_bps: { pv: 10_000, battery: 20_000, flexible_load: 10_000 },
          zone_bps: [['zone-b', 15_000]],
        },
      },
    });
    const pvInA = await world.activeNode(alice, { kind: 'pv', zone: 'zone-a' });
    const batteryInB = await world.activeNode(bob, { kind: 'battery', zone: 'zone-b' });
    await fund(world, 4_000);
    await recordAndSettle(world, [pvInA, batteryInB], [1_000, 1_000]);
    // weights 1000 x 1.0 x 1.0 and 1000 x 2.0 x 1.5: 1 : 3
    assert.equal((await world.query.nodeEpoch(pvInA, EPOCH)).claimable, '1000');
    assert.equal((await world.query.nodeEpoch(batteryInB, EPOCH)).claimable, '3000');
  });

  it('rounding dust stays in the pool and more funding later is shared the same way', async () => {
    const world = await registryWorld();
    const nodes = [
      await world.activeNode(alice),
      await world.activeNode(bob),
      await world.activeNode(address('carol')),
    ];
    await fund(world, 100);
    await recordAndSettle(world, nodes, [1_000, 1_000, 1_000]);
    await world.as(alice).claimRewards(nodes[0]!, EPOCH);
    await world.as(bob).claimRewards(nodes[1]!, EPOCH);
    await world.as(address('carol')).claimRewards(nodes[2]!, EPOCH);
    let epoch = await world.query.epoch(EPOCH);
    assert.deepEqual([epoch.pool, epoch.paid], ['100', '99']);
    assert.equal(balance(world, world.contract), 1n, 'the dust is still held by the contract');
    await fund(world, 200);
    await world.as(alice).claimRewards(nodes[0]!, EPOCH);
    assert.equal(balance(world, alice), 100n, 'floor(300 / 3) in all');
    epoch = await world.query.epoch(EPOCH);
    assert.deepEqual([epoch.pool, epoch.paid], ['300', '166']);
  });

  it('a settled epoch without output takes no funding, since nobody could claim it', async () => {
    const world = await registryWorld();
    world.advanceSeconds(EPOCH_LENGTH_S + SETTLEMENT_DELAY_S);
    world.app.bank.setBalance(funder, [{ denom: DENOM, amount: '10' }]);
    await assertRefused(
      world,
      () => world.as(funder).fundEpoch(EPOCH, [{ denom: DENOM, amount: '10' }]),
      /settled without recorded output/,
    );
    assert.equal(balance(world, funder), 10n);
  });

  it('only the governance contract sets the reward policy, within its bounds', async () => {
    const world = await registryWorld();
    const zones = (n: number): [string, number][] => Array.from({ length: n }, (_, i) => [`zone-${i}`, 10_000]);
    for (const sender of [world.admin, world.operator, world.oracle, alice]) {
      await assertRefused(
        world,
        () => world.as(sender).setRewardPolicy(neutral, []),
        /unauthorized: set_reward_policy may only be called by the governance contract/,
      );
    }
    const governance = world.unchecked(world.governance);
    await governance.setRewardPolicy(
      { ...neutral, battery: REGISTRY_LIMITS.maxMultiplierBps },
      zones(REGISTRY_LIMITS.maxZones),
    );
    assert.equal((await world.query.rewardPolicy()).kind_bps.battery, 50_000);
    await assertRefused(
      world,
      () => governance.setRewardPolicy({ ...neutral, pv: 50_001 }, []),
      /invalid kind_bps.pv: 50001 is outside 0..=50000/,
    );
    await assertRefused(
      world,
      () => governance.setRewardPolicy(neutral, [['zone-a', 50_001]]),
      /invalid zone_bps\[0\]: 50001 is outside/,
    );
    await assertRefused(
      world,
      () => governance.setRewardPolicy(neutral, zones(REGISTRY_LIMITS.maxZones + 1)),
      /invalid zone_bps: 33 zones, at most 32/,
    );
    await assertRefused(world, () => governance.setRewardPolicy(neutral, [['Zone A', 1]]), /invalid zone_bps\[0\]/);
    await assertRefused(
      world,
      () =>
        governance.setRewardPolicy(neutral, [
          ['zone-a', 1],
          ['zone-a', 2],
        ]),
      /appears twice/,
    );
  });

  it('a new policy applies to output recorded after it', async () => {
    const world = await registryWorld();
    const a = await world.activeNode(alice);
    world.advanceSeconds(INTERVAL_S);
    await world
      .as(world.oracle)
      .recordIntervals([world.record(a, START_TIME_S, { energy_out_wh: 100, counter_out_wh: 100 })]);
    await world.as(world.governance).setRewardPolicy({ ...neutral, pv: 20_000 }, []);
    await world
      .as(world.oracle)
      .recordIntervals([world.record(a, START_TIME_S + INTERVAL_S, { energy_out_wh: 100, counter_out_wh: 200 })]);
    assert.equal(
      (await world.query.nodeEpoch(a, EPOCH)).reward_weight,
      String(100 * 10_000 * 10_000 + 100 * 20_000 * 10_000),
    );
  });

  it('flexibility earns by its own multiplier; an owner who inflates consumption before a request earns no more than an honest one', async () => {
    const world = await registryWorld();
    const honest = await world.activeNode(alice, { kind: 'flexible_load', ratedPowerW: 3_000 });
    const inflater = await world.activeNode(bob, { kind: 'flexible_load', ratedPowerW: 3_000 });
    world.advanceSeconds(10 * INTERVAL_S);
    const series = (node: number, consumptionWh: number[]): IntervalRecord[] => {
      let counter = 10_000;
      return consumptionWh.map((energy, slot) => {
        counter += energy;
        return world.record(node, START_TIME_S + slot * INTERVAL_S, {
          energy_in_wh: energy,
          energy_out_wh: 0,
          counter_in_wh: counter,
          counter_out_wh: 0,
        });
      });
    };
    // both normally draw 500 Wh an interval; the inflater runs flat out for the 4 intervals before a request
    const honestSeries = series(honest, [500, 500, 500, 500, 500, 500, 500, 500, 200]);
    const inflatedSeries = series(inflater, [500, 500, 500, 500, 750, 750, 750, 750, 200]);
    const oracle = world.as(world.oracle);
    await oracle.recordIntervals([...honestSeries.slice(0, 8), ...inflatedSeries.slice(0, 8)]);
    const requestStart = START_TIME_S + 8 * INTERVAL_S;
    const claim = (record: IntervalRecord, baselineWh: number, deliveredWh: number): IntervalRecord => ({
      ...record,
      flexibility: {
        direction: 'down',
        request_start: requestStart,
        baseline_wh: baselineWh,
        delivered_wh: deliveredWh,
      },
    });
    // a baseline from the inflated mean (625 Wh) is refused: the baseline is the median, recomputed by the registry
    await assertRefused(
      world,
      () => oracle.recordIntervals([claim(inflatedSeries[8]!, 625, 425)]),
      /baseline_wh 625 differs from the median 500 of the node's 8 intervals before the request/,
    );
    await oracle.recordIntervals([claim(honestSeries[8]!, 500, 300), claim(inflatedSeries[8]!, 500, 300)]);
    assert.equal((await world.query.nodeTotals(honest)).flexibility_wh, 300);
    await fund(world, 1_000);
    world.advanceSeconds(EPOCH_LENGTH_S + SETTLEMENT_DELAY_S);
    const before = [balance(world, alice), balance(world, bob)];
    await world.as(alice).claimRewards(honest, EPOCH);
    await world.as(bob).claimRewards(inflater, EPOCH);
    const honestPaid = balance(world, alice) - before[0]!;
    const inflaterPaid = balance(world, bob) - before[1]!;
    assert.ok(honestPaid > 0n, 'flexibility delivered on request earns rewards');
    assert.ok(inflaterPaid <= honestPaid, `inflater ${inflaterPaid} vs honest ${honestPaid}`);
  });
});
