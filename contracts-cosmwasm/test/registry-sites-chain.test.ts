// Sites on the local chain, signed by real keys through CosmJS: each site's oracle key records its own site's nodes
// and is refused (code 5, the registry's words) on another site's; the refused transaction stores nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryClient } from '../client/registry-client.ts';
import { startLocalChain } from '../chain/local-chain.ts';
import { signingClient } from './chain-fixture.ts';
import { registryWasm, samplesHash } from './registry-fixture.ts';

const intervalS = 900;

test('a site’s oracle key records its own site’s node and is refused on the other site’s', async () => {
  const chain = await startLocalChain({ blockTimeMs: 20, genesis: { devAccountCount: 4 } });
  const clients: { client: { disconnect(): void } }[] = [];
  try {
    const admin = await signingClient(chain, 0, 20);
    const plantOracle = await signingClient(chain, 1, 20);
    const homeOracle = await signingClient(chain, 2, 20);
    const owner = await signingClient(chain, 3, 20);
    clients.push(admin, plantOracle, homeOracle, owner);
    const { codeId } = await admin.client.upload(admin.address, registryWasm(), 'auto');
    const { contractAddress } = await admin.client.instantiate(
      admin.address,
      codeId,
      {
        admin: null,
        operator: admin.address,
        governance: null,
        oracles: [plantOracle.address],
        reward_denom: chain.denom,
        interval_s: intervalS,
        epoch_length_s: 86_400,
        settlement_delay_s: 3_600,
        reward_policy: null,
      },
      'registry',
      'auto',
    );
    const as = (c: typeof admin) => new RegistryClient(c.client, contractAddress, c.address);
    await as(admin).addSite('home-1', [homeOracle.address]);
    for (let i = 0; i < 2; i++)
      await as(owner).registerNode({ kind: 'pv', ratedPowerW: 5_000, zone: 'zone-a', metadata: [] });
    await as(admin).approveNode(1);
    await as(admin).approveNode(2, 'home-1');
    const start = Math.floor(Date.now() / 1000 / intervalS) * intervalS - 10 * intervalS;
    const record = (nodeId: number) => ({
      node_id: nodeId,
      interval_start: start,
      interval_s: intervalS,
      energy_in_wh: 0,
      energy_out_wh: 100,
      counter_in_wh: 0,
      counter_out_wh: 100,
      samples_hash: samplesHash(`node ${nodeId}`),
    });
    await assert.rejects(
      () => as(homeOracle).recordIntervals([record(1)]),
      /record 0 \(node 1, interval \d+\) refused: the node belongs to site plant, the sender is the oracle of site home-1/,
    );
    assert.equal((await as(admin).nodeTotals(1)).records, 0, 'the refused record was not stored');
    await as(homeOracle).recordIntervals([record(2)]);
    await as(plantOracle).recordIntervals([record(1)]);
    assert.deepEqual(await as(admin).oracleSite(homeOracle.address), { site: 'home-1' });
    assert.deepEqual(await as(admin).site('home-1'), { site: 'home-1', oracles: 1, nodes: 1 });
  } finally {
    for (const c of clients) c.client.disconnect();
    await chain.stop();
  }
});
