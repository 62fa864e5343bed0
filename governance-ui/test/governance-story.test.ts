/**
 * A DAO member's story in real Chromium against the real chain and contracts: propose a policy change through the
 * form, two members vote (one changes their vote with a rationale, after switching key in the wallet), the proposal
 * passes, the timelock runs out, it is executed and the policy page shows the new version; the council vetoes a
 * second proposal; a member without power is told why they cannot vote. The chain's clock is moved forward instead
 * of waiting out the voting period and the timelock. Every transaction is signed by a real key and checked by the
 * chain.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from '@playwright/test';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
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
import { giveVotingPower } from './support/members.ts';
import { connectKeplr, waitForProposalStatus } from './support/app-actions.ts';

let system: UiTestSystem;
let chromium: TestBrowser;
let context: BrowserContext;
let wallet: InjectedWallet;
let page: Page;
let pageErrors: string[];

describe('a DAO member proposes, members vote, the proposal passes and is executed', { concurrency: false }, () => {
  before(async () => {
    system = await startUiTestSystem({ withoutPlant: true });
    await giveVotingPower(system, [
      { index: 2, ratedPowerW: 10_000 },
      { index: 3, ratedPowerW: 6_000 },
    ]);
    chromium = await launchBrowser();
    context = await chromium.browser.newContext();
    wallet = await injectWallet(context, {
      mnemonic: system.account(2).mnemonic,
      prefix: system.chain.prefix,
      name: 'member 2',
    });
    page = await context.newPage();
    pageErrors = watchPageErrors(page);
  });
  after(async () => {
    await chromium?.stop();
    await system?.stop();
  });

  test('the wallet is asked to know the chain with its id, prefix, denoms and RPC, then enabled', async () => {
    await openApp(page, system.ui.url, '/');
    await connectKeplr(page);
    const info = wallet.suggested.at(-1) as {
      chainId: string;
      rpc: string;
      bech32Config: { bech32PrefixAccAddr: string };
      currencies: { coinMinimalDenom: string }[];
      feeCurrencies: { coinMinimalDenom: string; gasPriceStep: { low: number } }[];
    };
    assert.equal(info.chainId, system.chain.chainId);
    assert.equal(info.rpc, system.chain.rpcUrl);
    assert.equal(info.bech32Config.bech32PrefixAccAddr, 'gridcoop');
    assert.equal(info.currencies[0]!.coinMinimalDenom, 'ugrid');
    assert.equal(info.feeCurrencies[0]!.coinMinimalDenom, 'ugrid');
    assert.equal(info.feeCurrencies[0]!.gasPriceStep.low, Number(system.chain.gasPrice.replace('ugrid', '')));
    assert.deepEqual(wallet.enabled, [system.chain.chainId]);
    await page.getByTestId('wallet-address').click();
    assert.equal(await page.getByTestId('wallet-full-address').textContent(), system.account(2).address);
    assert.match(await readText(page.getByTestId('wallet-power')), /10,000 W/);
    assert.match(await readText(page.getByTestId('wallet-balance')), /GRID/);
  });

  test('a proposal outside the bounds is caught as you type and cannot be signed', async () => {
    await openApp(page, system.ui.url, '/proposals/new');
    await page.getByLabel('Title').fill('Keep more in the batteries');
    await page.getByLabel('Battery reserve (%)').fill('95');
    await page.getByText('Battery reserve must be between 5 and 80.').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign and propose' }).isDisabled(), true);
    await page.getByLabel('To miners (%)').fill('40');
    await page.getByText('The surplus split adds up to 110 %; it must add up to exactly 100 %.').first().waitFor();
  });

  test('the member proposes with a preview of the change, the deposit and the simulated fee', async () => {
    await page.getByLabel('Battery reserve (%)').fill('30');
    await page.getByLabel('To miners (%)').fill('30');
    await page.getByLabel('Description: why this change').fill('Evenings need more reserve.');
    const changed = page.locator('tr.changed');
    await changed.first().waitFor();
    assert.equal(await changed.count(), 1);
    assert.match(await readText(changed.first()), /Battery reserve\s*20 %\s*changed →\s*30 %/);
    assert.match(await readText(page.getByTestId('deposit')), /1 GRID \(refunded if it passes\)/);
    await page.getByRole('button', { name: 'Simulate gas and fee' }).click();
    await page
      .getByTestId('fee')
      .getByText(/gas, fee .* GRID/)
      .waitFor();
    await screenshot(page, 'proposal-new');
    await page.getByRole('button', { name: 'Sign and propose' }).click();
    await page.waitForURL(/\/proposals\/1$/);
    await page.getByRole('heading', { name: '#1 Keep more in the batteries' }).waitFor();
  });

  test('member 2 votes yes; member 3 switches key in the wallet, votes no, then changes to yes with a rationale', async () => {
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Cast your vote' }).click();
    await page.getByText('Vote cast: included in block').waitFor();
    await page.getByTestId('my-vote').getByText('yes').waitFor();

    // the user switches key in the extension: the app reloads the account
    await switchKey(page, wallet, system.account(3).mnemonic);
    await page.getByText('You have not voted.').waitFor();
    await page.getByTestId('my-power').getByText('6,000 W').waitFor();
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Cast your vote' }).click();
    await page.getByTestId('my-vote').getByText('no').waitFor();
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByLabel('Rationale (optional, shown with your vote)').fill('Convinced by the evening figures.');
    await page.getByRole('button', { name: 'Change your vote' }).click();
    await page.getByText('Vote changed: included in block').waitFor();
    await page.getByTestId('my-vote').getByText('yes').waitFor();
    const rows = page.getByTestId('vote-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    await page.getByRole('cell', { name: 'Convinced by the evening figures.' }).waitFor();
    // the tally: 16,000 W yes of 16,000 W total: threshold passing, quorum reached
    await page.getByText('Threshold passing').waitFor();
    await page.getByText('Quorum reached').waitFor();
    const meter = page.getByRole('meter', { name: 'Yes share of the votes cast' });
    assert.equal(await meter.getAttribute('aria-valuenow'), '100');
    await screenshot(page, 'proposal-open');
  });

  test('it passes when voting closes, waits out the timelock, and anyone executes it: the policy is version 2', async () => {
    await system.advanceChainTime(125);
    await waitForProposalStatus(page, system.ui.url, 1, 'In timelock');
    assert.match(await readText(page.getByTestId('execute-why')), /once the timelock ends/);
    assert.equal(await page.getByRole('button', { name: 'Execute' }).isDisabled(), true);
    await system.advanceChainTime(65);
    await waitForProposalStatus(page, system.ui.url, 1, 'Passed');
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.getByText('Executed: included in block').waitFor();
    await waitForProposalStatus(page, system.ui.url, 1, 'Executed');
    await screenshot(page, 'proposal-executed');
    await openApp(page, system.ui.url, '/policy');
    await page.getByTestId('policy-version').getByText('2').waitFor();
    await page.getByRole('row', { name: /Battery reserve 30 %/ }).waitFor();
  });

  test('the council vetoes a second proposal during its timelock', async () => {
    await switchKey(page, wallet, system.account(2).mnemonic);
    await openApp(page, system.ui.url, '/proposals/new');
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByLabel('Title').fill('Export everything');
    await page.getByLabel('To batteries (%)').fill('0');
    await page.getByLabel('To miners (%)').fill('0');
    await page.getByLabel('Exported (%)').fill('100');
    await page.getByRole('button', { name: 'Sign and propose' }).click();
    await page.waitForURL(/\/proposals\/2$/);
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Cast your vote' }).click();
    await page.getByTestId('my-vote').getByText('yes').waitFor();
    await system.advanceChainTime(125);
    await waitForProposalStatus(page, system.ui.url, 2, 'In timelock');
    assert.match(await readText(page.getByTestId('veto-why')), /Only the council/);
    // the council's own key (dev 0, the demo's council)
    await switchKey(page, wallet, system.account(0).mnemonic);
    await page.getByText('As the council you may veto it until the timelock ends.').waitFor();
    await page.getByRole('button', { name: 'Veto' }).click();
    await page.getByText('Vetoed: included in block').waitFor();
    await waitForProposalStatus(page, system.ui.url, 2, 'Vetoed');
  });

  test('a member without voting power is told why they can neither propose nor vote', async () => {
    await switchKey(page, wallet, system.account(4).mnemonic);
    await openApp(page, system.ui.url, '/proposals/new');
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.getByLabel('Title').fill('A proposal from a member without nodes');
    await page.getByRole('button', { name: 'Sign and propose' }).click();
    // the contract's refusal, in words
    await page
      .getByTestId('submit-error')
      .getByText(/had no voting power at block \d+: voting power comes from the active nodes you own/)
      .waitFor();
    await switchKey(page, wallet, system.account(2).mnemonic);
    await page.getByRole('button', { name: 'Sign and propose' }).click();
    await page.waitForURL(/\/proposals\/3$/);
    await switchKey(page, wallet, system.account(4).mnemonic);
    await page
      .getByTestId('vote-blocked')
      .getByText(/had no voting power when this proposal opened/)
      .waitFor();
  });

  test('the proposal list keeps passed, vetoed and open apart, and searches', async () => {
    await openApp(page, system.ui.url, '/proposals');
    await page.getByTestId('proposal-item').nth(2).waitFor();
    await page.getByRole('radio', { name: /Executed/ }).check();
    assert.equal(await page.getByTestId('proposal-item').count(), 1);
    assert.match(await readText(page.getByTestId('proposal-item')), /Keep more in the batteries/);
    await page.getByRole('radio', { name: /Vetoed/ }).check();
    assert.match(await readText(page.getByTestId('proposal-item')), /Export everything/);
    await page.getByRole('radio', { name: /^All/ }).check();
    await page.getByLabel(/Search/).fill('without nodes');
    assert.equal(await page.getByTestId('proposal-item').count(), 1);
    await screenshot(page, 'proposals');
  });

  test('no page error happened on the way', () => {
    assert.deepEqual(pageErrors, []);
  });
});
