// The published registry schemas: the committed files are what the build writes, and they accept what the
// contract accepts and refuse what it refuses at the bounds (the integration tests validate every message they
// send against the same schemas).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainstSchema } from '../client/json-schema.ts';
import { registryExecuteSchema, registryQuerySchema } from '../client/registry-schema.ts';
import { RegistryCallError, RegistryQueryClient } from '../client/registry-client.ts';

const hash = 'ab'.repeat(32);
const record = {
  node_id: 1,
  interval_start: 900,
  interval_s: 900,
  energy_in_wh: 0,
  energy_out_wh: 1,
  counter_in_wh: 0,
  counter_out_wh: 1,
  samples_hash: hash,
};

describe('registry schemas', () => {
  it('accepts messages at their bounds and refuses them past', () => {
    const ok = (msg: unknown) =>
      assert.deepEqual(validateAgainstSchema(registryExecuteSchema, msg), [], JSON.stringify(msg));
    const refused = (msg: unknown) =>
      assert.notDeepEqual(validateAgainstSchema(registryExecuteSchema, msg), [], JSON.stringify(msg));
    ok({ record_intervals: { records: new Array(100).fill(record) } });
    refused({ record_intervals: { records: new Array(101).fill(record) } });
    refused({ record_intervals: { records: [{ ...record, samples_hash: hash.toUpperCase() }] } });
    refused({ record_intervals: { records: [{ ...record, extra: 1 }] } });
    ok({
      set_reward_policy: { kind_bps: { pv: 50_000, battery: 0, flexible_load: 1 }, zone_bps: [['zone-a', 50_000]] },
    });
    refused({ set_reward_policy: { kind_bps: { pv: 50_001, battery: 0, flexible_load: 1 }, zone_bps: [] } });
    refused({ set_reward_policy: { kind_bps: { pv: 1, battery: 0, flexible_load: 1 }, zone_bps: [['Zone A', 1]] } });
    ok({
      register_node: { kind: 'battery', rated_power_w: 1, energy_capacity_wh: 1, zone: 'z', metadata: [['k', 'v']] },
    });
    refused({ register_node: { kind: 'wind', rated_power_w: 1, zone: 'z', metadata: [] } });
    refused({ approve_node: { node_id: -1 } });
    refused({ approve_node: {}, retire_node: { node_id: 1 } });
    assert.deepEqual(validateAgainstSchema(registryQuerySchema, { nodes: { limit: 5 } }), []);
    assert.notDeepEqual(validateAgainstSchema(registryQuerySchema, { nodes: { limit: 'ten' } }), []);
  });

  it('a refused query surfaces as a RegistryCallError naming the call and the contract', async () => {
    const failing = {
      queryContractSmart: async () => Promise.reject(new Error('node 9 not found: query wasm contract failed')),
    };
    const client = new RegistryQueryClient(failing, 'grid1registry');
    await assert.rejects(client.node(9), (error: unknown) => {
      assert.ok(error instanceof RegistryCallError);
      assert.equal(error.call, 'node');
      assert.equal(error.contractAddress, 'grid1registry');
      assert.match(error.message, /^registry node on grid1registry failed: node 9 not found/);
      return true;
    });
  });
});
