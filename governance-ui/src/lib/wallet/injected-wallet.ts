import type { OfflineSigner } from '@cosmjs/proto-signing';
import type { Keplr } from '@keplr-wallet/types';
import type { ChainSettings } from '../config/runtime-config.ts';
import { chainInfoFor } from './chain-info.ts';
import { WalletError, type ConnectedWallet } from './connected-wallet.ts';

export type InjectedKind = 'keplr' | 'leap';

const NAMES: Record<InjectedKind, string> = { keplr: 'Keplr', leap: 'Leap' };

/** Extensions inject their API once the page has loaded: read it only then. */
async function pageLoaded(): Promise<void> {
  if (document.readyState === 'complete') return;
  await new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

export async function injectedProvider(kind: InjectedKind): Promise<Keplr | undefined> {
  await pageLoaded();
  return kind === 'keplr' ? window.keplr : window.leap;
}

/** The event each extension fires when its user switches key. */
export function keystoreChangeEvent(kind: InjectedKind): string {
  return `${kind}_keystorechange`;
}

/**
 * Connects Keplr or Leap: suggest the chain (a wallet does not know the local chain or may not know a testnet),
 * ask the user to enable it (throws if refused), and take the signer that suits the key (amino for a Ledger).
 */
export async function connectInjected(kind: InjectedKind, chain: ChainSettings): Promise<ConnectedWallet> {
  const provider = await injectedProvider(kind);
  if (!provider) throw new WalletError(`${NAMES[kind]} is not installed in this browser`);
  try {
    await provider.experimentalSuggestChain(chainInfoFor(chain));
    await provider.enable(chain.chainId);
  } catch (error) {
    throw new WalletError(
      `${NAMES[kind]} did not connect to ${chain.chainId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const signer = await provider.getOfflineSignerAuto(chain.chainId);
  const [account] = await signer.getAccounts();
  if (!account) throw new WalletError(`${NAMES[kind]} has no account for ${chain.chainId}`);
  const key = await provider.getKey(chain.chainId).catch(() => null);
  return {
    kind,
    label: key?.name ? `${NAMES[kind]}: ${key.name}` : NAMES[kind],
    address: account.address,
    // @keplr-wallet/types 0.12 (pinned: 0.13 pulls starknet, which asks for Node 22) types the signer against its own
    // copy of an older CosmJS; the object the extension injects is the same either way and signs for CosmJS 0.38
    signer: signer as unknown as OfflineSigner,
  };
}
