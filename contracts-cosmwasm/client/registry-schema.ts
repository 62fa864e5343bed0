// JSON Schema of every registry message, written beside the TypeScript types and kept honest by the
// integration tests: every message they send is validated against these schemas first, and the contract's
// acceptance or refusal is what the test asserts (test/registry-*.test.ts).
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
import { REGISTRY_LIMITS as L } from './registry-types.ts';

const address = str({ minLength: 1, maxLength: 256, description: 'bech32 address' });
const zone = str({ pattern: '^[a-z0-9-]{1,32}$' });
const site = str({ pattern: '^[a-z0-9-]{1,32}$', description: 'site id' });
const nodeKind = stringEnum(['pv', 'battery', 'flexible_load']);
const bps = (): JsonSchema => ({ type: 'integer', format: 'uint32', minimum: 0, maximum: L.maxMultiplierBps });
const kindMultipliers = object({ pv: bps(), battery: bps(), flexible_load: bps() });
const zoneBps = arrayOf(tuple([zone, bps()]), L.maxZones);
const rewardPolicy = object({ kind_bps: kindMultipliers, zone_bps: zoneBps, flexibility_bps: bps() }, [
  'flexibility_bps',
]);
const flexibilityClaim = object({
  direction: stringEnum(['down', 'up']),
  request_start: u64('unix seconds: the request began at this aligned interval start, at most a day earlier'),
  baseline_wh: u64('median energy_in of the 8 intervals before request_start'),
  delivered_wh: u64('down: baseline - energy_in; up: energy_in - baseline; never below 0'),
});
const pageLimit = nullable(u32('page size, default 10, at most 30'));

export const intervalRecordSchema = object(
  {
    node_id: u64(),
    interval_start: u64('unix seconds, a multiple of the configured interval_s'),
    interval_s: u64(),
    energy_in_wh: u64(),
    energy_out_wh: u64(),
    counter_in_wh: u64(),
    counter_out_wh: u64(),
    samples_hash: str({ pattern: '^[0-9a-f]{64}$', description: 'sha256 of the raw samples, lower-case hex' }),
    flexibility: flexibilityClaim,
  },
  ['flexibility'],
);

export const registryInstantiateSchema = object(
  {
    admin: nullable(address),
    operator: address,
    governance: nullable(address),
    oracles: arrayOf(address, L.maxOracles),
    default_site: nullable(site),
    sites: arrayOf(object({ site, oracles: arrayOf(address, L.maxOracles) }), L.maxSites),
    reward_denom: str({ pattern: '^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$' }),
    interval_s: u64(),
    epoch_length_s: u64(),
    settlement_delay_s: u64(),
    reward_policy: nullable(rewardPolicy),
  },
  ['admin', 'governance', 'default_site', 'sites', 'reward_policy'],
);

export const registryExecuteSchema = oneOf([
  variant(
    'register_node',
    object(
      {
        kind: nodeKind,
        rated_power_w: u64(),
        energy_capacity_wh: nullable(u64('batteries only')),
        zone,
        metadata: arrayOf(
          tuple([str({ pattern: '^[a-z0-9_-]{1,32}$' }), str({ maxLength: L.maxMetadataValueBytes })]),
          L.maxMetadataEntries,
        ),
      },
      ['energy_capacity_wh'],
    ),
  ),
  variant('approve_node', object({ node_id: u64(), site: nullable(site) }, ['site'])),
  variant('assign_node_site', object({ node_id: u64(), site })),
  variant('suspend_node', object({ node_id: u64(), reason: str({ minLength: 1, maxLength: L.maxReasonBytes }) })),
  variant('resume_node', object({ node_id: u64() })),
  variant('retire_node', object({ node_id: u64() })),
  variant('record_intervals', object({ records: arrayOf(intervalRecordSchema, L.maxBatchRecords) })),
  variant('fund_epoch', object({ epoch: u64() })),
  variant('claim_rewards', object({ node_id: u64(), epoch: u64() })),
  variant('log_maintenance', object({ node_id: u64(), note: str({ minLength: 1, maxLength: L.maxNoteBytes }) })),
  variant('update_oracles', object({ add: arrayOf(address), remove: arrayOf(address) })),
  variant('add_site', object({ site, oracles: arrayOf(address, L.maxOracles) })),
  variant('update_site_oracles', object({ site, add: arrayOf(address), remove: arrayOf(address) })),
  variant('remove_site', object({ site })),
  variant(
    'update_config',
    object({ admin: nullable(address), operator: nullable(address), governance: nullable(address) }, [
      'admin',
      'operator',
      'governance',
    ]),
  ),
  variant('propose_admin', object({ new_admin: address })),
  variant('accept_admin', object({})),
  variant('cancel_admin_transfer', object({})),
  variant('renounce_admin', object({})),
  variant('update_governance', object({ governance: address })),
  variant(
    'set_reward_policy',
    object({ kind_bps: kindMultipliers, zone_bps: zoneBps, flexibility_bps: nullable(bps()) }, ['flexibility_bps']),
  ),
]);

const empty = object({});
export const registryQuerySchema = oneOf([
  variant('config', empty),
  variant('info', empty),
  variant('reward_policy', empty),
  variant('node', object({ node_id: u64() })),
  variant(
    'nodes',
    object(
      {
        owner: nullable(address),
        zone: nullable(zone),
        kind: nullable(nodeKind),
        start_after: nullable(u64()),
        limit: pageLimit,
      },
      ['owner', 'zone', 'kind', 'start_after', 'limit'],
    ),
  ),
  variant(
    'records',
    object(
      {
        node_id: u64(),
        from_s: nullable(u64()),
        to_s: nullable(u64()),
        start_after: nullable(u64()),
        limit: pageLimit,
      },
      ['from_s', 'to_s', 'start_after', 'limit'],
    ),
  ),
  variant(
    'record_chain',
    object(
      {
        node_id: u64(),
        from_s: nullable(u64()),
        to_s: nullable(u64()),
        start_after: nullable(u64()),
        limit: pageLimit,
      },
      ['from_s', 'to_s', 'start_after', 'limit'],
    ),
  ),
  variant('reward_policies', object({ start_after: nullable(u64()), limit: pageLimit }, ['start_after', 'limit'])),
  variant('node_totals', object({ node_id: u64() })),
  variant('node_epoch', object({ node_id: u64(), epoch: u64() })),
  variant('epoch', object({ epoch: u64() })),
  variant('plant_totals', empty),
  variant('oracles', object({ start_after: nullable(address), limit: pageLimit }, ['start_after', 'limit'])),
  variant('ownership', empty),
  variant('site', object({ site })),
  variant('sites', object({ start_after: nullable(site), limit: pageLimit }, ['start_after', 'limit'])),
  variant('site_oracles', object({ site, start_after: nullable(address), limit: pageLimit }, ['start_after', 'limit'])),
  variant('oracle_site', object({ address })),
  variant(
    'maintenance_log',
    object({ node_id: u64(), start_after: nullable(u64()), limit: pageLimit }, ['start_after', 'limit']),
  ),
  variant('voting_power_at_height', object({ address, height: nullable(u64()) }, ['height'])),
  variant('total_power_at_height', object({ height: nullable(u64()) }, ['height'])),
]);

export const registryMigrateSchema = object({});

/** The files `npm run build:contracts` writes under contracts-cosmwasm/schema/registry/. */
export const registrySchemas: Record<string, JsonSchema> = {
  instantiate_msg: registryInstantiateSchema,
  execute_msg: registryExecuteSchema,
  query_msg: registryQuerySchema,
  migrate_msg: registryMigrateSchema,
};
