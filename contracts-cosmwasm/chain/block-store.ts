import { sha256 } from '@cosmjs/crypto';
import { toHex, toUtf8 } from '@cosmjs/encoding';
import type { TxResult } from './tx-runner.ts';
import { matchesTxQuery, parseTxQuery } from './tx-query.ts';

// Committed blocks and the transaction index that tx_search and tx read.

export interface IndexedTx {
  readonly hashHex: string;
  readonly bytes: Uint8Array;
  readonly height: number;
  readonly index: number;
  readonly result: TxResult;
}

export interface CommittedBlock {
  readonly height: number;
  readonly timeMs: number;
  readonly hashHex: string;
  readonly lastBlockHashHex: string;
  readonly appHashHex: string;
  readonly dataHashHex: string;
  readonly txs: IndexedTx[];
}

const emptyHashHex = toHex(sha256(new Uint8Array())).toUpperCase();

function hashHex(text: string): string {
  return toHex(sha256(toUtf8(text))).toUpperCase();
}

export class BlockStore {
  private readonly blocks: CommittedBlock[] = [];
  private readonly txsByHash = new Map<string, IndexedTx>();
  private readonly txsInOrder: IndexedTx[] = [];

  constructor(
    private readonly chainId: string,
    /** app hash of the genesis state: a digest of the genesis configuration */
    readonly genesisAppHashHex: string,
  ) {}

  get latest(): CommittedBlock | undefined {
    return this.blocks[this.blocks.length - 1];
  }

  get height(): number {
    return this.latest?.height ?? 0;
  }

  block(height: number): CommittedBlock | undefined {
    return this.blocks[height - 1];
  }

  tx(hashHex: string): IndexedTx | undefined {
    return this.txsByHash.get(hashHex.toUpperCase());
  }

  /**
   * Seals the next block. The app hash chains the previous one with every tx hash and result code, so it changes
   * exactly when the state-changing history does (a digest of history, not a Merkle root of the state).
   */
  commit(timeMs: number, txs: { hashHex: string; bytes: Uint8Array; result: TxResult }[]): CommittedBlock {
    const height = this.height + 1;
    const previous = this.latest;
    const lastBlockHashHex = previous?.hashHex ?? '';
    const previousAppHash = previous?.appHashHex ?? this.genesisAppHashHex;
    const dataHashHex = txs.length ? hashHex(txs.map((t) => t.hashHex).join('')) : emptyHashHex;
    const appHashHex = txs.length
      ? hashHex(`${previousAppHash}|${height}|${txs.map((t) => `${t.hashHex}:${t.result.code}`).join(',')}`)
      : previousAppHash;
    const blockHashHex = hashHex(
      JSON.stringify([this.chainId, height, timeMs, lastBlockHashHex, dataHashHex, appHashHex]),
    );
    const indexed = txs.map((t, index) => ({ ...t, height, index }));
    const block: CommittedBlock = {
      height,
      timeMs,
      hashHex: blockHashHex,
      lastBlockHashHex,
      appHashHex,
      dataHashHex,
      txs: indexed,
    };
    this.blocks.push(block);
    for (const tx of indexed) {
      this.txsByHash.set(tx.hashHex, tx);
      this.txsInOrder.push(tx);
    }
    return block;
  }

  /** Transactions matching a CometBFT tx query, oldest first (or newest first with order "desc"). */
  search(query: string, order: 'asc' | 'desc'): IndexedTx[] {
    const conditions = parseTxQuery(query);
    const hashCondition = conditions.find((c) => c.key === 'tx.hash' && c.op === '=');
    const candidates = hashCondition
      ? [this.tx(String(hashCondition.value))].filter((t): t is IndexedTx => t !== undefined)
      : this.txsInOrder;
    const found = candidates.filter((tx) => matchesTxQuery(conditions, tx));
    return order === 'desc' ? found.reverse() : found;
  }
}
