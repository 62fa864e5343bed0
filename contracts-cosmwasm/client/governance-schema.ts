// JSON Schema of every governance message (the shapes of contracts/governance/src/msg.rs). What a schema cannot say
// (the surplus split adding up to 100, unique zones, title length in characters, the 16 KiB proposal size) the
// contract checks; test/governance-bounds.test.ts holds schema and contract to the same messages.
import {
  arrayOf,
  nullable,
  object,
  oneOf,
  str,
  stringEnum,
  tuple,
  u32,
  u64,
  variant,
  type JsonSchema,
} from './json-schema.ts';
import { GOVERNANCE_LIMITS as L } from './governance-types.ts';

const address = str({ minLength: 1, maxLength: 256, description: 'bech32 address' });
const uint128 = str({ pattern: '^[0-9]{1,39}$', description: 'Uint128 as a decimal string' });
const ranged = (minimum: number, maximum: number, description?: string): JsonSchema => ({
  type: 'integer',
  format: 'uint32',
  minimum,
  maximum,
  ...(description ? { description } : {}),
});
const bps = (): JsonSchema => ranged(0, L.maxMultiplierBps, 'basis points, 10000 = x1');
const zone = str({ pattern: '^[a-z0-9-]{1,32}$' });

export const allocationPolicySchema = object({
  battery_reserve_pct: ranged(L.minBatteryReservePct, L.maxBatteryReservePct, 'state of charge never discharged below'),
  surplus_split: object(
    { battery_pct: ranged(0, 100), miners_pct: ranged(0, 100), export_pct: ranged(0, 100) },
    [],
    'the three shares add up to exactly 100',
  ),
  miner_flexibility_pct: ranged(0, 100),
  reward_multipliers: object(
    {
      kind_bps: object({ pv: bps(), battery: bps(), flexible_load: bps() }),
      zone_bps: arrayOf(tuple([zone, bps()]), L.maxZones),
      flexibility_bps: bps(),
    },
    ['flexibility_bps'],
  ),
});

const percentageThreshold = oneOf([variant('majority', object({})), variant('percent_bps', ranged(1, 10_000))]);
const thresholdQuorum = object({ threshold: percentageThreshold, quorum: percentageThreshold });

export const governanceInstantiateSchema = object(
  {
    registry: address,
    council: address,
    threshold: thresholdQuorum,
    min_voting_period_seconds: u64(),
    max_voting_period_seconds: {
      type: 'integer',
      format: 'uint64',
      minimum: L.minVotingPeriodSeconds,
      maximum: L.maxVotingPeriodSeconds,
    },
    timelock_seconds: { type: 'integer', format: 'uint64', minimum: 0, maximum: L.maxTimelockSeconds },
    allow_revoting: { type: 'boolean' },
    deposit: nullable(
      object({
        denom: str({ pattern: '^[a-zA-Z0-9/:._-]{3,128}$' }),
        amount: uint128,
        refund_policy: stringEnum(['always', 'only_passed', 'never']),
        forfeit_recipient: address,
      }),
    ),
    execution_window_seconds: nullable({
      type: 'integer',
      format: 'uint64',
      minimum: L.minExecutionWindowSeconds,
      maximum: L.maxExecutionWindowSeconds,
    }),
    initial_policy: allocationPolicySchema,
  },
  ['deposit', 'execution_window_seconds'],
);

const proposalId = u64();
const pageLimit = nullable(u32('page size, default 10, at most 30'));

export const governanceExecuteSchema = oneOf([
  variant(
    'propose',
    object({
      title: str({ minLength: L.minTitleChars, maxLength: L.maxTitleChars }),
      description: str({ maxLength: L.maxDescriptionChars }),
      policy: allocationPolicySchema,
    }),
  ),
  variant(
    'vote',
    object(
      {
        proposal_id: proposalId,
        vote: stringEnum(['yes', 'no', 'abstain']),
        rationale: nullable(str({ maxLength: L.maxRationaleChars })),
      },
      ['rationale'],
    ),
  ),
  variant('execute', object({ proposal_id: proposalId })),
  variant('veto', object({ proposal_id: proposalId })),
  variant('close', object({ proposal_id: proposalId })),
]);

const empty = object({});
export const governanceQuerySchema = oneOf([
  variant('config', empty),
  variant('policy', empty),
  variant('pending_policy', empty),
  variant(
    'proposals',
    object(
      {
        status: nullable(
          stringEnum(['open', 'rejected', 'veto_timelock', 'passed', 'expired', 'executed', 'closed', 'vetoed']),
        ),
        start_after: nullable(u64()),
        limit: pageLimit,
      },
      ['status', 'start_after', 'limit'],
    ),
  ),
  variant('proposal', object({ proposal_id: proposalId })),
  variant(
    'votes',
    object({ proposal_id: proposalId, start_after: nullable(address), limit: pageLimit }, ['start_after', 'limit']),
  ),
  variant('vote', object({ proposal_id: proposalId, voter: address })),
  variant('voting_power', object({ address, height: nullable(u64()) }, ['height'])),
]);

export const governanceMigrateSchema = object({});

/** The files `npm run build:contracts` writes under contracts-cosmwasm/schema/governance/ (once write-schemas lists it). */
export const governanceSchemas: Record<string, JsonSchema> = {
  instantiate_msg: governanceInstantiateSchema,
  execute_msg: governanceExecuteSchema,
  query_msg: governanceQuerySchema,
  migrate_msg: governanceMigrateSchema,
};
