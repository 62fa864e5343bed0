// The auth module: account numbers, sequences and public keys. Balances live in cw-simulate's bank (so contracts
// see the same balances); this keeper owns only what the bank does not.

export interface AuthAccount {
  readonly address: string;
  readonly accountNumber: bigint;
  sequence: bigint;
  /** compressed secp256k1 key, set by the account's first signed transaction */
  pubKey: Uint8Array | null;
}

export class AccountKeeper {
  private readonly accounts = new Map<string, AuthAccount>();
  private nextAccountNumber = 0n;

  get(address: string): AuthAccount | undefined {
    return this.accounts.get(address);
  }

  /** The account at `address`, created with the next account number if it does not exist yet (as the SDK does when
   * an address first receives funds). */
  getOrCreate(address: string): AuthAccount {
    let account = this.accounts.get(address);
    if (!account) {
      account = { address, accountNumber: this.nextAccountNumber, sequence: 0n, pubKey: null };
      this.nextAccountNumber += 1n;
      this.accounts.set(address, account);
    }
    return account;
  }

  get size(): number {
    return this.accounts.size;
  }
}
