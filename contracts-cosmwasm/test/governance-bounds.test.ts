// Every bound of the governance contract at and just past its limit, on the real wasm: the value at the bound is
// accepted, the one past it is refused with an error that names it, and a refusal stores nothing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { proposalIdFrom } from '../client/governance-client.ts';
import {
  governanceExecuteSchema,
  governanceInstantiateSchema,
  governanceQuerySchema,
} from '../client/governance-schema.ts';
import { validateAgainstSchema } from '../client/json-schema.ts';
import type { AllocationPolicy, GovernanceInstantiateMsg } from '../client/governance-types.ts';
import {
  address,
  DENOM,
  governanceInstantiateMsg,
  rawExecute,
  rawQuery,
  refusal,
  startGovernanceWorld,
  validPolicy,
  type GovernanceWorld,
} from './governance-fixture.ts';

async function proposalCount(world: GovernanceWorld): Promise<number> {
  return (await world.query.proposals({ limit: 30 })).proposals.length;
}

/** Proposes as alice; returns the error text, or '' when accepted. */
async function tryPropose(
  world: GovernanceWorld,
  title: string,
  description: string,
  policy: AllocationPolicy,
): Promise<string> {
  const countBefore = await proposalCount(world);
  try {
    await world.as('alice').propose(title, description, policy);
    return '';
  } catch (error) {
    assert.equal(await proposalCount(world), countBefore, 'a refused proposal stores nothing');
    return (error as Error).message;
  }
}

function withPolicy(change: (p: AllocationPolicy) => void): AllocationPolicy {
  const policy = structuredClone(validPolicy());
  change(policy);
  return policy;
}

