// Roles on the real registry wasm: the admin moves in two steps and can be renounced, the governance pointer moves
// only through governance, and every site's oracle key records only its own site's nodes, with 500 sites.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { address, assertRefused, registryWorld, START_TIME_S } from './registry-fixture.ts';

const alice = address('alice');
const firstInterval = START_TIME_S;

describe('registry: the admin role', () => {
  it('moves only when the proposed admin accepts; a cancelled proposal cannot be accepted', async () => {
    const world = await registryWorld();
    const next = address('next-admin');
    await assertRefused(world, () => world.as(next).acceptAdmin(), /no admin transfer is pending/);
    await assertRefused(
      world,
      () => world.as(world.operator).proposeAdmin(next),
      /unauthorized: propose_admin may only be called by the admin/,
    );
    await world.as(world.admin).proposeAdmin(next);
    assert.deepEqual(await world.query.ownership(), { admin: world.admin, pending_admin: next });
    await assertRefused(
      world,
      () => world.as(alice).acceptAdmin(),
      new RegExp(`only the proposed admin ${next} may accept the admin role, not ${alice}`),
    );
    await world.as(world.admin).cancelAdminTransfer();
    await assertRefused(world, () => world.as(next).acceptAdmin(), /no admin transfer is pending/);
    await assertRefused(world, () => world.as(world.admin).cancelAdminTransfer(), /no admin transfer is pending/);

    await world.as(world.admin).proposeAdmin(next);
    await world.as(next).acceptAdmin();
    assert.deepEqual(await world.query.ownership(), { admin: next, pending_admin: null });
    await assertRefused(
      world,
      () => world.as(world.admin).addSite('home-1', []),
      /unauthorized: add_site may only be called by the admin/,
    );
    await world.as(next).addSite('home-1', []);
  });

  it('once renounced, nobody holds it and no admin action is possible', async () => {
    const world = await registryWorld();
    await world.as(world.admin).proposeAdmin(alice);
    await world.as(world.admin).renounceAdmin();
    assert.deepEqual(await world.query.ownership(), { admin: null, pending_admin: null });
    assert.equal((await world.query.config()).admin, null);
    await assertRefused(world, () => world.as(alice).acceptAdmin(), /no admin transfer is pending/);
    await assertRefused(
      world,
      () => world.as(world.admin).updateOracles({ add: [alice] }),
      /no admin: the admin role was renounced, so nobody may update_oracles/,
    );
    // the oracle keeps recording and the operator keeps running nodes: renouncing froze only the admin's settings
    const node = await world.activeNode(alice);
    await world.as(world.oracle).recordIntervals([world.record(node, firstInterval)]);
  });
});

describe('registry: the governance pointer', () => {
  it('is wired once by the admin, then only the governance contract moves it', async () => {
    const world = await registryWorld({ instantiate: { governance: null } });
    const governance = address('governance-1');
    await world.as(world.admin).updateConfig({ governance });
    await assertRefused(
      world,
      () => world.as(world.admin).updateConfig({ governance: address('rogue') }),
      new RegExp(`the governance pointer is set to ${governance}: only that contract may change it`),
    );
    await assertRefused(
      world,
      () => world.as(world.admin).updateGovernance(address('rogue')),
      /unauthorized: update_governance may only be called by the governance contract/,
    );
    const successor = address('governance-2');
    await world.as(governance).updateGovernance(successor);
    assert.equal((await world.query.config()).governance, successor);
  });
});

