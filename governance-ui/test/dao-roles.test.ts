/**
 * The registry's roles and sites in the app, in real Chromium against the real demo system (local chain with the
 * contracts deployed by the demo plan; no plant, which these pages do not need): the DAO page shows the admin, the
 * governance pointer, who may do what and the sites with their oracle keys; the admin (the demo's dev key 7, held by
 * the injected wallet) proposes a new admin in the app, the proposed member accepts it in the app, and a transfer
 * proposed again is cancelled; a refusal comes back in words; the nodes pages show each node's site and the default
 * site "plant" with its oracle key; with a second site (added by the admin with CosmJS) the operator picks it when
 * approving a node in the app; axe-core finds no serious violation at 1280 and 360 px.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from '@playwright/test';
import { CosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import type { OwnershipResponse, RegistryConfig, RegistryNode } from '@gridcoop/contracts/client/registry-types';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
import { connectKeplr, pollUntil, seriousViolations } from './support/app-actions.ts';
import { giveVotingPower, registryAs } from './support/members.ts';
import {
  injectWallet,
  launchBrowser,
  openApp,
  readText,
  screenshot,
  switchKey,
  watchPageErrors,
  type InjectedWallet,
  type TestBrowser,
} from './support/browser.ts';

const PREFIX = 'gridcoop';
/** the demo's roles (scripts/demo-ledger.ts DEMO_ROLES): 0 operator and council, 6 the plant's oracle, 7 the admin */
const OPERATOR = 0;
const ORACLE = 6;
const ADMIN = 7;
const NEW_ADMIN = 2;
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 360, height: 780 },
];

let system: UiTestSystem;
let chromium: TestBrowser;
let reader: CosmWasmClient;
const contexts: BrowserContext[] = [];

async function walletPage(
  accountIndex: number,
  viewport = VIEWPORTS[0]!,
): Promise<{ page: Page; wallet: InjectedWallet; errors: string[] }> {
  const context = await chromium.browser.newContext({ viewport });
  contexts.push(context);
  const wallet = await injectWallet(context, { mnemonic: system.account(accountIndex).mnemonic, prefix: PREFIX });
  const page = await context.newPage();
  return { page, wallet, errors: watchPageErrors(page) };
}

const ownership = async (): Promise<OwnershipResponse> =>
  (await reader.queryContractSmart(system.registryAddress, { ownership: {} })) as OwnershipResponse;

