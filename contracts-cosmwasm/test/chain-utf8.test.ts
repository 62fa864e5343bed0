import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryClient } from '../client/registry-client.ts';
import { startLocalChain } from '../chain/local-chain.ts';
import { signingClient } from './chain-fixture.ts';
import { registryWasm } from './registry-fixture.ts';

test('a message with non-ASCII text reaches the contract intact through an unmodified CosmJS client', async () => {
  const chain = await startLocalChain({ blockTimeMs: 50 });
  try {
    const { client, address } = await signingClient(chain, 0, 20);
    const { codeId } = await client.upload(address, registryWasm(), 'auto');
    const { contractAddress } = await client.instantiate(
      address,
      codeId,
      {
        admin: null,
        operator: address,
        governance: null,
        oracles: [],
        reward_denom: chain.denom,
        interval_s: 900,
        epoch_length_s: 86_400,
        settlement_delay_s: 3_600,
        reward_policy: null,
      },
      'registry',
      'auto',
    );
    const registry = new RegistryClient(client, contractAddress, address);
    await registry.registerNode({
      kind: 'pv',
      ratedPowerW: 5_000,
      zone: 'zone-a',
      metadata: [['site', 'Café Nord — Dach ☀']],
    });
    const { nodes } = await registry.nodes({ owner: address });
    assert.deepEqual(nodes[0]?.metadata, [['site', 'Café Nord — Dach ☀']]);
  } finally {
    await chain.stop();
  }
});
