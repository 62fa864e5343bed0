import type { ChainSettings } from '../config/runtime-config.ts';
import { WalletError, type ConnectedWallet } from './connected-wallet.ts';

/** The only chain ids the development keys may sign for: GridCoop's local chain. */
export const DEV_WALLET_CHAIN_IDS: readonly string[] = ['gridcoop-local-1'];

/** The demo's well-known accounts and the role `npm start` gives each. */
export const DEV_ACCOUNTS: readonly { index: number; role: string }[] = [
  { index: 0, role: 'operator and council' },
  { index: 1, role: 'owner of the demo plant' },
  { index: 2, role: 'member' },
  { index: 3, role: 'member' },
  { index: 4, role: 'member' },
];

/**
 * Refuses a development key anywhere but the local chain: its mnemonic is public, so on a real chain anyone could
 * spend from it. `reportedChainId` is what the node itself says it is, so a config that calls a real chain local is
 * still refused.
 */
export function assertDevWalletAllowed(chain: ChainSettings, reportedChainId: string): void {
  if (!chain.local || !DEV_WALLET_CHAIN_IDS.includes(chain.chainId) || reportedChainId !== chain.chainId)
    throw new WalletError(
      `development keys are for the local chain only (${DEV_WALLET_CHAIN_IDS.join(', ')}); this chain is ${reportedChainId}`,
    );
}

/** The same derivation as the local chain's genesis (contracts-cosmwasm/chain/chain-config.ts devMnemonic). */
async function devMnemonic(index: number): Promise<string> {
  const { Bip39, Sha256 } = await import('@cosmjs/crypto');
  const entropy = new Sha256(new TextEncoder().encode(`gridcoop local chain dev account ${index}`)).digest();
  return Bip39.encode(entropy).toString();
}

export async function connectDevWallet(
  chain: ChainSettings,
  reportedChainId: string,
  index: number,
): Promise<ConnectedWallet> {
  assertDevWalletAllowed(chain, reportedChainId);
  const { DirectSecp256k1HdWallet } = await import('@cosmjs/proto-signing');
  const signer = await DirectSecp256k1HdWallet.fromMnemonic(await devMnemonic(index), {
    prefix: chain.bech32Prefix,
  });
  const [account] = await signer.getAccounts();
  const role = DEV_ACCOUNTS.find((a) => a.index === index)?.role ?? 'member';
  return { kind: 'dev', label: `Development key ${index} (${role})`, address: account!.address, signer };
}