describe('registry roles and sites in the app', { concurrency: false }, () => {
  before(async () => {
    system = await startUiTestSystem({ withoutPlant: true });
    chromium = await launchBrowser();
    reader = await CosmWasmClient.connect(system.chain.rpcUrl);
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await chromium?.stop();
    reader?.disconnect();
    await system?.stop();
  });

  test('the DAO page shows the admin, the governance pointer, who may do what and the sites, at 1280 and 360 px', async () => {
    const admin = system.account(ADMIN).address;
    for (const viewport of VIEWPORTS) {
      const context = await chromium.browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      const errors = watchPageErrors(page);
      await openApp(page, system.ui.url, '/dao');
      await page.getByTestId('registry-admin').getByText(admin).waitFor();
      assert.match(await readText(page.getByTestId('admin-transfer')), /None pending/);
      assert.match(await readText(page.getByTestId('registry-governance')), new RegExp(system.governanceAddress));
      const roles = page.getByTestId('roles');
      assert.match(
        await readText(roles.locator('[data-role="operator"]')),
        new RegExp(system.account(OPERATOR).address),
      );
      assert.match(
        await readText(roles.locator('[data-role="oracle of site \\"plant\\""]')),
        new RegExp(system.account(ORACLE).address),
      );
      assert.match(
        await readText(roles.locator('[data-role="council"]')),
        new RegExp(system.account(OPERATOR).address),
      );
      // the migrate admin comes from the chain's wasm module: the demo plan gives it to dev key 8
      assert.match(await readText(roles.locator('[data-role="migrate admin"]')), new RegExp(system.account(8).address));
      const plant = page.getByTestId('site-row').and(page.locator('[data-site="plant"]'));
      await plant.getByText(system.account(ORACLE).address).waitFor();
      assert.deepEqual(await seriousViolations(page), [], `axe at ${viewport.width} px`);
      await screenshot(page, `dao-roles-${viewport.width}`);
      assert.deepEqual(errors, []);
    }
  });

  test('the admin proposes a new admin in the app, the proposed member accepts it there, a second proposal is cancelled', async (t) => {
    const oldAdmin = system.account(ADMIN).address;
    const newAdmin = system.account(NEW_ADMIN).address;
    const { page, wallet, errors } = await walletPage(ADMIN);
    await openApp(page, system.ui.url, '/dao');
    await connectKeplr(page);
    const card = page.getByTestId('ownership');

    // a mistyped address: the form says so before anything is signed
    await card.getByLabel('Propose a new admin').fill('not-an-address');
    assert.match(await readText(card.getByTestId('new-admin-problem')), /Enter an address of this chain: "gridcoop1"/);
    assert.equal(await card.getByRole('button', { name: 'Propose' }).isDisabled(), true);
    // one of the right shape whose checksum is wrong: the contract refuses it, the app says so in words
    const typo = newAdmin.slice(0, -1) + (newAdmin.endsWith('q') ? 'p' : 'q');
    await card.getByLabel('Propose a new admin').fill(typo);
    await card.getByRole('button', { name: 'Propose' }).click();
    const refusal = card.getByRole('alert');
    await refusal.waitFor();
    const words = await readText(refusal);
    t.diagnostic(`refusal shown: ${words}`);
    assert.match(words, /^The contract could not process the request: .*invalid address .*Invalid checksum/);
    assert.doesNotMatch(words, /execute wasm contract failed|rpc error|codespace/);
    assert.equal((await ownership()).pending_admin, null);

    await card.getByLabel('Propose a new admin').fill(newAdmin);
    await card.getByRole('button', { name: 'Propose' }).click();
    await card.getByText('Admin transfer proposed: included in block').waitFor();
    await card.getByTestId('admin-transfer').getByText(newAdmin).waitFor();
    await card.getByTestId('proposed-since').waitFor();
    assert.equal((await ownership()).pending_admin, newAdmin);
    // the admin sees Cancel, not Accept
    await card.getByRole('button', { name: 'Cancel the admin transfer' }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Accept the admin role' }).count(), 0);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, 'dao-admin-pending');

    // the proposed member switches to their key in the wallet and accepts
    await switchKey(page, wallet, system.account(NEW_ADMIN).mnemonic);
    await card.getByRole('button', { name: 'Accept the admin role' }).click();
    await card.getByText('Admin role accepted: included in block').waitFor();
    await card.getByTestId('registry-admin').getByText(newAdmin).waitFor();
    await pollUntil('the transfer to show none pending', async () =>
      /None pending/.test(await readText(card.getByTestId('admin-transfer'))) ? true : null,
    );
    assert.deepEqual(await ownership(), { admin: newAdmin, pending_admin: null });
    const config = (await reader.queryContractSmart(system.registryAddress, { config: {} })) as RegistryConfig;
    assert.equal(config.admin, newAdmin);

    // the new admin proposes the old one back, then cancels
    await card.getByLabel('Propose a new admin').fill(oldAdmin);
    await card.getByRole('button', { name: 'Propose' }).click();
    await card.getByTestId('admin-transfer').getByText(oldAdmin).waitFor();
    await card.getByRole('button', { name: 'Cancel the admin transfer' }).click();
    await card.getByText('Admin transfer cancelled: included in block').waitFor();
    await pollUntil('the cancelled transfer to disappear', async () =>
      /None pending/.test(await readText(card.getByTestId('admin-transfer'))) ? true : null,
    );
    assert.deepEqual(await ownership(), { admin: newAdmin, pending_admin: null });
    assert.deepEqual(errors, []);
  });

  test('the nodes pages show each node its site and the default site "plant" with its oracle key, at 1280 and 360 px', async () => {
    const [nodeId] = await giveVotingPower(system, [{ index: 3, ratedPowerW: 4000 }]);
    for (const viewport of VIEWPORTS) {
      const context = await chromium.browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      const errors = watchPageErrors(page);
      await openApp(page, system.ui.url, '/nodes');
      const row = page.locator(`[data-testid="node-row"][data-node-id="${nodeId}"]`);
      assert.equal(await readText(row.getByTestId('node-site')), 'plant');
      const plant = page.locator('[data-testid="site-row"][data-site="plant"]');
      await plant.getByText(system.account(ORACLE).address).waitFor();
      assert.match(await readText(plant), /default/);
      assert.deepEqual(await seriousViolations(page), [], `axe on /nodes at ${viewport.width} px`);
      await screenshot(page, `nodes-sites-${viewport.width}`);

      await openApp(page, system.ui.url, `/nodes/${nodeId}`);
      await page.getByTestId('node-site').getByText('plant').waitFor();
      assert.match(await readText(page.getByTestId('node-site')), /only this site's oracle keys record its output/);
      assert.deepEqual(await seriousViolations(page), [], `axe on /nodes/${nodeId} at ${viewport.width} px`);
      assert.deepEqual(errors, []);
    }
  });
  test('with a second site the operator picks it when approving a node in the app; the node and the oracle key belong to that site', async () => {
    // the admin (now dev key 2, after the transfer above) adds a site with its own oracle key, as a script would
    const siteOracle = system.account(9).address;
    const admin = await registryAs(system, NEW_ADMIN);
    const owner = await registryAs(system, 4);
    let nodeId: number;
    try {
      await admin.registry.addSite('home-1', [siteOracle]);
      await owner.registry.registerNode({
        kind: 'battery',
        ratedPowerW: 3000,
        energyCapacityWh: 6000,
        zone: 'home',
        metadata: [],
      });
      const { nodes } = await owner.registry.nodes({ owner: system.account(4).address, limit: 30 });
      nodeId = nodes.at(-1)!.id;
    } finally {
      admin.close();
      owner.close();
    }

    const context = await chromium.browser.newContext({ viewport: VIEWPORTS[0] });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await openApp(page, system.ui.url, '/nodes');
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await page.locator('#dev-account').selectOption(String(OPERATOR));
    await page.getByRole('button', { name: 'Use development key' }).click();
    const section = page.getByTestId('operator-section');
    const pendingRow = section.locator(`[data-testid="node-row"][data-node-id="${nodeId}"]`);
    assert.match(await readText(pendingRow.getByTestId('node-site')), /^—\s*none until approved$/);
    await section.getByLabel(`Site for node ${nodeId}`).selectOption('home-1');
    assert.deepEqual(await seriousViolations(page), []);
    await section.getByRole('button', { name: `Approve node ${nodeId}` }).click();
    await section.getByTestId('operator-outcome').getByText(`Node ${nodeId} approved. Its site is "home-1".`).waitFor();
    const node = (await reader.queryContractSmart(system.registryAddress, {
      node: { node_id: nodeId },
    })) as RegistryNode;
    assert.equal(node.site, 'home-1');
    assert.equal(node.status, 'active');
    const oracleSite = (await reader.queryContractSmart(system.registryAddress, {
      oracle_site: { address: siteOracle },
    })) as { site: string | null };
    assert.equal(oracleSite.site, 'home-1');

    // anyone's node list shows the node at its site, and the new site with its key and its one node
    const visitorContext = await chromium.browser.newContext({ viewport: VIEWPORTS[1] });
    contexts.push(visitorContext);
    const visitor = await visitorContext.newPage();
    const visitorErrors = watchPageErrors(visitor);
    await openApp(visitor, system.ui.url, '/nodes');
    const listed = visitor.locator(`[data-testid="node-row"][data-node-id="${nodeId}"]`);
    assert.equal(await readText(listed.getByTestId('node-site')), 'home-1');
    const home = visitor.locator('[data-testid="site-row"][data-site="home-1"]');
    await home.getByText(siteOracle).waitFor();
    assert.match(await readText(home), /^home-1 1 /);
    assert.deepEqual(await seriousViolations(visitor), []);
    assert.deepEqual(visitorErrors, []);

    // the DAO page lists the new site's oracle among the roles
    await openApp(page, system.ui.url, '/dao');
    await page
      .getByTestId('roles')
      .locator('[data-role="oracle of site \\"home-1\\""]')
      .getByText(siteOracle)
      .waitFor();
    await screenshot(page, 'dao-two-sites');
    assert.deepEqual(errors, []);
  });
});
