// Interval recording in the registry wasm (cw-simulate): each (node, interval) once, physics and time checked,
// counters monotonic, batches all or nothing, and only oracles may record.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wasmAttribute } from '../client/registry-client.ts';
import { REGISTRY_LIMITS } from '../client/registry-types.ts';
import {
  address,
  assertRefused,
  INTERVAL_S,
  registryWorld,
  START_TIME_S,
  type RegistryWorld,
} from './registry-fixture.ts';

const alice = address('alice');
const T0 = START_TIME_S;

async function worldWithNode(
  ratedPowerW = 10_000,
  closedIntervals = 60,
): Promise<{ world: RegistryWorld; node: number }> {
  const world = await registryWorld();
  const node = await world.activeNode(alice, { ratedPowerW });
  world.advanceSeconds(closedIntervals * INTERVAL_S); // closed intervals to record into, within the first day
  return { world, node };
}

describe('registry: recording intervals', () => {
  it('an oracle records a batch and the records and totals can be read back', async () => {
    const { world, node } = await worldWithNode();
    const batch = [0, 1, 2].map((i) =>
      world.record(node, T0 + i * INTERVAL_S, {
        energy_out_wh: 500 + i,
        energy_in_wh: i,
        // counters that add the energies up, as the equality rule requires
        counter_out_wh: 500 * (i + 1) + (i * (i + 1)) / 2,
        counter_in_wh: (i * (i + 1)) / 2,
      }),
    );
    const result = await world.as(world.oracle).recordIntervals(batch);
    assert.equal(wasmAttribute(result, 'action'), 'record_intervals');
    assert.equal(wasmAttribute(result, 'recorded'), '3');
    const stored = await world.query.records(node);
    assert.deepEqual(
      stored.records.map((r) => r.record),
      batch,
    );
    assert.ok(stored.records.every((r) => r.oracle === world.oracle && r.counts_for_rewards));
    assert.deepEqual(await world.query.nodeTotals(node), { energy_in_wh: 3, energy_out_wh: 1503, records: 3 });
    assert.deepEqual((await world.query.plantTotals()).totals, { energy_in_wh: 3, energy_out_wh: 1503, records: 3 });
    assert.deepEqual((await world.query.epoch(0 + T0 / 86_400)).totals, {
      energy_in_wh: 3,
      energy_out_wh: 1503,
      records: 3,
    });
  });

  it('an identical resubmission is a no-op reported in the attributes', async () => {
    const { world, node } = await worldWithNode();
    const batch = [world.record(node, T0), world.record(node, T0 + INTERVAL_S)];
    await world.as(world.oracle).recordIntervals(batch);
    const totals = await world.query.nodeTotals(node);
    const before = world.stateDigest();
    const again = await world.as(world.oracle).recordIntervals(batch);
    assert.equal(wasmAttribute(again, 'recorded'), '0');
    assert.equal(wasmAttribute(again, 'duplicates'), '2');
    assert.equal(wasmAttribute(again, 'duplicate_intervals'), `${node}@${T0},${node}@${T0 + INTERVAL_S}`);
    assert.deepEqual(await world.query.nodeTotals(node), totals);
    assert.equal(world.stateDigest(), before);
  });

  it('a conflicting resubmission is refused and the first record is kept', async () => {
    const { world, node } = await worldWithNode();
    const first = world.record(node, T0);
    await world.as(world.oracle).recordIntervals([first]);
    await assertRefused(
      world,
      () => world.as(world.oracle).recordIntervals([{ ...first, energy_out_wh: first.energy_out_wh + 1 }]),
      new RegExp(`record 0 \\(node ${node}, interval ${T0}\\) conflicts with the record already stored`),
    );
    assert.deepEqual(
      (await world.query.records(node)).records.map((r) => r.record),
      [first],
    );
  });

  it('only authorised oracles record', async () => {
    const { world, node } = await worldWithNode();
    for (const sender of [world.admin, world.operator, alice, world.governance, world.stranger]) {
      await assertRefused(
        world,
        () => world.as(sender).recordIntervals([world.record(node, T0)]),
        /unauthorized: record_intervals may only be called by an authorised oracle/,
      );
    }
  });

  it('unknown, pending, suspended and retired nodes are refused', async () => {
    const { world, node } = await worldWithNode();
    const pending = await world.pendingNode(alice);
    const suspended = await world.activeNode(alice);
    const retired = await world.activeNode(alice);
    await world.as(world.operator).suspendNode(suspended, 'inspection');
    await world.as(alice).retireNode(retired);
    const oracle = world.as(world.oracle);
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(999, T0)]),
      /record 0 \(node 999, interval \d+\) refused: node not found/,
    );
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(pending, T0)]),
      /refused: node is pending: not bound to the plant yet/,
    );
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(suspended, T0)]),
      /refused: node is suspended/,
    );
    await assertRefused(world, () => oracle.recordIntervals([world.record(retired, T0)]), /refused: node is retired/);
    await oracle.recordIntervals([world.record(node, T0)]);
  });

  it('intervals must be aligned to and as long as the configured interval', async () => {
    const { world, node } = await worldWithNode();
    const oracle = world.as(world.oracle);
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(node, T0 + 60)]),
      /interval_start is not aligned to 900 s/,
    );
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(node, T0, { interval_s: 300 })]),
      /interval_s 300 differs from the configured 900/,
    );
  });

  it('an interval is recordable once it has ended, not before', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    const lastClosedStart = world.nowS - INTERVAL_S - (world.nowS % INTERVAL_S);
    const open = lastClosedStart + INTERVAL_S;
    const oracle = world.as(world.oracle);
    // An interval ending exactly at the block time is closed; the next one is still running.
    world.app.time = (lastClosedStart + INTERVAL_S) * 1e9;
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(node, open)]),
      /refused: interval ends after the block time/,
    );
    await oracle.recordIntervals([world.record(node, lastClosedStart)]);
  });

  it('energy up to rated power x interval is accepted and one Wh more is refused', async () => {
    const { world, node } = await worldWithNode(10_000); // 10 kW x 900 s = 2,500 Wh
    const oracle = world.as(world.oracle);
    await oracle.recordIntervals([world.record(node, T0, { energy_out_wh: 2_500, counter_out_wh: 2_500 })]);
    await assertRefused(
      world,
      () =>
        oracle.recordIntervals([world.record(node, T0 + INTERVAL_S, { energy_out_wh: 2_501, counter_out_wh: 5_001 })]),
      /refused: energy_out_wh 2501 exceeds rated power 10000 W x 900 s/,
    );
    await assertRefused(
      world,
      () =>
        oracle.recordIntervals([world.record(node, T0 + INTERVAL_S, { energy_in_wh: 2_501, counter_out_wh: 5_000 })]),
      /refused: energy_in_wh 2501 exceeds rated power/,
    );
  });

  it('counters never go backwards, whatever order intervals arrive in', async () => {
    const { world, node } = await worldWithNode();
    const oracle = world.as(world.oracle);
    await oracle.recordIntervals([
      world.record(node, T0 + 2 * INTERVAL_S, { counter_out_wh: 3_000, counter_in_wh: 30 }),
    ]);
    // An earlier interval arriving late may not read more than a later one.
    await assertRefused(
      world,
      () => oracle.recordIntervals([world.record(node, T0, { counter_out_wh: 3_001, counter_in_wh: 0 })]),
      new RegExp(`counter_out_wh 3001 is above 3000 recorded for the later interval ${T0 + 2 * INTERVAL_S}`),
    );
    await assertRefused(
      world,
      () =>
        oracle.recordIntervals([world.record(node, T0 + 3 * INTERVAL_S, { counter_out_wh: 4_000, counter_in_wh: 29 })]),
      new RegExp(`counter_in_wh 29 is below 30 recorded for the earlier interval ${T0 + 2 * INTERVAL_S}`),
    );
    await oracle.recordIntervals([
      world.record(node, T0, { counter_out_wh: 2_000, counter_in_wh: 30 }),
      world.record(node, T0 + 3 * INTERVAL_S, { energy_out_wh: 0, counter_out_wh: 3_000, counter_in_wh: 30 }),
    ]);
  });

  it('energy equals the counter difference when the previous interval is stored: neither side can be invented', async () => {
    const { world, node } = await worldWithNode(10_000); // 10 kW x 900 s = 2,500 Wh per interval
    const oracle = world.as(world.oracle);
    await oracle.recordIntervals([world.record(node, T0, { energy_out_wh: 100, counter_out_wh: 1_000 })]);
    const before = world.stateDigest();
    // rated power x interval recorded with no counter movement behind it
    await assertRefused(
      world,
      () =>
        oracle.recordIntervals([world.record(node, T0 + INTERVAL_S, { energy_out_wh: 2_500, counter_out_wh: 1_000 })]),
      /refused: energy_out_wh 2500 of interval \d+ differs from its counter difference 0/,
    );
    // a counter moved by 10^9 Wh while 1 Wh is recorded
    await assertRefused(
      world,
      () =>
        oracle.recordIntervals([
          world.record(node, T0 + INTERVAL_S, { energy_out_wh: 1, counter_out_wh: 1_000_001_000 }),
        ]),
      /refused: energy_out_wh 1 of interval \d+ differs from its counter difference 1000000000/,
    );
    assert.equal(world.stateDigest(), before, 'nothing of a refused record is stored');
    await oracle.recordIntervals([
      world.record(node, T0 + INTERVAL_S, { energy_out_wh: 2_500, counter_out_wh: 3_500 }),
    ]);
  });

  it('a counter jump across unrecorded intervals is bounded by rated power x the gap', async () => {
    const { world, node } = await worldWithNode(10_000);
    const oracle = world.as(world.oracle);
    await oracle.recordIntervals([world.record(node, T0, { energy_out_wh: 100, counter_out_wh: 1_000 })]);
    await assertRefused(
      world,
      () =>
        oracle.recordIntervals([
          world.record(node, T0 + 4 * INTERVAL_S, { energy_out_wh: 10, counter_out_wh: 11_001 }),
        ]),
      /refused: counter_out_wh moves 10001 Wh from interval \d+ to interval \d+, more than rated power 10000 W x 3600 s \(10000 Wh\)/,
    );
    await oracle.recordIntervals([
      world.record(node, T0 + 4 * INTERVAL_S, { energy_out_wh: 10, counter_out_wh: 11_000 }),
    ]);
  });

  it('the record chain gives each record with its predecessor counters, weight and policy version', async () => {
    const { world, node } = await worldWithNode(10_000);
    const batch = [0, 1, 2].map((i) => world.record(node, T0 + i * INTERVAL_S));
    await world.as(world.oracle).recordIntervals(batch);
    const page = await world.query.recordChain(node, { startAfter: T0, limit: 1 });
    assert.equal(page.links.length, 1);
    assert.deepEqual(page.links[0]!.stored.record, batch[1]);
    assert.deepEqual(page.links[0]!.previous, { interval_start: T0, counter_in_wh: 0, counter_out_wh: 1_000 });
    assert.equal(page.links[0]!.stored.policy_version, 1);
    assert.equal(page.links[0]!.stored.reward_weight, String(1_000 * 10_000 * 10_000));
    const whole = await world.query.recordChain(node);
    assert.equal(whole.links[0]!.previous, null, 'the first record has no predecessor');
    const policies = await world.query.rewardPolicies();
    assert.deepEqual(
      policies.policies.map((p) => p.version),
      [1],
    );
  });

  it('a batch is all or nothing: one bad record stores none of it', async () => {
    const { world, node } = await worldWithNode();
    const batch = [
      world.record(node, T0),
      world.record(node, T0 + INTERVAL_S),
      world.record(node, T0 + 2 * INTERVAL_S, { samples_hash: 'not-hex' }),
    ];
    await assertRefused(
      world,
      () => world.unchecked(world.oracle).recordIntervals(batch),
      /record 2 .* samples_hash must be 64 lower-case hex characters/,
    );
    assert.deepEqual((await world.query.records(node)).records, []);
    // Nothing of the refused batch lingers: its good records are new when sent again.
    const again = await world.as(world.oracle).recordIntervals(batch.slice(0, 2));
    assert.deepEqual([wasmAttribute(again, 'recorded'), wasmAttribute(again, 'duplicates')], ['2', '0']);
  });

  it('batches hold 1 to 100 records', async () => {
    const { world, node } = await worldWithNode(10_000, 120);
    const oracle = world.unchecked(world.oracle);
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => world.record(node, T0 + (from + i) * INTERVAL_S));
    await assertRefused(world, () => oracle.recordIntervals([]), /record batch is empty/);
    await assertRefused(
      world,
      () => oracle.recordIntervals(batch(0, REGISTRY_LIMITS.maxBatchRecords + 1)),
      /record batch of 101 records exceeds the limit of 100/,
    );
    const result = await oracle.recordIntervals(batch(0, REGISTRY_LIMITS.maxBatchRecords));
    assert.equal(wasmAttribute(result, 'recorded'), '100');
  });

  it('records of a node read back by time range and in pages', async () => {
    const { world, node } = await worldWithNode();
    await world
      .as(world.oracle)
      .recordIntervals(Array.from({ length: 40 }, (_, i) => world.record(node, T0 + i * INTERVAL_S)));
    const starts = (r: { records: { record: { interval_start: number } }[] }) =>
      r.records.map((x) => (x.record.interval_start - T0) / INTERVAL_S);
    assert.deepEqual(starts(await world.query.records(node)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(
      starts(await world.query.records(node, { fromS: T0 + 5 * INTERVAL_S, toS: T0 + 8 * INTERVAL_S })),
      [5, 6, 7],
    );
    assert.deepEqual(
      starts(
        await world.query.records(node, { fromS: T0 + 5 * INTERVAL_S, startAfter: T0 + 6 * INTERVAL_S, limit: 2 }),
      ),
      [7, 8],
    );
    assert.equal((await world.query.records(node, { limit: 100 })).records.length, 30);
  });

  it('a record arriving after its epoch settled is kept in the ledger but earns no rewards', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    world.advanceSeconds(86_400 + 3_600); // the first day has settled
    const result = await world.as(world.oracle).recordIntervals([world.record(node, T0)]);
    assert.equal(wasmAttribute(result, 'late_for_rewards'), '1');
    const [stored] = (await world.query.records(node)).records;
    assert.equal(stored?.counts_for_rewards, false);
    const epoch = await world.query.nodeEpoch(node, T0 / 86_400);
    assert.equal(epoch.totals.energy_out_wh, 1_000);
    assert.equal(epoch.reward_weight, '0');
  });

  it('funds sent with a batch are refused and returned with the failed transaction', async () => {
    const { world, node } = await worldWithNode();
    world.app.bank.setBalance(world.oracle, [{ denom: 'ugrid', amount: '10' }]);
    await assertRefused(
      world,
      () =>
        world.client.execute(
          world.oracle,
          world.contract,
          { record_intervals: { records: [world.record(node, T0)] } },
          'auto',
          undefined,
          [{ denom: 'ugrid', amount: '1' }],
        ),
      /invalid funds for record_intervals/,
    );
  });
});

