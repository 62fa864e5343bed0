/**
 * Everyone can use the app: axe-core finds no serious or critical violation on the governance pages, a member votes
 * and changes the vote with the keyboard alone, Leap connects like Keplr, the development keys are refused on any
 * chain but the local one, and the chain going away and coming back under the page leaves no page error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
import {
  injectWallet,
  launchBrowser,
  openApp,
  readText,
  screenshot,
  watchPageErrors,
  type TestBrowser,
} from './support/browser.ts';
import { giveVotingPower, registryAs } from './support/members.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';
import { seriousViolations } from './support/app-actions.ts';
import { assertDevWalletAllowed } from '../src/lib/wallet/dev-wallet.ts';
import { localRuntimeConfig } from '../server/demo-config.ts';
import type { RuntimeConfig } from '../src/lib/config/runtime-config.ts';

let system: UiTestSystem;
let chromium: TestBrowser;
let baseConfig: RuntimeConfig;

describe('accessible, keyboard-usable, and honest about wallets and outages', { concurrency: false }, () => {
  before(async () => {
    system = await startUiTestSystem({ withoutPlant: true });
    await giveVotingPower(system, [{ index: 2, ratedPowerW: 10_000 }]);
    // one open proposal to look at and vote on
    const member = await registryAs(system, 2);
    member.close();
    chromium = await launchBrowser();
    baseConfig = localRuntimeConfig({
      ...system.chain,
      registry: system.registryAddress,
      governance: system.governanceAddress,
      controllerUrl: null,
    });
  });
  after(async () => {
    await chromium?.stop();
    await system?.stop();
  });

  test('a member proposes, then votes and changes the vote with the keyboard alone', async () => {
    const context = await chromium.browser.newContext();
    await injectWallet(context, { mnemonic: system.account(2).mnemonic, prefix: system.chain.prefix });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await openApp(page, system.ui.url, '/proposals/new');
    const press = (key: string) => page.keyboard.press(key);
    // connect: focus the wallet button by tabbing to it
    for (
      let i = 0;
      i < 80 &&
      !(await page.evaluate(
        `document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent.trim() === 'Connect wallet'`,
      ));
      i++
    )
      await press('Tab');
    await press('Enter');
    await press('Tab'); // Keplr
    await press('Enter');
    await page.getByTestId('wallet-address').waitFor();
    await page.getByLabel('Title').focus();
    await page.keyboard.type('Typed without a mouse');
    // move to the submit button with Tab and press it
    for (
      let i = 0;
      i < 60 &&
      !(await page.evaluate(
        `document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent.trim() === 'Sign and propose'`,
      ));
      i++
    )
      await press('Tab');
    await press('Enter');
    await page.waitForURL(/\/proposals\/\d+$/);
    await page.getByRole('heading', { name: /Typed without a mouse/ }).waitFor();
    // the vote options are a radio group: Tab into it, arrows choose, Enter on the button submits
    for (let i = 0; i < 60 && !(await page.evaluate(`document.activeElement?.getAttribute('name') === 'vote'`)); i++)
      await press('Tab');
    await press('Space'); // yes
    for (
      let i = 0;
      i < 10 &&
      !(await page.evaluate(
        `document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent.trim() === 'Cast your vote'`,
      ));
      i++
    )
      await press('Tab');
    await press('Enter');
    await page.getByTestId('my-vote').getByText('yes').waitFor();
    await page.getByRole('radio', { name: 'Yes' }).focus();
    await press('ArrowDown'); // no
    await page.getByLabel('Rationale (optional, shown with your vote)').focus();
    await page.keyboard.type('Changed with the keyboard');
    await press('Tab');
    assert.equal(await page.evaluate(`document.activeElement?.textContent?.trim()`), 'Change your vote');
    await press('Enter');
    await page.getByTestId('my-vote').getByText('no').waitFor();
    await page.getByRole('cell', { name: 'Changed with the keyboard' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('axe-core finds no serious or critical violation on the governance pages, at desktop and phone width', async () => {
    const context = await chromium.browser.newContext();
    await injectWallet(context, { mnemonic: system.account(2).mnemonic, prefix: system.chain.prefix });
    const page = await context.newPage();
    const found: string[] = [];
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ['/', '/proposals', '/proposals/1', '/proposals/new', '/policy', '/dao']) {
        await openApp(page, system.ui.url, path);
        await page.locator('h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        found.push(...(await seriousViolations(page)).map((v) => `${path} @${width}px: ${v}`));
      }
    }
    await screenshot(page, 'proposal-phone');
    assert.deepEqual(found, []);
    await context.close();
  });

  test('Leap connects through its own injected API', async () => {
    const context = await chromium.browser.newContext();
    const leap = await injectWallet(context, {
      mnemonic: system.account(3).mnemonic,
      prefix: system.chain.prefix,
      kinds: ['leap'],
    });
    const page = await context.newPage();
    await openApp(page, system.ui.url, '/');
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await page.getByRole('button', { name: 'Keplr' }).click();
    await page.getByText('Keplr is not installed in this browser').waitFor();
    await page.getByRole('button', { name: 'Leap' }).click();
    await page.getByTestId('wallet-address').waitFor();
    await page.getByTestId('wallet-address').click();
    assert.equal(await readText(page.getByTestId('wallet-full-address')), system.account(3).address);
    assert.deepEqual(leap.enabled, [system.chain.chainId]);
    await context.close();
  });

  test('the development keys are refused on any chain id but the local one', async () => {
    const local = baseConfig.chain;
    assert.doesNotThrow(() => assertDevWalletAllowed(local, local.chainId));
    assert.throws(() => assertDevWalletAllowed({ ...local, chainId: 'pion-1' }, 'pion-1'), /local chain only/);
    assert.throws(() => assertDevWalletAllowed({ ...local, local: false }, local.chainId), /local chain only/);
    // a configuration that calls itself local but points at a node that says it is another chain
    assert.throws(() => assertDevWalletAllowed(local, 'neutron-1'), /local chain only/);

    // in the browser: a deployment that claims a real chain id is refused when the key is asked for
    system.ui.setConfig({ ...baseConfig, chain: { ...baseConfig.chain, chainId: 'pion-1' } });
    const page = await chromium.browser.newPage();
    await openApp(page, system.ui.url, '/');
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await page.getByRole('button', { name: 'Use development key' }).click();
    await page
      .getByRole('alert')
      .getByText(/development keys are for the local chain only/)
      .waitFor();
    assert.equal(await page.getByTestId('wallet-address').count(), 0);
    // and a real chain's configuration does not even offer them
    system.ui.setConfig({ ...baseConfig, chain: { ...baseConfig.chain, chainId: 'pion-1', local: false } });
    await openApp(page, system.ui.url, '/');
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    assert.equal(await page.getByRole('button', { name: 'Use development key' }).count(), 0);
    system.ui.setConfig(baseConfig);
    await page.close();
  });

  test('the chain goes away and comes back under the page: "not reachable, retrying", then data again, no page error', async () => {
    const proxy = await startTcpProxy(system.chain.rpcUrl);
    system.ui.setConfig({ ...baseConfig, chain: { ...baseConfig.chain, rpcUrl: proxy.url } });
    const page = await chromium.browser.newPage();
    const errors = watchPageErrors(page);
    const rejections: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Unhandled|Uncaught/i.test(m.text())) rejections.push(m.text());
    });
    try {
      await openApp(page, system.ui.url, '/proposals/1');
      await page.getByRole('heading', { name: /#1/ }).waitFor();
      await proxy.cut();
      await page.getByText('The chain is not reachable right now, retrying.').waitFor({ timeout: 20_000 });
      await page.getByText(/proposal 1 not reachable, retrying/).waitFor({ timeout: 20_000 });
      // the last known state stays on screen
      await page.getByRole('heading', { name: /#1/ }).waitFor();
      await openApp(page, system.ui.url, '/proposals');
      await page.getByText('The chain is not reachable, retrying.').waitFor({ timeout: 20_000 });
      await screenshot(page, 'chain-down');
      await proxy.restore();
      await page.getByTestId('proposal-item').first().waitFor({ timeout: 20_000 });
      await page
        .getByText('The chain is not reachable right now, retrying.')
        .waitFor({ state: 'detached', timeout: 20_000 });
      assert.deepEqual(errors, []);
      assert.deepEqual(rejections, []);
    } finally {
      system.ui.setConfig(baseConfig);
      await proxy.stop();
      await page.close();
    }
  });
});
