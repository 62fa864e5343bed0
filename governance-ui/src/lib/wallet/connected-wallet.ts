import type { OfflineSigner } from '@cosmjs/proto-signing';

/** Where a key lives: a browser extension (Keplr, Leap) or the local chain's development accounts. */
export type WalletKind = 'keplr' | 'leap' | 'dev';

/** One interface for every wallet: who signs, and how. */
export interface ConnectedWallet {
  readonly kind: WalletKind;
  /** what the header shows, e.g. "Keplr" or "Development key 1 (demo node owner)" */
  readonly label: string;
  readonly address: string;
  readonly signer: OfflineSigner;
}

export class WalletError extends Error {
  override name = 'WalletError';
}
