// Administration of the registry wasm (cw-simulate): instantiate bounds, oracles, config, the maintenance log,
// cw2 info and migration rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toUtf8 } from '@cosmjs/encoding';
import { wasmAttribute } from '../client/registry-client.ts';
import { REGISTRY_LIMITS } from '../client/registry-types.ts';
import { address, assertRefused, registryWorld, type RegistryWorld } from './registry-fixture.ts';

const alice = address('alice');

async function refusedInstantiate(instantiate: Record<string, unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(registryWorld({ instantiate, skipSchemaCheck: true }), (error: Error) => {
    assert.match(error.message, reason);
    return true;
  });
}

/** Rewrites the cw2 record in the contract's storage, as if another contract or version had stored it. */
function overwriteContractInfo(world: RegistryWorld, info: { contract: string; version: string }): void {
  // cw-simulate's contract store is a sorted map of raw key bytes to raw value bytes.
  const storage = world.app.wasm.getContractStorage(world.contract) as unknown as {
    set(k: Uint8Array, v: Uint8Array): unknown;
  };
  world.app.wasm.setContractStorage(
    world.contract,
    storage.set(toUtf8('contract_info'), toUtf8(JSON.stringify(info))) as never,
  );
  world.resyncVmStorage();
}

describe('registry: instantiation bounds', () => {
  it('interval length is accepted at 60 s and 1 day and refused outside', async () => {
    await registryWorld({ instantiate: { interval_s: 60, epoch_length_s: 3_600 } });
    await registryWorld({ instantiate: { interval_s: 86_400, epoch_length_s: 86_400 } });
    await refusedInstantiate(
      { interval_s: 59, epoch_length_s: 59 * 60 },
      /invalid interval_s: 59 is outside 60..=86400/,
    );
    await refusedInstantiate({ interval_s: 86_401, epoch_length_s: 86_401 }, /invalid interval_s: 86401/);
  });

  it('the epoch is a whole number of intervals, at most 366 days', async () => {
    await refusedInstantiate(
      { epoch_length_s: 86_400 + 60 },
      /invalid epoch_length_s: must be a multiple of interval_s 900/,
    );
    await registryWorld({ instantiate: { epoch_length_s: REGISTRY_LIMITS.maxEpochLengthS } });
    await refusedInstantiate({ epoch_length_s: REGISTRY_LIMITS.maxEpochLengthS + 900 }, /invalid epoch_length_s/);
  });

  it('settlement delay, denomination, oracle count and addresses are checked', async () => {
    await registryWorld({ instantiate: { settlement_delay_s: REGISTRY_LIMITS.maxSettlementDelayS } });
    await refusedInstantiate(
      { settlement_delay_s: REGISTRY_LIMITS.maxSettlementDelayS + 1 },
      /invalid settlement_delay_s/,
    );
    await refusedInstantiate({ reward_denom: 'u$' }, /invalid reward_denom/);
    const oracles = (n: number) => Array.from({ length: n }, (_, i) => address(`oracle-${i}`));
    await registryWorld({ instantiate: { oracles: oracles(REGISTRY_LIMITS.maxOracles) } });
    await refusedInstantiate(
      { oracles: oracles(REGISTRY_LIMITS.maxOracles + 1) },
      /invalid oracles: 17 oracles, at most 16 per site/,
    );
    await refusedInstantiate({ operator: 'not-an-address' }, /invalid address 'not-an-address'/);
  });
});

