import { BinaryKVIterStorage, CWSimulateApp } from '@oraichain/cw-simulate';
import type { Coin } from '@cosmjs/amino';
import { allocateStringsAsUtf8, compareKeysLikeAChain, passRawJsonMessages } from './cw-simulate-fixes.ts';
import { RawJsonMsg } from './raw-json-msg.ts';

// The wasm runtime: cw-simulate's app (its bank holds every balance, its wasm module the codes, contracts and their
// storage), plus the two things cw-simulate does not do for a chain: whole-transaction snapshots, and keeping its
// cached contract VMs consistent with the store after a rollback.

type StoreSnapshot = unknown;

interface ContractVmView {
  readonly address: string;
  readonly valid: boolean;
  readonly vm: { backend: { storage: unknown } };
  getStorage(): unknown;
}

export class ContractRuntime {
  readonly app: CWSimulateApp;

  constructor(chainId: string, bech32Prefix: string) {
    allocateStringsAsUtf8();
    compareKeysLikeAChain();
    passRawJsonMessages();
    // cw-simulate prints every contract debug line by default; a chain keeps its output for its own log.
    // metering on: the VM instruments each code with a gas counter (see wasm-gas.ts), so a contract call can be stopped
    this.app = new CWSimulateApp({ chainId, bech32Prefix, debug: () => {}, metering: true, gasLimit: 0 });
  }

  /** cw-simulate's VM gas state, shared by every contract instance; read and reset around each call (wasm-gas.ts) */
  get vmGas(): unknown {
    return (this.app as unknown as { env: unknown }).env;
  }

  /** The whole store (bank + wasm + block info) as an immutable value; cheap, structurally shared. */
  snapshot(): StoreSnapshot {
    return this.app.store.db.data;
  }

  /**
   * Puts the store back to `snapshot` and makes every cached contract VM read from it again. A VM keeps its own copy
   * of its contract's storage between calls, so without this a contract executed after a rolled-back transaction (or
   * queried by another contract) would see the rolled-back writes. When a contract trapped, its instance memory is
   * suspect too, so then the instances are dropped and rebuilt from the code on next use.
   */
  async restore(snapshot: StoreSnapshot, options: { dropInstances: boolean }): Promise<void> {
    (this.app.store.db as unknown as { _data: StoreSnapshot })._data = snapshot;
    await this.resyncContractVms(options);
  }

  /**
   * Makes every cached VM read its contract's storage from the store. Also needed after a successful transaction:
   * cw-simulate rolls back a failed submessage in the store but not in the failed contract's VM copy.
   */
  async resyncContractVms(options: { dropInstances: boolean }): Promise<void> {
    const wasm = this.app.wasm as unknown as { contracts: Record<string, ContractVmView> };
    if (options.dropInstances) {
      const addresses = Object.keys(wasm.contracts);
      wasm.contracts = {};
      // rebuilt now, not lazily: cw-simulate answers a contract-to-contract query only from an initialised VM
      for (const address of addresses) {
        if (this.app.wasm.getContractInfo(address)) await this.ensureContractVm(address);
      }
      return;
    }
    for (const [address, contract] of Object.entries(wasm.contracts)) {
      const storage = contract.getStorage();
      if (storage === undefined) {
        // the contract was instantiated by a rolled-back transaction: it no longer exists
        delete wasm.contracts[address];
        continue;
      }
      if (contract.valid)
        contract.vm.backend = { ...contract.vm.backend, storage: new BinaryKVIterStorage(storage as never) };
    }
  }

  /** cw-simulate queries a contract only through an initialised VM; builds it from the stored code if needed. */
  async ensureContractVm(address: string): Promise<void> {
    await this.app.wasm.getContract(address).init();
  }

  /**
   * A smart query with the query bytes passed as they are and the answer returned as the contract wrote it (cw-simulate
   * would JSON.parse it, rounding u64 values above 2^53). The VM must be initialised (ensureContractVm).
   */
  queryRaw(address: string, queryBytes: Uint8Array): { ok: Uint8Array } | { error: string } {
    const contract = this.app.wasm.getContract(address) as unknown as {
      _vm: { query(env: unknown, msg: unknown): { ok?: string; error?: string } };
      query(msg: unknown): { err: boolean; val: unknown };
    };
    const vm = contract._vm;
    let answer: string | undefined;
    const query = vm.query;
    vm.query = (env, msg) => {
      const result = query.call(vm, env, msg);
      answer = result.ok;
      return result;
    };
    try {
      const result = contract.query(new RawJsonMsg(queryBytes));
      if (result.err || answer === undefined) return { error: String(result.val) };
      return { ok: new Uint8Array(Buffer.from(answer, 'base64')) };
    } finally {
      vm.query = query;
    }
  }

  balances(address: string): Coin[] {
    return this.app.bank.getBalance(address);
  }

  balance(address: string, denom: string): bigint {
    const coin = this.balances(address).find((c) => c.denom === denom);
    return coin ? BigInt(coin.amount) : 0n;
  }

  setBlock(height: number, timeMs: number): void {
    this.app.height = height;
    // Env.block.time is nanoseconds; cw-simulate keeps it as a JS number
    this.app.time = timeMs * 1e6;
  }
}
