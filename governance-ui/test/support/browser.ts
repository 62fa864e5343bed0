/**
 * Real Chromium (Debian's, no Playwright download) for the UI's tests, with a Keplr-compatible wallet injected into
 * the page: `window.keplr` / `window.leap` whose signer hands each sign request to a Node-side CosmJS wallet over
 * Playwright's exposeBinding, so every transaction is signed with a real key and checked by the chain.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screenshots of the main pages are kept here as test artefacts (ignored by git). */
export const ARTEFACTS_DIR = resolve(import.meta.dirname, '../../test-results');

export interface TestBrowser {
  browser: Browser;
  stop(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const home = mkdtempSync(join(tmpdir(), 'gridcoop-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    // Chromium writes into ~/.config and ~/.cache otherwise
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
  });
  return {
    browser,
    async stop() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A wallet extension as the page sees it, backed by a mnemonic held in the test. */
export interface InjectedWallet {
  /** which globals it answers on */
  kinds: ('keplr' | 'leap')[];
  /** switches the key, as a user does in the extension (fire the keystore event after it) */
  useMnemonic(mnemonic: string): Promise<void>;
  address(): Promise<string>;
  /** what the page asked the wallet to suggest (experimentalSuggestChain), in order */
  suggested: unknown[];
  enabled: string[];
}

export async function injectWallet(
  context: BrowserContext,
  options: { mnemonic: string; prefix: string; kinds?: ('keplr' | 'leap')[]; name?: string },
): Promise<InjectedWallet> {
  let wallet = await DirectSecp256k1HdWallet.fromMnemonic(options.mnemonic, { prefix: options.prefix });
  const kinds = options.kinds ?? ['keplr'];
  const suggested: unknown[] = [];
  const enabled: string[] = [];
  await context.exposeBinding('__walletAccounts', async () => {
    const [account] = await wallet.getAccounts();
    return { address: account!.address, pubkey: Array.from(account!.pubkey) };
  });
  await context.exposeBinding('__walletSuggest', async (_source, chainInfo: unknown) => {
    suggested.push(chainInfo);
  });
  await context.exposeBinding('__walletEnable', async (_source, chainId: string) => {
    enabled.push(chainId);
  });
  await context.exposeBinding(
    '__walletSignDirect',
    async (
      _source,
      signerAddress: string,
      doc: { bodyBytes: number[]; authInfoBytes: number[]; chainId: string; accountNumber: string },
    ) => {
      const signDoc = {
        bodyBytes: Uint8Array.from(doc.bodyBytes),
        authInfoBytes: Uint8Array.from(doc.authInfoBytes),
        chainId: doc.chainId,
        accountNumber: BigInt(doc.accountNumber),
      };
      const { signature } = await wallet.signDirect(signerAddress, signDoc);
      return signature;
    },
  );
  // a script as text: tsx would wrap a function with helpers that do not exist in the page
  await context.addInitScript(`(() => {
    const names = ${JSON.stringify(kinds)};
    const walletName = ${JSON.stringify(options.name ?? 'test key')};
    const accounts = async () => {
      const a = await window.__walletAccounts();
      return [{ address: a.address, algo: 'secp256k1', pubkey: Uint8Array.from(a.pubkey) }];
    };
    const signer = {
      getAccounts: accounts,
      async signDirect(signerAddress, signDoc) {
        const signature = await window.__walletSignDirect(signerAddress, {
          bodyBytes: Array.from(signDoc.bodyBytes),
          authInfoBytes: Array.from(signDoc.authInfoBytes),
          chainId: signDoc.chainId,
          accountNumber: signDoc.accountNumber.toString(),
        });
        return { signed: signDoc, signature };
      },
    };
    const provider = {
      async experimentalSuggestChain(info) { await window.__walletSuggest(info); },
      async enable(chainId) { await window.__walletEnable(chainId); },
      async getKey() {
        const [a] = await accounts();
        return { name: walletName, algo: 'secp256k1', pubKey: a.pubkey, bech32Address: a.address, isNanoLedger: false };
      },
      getOfflineSigner: () => signer,
      getOfflineSignerAuto: async () => signer,
      getOfflineSignerOnlyAmino: () => signer,
    };
    for (const name of names) window[name] = provider;
  })();`);
  return {
    kinds,
    suggested,
    enabled,
    async useMnemonic(mnemonic) {
      wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: options.prefix });
    },
    async address() {
      const [account] = await wallet.getAccounts();
      return account!.address;
    },
  };
}

/** Collects page errors and unhandled rejections: a test asserts the list is empty. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}\n${error.stack ?? ''}`));
  return errors;
}

/** Opens a path and waits for the app to hydrate (clicks before that are lost). */
export async function openApp(page: Page, baseUrl: string, path = '/'): Promise<void> {
  await page.goto(new URL(path, baseUrl).toString());
  await page.waitForSelector('body[data-hydrated="true"]');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  const file = join(ARTEFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The user switches key in the extension: the wallet answers for another account and fires its keystore event. */
export async function switchKey(page: Page, wallet: InjectedWallet, mnemonic: string): Promise<void> {
  await wallet.useMnemonic(mnemonic);
  const address = await wallet.address();
  const switched = `document.querySelector('[data-testid="wallet-address"]')?.textContent?.startsWith(${JSON.stringify(address.slice(0, 12))})`;
  // an event that lands while the app is still busy with the previous account is fired again
  for (let attempt = 0; attempt < 6; attempt++) {
    for (const kind of wallet.kinds) await page.evaluate(`window.dispatchEvent(new Event('${kind}_keystorechange'))`);
    try {
      await page.waitForFunction(switched, undefined, { timeout: 5_000 });
      return;
    } catch {
      // try again
    }
  }
  throw new Error(`the app did not switch to ${address} after the wallet's key change`);
}

/** The text a person reads (whitespace collapsed). */
export async function readText(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}
