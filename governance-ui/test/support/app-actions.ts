/**
 * What the browser tests do in the app again and again: connect the injected wallet, wait for something the page
 * (or the chain) shows eventually, read a proposal's status badge, and ask axe-core for serious problems.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { openApp, readText } from './browser.ts';

/** Connects the wallet injected as window.keplr from the header's wallet menu. */
export async function connectKeplr(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('button', { name: 'Keplr' }).click();
  await page.getByTestId('wallet-address').waitFor();
}

/** Asks `probe` until it answers something other than null; fails naming `what` after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs = 60_000,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Opens a proposal's page until its status badge shows `word`: the status is computed from the latest block, so
 * after the chain's clock moves the page may need a block or two to agree.
 */
export async function waitForProposalStatus(page: Page, baseUrl: string, id: number, word: string): Promise<void> {
  let shown = '';
  await pollUntil(`proposal ${id} to show "${word}" (it shows "${shown}")`, async () => {
    await openApp(page, baseUrl, `/proposals/${id}`);
    const badge = page.locator('.badge').first();
    await badge.waitFor();
    shown = await readText(badge);
    return shown.includes(word) ? true : null;
  });
}

/** axe-core's serious and critical violations on the page as it is, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}
