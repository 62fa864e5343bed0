import type { Coin } from '@cosmjs/amino';
import { sha256 } from '@cosmjs/crypto';
import { toBech32, toHex, toUtf8 } from '@cosmjs/encoding';
import { AccountKeeper } from './accounts.ts';
import { BlockStore, type CommittedBlock, type IndexedTx } from './block-store.ts';
import type { ChainLog } from './chain-log.ts';
import { ContractRuntime } from './contract-runtime.ts';
import { gasWantedOf, txHashHex } from './decoded-tx.ts';
import { defaultGasLimits, type GasLimits } from './gas-limits.ts';
import { SdkCode, SdkError } from './sdk-error.ts';
import { SerialQueue } from './serial-queue.ts';
import { defaultMaxTxBytes, TxRunner, type TxResult } from './tx-runner.ts';

// The node: state, the mempool of executed-but-unsealed transactions, block sealing and the durable log.
// Transactions execute when they are broadcast (CheckTx and DeliverTx in one step, against the block being built),
// and become visible to tx_search when their block is sealed, every `blockTimeMs`.

export interface GenesisBalance {
  readonly address: string;
  readonly balances: Coin[];
}

export interface ChainIdentity {
  readonly chainId: string;
  readonly prefix: string;
  readonly denom: string;
  readonly minGasPrice: number;
}

export interface ChainGenesis extends ChainIdentity {
  readonly genesisTimeMs: number;
  readonly accounts: GenesisBalance[];
  /** gas bounds (decimal strings); a genesis written before they existed gets the defaults */
  readonly gasLimits?: { maxBlockGas: string; simulationGasLimit: string; queryGasLimit: string };
  /** addresses allowed to store code, or "everybody"; a genesis written before this existed allows everybody */
  readonly codeUploaders?: 'everybody' | string[];
}

export interface BroadcastOutcome {
  readonly hashHex: string;
  /** code 0 when accepted into the block being built; otherwise the ante refusal */
  readonly checkCode: number;
  readonly checkCodespace: string;
  readonly checkLog: string;
}

export class ChainReplayError extends Error {
  constructor(
    readonly height: number,
    readonly txHashHex: string,
    readonly reason: string,
  ) {
    super(`replaying block ${height}, tx ${txHashHex}: ${reason}`);
    this.name = 'ChainReplayError';
  }
}

export function moduleAddress(prefix: string, moduleName: string): string {
  return toBech32(prefix, sha256(toUtf8(moduleName)).slice(0, 20));
}

export interface PendingTx {
  readonly hashHex: string;
  readonly bytes: Uint8Array;
  readonly result: TxResult;
}

/** Told of every block committed (replayed or sealed), with the txs it was committed from. */
export type CommitListener = (block: CommittedBlock, txs: readonly PendingTx[]) => void;

export class ChainNode {
  readonly queue = new SerialQueue();
  readonly runtime: ContractRuntime;
  readonly accounts = new AccountKeeper();
  readonly blocks: BlockStore;
  private readonly runner: TxRunner;
  private pending: PendingTx[] = [];
  private pendingTimeMs = 0;
  private readonly commitWaiters = new Map<string, ((tx: IndexedTx) => void)[]>();
  readonly gasLimits: GasLimits;
  /** gas wanted by the txs of the block being built, bounded by the block's max gas */
  private pendingGasWanted = 0n;

  private constructor(
    readonly genesis: ChainGenesis,
    private readonly log: ChainLog | null,
    private readonly now: () => number,
    private readonly onCommitted: CommitListener | undefined,
  ) {
    this.gasLimits = genesis.gasLimits
      ? {
          maxBlockGas: BigInt(genesis.gasLimits.maxBlockGas),
          simulationGasLimit: BigInt(genesis.gasLimits.simulationGasLimit),
          queryGasLimit: BigInt(genesis.gasLimits.queryGasLimit),
        }
      : defaultGasLimits;
    this.runtime = new ContractRuntime(genesis.chainId, genesis.prefix);
    const genesisDigest = toHex(sha256(toUtf8(JSON.stringify(genesis)))).toUpperCase();
    this.blocks = new BlockStore(genesis.chainId, genesisDigest);
    this.runner = new TxRunner(
      {
        chainId: genesis.chainId,
        prefix: genesis.prefix,
        denom: genesis.denom,
        minGasPrice: genesis.minGasPrice,
        feeCollector: moduleAddress(genesis.prefix, 'fee_collector'),
        maxTxBytes: defaultMaxTxBytes,
        blockHeight: () => this.blocks.height + 1,
        gasLimits: this.gasLimits,
        codeUploaders: genesis.codeUploaders ?? 'everybody',
      },
      this.runtime,
      this.accounts,
    );
  }

