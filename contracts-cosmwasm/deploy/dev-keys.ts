import { devMnemonic } from '../chain/chain-config.ts';

// The local chain's development keys are derived from a public seed (chain-config.ts), so anyone can sign with them:
// they are for the local chain only. Deploy and the controller's oracle key refuse them anywhere else.

/** The chain id of the local chain (`npm run chain`, `npm start`): the only chain that accepts development keys. */
export const LOCAL_CHAIN_ID = 'gridcoop-local-1';

/** How many development accounts are checked: far more than any demo or test creates. */
const DEV_ACCOUNTS_CHECKED = 64;

let known: Map<string, number> | undefined;

/** The development account index of `mnemonic`, or null when it is not one of the well-known keys. */
export function devAccountIndex(mnemonic: string): number | null {
  known ??= new Map(Array.from({ length: DEV_ACCOUNTS_CHECKED }, (_, i) => [devMnemonic(i), i]));
  return known.get(mnemonic.trim().split(/\s+/).join(' ')) ?? null;
}

export class DevKeyRefusedError extends Error {
  constructor(what: string, index: number, chainId: string) {
    super(
      `${what} is the well-known development key of dev account ${index}: it is accepted on the local chain ${LOCAL_CHAIN_ID} only, not on ${chainId}`,
    );
    this.name = 'DevKeyRefusedError';
  }
}

/** Throws a one-line refusal when a development key is about to be used on a chain other than the local one. */
export function refuseDevKeyOffLocalChain(mnemonic: string, chainId: string, what: string): void {
  if (chainId === LOCAL_CHAIN_ID) return;
  const index = devAccountIndex(mnemonic);
  if (index !== null) throw new DevKeyRefusedError(what, index, chainId);
}
