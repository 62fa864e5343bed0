// Every authorisation rule of the governance contract, on the real wasm: the unauthorised caller is refused with an
// error saying why, and the refusal changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proposalIdFrom } from '../client/governance-client.ts';
import { statusName } from '../client/governance-types.ts';
import {
  address,
  DENOM,
  refusal,
  startGovernanceWorld,
  validPolicy,
  type GovernanceWorld,
} from './governance-fixture.ts';

async function passedInTimelock(world: GovernanceWorld): Promise<number> {
  const id = proposalIdFrom(
    await world.as('alice').propose('Reserve 40', '', validPolicy({ battery_reserve_pct: 40 })),
  );
  await world.as('alice').castVote(id, 'yes');
  await world.as('bob').castVote(id, 'yes');
  world.advanceSeconds(3_600);
  assert.equal(statusName((await world.query.proposal(id)).status), 'veto_timelock');
  return id;
}

describe('governance authorisation (wasm in cw-simulate)', () => {
  it('only members with approved nodes can propose', async () => {
    const world = await startGovernanceWorld();
    // A node registered but not yet approved by the operator gives no power.
    await world.client.execute(
      address('erin'),
      world.registry,
      { register_node: { kind: 'pv', rated_power_w: 9_000, energy_capacity_wh: null, zone: 'zone-a', metadata: [] } },
      'auto',
    );
    world.advanceSeconds(5);
    for (const outsider of ['mallory', 'erin']) {
      const message = await refusal(world.as(outsider).propose('Take over', '', validPolicy()));
      assert.match(message, new RegExp(`${address(outsider)} has no voting power at height \\d+`));
    }
    assert.deepEqual((await world.query.proposals()).proposals, []);
  });

  it('a vote without power at the snapshot is refused and the tally is unchanged', async () => {
    const world = await startGovernanceWorld();
    const id = proposalIdFrom(await world.as('alice').propose('Reserve 40', '', validPolicy()));
    assert.match(await refusal(world.as('mallory').castVote(id, 'no')), /has no voting power/);
    assert.deepEqual((await world.query.proposal(id)).tally, { yes: '0', no: '0', abstain: '0' });
    assert.deepEqual((await world.query.votes(id)).votes, []);
  });

  it('only the council can veto', async () => {
    const world = await startGovernanceWorld();
    const id = await passedInTimelock(world);
    for (const caller of [address('alice'), world.admin, world.operator, world.treasury, world.registry]) {
      const message = await refusal(world.as(caller).veto(id));
      assert.match(
        message,
        new RegExp(`unauthorized: veto may only be done by the council ${world.council}, not by ${caller}`),
      );
    }
    assert.equal(statusName((await world.query.proposal(id)).status), 'veto_timelock');
    await world.as(world.council).veto(id);
    assert.equal((await world.query.proposal(id)).status, 'vetoed');
  });

  it('nobody may execute before the timelock ends, close what is not rejected, or act on an unknown proposal', async () => {
    const world = await startGovernanceWorld();
    const id = await passedInTimelock(world);
    assert.match(
      await refusal(world.as(world.council).executeProposal(id)),
      /cannot execute proposal 1: it is in its veto timelock/,
    );
    assert.match(
      await refusal(world.as('alice').close(id)),
      /cannot close proposal 1: it is in its veto timelock until \d+, must be rejected/,
    );
    assert.match(await refusal(world.as('carol').castVote(id, 'no')), /cannot vote on proposal 1/);
    world.advanceSeconds(7_200);
    assert.match(await refusal(world.as(world.council).veto(id)), /cannot veto proposal 1: it is passed/);
    assert.match(await refusal(world.as('alice').close(id)), /cannot close proposal 1: it is passed/);
    for (const attempt of [
      world.as('alice').castVote(99, 'yes'),
      world.as('alice').executeProposal(99),
      world.as(world.council).veto(99),
      world.as('alice').close(99),
    ]) {
      assert.match(await refusal(attempt), /proposal 99 not found/);
    }
    assert.equal((await world.query.policy()).version, 1, 'nothing took effect along the way');
  });

  it('a proposal without exactly the deposit is refused and the funds stay with the proposer', async () => {
    const world = await startGovernanceWorld({
      governance: {
        deposit: { denom: DENOM, amount: '1000', refund_policy: 'always', forfeit_recipient: address('treasury') },
      },
    });
    world.app.bank.setBalance(address('alice'), [
      { denom: DENOM, amount: '5000' },
      { denom: 'uother', amount: '5000' },
    ]);
    const attempts = [
      [],
      [{ denom: DENOM, amount: '999' }],
      [{ denom: DENOM, amount: '1001' }],
      [{ denom: 'uother', amount: '1000' }],
    ];
    for (const funds of attempts) {
      const message = await refusal(world.as('alice').propose('Deposit', '', validPolicy(), funds));
      assert.match(message, /proposal deposit must be exactly 1000ugrid, got/, JSON.stringify(funds));
    }
    assert.equal(await world.balance(address('alice')), 5000n);
    assert.equal(await world.balance(world.governance), 0n);
    assert.deepEqual((await world.query.proposals()).proposals, []);
  });

  it('only the admin can migrate, and a migration refuses another contract', async () => {
    const world = await startGovernanceWorld();
    const message = await refusal(
      world.client.migrate(address('alice'), world.governance, world.governanceCodeId, {}, 'auto'),
    );
    assert.match(message, /unauthorized/);
    // The governance code pointed at the registry's state finds another contract's name and refuses.
    const wrong = await refusal(world.client.migrate(world.admin, world.registry, world.governanceCodeId, {}, 'auto'));
    assert.match(
      wrong,
      /cannot migrate: this contract is "crates.io:gridcoop-registry", not "crates.io:gridcoop-governance"/,
    );
    // The refused migration left the registry on its own code. (cw-simulate keeps the VM it rebuilt for the attempt,
    // so the registry is not queried again in this world; a chain rebuilds nothing on a failed transaction.)
    assert.equal((await world.client.getContract(world.registry)).codeId, world.registryCodeId);
    await world.client.migrate(world.admin, world.governance, world.governanceCodeId, {}, 'auto');
    assert.equal((await world.query.policy()).version, 1);
  });
});
