import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AllocationPolicyError,
  defaultAllocationPolicy,
  parseAllocationPolicy,
  type AllocationPolicy,
} from '../../src/policy/allocation-policy.ts';
import { demoSite } from '../cycle/demo-site.ts';

const valid: AllocationPolicy = {
  battery_reserve_pct: 20,
  surplus_split: { battery_pct: 50, miners_pct: 30, export_pct: 20 },
  miner_flexibility_pct: 100,
  reward_multipliers: {
    kind_bps: { pv: 10_000, battery: 10_000, flexible_load: 10_000 },
    zone_bps: [['zone-a', 12_000]],
  },
};

test('the default policy and the documented example are valid policies', () => {
  assert.deepEqual(parseAllocationPolicy(defaultAllocationPolicy), defaultAllocationPolicy);
  assert.deepEqual(parseAllocationPolicy(valid), valid);
});

test('a policy outside its bounds is refused with a typed error naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...valid, surplus_split: { battery_pct: 50, miners_pct: 30, export_pct: 30 } }, /surplus_split: .*exactly 100/],
    [{ ...valid, battery_reserve_pct: 4 }, /battery_reserve_pct/],
    [{ ...valid, battery_reserve_pct: 81 }, /battery_reserve_pct/],
    [{ ...valid, miner_flexibility_pct: 101 }, /miner_flexibility_pct/],
    [{ ...valid, reward_multipliers: { ...valid.reward_multipliers, zone_bps: [['Zone A', 1]] } }, /zone_bps/],
    [
      {
        ...valid,
        reward_multipliers: {
          ...valid.reward_multipliers,
          zone_bps: [
            ['a', 1],
            ['a', 2],
          ],
        },
      },
      /zone a appears twice/,
    ],
    [
      {
        ...valid,
        reward_multipliers: {
          ...valid.reward_multipliers,
          zone_bps: Array.from({ length: 33 }, (_, i) => [`z${i}`, 1]),
        },
      },
      /zone_bps/,
    ],
    [
      {
        ...valid,
        reward_multipliers: { ...valid.reward_multipliers, kind_bps: { pv: 50_001, battery: 0, flexible_load: 0 } },
      },
      /kind_bps\.pv/,
    ],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseAllocationPolicy(input),
      (error: unknown) => {
        assert.ok(error instanceof AllocationPolicyError, String(error));
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

test('a refused policy leaves the policy in force unchanged', async () => {
  const s = demoSite();
  s.cycle.setPolicy({ version: 3, policy: valid });
  const outOfBounds = { ...valid, miner_flexibility_pct: -1 };
  assert.throws(() => s.cycle.setPolicy({ version: 4, policy: outOfBounds }), AllocationPolicyError);
  assert.throws(() => s.cycle.setPolicy({ version: -1, policy: valid }), AllocationPolicyError);
  assert.equal(s.cycle.policyInForce.version, 3);
  assert.deepEqual(s.cycle.policyInForce.policy, valid);
});

test('the surplus split decides how much the battery, the miners and export take', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, minerRunning: true });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  // Surplus 4 kW: battery 50 % = 2 kW, miners 30 % = 1.2 kW, export 20 % = 0.8 kW.
  assert.equal(s.battery.setpointW, -2_000);
  assert.equal(s.miner.acPowerW(), -1_200);
  assert.equal(Math.round(s.site.gridPowerW()), -800);

  s.cycle.setPolicy({
    version: 1,
    policy: { ...valid, surplus_split: { battery_pct: 0, miners_pct: 50, export_pct: 50 } },
  });
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.battery.setpointW, 0);
  assert.equal(s.miner.acPowerW(), -2_000);
  assert.equal(Math.round(s.site.gridPowerW()), -2_000);
  await s.cycle.stop();
});

test('with 0 % miner flexibility a running miner is not modulated: it mines at full power', async () => {
  const s = demoSite({ loadW: 2_000, pvAvailableW: 6_000, minerRunning: true });
  s.cycle.setPolicy({ version: 1, policy: { ...valid, miner_flexibility_pct: 0 } });
  await s.connect();
  for (let i = 0; i < 3; i++) await s.step();
  assert.equal(s.miner.acPowerW(), -3_000);
  assert.equal(s.cycle.lastReport!.decision!.ranges['miner-1']!.range.maxBoundBy, 'allocation-policy');
  await s.cycle.stop();
});
