/**
 * The first page stays light: at most 150 KB of JavaScript (gzip) before anything else happens, and no CosmJS chunk
 * loads until a wallet connects (reads go over plain ABCI queries). Connecting the development key then loads CosmJS,
 * which shows the test can see a CosmJS chunk when there is one. Sizes only; times are the benchmark's business.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startUiTestSystem, type UiTestSystem } from './support/system.ts';
import { launchBrowser, openApp, type TestBrowser } from './support/browser.ts';
import { recordScripts } from './support/first-load.ts';

const BUDGET_GZIP_BYTES = 150 * 1024;
let system: UiTestSystem;
let chromium: TestBrowser;

describe('the first page is light and loads no CosmJS before a wallet connects', { concurrency: false }, () => {
  before(async () => {
    system = await startUiTestSystem({ withoutPlant: true });
    chromium = await launchBrowser();
  });
  after(async () => {
    await chromium?.stop();
    await system?.stop();
  });

  for (const path of ['/', '/proposals', '/plant', '/nodes'])
    test(`${path}: at most 150 KB of JavaScript (gzip) and no CosmJS chunk`, async () => {
      const page = await chromium.browser.newPage();
      const recorder = recordScripts(page);
      await openApp(page, system.ui.url, path);
      await page.waitForLoadState('networkidle');
      const scripts = recorder.scripts();
      const total = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
      assert.ok(scripts.length > 0, 'no script was recorded');
      assert.ok(total <= BUDGET_GZIP_BYTES, `${path} loads ${(total / 1024).toFixed(1)} KB of JS (gzip)`);
      assert.deepEqual(
        scripts.filter((s) => s.cosmjs).map((s) => s.path),
        [],
      );
      await page.close();
    });

  test('connecting a development key is what loads CosmJS', async () => {
    const page = await chromium.browser.newPage();
    const recorder = recordScripts(page);
    await openApp(page, system.ui.url, '/');
    await page.getByRole('button', { name: 'Connect wallet' }).click();
    await page.getByRole('button', { name: 'Use development key' }).click();
    await page.getByTestId('wallet-address').waitFor();
    await page.waitForLoadState('networkidle');
    assert.ok(
      recorder.scripts().some((s) => s.cosmjs),
      'no CosmJS chunk loaded after connecting',
    );
    await page.close();
  });
});
