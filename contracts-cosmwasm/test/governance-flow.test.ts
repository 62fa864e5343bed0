// The governance story on the real wasm of both contracts: members' power comes from the registry, a passed policy
// waits out the council's timelock, then takes effect and reaches the registry's rewards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proposalIdFrom } from '../client/governance-client.ts';
import { statusName } from '../client/governance-types.ts';
import {
  address,
  DENOM,
  governanceInstantiateMsg,
  refusal,
  startGovernanceWorld,
  validPolicy,
} from './governance-fixture.ts';

const MIN_PERIOD_S = 3_600;
const TIMELOCK_S = 7_200;

const newPolicy = validPolicy({
  battery_reserve_pct: 35,
  surplus_split: { battery_pct: 60, miners_pct: 20, export_pct: 20 },
  reward_multipliers: {
    kind_bps: { pv: 10_000, battery: 15_000, flexible_load: 8_000 },
    zone_bps: [['zone-b', 20_000]],
    flexibility_bps: 25_000, // voted like the other multipliers, and sent to the registry with them
  },
});

describe('governance over the registry (wasm in cw-simulate)', () => {
  it('a passed proposal takes effect after the timelock and sends its reward multipliers to the registry', async () => {
    const world = await startGovernanceWorld();
    const { initial_policy: initialPolicy, ...settings } = governanceInstantiateMsg(world);
    assert.deepEqual(await world.query.config(), settings, 'the configuration reads back as instantiated');
    assert.deepEqual((await world.query.policy()).policy, initialPolicy);
    const id = proposalIdFrom(await world.as('alice').propose('Bigger reserve', 'Winter is coming', newPolicy));
    const opened = await world.query.proposal(id);
    assert.equal(opened.total_power, '10000', 'total power is the sum of approved rated power');

    await world.as('alice').castVote(id, 'yes', 'keeps the batteries ready');
    await world.as('bob').castVote(id, 'yes');
    const voted = await world.query.proposal(id);
    assert.deepEqual(voted.tally, { yes: '8000', no: '0', abstain: '0' }, "each vote weighs its owner's rated power");
    assert.equal(voted.status, 'open', 'no early pass before the minimum voting period');
    assert.match(await refusal(world.as('carol').executeProposal(id)), /cannot execute proposal 1: it is open/);

    world.advanceSeconds(MIN_PERIOD_S);
    const timelocked = await world.query.proposal(id);
    assert.equal(statusName(timelocked.status), 'veto_timelock');
    const pending = await world.query.pendingPolicy();
    assert.ok(pending, 'the controller sees the change coming');
    assert.equal(pending.proposal_id, id);
    assert.deepEqual(pending.policy, newPolicy);
    assert.equal(BigInt(pending.executable_from) - BigInt(pending.passed_at), BigInt(TIMELOCK_S) * 1_000_000_000n);
    assert.match(await refusal(world.as('carol').executeProposal(id)), /veto timelock/);
    assert.equal((await world.query.policy()).version, 1);

    world.advanceSeconds(TIMELOCK_S);
    assert.equal((await world.query.proposal(id)).status, 'passed');
    await world.as('someone-else').executeProposal(id);
    const inForce = await world.query.policy();
    assert.equal(inForce.version, 2);
    assert.deepEqual(inForce.policy, newPolicy);
    assert.equal(BigInt(inForce.effective_from), world.nowNs());
    assert.deepEqual(await world.registryRewardPolicy(), newPolicy.reward_multipliers);
    assert.equal(await world.query.pendingPolicy(), null);
    assert.equal((await world.query.proposal(id)).status, 'executed');
    assert.match(await refusal(world.as('carol').executeProposal(id)), /it is executed/);
  });

  it('power gained after a proposal opens does not count', async () => {
    const world = await startGovernanceWorld();
    const id = proposalIdFrom(await world.as('alice').propose('Snapshot', '', newPolicy));
    await world.addActiveNode(address('dave'), 50_000);
    await world.addActiveNode(address('bob'), 40_000, 'battery');
    world.advanceSeconds(5);
    assert.equal((await world.query.votingPower(address('dave'))).power, '50000', 'dave has power now');
    const startHeight = (await world.query.proposal(id)).start_height;
    assert.deepEqual(await world.query.votingPower(address('dave'), startHeight), { power: '0', height: startHeight });
    assert.equal((await world.query.votingPower(address('bob'), startHeight)).power, '3000');

    const daveRefusal = await refusal(world.as('dave').castVote(id, 'no'));
    assert.match(
      daveRefusal,
      new RegExp(`${address('dave')} has no voting power at height ${(await world.query.proposal(id)).start_height}`),
    );
    await world.as('bob').castVote(id, 'no');
    const proposal = await world.query.proposal(id);
    assert.deepEqual(
      proposal.tally,
      { yes: '0', no: '3000', abstain: '0' },
      'bob votes with his power at the snapshot',
    );
    assert.equal(proposal.total_power, '10000');
    assert.equal(await world.query.vote(id, address('dave')), null, 'the refused vote left nothing behind');
  });

  it('a vote that cannot pass any more is rejected early, closed, and its deposit refunded under "always"', async () => {
    const world = await startGovernanceWorld({
      governance: {
        deposit: { denom: DENOM, amount: '1000', refund_policy: 'always', forfeit_recipient: address('treasury') },
      },
    });
    world.app.bank.setBalance(address('carol'), [{ denom: DENOM, amount: '5000' }]);
    const id = proposalIdFrom(
      await world.as('carol').propose('Export everything', '', newPolicy, [{ denom: DENOM, amount: '1000' }]),
    );
    assert.equal(await world.balance(address('carol')), 4000n);
    assert.equal(await world.balance(world.governance), 1000n);
    await world.as('alice').castVote(id, 'no');
    world.advanceSeconds(MIN_PERIOD_S);
    assert.equal(
      (await world.query.proposal(id)).status,
      'rejected',
      'half the power against: the majority is out of reach',
    );
    assert.deepEqual(
      (await world.query.proposals({ status: 'rejected' })).proposals.map((p) => p.id),
      [id],
    );

    await world.as('anyone').close(id);
    assert.equal((await world.query.proposal(id)).status, 'closed');
    assert.equal(await world.balance(address('carol')), 5000n);
    assert.equal(await world.balance(world.governance), 0n);
    assert.match(await refusal(world.as('anyone').close(id)), /it is closed/);
  });

  it('under "only_passed" a deposit is forfeited when quorum is missed and refunded when the proposal executes', async () => {
    const world = await startGovernanceWorld({
      governance: {
        threshold: { threshold: { majority: {} }, quorum: { percent_bps: 3_000 } },
        deposit: { denom: DENOM, amount: '700', refund_policy: 'only_passed', forfeit_recipient: address('treasury') },
      },
    });
    world.app.bank.setBalance(address('carol'), [{ denom: DENOM, amount: '1400' }]);
    const quiet = proposalIdFrom(
      await world.as('carol').propose('Quiet one', '', newPolicy, [{ denom: DENOM, amount: '700' }]),
    );
    await world.as('carol').castVote(quiet, 'yes');
    world.advanceSeconds(86_399);
    assert.equal((await world.query.proposal(quiet)).status, 'open');
    assert.match(await refusal(world.as('anyone').close(quiet)), /cannot close proposal 1: it is open/);
    world.advanceSeconds(1);
    assert.equal((await world.query.proposal(quiet)).status, 'rejected', '20 % turnout is below the 30 % quorum');
    await world.as('anyone').close(quiet);
    assert.equal(await world.balance(address('treasury')), 700n);
    assert.equal(await world.balance(address('carol')), 700n);

    const popular = proposalIdFrom(
      await world.as('carol').propose('Popular one', '', newPolicy, [{ denom: DENOM, amount: '700' }]),
    );
    await world.as('alice').castVote(popular, 'yes');
    await world.as('bob').castVote(popular, 'abstain');
    world.advanceSeconds(MIN_PERIOD_S + TIMELOCK_S);
    await world.as('anyone').executeProposal(popular);
    assert.equal(await world.balance(address('carol')), 700n, '1400 - 700 forfeited - 700 paid + 700 refunded');
    assert.equal(await world.balance(address('treasury')), 700n);
  });

  it('the council vetoes during the timelock: the policy never takes effect and the deposit is not refunded', async () => {
    const world = await startGovernanceWorld({
      governance: {
        deposit: { denom: DENOM, amount: '100', refund_policy: 'always', forfeit_recipient: address('treasury') },
      },
    });
    world.app.bank.setBalance(address('alice'), [{ denom: DENOM, amount: '100' }]);
    const id = proposalIdFrom(
      await world.as('alice').propose('Unsafe reserve', '', newPolicy, [{ denom: DENOM, amount: '100' }]),
    );
    await world.as('alice').castVote(id, 'yes');
    await world.as('bob').castVote(id, 'yes');
    world.advanceSeconds(MIN_PERIOD_S);
    await world.as(world.council).veto(id);
    assert.equal((await world.query.proposal(id)).status, 'vetoed');
    assert.equal(await world.query.pendingPolicy(), null);
    assert.equal(await world.balance(address('treasury')), 100n);
    assert.equal(await world.balance(address('alice')), 0n);
    world.advanceSeconds(TIMELOCK_S);
    assert.match(await refusal(world.as('alice').executeProposal(id)), /it is vetoed/);
    assert.equal((await world.query.policy()).version, 1);
    assert.deepEqual(
      (await world.query.proposals({ status: 'vetoed' })).proposals.map((p) => p.id),
      [id],
    );
  });

  it('with revoting, members change their vote until the vote closes and nothing is decided early', async () => {
    const world = await startGovernanceWorld({ governance: { allow_revoting: true } });
    const id = proposalIdFrom(await world.as('alice').propose('Change of heart', '', newPolicy));
    for (const member of ['alice', 'bob', 'carol']) await world.as(member).castVote(id, 'yes');
    world.advanceSeconds(86_399);
    assert.equal((await world.query.proposal(id)).status, 'open', 'unanimous, yet still open: a vote may change');
    await world.as('alice').castVote(id, 'no', 'read the grid study');
    await world.as('bob').castVote(id, 'abstain');
    assert.deepEqual((await world.query.proposal(id)).tally, { yes: '2000', no: '5000', abstain: '3000' });
    assert.deepEqual(await world.query.vote(id, address('alice')), {
      voter: address('alice'),
      vote: 'no',
      power: '5000',
      rationale: 'read the grid study',
    });
    world.advanceSeconds(1);
    assert.equal((await world.query.proposal(id)).status, 'rejected');
    assert.match(await refusal(world.as('carol').castVote(id, 'no')), /cannot vote on proposal 1: it is rejected/);
  });

  it('when the registry refuses the multipliers, execution fails as a whole and can be retried', async () => {
    const world = await startGovernanceWorld();
    const id = proposalIdFrom(await world.as('alice').propose('Retry', '', newPolicy));
    await world.as('alice').castVote(id, 'yes');
    await world.as('bob').castVote(id, 'yes');
    world.advanceSeconds(MIN_PERIOD_S + TIMELOCK_S);
    const registryPolicyBefore = await world.registryRewardPolicy();
    // The registry's pointer moves to another governance address (only governance can move it: here as if this
    // contract had handed over to a successor): this contract is no longer allowed.
    const otherGovernance = address('other-governance');
    const other = { update_governance: { governance: otherGovernance } };
    await world.client.execute(world.governance, world.registry, other, 'auto');
    assert.match(await refusal(world.as('anyone').executeProposal(id)), /unauthori[sz]ed/i);
    world.reloadContractStorage();
    assert.equal((await world.query.policy()).version, 1, 'the policy in force did not change');
    assert.equal((await world.query.proposal(id)).status, 'passed', 'the proposal can still be executed');
    assert.deepEqual(await world.registryRewardPolicy(), registryPolicyBefore);

    const back = { update_governance: { governance: world.governance } };
    await world.client.execute(otherGovernance, world.registry, back, 'auto');
    await world.as('anyone').executeProposal(id);
    assert.equal((await world.query.policy()).version, 2);
    assert.deepEqual(await world.registryRewardPolicy(), newPolicy.reward_multipliers);
  });

  it('a proposal that passed before the policy in force can never be executed to roll it back', async () => {
    const world = await startGovernanceWorld();
    const older = proposalIdFrom(await world.as('alice').propose('Older', '', newPolicy));
    const newer = proposalIdFrom(await world.as('bob').propose('Newer', '', validPolicy({ battery_reserve_pct: 50 })));
    for (const id of [older, newer]) {
      await world.as('alice').castVote(id, 'yes');
      await world.as('bob').castVote(id, 'yes');
    }
    world.advanceSeconds(MIN_PERIOD_S + TIMELOCK_S);
    assert.equal((await world.query.pendingPolicy())?.proposal_id, older, 'the older decision is the next change');
    await world.as('carol').executeProposal(newer);
    assert.equal(await world.query.pendingPolicy(), null, 'the older proposal is superseded, nothing is pending');
    const message = await refusal(world.as('carol').executeProposal(older));
    assert.match(message, new RegExp(`cannot execute proposal ${older}: it passed at \\d+, before proposal ${newer}`));
    assert.match(message, /would roll the policy back/);
    const inForce = await world.query.policy();
    assert.equal(inForce.version, 2);
    assert.equal(inForce.policy.battery_reserve_pct, 50);
    await world.as('carol').close(older);
    assert.equal((await world.query.proposal(older)).status, 'closed');
  });

  it('a passed proposal not executed within its execution window expires and cannot take effect any more', async () => {
    const world = await startGovernanceWorld({ governance: { execution_window_seconds: 3_600 } });
    const id = proposalIdFrom(await world.as('alice').propose('Late', '', newPolicy));
    await world.as('alice').castVote(id, 'yes');
    await world.as('bob').castVote(id, 'yes');
    world.advanceSeconds(MIN_PERIOD_S + TIMELOCK_S + 3_599);
    const last = await world.query.proposal(id);
    assert.equal(last.status, 'passed');
    assert.equal(BigInt(last.execute_by!) - BigInt(last.executable_from!), 3_600n * 1_000_000_000n);
    world.advanceSeconds(1);
    assert.equal((await world.query.proposal(id)).status, 'expired');
    assert.deepEqual(
      (await world.query.proposals({ status: 'expired' })).proposals.map((p) => p.id),
      [id],
    );
    assert.equal(await world.query.pendingPolicy(), null);
    assert.match(await refusal(world.as('carol').executeProposal(id)), /it is expired/);
    assert.equal((await world.query.policy()).version, 1);
  });

  it('the registry takes reward multipliers from governance only', async () => {
    const world = await startGovernanceWorld();
    const before = await world.registryRewardPolicy();
    const setPolicy = { set_reward_policy: { kind_bps: { pv: 1, battery: 1, flexible_load: 50_000 }, zone_bps: [] } };
    for (const sender of [address('alice'), world.council, world.admin, world.operator]) {
      const message = await refusal(world.client.execute(sender, world.registry, setPolicy, 'auto'));
      assert.match(message, /unauthori[sz]ed/i, `${sender}: ${message}`);
    }
    assert.deepEqual(await world.registryRewardPolicy(), before);
  });
});