describe('registry: oracles and config', () => {
  it('the admin adds and removes oracles, up to 16; nobody else can', async () => {
    const world = await registryWorld();
    const newOracle = address('oracle-2');
    for (const sender of [world.operator, world.oracle, alice]) {
      await assertRefused(
        world,
        () => world.as(sender).updateOracles({ add: [newOracle] }),
        /unauthorized: update_oracles may only be called by the admin/,
      );
    }
    await world.as(world.admin).updateOracles({ add: [newOracle], remove: [world.oracle] });
    assert.deepEqual((await world.query.oracles()).oracles, [newOracle]);
    const more = Array.from({ length: REGISTRY_LIMITS.maxOracles - 1 }, (_, i) => address(`extra-${i}`));
    await world.as(world.admin).updateOracles({ add: more });
    assert.equal((await world.query.oracles({ limit: 30 })).oracles.length, 16);
    await assertRefused(
      world,
      () => world.as(world.admin).updateOracles({ add: [address('one-too-many')] }),
      /invalid oracles: 17 oracles, at most 16 per site/,
    );
    await assertRefused(
      world,
      () => world.as(world.admin).updateOracles({ add: ['cosmos1bad'] }),
      /invalid address 'cosmos1bad'/,
    );
  });

  it('a removed oracle can no longer record', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    await world.as(world.admin).updateOracles({ remove: [world.oracle] });
    await assertRefused(
      world,
      () => world.as(world.oracle).recordIntervals([world.record(node, 4_102_444_800)]),
      /unauthorized: record_intervals/,
    );
  });

  it('the admin changes the operator; the admin role itself moves only in two steps', async () => {
    const world = await registryWorld();
    const newOperator = address('operator-2');
    await assertRefused(
      world,
      () => world.as(world.operator).updateConfig({ operator: newOperator }),
      /unauthorized: update_config may only be called by the admin/,
    );
    await assertRefused(
      world,
      () => world.as(world.admin).updateConfig({ admin: alice }),
      /the admin role moves in two steps: propose_admin by the admin, then accept_admin by the new admin/,
    );
    await world.as(world.admin).updateConfig({ operator: newOperator });
    const config = await world.query.config();
    assert.deepEqual([config.operator, config.admin], [newOperator, world.admin]);
    const pending = await world.pendingNode(alice);
    await assertRefused(world, () => world.as(world.operator).approveNode(pending), /unauthorized: approve_node/);
    await world.as(newOperator).approveNode(pending);
  });

  it('config, info and reward policy answer what was instantiated', async () => {
    const world = await registryWorld();
    const config = await world.query.config();
    assert.deepEqual(config, {
      admin: world.admin,
      operator: world.operator,
      governance: world.governance,
      reward_denom: 'ugrid',
      interval_s: 900,
      epoch_length_s: 86_400,
      settlement_delay_s: 3_600,
      default_site: 'plant',
    });
    assert.deepEqual(await world.query.info(), { contract: 'crates.io:gridcoop-registry', version: '0.2.0' });
    assert.deepEqual(await world.query.rewardPolicy(), {
      kind_bps: { pv: 10_000, battery: 10_000, flexible_load: 10_000 },
      zone_bps: [],
      flexibility_bps: 10_000,
    });
  });
});

describe('registry: maintenance log', () => {
  it('the operator and the owner append notes; others cannot', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    await world.as(alice).logMaintenance(node, 'replaced inverter fan');
    const result = await world.as(world.operator).logMaintenance(node, 'meter recalibrated');
    assert.equal(wasmAttribute(result, 'seq'), '2');
    for (const sender of [world.admin, world.oracle, address('bob')]) {
      await assertRefused(
        world,
        () => world.as(sender).logMaintenance(node, 'x'),
        /unauthorized: log_maintenance may only be called by the plant operator or the node's owner/,
      );
    }
    const log = await world.query.maintenanceLog(node);
    assert.deepEqual(
      log.entries.map((e) => [e.seq, e.author, e.note]),
      [
        [1, alice, 'replaced inverter fan'],
        [2, world.operator, 'meter recalibrated'],
      ],
    );
    assert.deepEqual(
      (await world.query.maintenanceLog(node, { startAfter: 1 })).entries.map((e) => e.seq),
      [2],
    );
    assert.equal((await world.query.node(node)).maintenance_entries, 2);
  });

  it('a note is 1 to 512 bytes', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    const owner = world.unchecked(alice);
    await owner.logMaintenance(node, 'n'.repeat(REGISTRY_LIMITS.maxNoteBytes));
    await assertRefused(
      world,
      () => owner.logMaintenance(node, 'n'.repeat(REGISTRY_LIMITS.maxNoteBytes + 1)),
      /invalid note: 513 bytes, at most 512/,
    );
    await assertRefused(world, () => owner.logMaintenance(node, '   '), /invalid note: must not be empty/);
    await assertRefused(world, () => owner.logMaintenance(404, 'x'), /node 404 not found/);
  });
});

