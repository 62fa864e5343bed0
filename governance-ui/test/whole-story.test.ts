/**
 * GridCoop's whole loop, as the README tells it, in one story against the real system (plant, controller recording
 * on chain, contracts, demo treasury, the app in Chromium; the chain's clock moved forward instead of waiting):
 * an owner registers a node and the operator approves it; the plant's owner sees the controller's records of a node
 * in its chart; members propose, vote (one changes their vote with a rationale), the proposal passes, the timelock
 * runs out, it is executed, and the live view shows the controller running the new policy version; the council
 * vetoes a second proposal; the plant's owner claims a reward that moves their balance. Each page's own tests go
 * further; this one shows the parts work together.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from '@playwright/test';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
import {
  injectWallet,
  launchBrowser,
  openApp,
  screenshot,
  switchKey,
  watchPageErrors,
  type InjectedWallet,
  type TestBrowser,
} from './support/browser.ts';
import { connectKeplr, pollUntil, waitForProposalStatus } from './support/app-actions.ts';

let system: UiTestSystem;
let chromium: TestBrowser;
let context: BrowserContext;
let wallet: InjectedWallet;
let page: Page;
let errors: string[];
let plantNodeId: number;
let plantNodeIds: number[];

describe(
  "the whole loop: nodes, records, a vote that changes the controller's policy, a veto, a reward",
  { concurrency: false },
  () => {
    before(async () => {
      system = await startUiTestSystem();
      chromium = await launchBrowser();
      context = await chromium.browser.newContext();
      wallet = await injectWallet(context, { mnemonic: system.account(2).mnemonic, prefix: system.chain.prefix });
      page = await context.newPage();
      errors = watchPageErrors(page);
      const ledger = system.deployed.ledger as { nodes: Record<string, number> };
      plantNodeIds = Object.values(ledger.nodes);
      plantNodeId = plantNodeIds[0]!;
    });
    after(async () => {
      await chromium?.stop();
      await system?.stop();
    });

    test('an owner registers a node and the operator approves it from the app', async () => {
      await openApp(page, system.ui.url, '/nodes');
      await connectKeplr(page);
      await page.getByLabel('Kind').selectOption('pv');
      await page.getByLabel('Rated power (W)').fill('8000');
      await page.getByLabel('Zone').fill('north-1');
      await page.getByRole('button', { name: 'Register node' }).click();
      await page.getByTestId('register-done').waitFor();
      await page.getByTestId('node-row').getByText('Pending approval').waitFor();
      await switchKey(page, wallet, system.account(0).mnemonic); // the operator
      const pending = page.getByTestId('operator-section');
      await pending.getByRole('button', { name: /^Approve node \d+$/ }).click();
      await pending.getByTestId('no-pending').waitFor();
    });

    test("the plant's owner sees the controller's records of a plant node in its chart", async () => {
      await switchKey(page, wallet, system.account(1).mnemonic);
      await pollUntil(
        'the first interval on chain',
        async () => {
          await openApp(page, system.ui.url, `/nodes/${plantNodeId}`);
          await page.getByTestId('node-status').waitFor();
          await page.waitForTimeout(1_000);
          return (await page.getByTestId('record-row').count()) > 0 ? true : null;
        },
        150_000,
      );
      await screenshot(page, 'story-node');
    });

    test('members propose and vote, one changes their vote with a rationale; it passes, waits out the timelock and is executed', async () => {
      await openApp(page, system.ui.url, '/proposals/new');
      await page.getByRole('button', { name: 'Start over' }).click();
      await page.getByLabel('Title').fill('A deeper battery reserve');
      await page.getByLabel('Battery reserve (%)').fill('35');
      await page.getByRole('button', { name: 'Sign and propose' }).click();
      await page.waitForURL(/\/proposals\/1$/);
      await page.getByRole('radio', { name: 'Yes' }).check();
      await page.getByRole('button', { name: 'Cast your vote' }).click();
      await page.getByTestId('my-vote').getByText('yes').waitFor();
      await switchKey(page, wallet, system.account(2).mnemonic); // the owner of the node approved above
      await page.getByRole('radio', { name: 'No' }).check();
      await page.getByRole('button', { name: 'Cast your vote' }).click();
      await page.getByTestId('my-vote').getByText('no').waitFor();
      await page.getByRole('radio', { name: 'Yes' }).check();
      await page.getByLabel('Rationale (optional, shown with your vote)').fill('The evening peak convinced me.');
      await page.getByRole('button', { name: 'Change your vote' }).click();
      await page.getByTestId('my-vote').getByText('yes').waitFor();
      await system.advanceChainTime(125);
      await waitForProposalStatus(page, system.ui.url, 1, 'In timelock');
      await system.advanceChainTime(65);
      await waitForProposalStatus(page, system.ui.url, 1, 'Passed');
      await page.getByRole('button', { name: 'Execute' }).click();
      await page.getByText('Executed: included in block').waitFor();
    });

    test('the live view shows the controller running the new policy version', async () => {
      await openApp(page, system.ui.url, '/plant');
      await page.getByTestId('controller-policy-version').getByText('2').waitFor({ timeout: 60_000 });
      await page.getByText('Battery reserve').first().waitFor();
      await screenshot(page, 'story-plant');
    });

    test('the council vetoes a second proposal in its timelock', async () => {
      await openApp(page, system.ui.url, '/proposals/new');
      await page.getByRole('button', { name: 'Start over' }).click();
      await page.getByLabel('Title').fill('Back to a shallow reserve');
      await page.getByRole('button', { name: 'Sign and propose' }).click();
      await page.waitForURL(/\/proposals\/2$/);
      await page.getByRole('radio', { name: 'Yes' }).check();
      await page.getByRole('button', { name: 'Cast your vote' }).click();
      await page.getByTestId('my-vote').getByText('yes').waitFor();
      await switchKey(page, wallet, system.account(1).mnemonic);
      await page.getByRole('radio', { name: 'Yes' }).check();
      await page.getByRole('button', { name: 'Cast your vote' }).click();
      await page.getByTestId('my-vote').getByText('yes').waitFor();
      await system.advanceChainTime(125);
      await waitForProposalStatus(page, system.ui.url, 2, 'In timelock');
      await switchKey(page, wallet, system.account(0).mnemonic);
      await page.getByRole('button', { name: 'Veto' }).click();
      await page.getByText('Vetoed: included in block').waitFor();
      await waitForProposalStatus(page, system.ui.url, 2, 'Vetoed');
    });

    test("the plant's owner claims a settled epoch's reward and their balance moves", async () => {
      await switchKey(page, wallet, system.account(1).mnemonic);
      // past every recorded epoch's settlement by the chain's clock (10-minute epochs, settled a minute later)
      await system.advanceChainTime(11 * 60);
      // the plant's nodes earn by their own hours (its PV records 0 Wh after the simulated site's sunset, batteries and
      // miners earn by their dispatch): claim at the first node with a settled epoch that has a reward
      const claimableRow = page
        .getByTestId('epoch-row')
        .filter({ hasText: /✓\s*Settled/ })
        .filter({ has: page.locator('[data-testid="claimable"]:not([data-raw="0"])') })
        .first();
      let balanceBefore = '';
      await pollUntil(
        'a plant node with a settled reward that its owner can claim',
        async () => {
          for (const nodeId of plantNodeIds) {
            await openApp(page, system.ui.url, `/nodes/${nodeId}`);
            const shown = await page
              .getByTestId('epochs-table')
              .waitFor({ timeout: 15_000 })
              .then(() => true)
              .catch(() => false);
            if (!shown || !(await claimableRow.isVisible())) continue;
            await page.getByTestId('wallet-address').click();
            balanceBefore = await page.getByTestId('wallet-balance').innerText();
            await page.getByTestId('wallet-address').click();
            await claimableRow.getByRole('button', { name: /^Claim rewards of epoch \d+$/ }).click();
            const outcome = page.getByTestId('claim-outcome').first();
            await outcome.waitFor();
            if (/claimed/.test(await outcome.innerText())) return true;
          }
          return null;
        },
        180_000,
        2_000,
      );
      await page.getByTestId('wallet-address').click();
      await pollUntil('the balance to change', async () =>
        (await page.getByTestId('wallet-balance').innerText()) !== balanceBefore ? true : null,
      );
    });

    test('no page error on the way', () => {
      assert.deepEqual(errors, []);
    });
  },
);
