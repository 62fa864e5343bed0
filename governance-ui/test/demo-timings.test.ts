/**
 * The demo shows the whole loop within 15 minutes of `npm start`, with the demo plan's real timings (the browser
 * tests move the chain's clock instead): a proposal is decided when its voting period closes (revoting is on, so
 * nothing is decided earlier), waits out the timelock, is executed and applied at the controller's next policy
 * poll; an owner can claim once the first full reward epoch has ended and settled. Production timings stay in the
 * real-chain plan.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const plans = resolve(import.meta.dirname, '../../contracts-cosmwasm/deploy');
interface Plan {
  contracts: { name: string; instantiateMsg: Record<string, unknown> }[];
}
const read = (file: string): Plan => JSON.parse(readFileSync(resolve(plans, file), 'utf8')) as Plan;
const msgOf = (plan: Plan, name: string) => plan.contracts.find((c) => c.name === name)!.instantiateMsg;

/** What `npm start` adds on top of the plan: the controller's policy poll and the start-up itself. */
const POLICY_POLL_S = 5;
const START_UP_S = 60;
/** time a person needs to propose, vote with two members and press execute */
const CLICKS_S = 120;

test('the demo plan lets a proposal pass, be executed and applied, and a reward be claimed, within 15 minutes', () => {
  const demo = read('gridcoop-demo.plan.json');
  const governance = msgOf(demo, 'governance') as {
    max_voting_period_seconds: number;
    timelock_seconds: number;
    allow_revoting: boolean;
    deposit: unknown;
  };
  const registry = msgOf(demo, 'registry') as {
    interval_s: number;
    epoch_length_s: number;
    settlement_delay_s: number;
  };
  const governanceLoopS =
    START_UP_S + CLICKS_S + governance.max_voting_period_seconds + governance.timelock_seconds + POLICY_POLL_S;
  // the worst case for rewards: npm start right after an epoch began, so the first whole epoch ends one epoch later
  const rewardLoopS =
    START_UP_S + registry.epoch_length_s + registry.settlement_delay_s + registry.interval_s + CLICKS_S / 2;
  assert.ok(governanceLoopS <= 15 * 60, `governance loop takes ${governanceLoopS} s`);
  assert.ok(rewardLoopS <= 15 * 60, `reward loop takes ${rewardLoopS} s`);
  assert.ok(governance.deposit, 'the demo plan asks a deposit, like every shipped plan');
});

test('the real-chain plan keeps production timings', () => {
  const production = read('gridcoop-local.plan.json');
  const governance = msgOf(production, 'governance') as { min_voting_period_seconds: number; timelock_seconds: number };
  const registry = msgOf(production, 'registry') as { epoch_length_s: number };
  assert.ok(governance.min_voting_period_seconds >= 3_600);
  assert.ok(governance.timelock_seconds >= 86_400);
  assert.ok(registry.epoch_length_s >= 86_400);
});