describe('registry: malformed and oversized input', () => {
  it('malformed messages are refused with an error naming the message type and what is wrong', async () => {
    const world = await registryWorld();
    const send = (msg: Record<string, unknown>) => world.client.execute(world.oracle, world.contract, msg, 'auto');
    await assertRefused(
      world,
      () => send({ record_intervals: {} }),
      /Error parsing into type gridcoop_registry::msg::ExecuteMsg: missing field `records`/,
    );
    await assertRefused(
      world,
      () => send({ record_intervals: { records: [{ node_id: '1' }] } }),
      /Error parsing into type gridcoop_registry::msg::ExecuteMsg: invalid type: string "1", expected u64/,
    );
    await assertRefused(
      world,
      () => send({ approve_node: { node_id: -1 } }),
      /ExecuteMsg: invalid value: integer `-1`, expected u64/,
    );
    await assertRefused(
      world,
      () => send({ approve_node: { node_id: 1, extra: true } }),
      /ExecuteMsg: unknown field `extra`/,
    );
    await assertRefused(world, () => send({ launch_missiles: {} }), /ExecuteMsg: unknown variant `launch_missiles`/);
    await assert.rejects(
      world.client.queryContractSmart(world.contract, { nodes: { limit: 'ten' } }),
      /Error parsing into type gridcoop_registry::msg::QueryMsg: invalid type: string "ten", expected u32/,
    );
  });

  it('oversized text is refused with its size and the limit', async () => {
    const world = await registryWorld();
    const node = await world.activeNode(alice);
    const owner = world.unchecked(alice);
    await assertRefused(
      world,
      () => owner.logMaintenance(node, 'x'.repeat(100_000)),
      /invalid note: 100000 bytes, at most 512/,
    );
    await assertRefused(
      world,
      () =>
        owner.registerNode({ kind: 'pv', ratedPowerW: 1, zone: 'zone-a', metadata: [['vendor', 'y'.repeat(50_000)]] }),
      /invalid metadata\[0\]\.value: 50000 bytes, at most 256/,
    );
  });
});