describe('registry: migration', () => {
  it('migrating to the same version is allowed and keeps every record', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    const before = await world.query.node(node);
    const result = await world.client.migrate(world.admin, world.contract, world.codeId, {}, 'auto');
    assert.ok(result.events.some((e) => e.attributes.some((a) => a.key === 'action' && a.value === 'migrate')));
    assert.deepEqual(await world.query.node(node), before);
  });

  it('a migration from another contract or from a newer version is refused', async () => {
    const world = await registryWorld();
    overwriteContractInfo(world, { contract: 'crates.io:cw20-base', version: '0.1.0' });
    await assertRefused(
      world,
      () => world.client.migrate(world.admin, world.contract, world.codeId, {}, 'auto'),
      /migration refused: stored contract is crates.io:cw20-base, not crates.io:gridcoop-registry/,
    );
    overwriteContractInfo(world, { contract: 'crates.io:gridcoop-registry', version: '0.10.0' });
    await assertRefused(
      world,
      () => world.client.migrate(world.admin, world.contract, world.codeId, {}, 'auto'),
      /migration refused: stored version 0.10.0 is newer than 0.2.0/,
    );
    assert.deepEqual(
      await world.query.info(),
      { contract: 'crates.io:gridcoop-registry', version: '0.10.0' },
      'the refused migration left the record as it was',
    );
  });
});

describe('registry: funds and reasons', () => {
  it('every message except fund_epoch refuses attached funds, even from the right caller', async () => {
    const world = await registryWorld();
    const pending = await world.pendingNode(alice);
    const active = await world.activeNode(alice);
    const coin = [{ denom: 'ugrid', amount: '1' }];
    const cases: [string, Record<string, unknown>][] = [
      [alice, { register_node: { kind: 'pv', rated_power_w: 1, zone: 'a', metadata: [] } }],
      [world.operator, { approve_node: { node_id: pending } }],
      [world.operator, { suspend_node: { node_id: active, reason: 'x' } }],
      [world.operator, { resume_node: { node_id: active } }],
      [alice, { retire_node: { node_id: active } }],
      [world.oracle, { record_intervals: { records: [world.record(active, 4_102_444_800)] } }],
      [alice, { claim_rewards: { node_id: active, epoch: 0 } }],
      [alice, { log_maintenance: { node_id: active, note: 'x' } }],
      [world.admin, { update_oracles: { add: [], remove: [] } }],
      [world.admin, { update_config: {} }],
      [world.governance, { set_reward_policy: { kind_bps: { pv: 1, battery: 1, flexible_load: 1 }, zone_bps: [] } }],
    ];
    for (const [sender, msg] of cases) {
      world.app.bank.setBalance(sender, [{ denom: 'ugrid', amount: '10' }]);
      const action = Object.keys(msg)[0]!;
      await assertRefused(
        world,
        () => world.client.execute(sender, world.contract, msg, 'auto', undefined, coin),
        new RegExp(`invalid funds for ${action}`),
      );
    }
  });

  it('a suspension reason is 1 to 256 bytes', async () => {
    const world = await registryWorld();
    const first = await world.activeNode(alice);
    const second = await world.activeNode(alice);
    const operator = world.unchecked(world.operator);
    await operator.suspendNode(first, 'r'.repeat(REGISTRY_LIMITS.maxReasonBytes));
    await assertRefused(
      world,
      () => operator.suspendNode(second, 'r'.repeat(REGISTRY_LIMITS.maxReasonBytes + 1)),
      /invalid reason: 257 bytes, at most 256/,
    );
    await assertRefused(world, () => operator.suspendNode(second, ''), /invalid reason: must not be empty/);
  });
});
