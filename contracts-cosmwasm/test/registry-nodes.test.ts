// Node lifecycle in the registry wasm (cw-simulate): register, approve, suspend, resume, retire, and who may.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { address, assertRefused, registryWorld } from './registry-fixture.ts';
import { REGISTRY_LIMITS } from '../client/registry-types.ts';

const alice = address('alice');

describe('registry: node lifecycle', () => {
  it('an owner registers a node that waits, pending, for the operator', async () => {
    const world = await registryWorld();
    const id = await world.pendingNode(alice, {
      kind: 'battery',
      ratedPowerW: 5_000,
      energyCapacityWh: 13_500,
      zone: 'zone-b',
    });
    const node = await world.query.node(id);
    assert.equal(node.owner, alice);
    assert.equal(node.status, 'pending');
    assert.equal(node.kind, 'battery');
    assert.equal(node.energy_capacity_wh, 13_500);
    assert.equal(node.zone, 'zone-b');
    assert.equal((await world.query.plantTotals()).nodes_pending, 1);
  });

  it('the operator approves a pending node, which then counts in the plant and for voting power', async () => {
    const world = await registryWorld();
    const id = await world.pendingNode(alice, { ratedPowerW: 7_000 });
    const result = await world.as(world.operator).approveNode(id);
    assert.deepEqual(result.events.find((e) => e.type === 'wasm')?.attributes[1], {
      key: 'action',
      value: 'approve_node',
    });
    assert.equal((await world.query.node(id)).status, 'active');
    const plant = await world.query.plantTotals();
    assert.deepEqual([plant.nodes_pending, plant.nodes_active, plant.active_rated_power_w], [0, 1, 7_000]);
    assert.equal((await world.query.votingPowerAtHeight(alice)).power, '7000');
  });

  it('only the operator approves, suspends and resumes', async () => {
    const world = await registryWorld();
    const pending = await world.pendingNode(alice);
    const active = await world.activeNode(alice);
    for (const sender of [alice, world.admin, world.oracle, world.stranger]) {
      await assertRefused(
        world,
        () => world.as(sender).approveNode(pending),
        /unauthorized: approve_node may only be called by the plant operator/,
      );
      await assertRefused(
        world,
        () => world.as(sender).suspendNode(active, 'meter fault'),
        /unauthorized: suspend_node/,
      );
    }
    await world.as(world.operator).suspendNode(active, 'meter fault');
    await assertRefused(world, () => world.as(alice).resumeNode(active), /unauthorized: resume_node/);
  });

  it('suspending removes the voting power from the next block on and resuming restores it', async () => {
    const world = await registryWorld();
    const id = await world.activeNode(alice, { ratedPowerW: 4_000 });
    // Power "at height h" is the power at the start of block h (changes made in block h count from h + 1),
    // so a proposal opening in the next block snapshots 4000 whatever that block does afterwards.
    const snapshotHeight = world.height + 1;
    await world.as(world.operator).suspendNode(id, 'tampered meter seal');
    const node = await world.query.node(id);
    assert.equal(node.status, 'suspended');
    assert.equal(node.status_reason, 'tampered meter seal');
    assert.equal((await world.query.votingPowerAtHeight(alice)).power, '0');
    assert.equal((await world.query.votingPowerAtHeight(alice, snapshotHeight + 1)).power, '0');
    assert.equal(
      (await world.query.votingPowerAtHeight(alice, snapshotHeight)).power,
      '4000',
      'the snapshot is unchanged',
    );
    assert.equal((await world.query.totalPowerAtHeight(snapshotHeight)).power, '4000');
    await world.as(world.operator).resumeNode(id);
    assert.equal((await world.query.votingPowerAtHeight(alice)).power, '4000');
    assert.equal((await world.query.totalPowerAtHeight()).power, '4000');
  });

  it('the owner or the operator retires a node for good; nobody else can', async () => {
    const world = await registryWorld();
    const byOwner = await world.activeNode(alice);
    const byOperator = await world.activeNode(alice);
    await assertRefused(
      world,
      () => world.as(world.stranger).retireNode(byOwner),
      /only be called by the plant operator or the node's owner/,
    );
    await world.as(alice).retireNode(byOwner);
    await world.as(world.operator).retireNode(byOperator);
    assert.equal((await world.query.node(byOwner)).status, 'retired');
    await assertRefused(
      world,
      () => world.as(world.operator).resumeNode(byOwner),
      /node \d+ is retired: cannot resume_node/,
    );
    await assertRefused(world, () => world.as(alice).retireNode(byOwner), /is retired: cannot retire_node/);
    await assertRefused(world, () => world.as(world.operator).approveNode(byOwner), /is retired: cannot approve_node/);
    assert.equal((await world.query.votingPowerAtHeight(alice)).power, '0');
  });

  it('status changes happen only from the right status', async () => {
    const world = await registryWorld();
    const pending = await world.pendingNode(alice);
    const active = await world.activeNode(alice);
    await assertRefused(world, () => world.as(world.operator).approveNode(active), /is active: cannot approve_node/);
    await assertRefused(
      world,
      () => world.as(world.operator).suspendNode(pending, 'x'),
      /is pending: cannot suspend_node/,
    );
    await assertRefused(world, () => world.as(world.operator).resumeNode(active), /is active: cannot resume_node/);
    await assertRefused(world, () => world.as(world.operator).approveNode(999), /node 999 not found/);
  });

  it('rated power, capacity, zone and metadata are checked at and past their bounds', async () => {
    const world = await registryWorld();
    // Past-bound messages are refused by the published schema too; here the contract's own check is under test.
    const owner = world.unchecked(alice);
    const register = (over: Record<string, unknown>) =>
      owner.registerNode({ kind: 'pv', ratedPowerW: 1_000, zone: 'zone-a', ...over } as Parameters<
        typeof owner.registerNode
      >[0]);
    await register({ ratedPowerW: REGISTRY_LIMITS.maxRatedPowerW });
    await assertRefused(
      world,
      () => register({ ratedPowerW: REGISTRY_LIMITS.maxRatedPowerW + 1 }),
      /invalid rated_power_w: 100000001 is outside 1..=100000000/,
    );
    await assertRefused(world, () => register({ ratedPowerW: 0 }), /invalid rated_power_w/);
    await register({ kind: 'battery', energyCapacityWh: REGISTRY_LIMITS.maxEnergyCapacityWh });
    await assertRefused(
      world,
      () => register({ kind: 'battery', energyCapacityWh: REGISTRY_LIMITS.maxEnergyCapacityWh + 1 }),
      /invalid energy_capacity_wh/,
    );
    await assertRefused(
      world,
      () => register({ kind: 'battery' }),
      /invalid energy_capacity_wh: required for a battery/,
    );
    await assertRefused(world, () => register({ kind: 'pv', energyCapacityWh: 10 }), /only batteries have one, not pv/);
    await register({ zone: 'z'.repeat(REGISTRY_LIMITS.maxZoneChars) });
    await assertRefused(world, () => register({ zone: 'z'.repeat(REGISTRY_LIMITS.maxZoneChars + 1) }), /invalid zone/);
    await assertRefused(world, () => register({ zone: 'Zone_A' }), /invalid zone/);
    const entries = (n: number) => Array.from({ length: n }, (_, i) => [`key-${i}`, 'v'] as [string, string]);
    await register({ metadata: entries(REGISTRY_LIMITS.maxMetadataEntries) });
    await assertRefused(
      world,
      () => register({ metadata: entries(REGISTRY_LIMITS.maxMetadataEntries + 1) }),
      /invalid metadata: 17 entries, at most 16/,
    );
    await register({ metadata: [['vendor', 'v'.repeat(REGISTRY_LIMITS.maxMetadataValueBytes)]] });
    await assertRefused(
      world,
      () => register({ metadata: [['vendor', 'v'.repeat(REGISTRY_LIMITS.maxMetadataValueBytes + 1)]] }),
      /invalid metadata\[0\]\.value: 257 bytes/,
    );
    await assertRefused(
      world,
      () =>
        register({
          metadata: [
            ['vendor', 'a'],
            ['vendor', 'b'],
          ],
        }),
      /appears twice/,
    );
    await assertRefused(world, () => register({ metadata: [['Vendor!', 'a']] }), /invalid metadata\[0\]\.key/);
  });

  it('registering with funds attached is refused and the funds stay with the sender', async () => {
    const world = await registryWorld();
    world.app.bank.setBalance(alice, [{ denom: 'ugrid', amount: '1000' }]);
    await assertRefused(
      world,
      () =>
        world.client.execute(
          alice,
          world.contract,
          { register_node: { kind: 'pv', rated_power_w: 1, zone: 'a', metadata: [] } },
          'auto',
          undefined,
          [{ denom: 'ugrid', amount: '5' }],
        ),
      /invalid funds for register_node: Generic error: this message does not accept funds/,
    );
    assert.deepEqual(world.app.bank.getBalance(alice), [{ denom: 'ugrid', amount: '1000' }]);
  });

  it('nodes list pages by id and filters by owner, zone and kind', async () => {
    const world = await registryWorld();
    const bob = address('bob');
    for (let i = 0; i < 12; i++)
      await world.pendingNode(i % 2 ? bob : alice, {
        kind: i % 3 === 0 ? 'battery' : 'pv',
        zone: i < 6 ? 'zone-a' : 'zone-b',
      });
    const firstPage = await world.query.nodes();
    assert.deepEqual(
      firstPage.nodes.map((n) => n.id),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const secondPage = await world.query.nodes({ startAfter: 10 });
    assert.deepEqual(
      secondPage.nodes.map((n) => n.id),
      [11, 12],
    );
    const bobs = await world.query.nodes({ owner: bob, limit: 100 });
    assert.deepEqual(
      bobs.nodes.map((n) => n.id),
      [2, 4, 6, 8, 10, 12],
    );
    const bobsBatteriesInB = await world.query.nodes({ owner: bob, zone: 'zone-b', kind: 'battery' });
    assert.deepEqual(
      bobsBatteriesInB.nodes.map((n) => n.id),
      [10],
    );
    const pvInA = await world.query.nodes({ zone: 'zone-a', kind: 'pv' });
    assert.deepEqual(
      pvInA.nodes.map((n) => n.id),
      [2, 3, 5, 6],
    );
  });

  it('a list never answers more than 30 entries however many are asked for', async () => {
    const world = await registryWorld();
    for (let i = 0; i < 31; i++) await world.pendingNode(alice);
    assert.equal((await world.query.nodes({ limit: 30 })).nodes.length, 30);
    assert.equal((await world.query.nodes({ limit: 31 })).nodes.length, 30);
    assert.equal((await world.query.nodes({ limit: 1000 })).nodes.length, 30);
  });
});