describe('registry: sites and their oracles', () => {
  it('an oracle records only its own site’s nodes; the operator moves a node between sites', async () => {
    const world = await registryWorld();
    const homeOracle = address('home-oracle');
    await world.as(world.admin).addSite('home-1', [homeOracle]);
    const plantNode = await world.activeNode(alice);
    const homeNode = await world.pendingNode(alice);
    await world.as(world.operator).approveNode(homeNode, 'home-1');
    assert.equal((await world.query.node(homeNode)).site, 'home-1');
    await assertRefused(
      world,
      () => world.as(homeOracle).recordIntervals([world.record(plantNode, firstInterval)]),
      new RegExp(
        `record 0 \\(node ${plantNode}, interval ${firstInterval}\\) refused: the node belongs to site plant, the sender is the oracle of site home-1`,
      ),
    );
    await assertRefused(
      world,
      () => world.as(world.oracle).recordIntervals([world.record(homeNode, firstInterval)]),
      /the node belongs to site home-1, the sender is the oracle of site plant/,
    );
    await world.as(homeOracle).recordIntervals([world.record(homeNode, firstInterval)]);
    await world.as(world.oracle).recordIntervals([world.record(plantNode, firstInterval)]);

    await assertRefused(
      world,
      () => world.as(world.admin).addSite('home-2', [homeOracle]),
      new RegExp(`oracle ${homeOracle} already records for site home-1`),
    );
    await assertRefused(world, () => world.as(world.admin).addSite('home-1', []), /site home-1 already exists/);
    await assertRefused(
      world,
      () => world.as(world.operator).approveNode(homeNode, 'nowhere'),
      /node \d+ is active: cannot approve_node/,
    );
    const another = await world.pendingNode(alice);
    await assertRefused(
      world,
      () => world.as(world.operator).approveNode(another, 'nowhere'),
      /site nowhere not found/,
    );
    await assertRefused(
      world,
      () => world.as(world.admin).removeSite('home-1'),
      /site home-1 cannot be removed: it has 1 nodes and 1 oracles/,
    );
    await assertRefused(
      world,
      () => world.as(world.admin).updateSiteOracles('home-1', { remove: [world.oracle] }),
      new RegExp(`oracle ${world.oracle} does not record for site home-1`),
    );
    await world.as(world.operator).assignNodeSite(homeNode, 'plant');
    await world.as(world.admin).updateSiteOracles('home-1', { remove: [homeOracle] });
    await world.as(world.admin).removeSite('home-1');
    assert.deepEqual(await world.query.oracleSite(homeOracle), { site: null });
    await assertRefused(
      world,
      () => world.as(world.admin).removeSite('plant'),
      /site plant cannot be removed: it is the default site/,
    );
  });

  it('holds 500 sites, each oracle key recording its own node and refused on its neighbour’s', async () => {
    const world = await registryWorld();
    const sites = 500;
    const oracleOf = (i: number) => address(`site-oracle-${i}`);
    const nodes: number[] = [];
    for (let i = 0; i < sites; i++) {
      await world.as(world.admin).addSite(`site-${i}`, [oracleOf(i)]);
      const node = await world.pendingNode(address(`owner-${i}`));
      await world.as(world.operator).approveNode(node, `site-${i}`);
      nodes.push(node);
    }
    // what the registry reports is what was registered, page by page (30 at most per page)
    let listed = 0;
    let startAfter: string | undefined;
    for (;;) {
      const page = await world.query.sites({ startAfter, limit: 30 });
      if (page.sites.length === 0) break;
      listed += page.sites.length;
      startAfter = page.sites.at(-1)!.site;
    }
    assert.equal(listed, sites + 1, 'the 500 sites and the default site');
    for (let i = 0; i < sites; i++) {
      const neighbour = nodes[(i + 1) % sites]!;
      await assert.rejects(
        () => world.as(oracleOf(i)).recordIntervals([world.record(neighbour, firstInterval)]),
        new RegExp(`the node belongs to site site-${(i + 1) % sites}, the sender is the oracle of site site-${i}`),
      );
      world.resyncVmStorage();
      await world.as(oracleOf(i)).recordIntervals([world.record(nodes[i]!, firstInterval)]);
    }
    for (const i of [0, 249, 499]) {
      assert.equal((await world.query.nodeTotals(nodes[i]!)).records, 1);
      assert.deepEqual(await world.query.site(`site-${i}`), { site: `site-${i}`, oracles: 1, nodes: 1 });
    }
    assert.equal((await world.query.plantTotals()).totals.records, sites);
  });
});
