import { readFileSync } from 'node:fs';
import { launchBrowser, injectWallet, openApp, watchPageErrors } from './support/browser.ts';
const sys = JSON.parse(readFileSync('/tmp/nodesdbg/system.json', 'utf8'));
const path = process.argv[2] ?? '/nodes/1';
const width = Number(process.argv[3] ?? 360);
const b = await launchBrowser();
try {
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await injectWallet(ctx, { mnemonic: sys.m1, prefix: 'gridcoop' });
  const page = await ctx.newPage();
  const errors = watchPageErrors(page);
  await openApp(page, sys.ui, path);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('button', { name: 'Keplr' }).click();
  await page.getByTestId('wallet-address').waitFor();
  await page.setViewportSize({ width, height: 800 });
  await page.waitForTimeout(6000);
  const widest = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
      .slice(0, 12)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}`,
      ),
  );
  console.log('overflow', await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), widest);
  await page.screenshot({ path: `/tmp/nodesdbg/shot-${width}.png`, fullPage: true });
  console.log('errors', errors);
} finally {
  await b.stop();
}
