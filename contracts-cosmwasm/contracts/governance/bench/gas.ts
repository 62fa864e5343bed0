// Gas of each governance message in cw-simulate's metering (the VM's figures, not a chain's: no per-byte storage or
// tx costs), on the built wasm of both contracts. A script, not a test; it prints its figures.
//   node --import tsx contracts-cosmwasm/contracts/governance/bench/gas.ts
import { proposalIdFrom, type ExecuteResult } from '../../../client/governance-client.ts';
import { address, DENOM, startGovernanceWorld, validPolicy } from '../../../test/governance-fixture.ts';

const rows: Array<[string, bigint]> = [];
const record = (label: string, result: ExecuteResult): void => {
  rows.push([label, result.gasUsed]);
};

const deposit = {
  denom: DENOM,
  amount: '1000',
  refund_policy: 'always' as const,
  forfeit_recipient: address('treasury'),
};
const world = await startGovernanceWorld({ metering: true, governance: { deposit } });
world.app.bank.setBalance(address('alice'), [{ denom: DENOM, amount: '100000' }]);
const policy = validPolicy({
  reward_multipliers: {
    kind_bps: { pv: 10_000, battery: 15_000, flexible_load: 8_000 },
    zone_bps: Array.from({ length: 32 }, (_, i) => [`zone-${i}`, 10_000 + i] as [string, number]),
  },
});
const fee = [{ denom: DENOM, amount: '1000' }];

const small = await world.as('alice').propose('Reserve 30', '', validPolicy({ battery_reserve_pct: 30 }), fee);
record('propose (small policy, deposit)', small);
const big = await world.as('alice').propose('t'.repeat(128), 'd'.repeat(4_000), policy, fee);
record('propose (128-char title, 4000-char description, 32 zones)', big);
const id = proposalIdFrom(big);
record('vote (first vote on the small proposal)', await world.as('bob').castVote(proposalIdFrom(small), 'abstain'));
record(
  'vote (first vote, power read from the registry)',
  await world.as('carol').castVote(id, 'abstain', 'r'.repeat(1_000)),
);
record('vote (the vote that makes the pass certain)', await world.as('alice').castVote(id, 'yes'));
await world.as('bob').castVote(id, 'yes');
world.advanceSeconds(3_600 + 7_200);
record(
  'execute (policy in force + set_reward_policy to the registry, 32 zones, refund)',
  await world.as('anyone').executeProposal(id),
);

const rejected = proposalIdFrom(small);
await world.as('alice').castVote(rejected, 'no');
world.advanceSeconds(86_400);
record('close (rejected, refund)', await world.as('anyone').close(rejected));

const revoting = await startGovernanceWorld({ metering: true, governance: { allow_revoting: true } });
const revoteId = proposalIdFrom(await revoting.as('alice').propose('Revote', '', validPolicy()));
await revoting.as('bob').castVote(revoteId, 'yes');
record('vote (changed vote, revoting on)', await revoting.as('bob').castVote(revoteId, 'no'));

const vetoWorld = await startGovernanceWorld({ metering: true });
const vetoId = proposalIdFrom(await vetoWorld.as('alice').propose('Veto me', '', validPolicy()));
await vetoWorld.as('alice').castVote(vetoId, 'yes');
await vetoWorld.as('bob').castVote(vetoId, 'yes');
vetoWorld.advanceSeconds(3_600);
record('veto (council, in the timelock)', await vetoWorld.as(vetoWorld.council).veto(vetoId));

const width = Math.max(...rows.map(([label]) => label.length));
console.log('governance gas (cw-simulate metering)');
for (const [label, gas] of rows) console.log(`${label.padEnd(width)}  ${gas.toString().padStart(12)}`);