describe('governance bounds (wasm in cw-simulate)', () => {
  let world: GovernanceWorld;
  before(async () => {
    world = await startGovernanceWorld();
  });

  it('a title has 1..=128 characters', async () => {
    assert.equal(await tryPropose(world, 'x', '', validPolicy()), '');
    assert.equal(await tryPropose(world, 'é'.repeat(128), '', validPolicy()), '');
    assert.match(
      await tryPropose(world, 'é'.repeat(129), '', validPolicy()),
      /title has 129 characters, must have 1..=128/,
    );
    assert.match(await tryPropose(world, '', '', validPolicy()), /title has 0 characters/);
    assert.match(await tryPropose(world, '   ', '', validPolicy()), /title has 3 characters, must have 1..=128/);
  });

  it('a description has at most 4,000 characters and the whole proposal at most 16,384 bytes', async () => {
    assert.equal(await tryPropose(world, 'd', 'a'.repeat(4_000), validPolicy()), '');
    assert.equal(await tryPropose(world, 'd', '€'.repeat(4_000), validPolicy()), '', '12,000 bytes of text fit');
    assert.match(
      await tryPropose(world, 'd', 'a'.repeat(4_001), validPolicy()),
      /description has 4001 characters, at most 4000/,
    );
    // Within both character limits, but 512 + 16,000 bytes of four-byte characters (plus the policy) is too large.
    assert.match(
      await tryPropose(world, '😀'.repeat(128), '😀'.repeat(4_000), validPolicy()),
      /proposal is \d+ bytes as JSON, at most 16384/,
    );
  });

  it('every policy field is accepted at its bounds and refused past them', async () => {
    const accepted: Array<[string, AllocationPolicy]> = [
      ['reserve 5', withPolicy((p) => (p.battery_reserve_pct = 5))],
      ['reserve 80', withPolicy((p) => (p.battery_reserve_pct = 80))],
      ['split 100/0/0', withPolicy((p) => (p.surplus_split = { battery_pct: 100, miners_pct: 0, export_pct: 0 }))],
      ['flexibility 0', withPolicy((p) => (p.miner_flexibility_pct = 0))],
      ['flexibility 100', withPolicy((p) => (p.miner_flexibility_pct = 100))],
      ['kind 50000', withPolicy((p) => (p.reward_multipliers.kind_bps.battery = 50_000))],
      ['kind 0', withPolicy((p) => (p.reward_multipliers.kind_bps.pv = 0))],
      ['zone 50000', withPolicy((p) => (p.reward_multipliers.zone_bps = [['zone-a', 50_000]]))],
      [
        '32 zones',
        withPolicy(
          (p) =>
            (p.reward_multipliers.zone_bps = Array.from(
              { length: 32 },
              (_, i) => [`z-${i}`, 10_000] as [string, number],
            )),
        ),
      ],
      ['zone name of 32', withPolicy((p) => (p.reward_multipliers.zone_bps = [['a'.repeat(32), 1]]))],
      ['no zones', withPolicy((p) => (p.reward_multipliers.zone_bps = []))],
    ];
    for (const [label, policy] of accepted) assert.equal(await tryPropose(world, label, '', policy), '', label);

    const refused: Array<[RegExp, AllocationPolicy]> = [
      [/battery_reserve_pct = 4 is outside 5..=80/, withPolicy((p) => (p.battery_reserve_pct = 4))],
      [/battery_reserve_pct = 81 is outside 5..=80/, withPolicy((p) => (p.battery_reserve_pct = 81))],
      [
        /surplus_split adds up to 101 %/,
        withPolicy((p) => (p.surplus_split = { battery_pct: 51, miners_pct: 30, export_pct: 20 })),
      ],
      [
        /surplus_split adds up to 99 %/,
        withPolicy((p) => (p.surplus_split = { battery_pct: 49, miners_pct: 30, export_pct: 20 })),
      ],
      [
        /surplus_split.battery_pct = 101 is outside 0..=100/,
        withPolicy((p) => (p.surplus_split = { battery_pct: 101, miners_pct: 0, export_pct: 0 })),
      ],
      [/miner_flexibility_pct = 101 is outside 0..=100/, withPolicy((p) => (p.miner_flexibility_pct = 101))],
      [
        /kind_bps.battery = 50001 is outside 0..=50000/,
        withPolicy((p) => (p.reward_multipliers.kind_bps.battery = 50_001)),
      ],
      [/zone_bps\[zone-a\] = 50001/, withPolicy((p) => (p.reward_multipliers.zone_bps = [['zone-a', 50_001]]))],
      [
        /lists 33 zones, at most 32/,
        withPolicy(
          (p) =>
            (p.reward_multipliers.zone_bps = Array.from(
              { length: 33 },
              (_, i) => [`z-${i}`, 10_000] as [string, number],
            )),
        ),
      ],
      [/zone name "a{33}" must be 1..=32/, withPolicy((p) => (p.reward_multipliers.zone_bps = [['a'.repeat(33), 1]]))],
      [/zone name "Zone-A"/, withPolicy((p) => (p.reward_multipliers.zone_bps = [['Zone-A', 1]]))],
      [/zone name "zone_a"/, withPolicy((p) => (p.reward_multipliers.zone_bps = [['zone_a', 1]]))],
      [/zone name ""/, withPolicy((p) => (p.reward_multipliers.zone_bps = [['', 1]]))],
      [
        /lists zone "zone-a" more than once/,
        withPolicy(
          (p) =>
            (p.reward_multipliers.zone_bps = [
              ['zone-a', 1],
              ['zone-a', 2],
            ]),
        ),
      ],
    ];
    for (const [expected, policy] of refused) assert.match(await tryPropose(world, 'bad', '', policy), expected);
  });

  it('a rationale has at most 1,000 characters', async () => {
    const id = proposalIdFrom(await world.as('alice').propose('rationale', '', validPolicy()));
    assert.match(
      await refusal(world.as('bob').castVote(id, 'yes', 'r'.repeat(1_001))),
      /rationale has 1001 characters, at most 1000/,
    );
    assert.equal(await world.query.vote(id, address('bob')), null, 'the refused vote left nothing behind');
    assert.deepEqual((await world.query.proposal(id)).tally, { yes: '0', no: '0', abstain: '0' });
    await world.as('bob').castVote(id, 'yes', 'r'.repeat(1_000));
    assert.equal((await world.query.vote(id, address('bob')))?.rationale?.length, 1_000);
  });

  it('lists page 10 by default and 30 at most, after start_after', async () => {
    while ((await world.query.proposals({ limit: 30 })).proposals.length < 30) {
      await world.as('alice').propose('filler', '', validPolicy());
    }
    await world.as('alice').propose('filler', '', validPolicy());
    const byDefault = await world.query.proposals();
    assert.deepEqual(
      byDefault.proposals.map((p) => p.id),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal((await world.query.proposals({ limit: 30 })).proposals.length, 30);
    assert.equal((await world.query.proposals({ limit: 31 })).proposals.length, 30);
    assert.deepEqual(
      (await world.query.proposals({ startAfter: 28, limit: 3 })).proposals.map((p) => p.id),
      [29, 30, 31],
    );
  });

  it('votes page by voter address, 10 by default and 30 at most', async () => {
    const members: Array<[string, number]> = Array.from({ length: 32 }, (_, i) => [`member-${i}`, 100 + i]);
    const crowd = await startGovernanceWorld({ members });
    const id = proposalIdFrom(await crowd.as('member-0').propose('crowd', '', validPolicy()));
    for (const [name] of members) await crowd.as(name).castVote(id, 'abstain');
    const voters = members.map(([name]) => address(name)).sort();
    assert.deepEqual(
      (await crowd.query.votes(id)).votes.map((v) => v.voter),
      voters.slice(0, 10),
    );
    assert.equal((await crowd.query.votes(id, { limit: 31 })).votes.length, 30);
    assert.deepEqual(
      (await crowd.query.votes(id, { startAfter: voters[29], limit: 30 })).votes.map((v) => v.voter),
      voters.slice(30),
    );
  });

  it('instantiation refuses every configuration bound past its limit and accepts it at the limit', async () => {
    const base = governanceInstantiateMsg(world);
    const instantiate = (msg: GovernanceInstantiateMsg) =>
      world.client.instantiate(world.admin, world.governanceCodeId, msg, 'bounds', 'auto');
    const refused: Array<[RegExp, Partial<GovernanceInstantiateMsg>]> = [
      [
        /max_voting_period_seconds: 59 is outside 60..=31622400/,
        { max_voting_period_seconds: 59, min_voting_period_seconds: 0 },
      ],
      [/max_voting_period_seconds: 31622401/, { max_voting_period_seconds: 31_622_401 }],
      [/min_voting_period_seconds: 86401 exceeds/, { min_voting_period_seconds: 86_401 }],
      [/timelock_seconds: 2592001 exceeds 2592000/, { timelock_seconds: 2_592_001 }],
      [/execution_window_seconds: 3599 is outside 3600..=2592000/, { execution_window_seconds: 3_599 }],
      [/execution_window_seconds: 2592001 is outside/, { execution_window_seconds: 2_592_001 }],
      [/threshold.threshold/, { threshold: { threshold: { percent_bps: 10_001 }, quorum: { majority: {} } } }],
      [/threshold.threshold/, { threshold: { threshold: { percent_bps: 0 }, quorum: { majority: {} } } }],
      [/threshold.quorum/, { threshold: { threshold: { majority: {} }, quorum: { percent_bps: 0 } } }],
      [/threshold.quorum/, { threshold: { threshold: { majority: {} }, quorum: { percent_bps: 10_001 } } }],
      [
        /deposit.amount: must be more than 0/,
        { deposit: { denom: DENOM, amount: '0', refund_policy: 'always', forfeit_recipient: world.treasury } },
      ],
      [
        /deposit.denom/,
        { deposit: { denom: 'u$', amount: '1', refund_policy: 'always', forfeit_recipient: world.treasury } },
      ],
      [/invalid policy: policy battery_reserve_pct = 90/, { initial_policy: validPolicy({ battery_reserve_pct: 90 }) }],
      [/council|address|bech32/i, { council: 'not-an-address' }],
    ];
    for (const [expected, change] of refused) {
      assert.match(await refusal(instantiate({ ...base, ...change })), expected, JSON.stringify(change));
    }
    await instantiate({
      ...base,
      max_voting_period_seconds: 31_622_400,
      min_voting_period_seconds: 31_622_400,
      timelock_seconds: 2_592_000,
      threshold: { threshold: { percent_bps: 10_000 }, quorum: { percent_bps: 1 } },
    });
    await instantiate({ ...base, max_voting_period_seconds: 60, min_voting_period_seconds: 0, timelock_seconds: 0 });
  });

  it('malformed JSON, unknown messages, wrong types and unknown fields are refused with a parse error, storing nothing', async () => {
    const sender = address('alice');
    const count = await proposalCount(world);
    const cases = [
      '{"propose": {"title": "x", ',
      'not json at all',
      '',
      '{"explode": {}}',
      '{"propose": {}}',
      '{"vote": {"proposal_id": "1", "vote": "yes", "rationale": null}}',
      '{"vote": {"proposal_id": -1, "vote": "yes", "rationale": null}}',
      '{"vote": {"proposal_id": 1, "vote": "veto", "rationale": null}}',
      '{"vote": {"proposal_id": 1, "vote": "yes", "rationale": null, "power": "1000000"}}',
      '{"vote": {"proposal_id": 18446744073709551616, "vote": "yes", "rationale": null}}',
      JSON.stringify({
        propose: { title: 't', description: '', policy: { ...validPolicy(), battery_reserve_pct: 300 } },
      }),
      JSON.stringify({ propose: { title: 't', description: '', policy: { ...validPolicy(), discharge_all: true } } }),
    ];
    for (const text of cases) {
      const answer = rawExecute(world, world.governance, sender, text);
      assert.equal(answer.ok, undefined, text);
      assert.match(answer.error ?? '', /Error parsing into type/, text);
    }
    assert.match(
      rawQuery(world, world.governance, '{"proposal": {"proposal_id": "x"}}').error ?? '',
      /Error parsing into type/,
    );
    assert.match(
      rawQuery(world, world.governance, '{"proposal": {"proposal_id": 999}}').error ?? '',
      /proposal 999 not found/,
    );
    assert.equal(await proposalCount(world), count);
  });

  it('the published schema accepts exactly the message shapes the contract parses', async () => {
    const policy = validPolicy();
    const messages: unknown[] = [
      { propose: { title: 't', description: '', policy } },
      { vote: { proposal_id: 1, vote: 'abstain', rationale: null } },
      { vote: { proposal_id: 1, vote: 'no' } },
      { execute: { proposal_id: 1 } },
      { veto: { proposal_id: 1 } },
      { close: { proposal_id: 1 } },
      { vote: { proposal_id: 1, vote: 'veto', rationale: null } },
      { vote: { proposal_id: '1', vote: 'yes', rationale: null } },
      { close: { proposal_id: 1, now: true } },
      { propose: { title: 't', description: '', policy: { ...policy, battery_reserve_pct: 256 } } },
      { propose: { title: 't', policy } },
      { reset: {} },
    ];
    for (const message of messages) {
      const schemaAccepts = validateAgainstSchema(governanceExecuteSchema, message).length === 0;
      const answer = rawExecute(world, world.governance, address('alice'), JSON.stringify(message));
      const contractParses = !/Error parsing into type/.test(answer.error ?? '');
      assert.equal(schemaAccepts, contractParses, `${JSON.stringify(message)}: ${answer.error ?? 'ok'}`);
    }
    const queries: unknown[] = [
      { proposals: { status: 'veto_timelock', start_after: 3, limit: 30 } },
      { proposals: {} },
      { votes: { proposal_id: 1, start_after: address('bob') } },
      { voting_power: { address: address('bob'), height: null } },
      { proposals: { status: 'maybe' } },
      { policy: { version: 1 } },
    ];
    for (const message of queries) {
      const schemaAccepts = validateAgainstSchema(governanceQuerySchema, message).length === 0;
      const contractParses = !/Error parsing into type/.test(
        rawQuery(world, world.governance, JSON.stringify(message)).error ?? '',
      );
      assert.equal(schemaAccepts, contractParses, JSON.stringify(message));
    }
    assert.deepEqual(validateAgainstSchema(governanceInstantiateSchema, governanceInstantiateMsg(world)), []);
  });

  it('funds sent with a message that takes none are refused and stay with the sender', async () => {
    world.app.bank.setBalance(address('bob'), [{ denom: DENOM, amount: '50' }]);
    const id = proposalIdFrom(await world.as('alice').propose('no funds', '', validPolicy()));
    const withFunds = world.client.execute(
      address('bob'),
      world.governance,
      { vote: { proposal_id: id, vote: 'yes', rationale: null } },
      'auto',
      undefined,
      [{ denom: DENOM, amount: '50' }],
    );
    assert.match(await refusal(withFunds), /does not accept funds \(got 50ugrid\)/);
    assert.equal(await world.balance(address('bob')), 50n);
    world.app.bank.setBalance(address('alice'), [{ denom: DENOM, amount: '1' }]);
    const paid = await refusal(world.as('alice').propose('paid', '', validPolicy(), [{ denom: DENOM, amount: '1' }]));
    assert.match(paid, /does not accept funds \(got 1ugrid\)/, 'no deposit is configured: none may be paid');
    assert.equal(await world.balance(address('alice')), 1n);
  });
});
