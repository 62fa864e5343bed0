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
  /** "type.attribute=value" -> the txs with that event attribute, oldest first: equality searches read only these */
  private readonly txsByAttribute = new Map<string, IndexedTx[]>();

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
      const keys = new Set<string>();
      for (const event of tx.result.events)
        for (const attribute of event.attributes) keys.add(`${event.type}.${attribute.key}=${attribute.value}`);
      for (const key of keys) {
        const list = this.txsByAttribute.get(key);
        if (list) list.push(tx);
        else this.txsByAttribute.set(key, [tx]);
      }
    }
    return block;
  }

  /**
   * Transactions matching a CometBFT tx query, oldest first (or newest first with order "desc"). The candidates come
   * from the narrowest index a condition allows (hash, an event attribute's value, a height range), so a search
   * costs what it finds, not the chain's length. More than `maxResults` matches is an error, as an unbounded
   * answer would be: the caller narrows the query (a tx.height range) instead.
   */
  search(query: string, order: 'asc' | 'desc', maxResults: number): IndexedTx[] {
    const conditions = parseTxQuery(query);
    let narrowest: readonly IndexedTx[] | null = null;
    let [lowest, highest] = [1, this.height];
    for (const c of conditions) {
      if (c.key === 'tx.height') {
        const h = Number(c.value);
        if (c.op === '=' || c.op === '>=') lowest = Math.max(lowest, Math.ceil(h));
        if (c.op === '>') lowest = Math.max(lowest, Math.floor(h) + 1);
        if (c.op === '=' || c.op === '<=') highest = Math.min(highest, Math.floor(h));
        if (c.op === '<') highest = Math.min(highest, Math.ceil(h) - 1);
        continue;
      }
      if (c.op !== '=') continue;
      const list =
        c.key === 'tx.hash'
          ? [this.tx(String(c.value))].filter((t): t is IndexedTx => t !== undefined)
          : (this.txsByAttribute.get(`${c.key}=${c.value}`) ?? []);
      if (!narrowest || list.length < narrowest.length) narrowest = list;
    }
    const found: IndexedTx[] = [];
    const consider = (tx: IndexedTx) => {
      if (!matchesTxQuery(conditions, tx)) return;
      if (found.length === maxResults) throw new TxSearchTooBroadError(query, maxResults);
      found.push(tx);
    };
    if (narrowest) for (const tx of narrowest) consider(tx);
    else for (let h = lowest; h <= highest; h++) for (const tx of this.blocks[h - 1]!.txs) consider(tx);
    return order === 'desc' ? found.reverse() : found;
  }
}

export class TxSearchTooBroadError extends Error {
  constructor(query: string, maxResults: number) {
    super(`query "${query}" matches more than ${maxResults} transactions; narrow it, e.g. with a tx.height range`);
    this.name = 'TxSearchTooBroadError';
  }
}
