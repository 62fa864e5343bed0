/**
 * The node owner's pure logic: the registration form checked as the registry contract checks it, the CSV export,
 * and the status words. (The browser and chain behaviour is in nodes.test.ts.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REGISTRY_LIMITS, type StoredRecord } from '@gridcoop/contracts/client/registry-types';
import { checkRegisterDraft, type RegisterDraft } from '../src/lib/nodes/register-form.ts';
import { recordsCsv } from '../src/lib/nodes/records-csv.ts';
import { lifecycleChoices, lifecycleMessage, suspendReasonProblem } from '../src/lib/nodes/node-lifecycle.ts';
import { epochsWithRecords } from '../src/lib/nodes/node-records.ts';
import { deviceIdOf, nextStep, statusLook } from '../src/lib/nodes/node-status.ts';
import { flexibilityRewardOf, flexibilityWeight } from '../src/lib/nodes/epoch-rewards.ts';
import { flexibilityTotal, recordFlexibility } from '../src/lib/nodes/record-flexibility.ts';
import { policyLines } from '../src/lib/policy/policy-fields.ts';
import { policyProblems } from '../src/lib/policy/policy-bounds.ts';

const valid: RegisterDraft = {
  kind: 'battery',
  ratedPowerW: '5000',
  energyCapacityWh: '10000',
  zone: 'north-1',
  metadata: [
    { key: 'device', value: 'battery-1' },
    { key: '', value: '' },
  ],
};

describe('the registration form', () => {
  test('a complete draft becomes the register_node message, empty metadata rows left out', () => {
    assert.deepEqual(checkRegisterDraft(valid), {
      problems: {},
      msg: {
        register_node: {
          kind: 'battery',
          rated_power_w: 5000,
          energy_capacity_wh: 10000,
          zone: 'north-1',
          metadata: [['device', 'battery-1']],
        },
      },
    });
  });

  test('only batteries send an energy capacity', () => {
    const { msg } = checkRegisterDraft({ ...valid, kind: 'pv', energyCapacityWh: '' });
    assert.equal(msg?.register_node.energy_capacity_wh, null);
  });

  test('each field outside the contract limits is named, and no message is built', () => {
    const { problems, msg } = checkRegisterDraft({
      kind: 'battery',
      ratedPowerW: String(REGISTRY_LIMITS.maxRatedPowerW + 1),
      energyCapacityWh: '1.5',
      zone: 'North_1',
      metadata: [
        { key: 'device', value: 'x'.repeat(REGISTRY_LIMITS.maxMetadataValueBytes + 1) },
        { key: 'device', value: 'again' },
        { key: '', value: 'orphan value' },
        { key: 'Bad Key', value: '' },
      ],
    });
    assert.equal(msg, null);
    assert.deepEqual(Object.keys(problems).sort(), [
      'energyCapacityWh',
      'metadata.0.value',
      'metadata.1.key',
      'metadata.2.key',
      'metadata.3.key',
      'ratedPowerW',
      'zone',
    ]);
    assert.match(problems.ratedPowerW!, /between 1 and 100,000,000 W/);
    assert.match(problems.energyCapacityWh!, /whole number/);
    assert.match(problems['metadata.1.key']!, /already used/);
  });

  test('metadata values are counted in UTF-8 bytes, as the contract counts them', () => {
    const fits = '€'.repeat(REGISTRY_LIMITS.maxMetadataValueBytes / 4); // 3 bytes each
    assert.deepEqual(checkRegisterDraft({ ...valid, metadata: [{ key: 'note', value: fits }] }).problems, {});
    const over = '€'.repeat(Math.ceil(REGISTRY_LIMITS.maxMetadataValueBytes / 3) + 1);
    assert.match(
      checkRegisterDraft({ ...valid, metadata: [{ key: 'note', value: over }] }).problems['metadata.0.value']!,
      /bytes; at most 256/,
    );
  });

  test('more metadata entries than the contract keeps are refused', () => {
    const metadata = Array.from({ length: REGISTRY_LIMITS.maxMetadataEntries + 1 }, (_, i) => ({
      key: `k${i}`,
      value: 'v',
    }));
    assert.match(checkRegisterDraft({ ...valid, metadata }).problems.metadata!, /At most 16 entries \(17 given\)/);
  });

  test('a missing rated power and zone are asked for', () => {
    const { problems } = checkRegisterDraft({ ...valid, ratedPowerW: ' ', zone: '' });
    assert.equal(problems.ratedPowerW, 'Required.');
    assert.match(problems.zone!, /Required/);
  });
});

function stored(start: number, out: number, extra: Partial<StoredRecord> = {}): StoredRecord {
  return {
    record: {
      node_id: 7,
      interval_start: start,
      interval_s: 60,
      energy_in_wh: 1,
      energy_out_wh: out,
      counter_in_wh: 100,
      counter_out_wh: 1000 + out,
      samples_hash: 'ab'.repeat(32),
    },
    oracle: 'gridcoop1oracle',
    recorded_at_height: 42,
    counts_for_rewards: true,
    policy_version: 1,
    reward_weight: String(out * 10_000 * 10_000),
    ...extra,
  };
}

describe('the records export', () => {
  test('one CSV line per record with its counters, samples hash, oracle and height', () => {
    const csv = recordsCsv([stored(1_800_000_000, 12), stored(1_800_000_060, 0, { counts_for_rewards: false })]);
    const lines = csv.split('\r\n');
    assert.equal(lines.length, 4); // header, two records, and the final line break
    assert.equal(lines[3], '');
    assert.equal(
      lines[1],
      `7,2027-01-15T08:00:00.000Z,1800000000,60,12,1,1012,100,${'ab'.repeat(32)},gridcoop1oracle,42,1,1200000000,true`,
    );
    assert.match(lines[2]!, /,false$/);
  });

  test('a field with a comma or a quote is quoted, so the columns never shift', () => {
    const csv = recordsCsv([stored(1_800_000_000, 1, { oracle: 'odd,"name"' })]);
    assert.match(csv.split('\r\n')[1]!, /,"odd,""name""",42,/);
  });

  test('the epochs shown are the newest ones holding records', () => {
    const records = [stored(0, 1), stored(600, 1), stored(660, 1), stored(1800, 1), stored(3000, 1)];
    assert.deepEqual(epochsWithRecords(records, 600, 3), [5, 3, 1]);
  });
});

describe('node statuses', () => {
  test('every status has an icon and a word, and what it needs next', () => {
    for (const status of ['pending', 'active', 'suspended', 'retired'] as const) {
      const look = statusLook(status);
      assert.ok(look.icon && look.word, status);
      assert.ok(nextStep({ status, status_reason: null }).length > 10, status);
    }
    assert.match(nextStep({ status: 'pending', status_reason: null }), /operator's approval/);
    assert.match(nextStep({ status: 'suspended', status_reason: 'meter fault' }), /meter fault/);
    assert.equal(statusLook('decommissioned').word, 'Decommissioned');
  });

  test("the controller's device id comes from the node's metadata", () => {
    assert.equal(
      deviceIdOf({
        metadata: [
          ['site', 'a'],
          ['device', 'pv-1'],
        ],
      }),
      'pv-1',
    );
    assert.equal(deviceIdOf({ metadata: [] }), null);
  });
});

describe('flexibility on the node pages', () => {
  const policy = {
    kind_bps: { pv: 10_000, battery: 10_000, flexible_load: 10_000 },
    zone_bps: [['north-1', 20_000]] as [string, number][],
    flexibility_bps: 15_000,
  };
  const totals = (energyOut: number, flexibility: number) => ({
    energy_in_wh: 500,
    energy_out_wh: energyOut,
    records: 9,
    flexibility_wh: flexibility,
  });

  test("a record's claim reads as the move from its baseline; a record without one reads as none", () => {
    const flex = recordFlexibility({
      flexibility: { direction: 'down', request_start: 900, baseline_wh: 1_500, delivered_wh: 1_200 },
    });
    assert.equal(flex?.words, '↓ 1,200 Wh less than its 1,500 Wh baseline');
    assert.equal(recordFlexibility({})?.words, undefined);
    assert.equal(
      flexibilityTotal([
        { record: {} },
        { record: { flexibility: { direction: 'up', request_start: 0, baseline_wh: 0, delivered_wh: 40 } } },
      ]),
      40,
    );
  });

  test("the flexibility reward is the node's whole share when it had no output, else its flexibility weight's part", () => {
    const epoch = { pool: '1000', total_weight: String(4 * 300 * 15_000 * 20_000) };
    // no output: all of its weight is flexibility, whatever policy a record was weighed at
    const onlyFlex = { reward_weight: String(300 * 15_000 * 20_000), totals: totals(0, 300) };
    assert.equal(flexibilityRewardOf(epoch, onlyFlex, policy, 'north-1'), 250n);
    // output and flexibility: the flexibility part at the policy in force (zone north-1 x2, flexibility x1.5)
    const both = { reward_weight: String((100 * 10_000 + 300 * 15_000) * 20_000), totals: totals(100, 300) };
    assert.equal(flexibilityWeight(policy, 'north-1', 300), BigInt(300 * 15_000 * 20_000));
    assert.equal(flexibilityRewardOf(epoch, both, policy, 'north-1'), 250n);
    assert.equal(flexibilityRewardOf({ pool: '1000', total_weight: '0' }, both, policy, 'north-1'), 0n);
    assert.equal(flexibilityRewardOf(epoch, { ...both, totals: totals(100, 0) }, policy, 'north-1'), 0n);
  });

  test('the policy shows the flexibility multiplier, x1 when a policy has none, and its bounds are checked', () => {
    const base = {
      battery_reserve_pct: 20,
      surplus_split: { battery_pct: 40, miners_pct: 40, export_pct: 20 },
      miner_flexibility_pct: 100,
      reward_multipliers: { kind_bps: policy.kind_bps, zone_bps: [] as [string, number][] },
    };
    const line = (p: typeof base & { reward_multipliers: { flexibility_bps?: number } }) =>
      policyLines(p).find((l) => l.key === 'reward_multipliers.flexibility_bps');
    assert.equal(line(base)?.value, 'x1.00');
    assert.equal(
      line({ ...base, reward_multipliers: { ...base.reward_multipliers, flexibility_bps: 15_000 } })?.value,
      'x1.50',
    );
    const tooHigh = { ...base, reward_multipliers: { ...base.reward_multipliers, flexibility_bps: 10_000_000 } };
    assert.ok(policyProblems(tooHigh).some((p) => p.field === 'reward_multipliers.flexibility_bps'));
    assert.ok(!policyProblems(base).some((p) => p.field === 'reward_multipliers.flexibility_bps'));
  });

  test('lifecycle actions: the operator suspends active and resumes suspended nodes, operator or owner retires, each refusal in words', () => {
    const offered = (status: string, viewer: { isOperator: boolean; isOwner: boolean }) =>
      lifecycleChoices({ status: status as 'active' }, viewer)
        .filter((c) => c.unavailable === null)
        .map((c) => c.action);
    const operator = { isOperator: true, isOwner: false };
    const owner = { isOperator: false, isOwner: true };
    assert.deepEqual(offered('active', operator), ['suspend', 'retire']);
    assert.deepEqual(offered('suspended', operator), ['resume', 'retire']);
    assert.deepEqual(offered('pending', operator), ['retire']);
    assert.deepEqual(offered('retired', operator), []);
    assert.deepEqual(offered('active', owner), ['retire']);
    assert.deepEqual(offered('suspended', owner), ['retire']);
    assert.deepEqual(lifecycleChoices({ status: 'active' }, { isOperator: false, isOwner: false }), []);
    assert.equal(
      lifecycleChoices({ status: 'retired' }, owner).find((c) => c.action === 'retire')?.unavailable,
      'This node is already retired.',
    );
  });

  test('a suspension reason is checked as the contract checks it: not blank, at most 256 bytes of UTF-8', () => {
    assert.match(suspendReasonProblem('   ') ?? '', /^Reason: required/);
    assert.equal(suspendReasonProblem('x'.repeat(REGISTRY_LIMITS.maxReasonBytes)), null);
    // 86 three-byte characters are 258 bytes although only 86 characters
    assert.equal(suspendReasonProblem('€'.repeat(86)), `Reason: 258 bytes, at most ${REGISTRY_LIMITS.maxReasonBytes}.`);
    assert.deepEqual(lifecycleMessage('suspend', 7, '  audit  '), {
      msg: { suspend_node: { node_id: 7, reason: 'audit' } },
      problem: null,
    });
    assert.equal(lifecycleMessage('suspend', 7, '').msg, null);
    assert.deepEqual(lifecycleMessage('retire', 7).msg, { retire_node: { node_id: 7 } });
    assert.deepEqual(lifecycleMessage('resume', 7).msg, { resume_node: { node_id: 7 } });
  });
});