  /** Builds the genesis state, replays the log (if any) and seals block 1 on a fresh chain so queries have a height. */
  static async open(
    genesis: ChainGenesis,
    log: ChainLog | null,
    now: () => number = Date.now,
    onCommitted?: CommitListener,
  ): Promise<ChainNode> {
    const node = new ChainNode(genesis, log, now, onCommitted);
    for (const account of genesis.accounts) {
      node.runtime.app.bank.setBalance(account.address, account.balances);
      node.accounts.getOrCreate(account.address);
    }
    const logged = log?.readBlocks() ?? [];
    for (const block of logged) {
      node.runtime.setBlock(block.height, block.timeMs);
      const txs: PendingTx[] = [];
      for (const bytes of block.txs) {
        const hashHex = txHashHex(bytes);
        try {
          txs.push({ hashHex, bytes, result: await node.runner.run(bytes, 'deliver') });
        } catch (error) {
          throw new ChainReplayError(block.height, hashHex, (error as Error).message);
        }
      }
      const committed = node.blocks.commit(block.timeMs, txs);
      node.onCommitted?.(committed, txs);
    }
    node.startNextBlock();
    if (logged.length === 0) node.seal();
    return node;
  }

  get height(): number {
    return this.blocks.height;
  }

  private startNextBlock(): void {
    const last = this.blocks.latest?.timeMs ?? this.genesis.genesisTimeMs - 1;
    this.pendingTimeMs = Math.max(this.now(), last + 1);
    this.runtime.setBlock(this.blocks.height + 1, this.pendingTimeMs);
  }

  /** CheckTx + DeliverTx against the block being built. Must run on the queue. */
  private async execute(txBytes: Uint8Array): Promise<BroadcastOutcome> {
    const hashHex = txHashHex(txBytes);
    if (this.blocks.tx(hashHex) || this.pending.some((p) => p.hashHex === hashHex)) {
      return {
        hashHex,
        checkCode: SdkCode.txInMempoolCache,
        checkCodespace: 'sdk',
        checkLog: 'tx already exists in cache',
      };
    }
    try {
      // a tx that would overflow the block being built goes into the next block, as a proposer would leave it out
      const gasWanted = gasWantedOf(txBytes);
      if (this.pending.length > 0 && this.pendingGasWanted + gasWanted > this.gasLimits.maxBlockGas) this.seal();
      const result = await this.runner.run(txBytes, 'deliver');
      this.pending.push({ hashHex, bytes: txBytes, result });
      this.pendingGasWanted += result.gasWanted;
      return { hashHex, checkCode: 0, checkCodespace: '', checkLog: '' };
    } catch (error) {
      if (error instanceof SdkError)
        return { hashHex, checkCode: error.code, checkCodespace: error.codespace, checkLog: error.message };
      throw error;
    }
  }

  broadcast(txBytes: Uint8Array): Promise<BroadcastOutcome> {
    return this.queue.run(() => this.execute(txBytes));
  }

  /** Resolves when the transaction is in a sealed block. */
  waitForCommit(hashHex: string): Promise<IndexedTx> {
    const committed = this.blocks.tx(hashHex);
    if (committed) return Promise.resolve(committed);
    return new Promise((resolve) => {
      const waiters = this.commitWaiters.get(hashHex) ?? [];
      waiters.push(resolve);
      this.commitWaiters.set(hashHex, waiters);
    });
  }

  simulate(txBytes: Uint8Array): Promise<TxResult> {
    return this.queue.run(() => this.runner.run(txBytes, 'simulate'));
  }

  /** Seals the block being built (possibly empty), logs it, then starts the next one. Must run on the queue. */
  private seal(): CommittedBlock {
    const txs = this.pending;
    this.pending = [];
    this.pendingGasWanted = 0n;
    const block = this.blocks.commit(this.pendingTimeMs, txs);
    this.log?.appendBlock({ height: block.height, timeMs: block.timeMs, txs: txs.map((t) => t.bytes) });
    this.onCommitted?.(block, txs);
    this.startNextBlock();
    for (const tx of block.txs) {
      for (const resolve of this.commitWaiters.get(tx.hashHex) ?? []) resolve(tx);
      this.commitWaiters.delete(tx.hashHex);
    }
    return block;
  }

  sealBlock(): Promise<CommittedBlock> {
    return this.queue.runFirst(() => this.seal());
  }
}
