// An in-process model of the registry's acceptance rules for record_intervals and of a chain's clock, for the
// property test (outbox-never-loses.test.ts): thousands of scenarios in seconds, where the real local chain takes
// about a second per scenario to start. It copies what contracts/registry/src/recording.rs decides and the error
// texts CosmJS reports for it (chain-refusal.test.ts lists them as met on the real wasm):
// - only an authorised oracle may record (Unauthorized);
// - a record whose interval ends after the block time is refused (RecordRefused);
// - an identical resend is a no-op, a different record for a stored (node, interval) is refused (ConflictingRecord);
//   `strictDuplicates` makes a registry that refuses even an identical resend as a conflict;
// - a batch is all or nothing; the refusal names the first refused record;
// - a batch over the gas a tx may have fails as out of gas (nothing recorded); a tx reports the gas it used.
// The chain checks a transaction against its latest committed block, which lags the wall clock.
import { isDeepStrictEqual } from 'node:util';
import type { IntervalRecord } from '@gridcoop/contracts';
import {
  ChainUnavailableError,
  classifyChainFailure,
  toIntervalRecord,
  type BatchSender,
  type SentBatch,
} from '../../src/ledger/index.ts';
import type { ClosedInterval } from '../../src/metering/index.ts';

const wasmFailure = (text: string) =>
  new Error(
    `Query failed with (5): failed to execute message; message index: 0: ${text}: execute wasm contract failed`,
  );

export class RegistryModel {
  /** (node, interval) -> what is stored, and at which height */
  readonly stored = new Map<string, { record: IntervalRecord; height: number }>();
  /** How many times each (node, interval) was written: exactly once is the property. */
  readonly writes = new Map<string, number>();
  authorised = true;
  height = 1;

  constructor(readonly strictDuplicates: boolean) {}

  /** record_intervals from the oracle, checked against the block time `blockTimeS`. Throws the registry's refusal. */
  recordIntervals(records: readonly IntervalRecord[], blockTimeS: number): void {
    if (!this.authorised)
      throw wasmFailure(
        'unauthorized: record_intervals may only be called by an authorised oracle (sender gridcoop1oracle)',
      );
    const fresh: IntervalRecord[] = [];
    for (const [index, record] of records.entries()) {
      const key = keyOf(record.node_id, record.interval_start);
      const existing = this.stored.get(key);
      const named = `record ${index} (node ${record.node_id}, interval ${record.interval_start})`;
      if (existing) {
        if (!this.strictDuplicates && isDeepStrictEqual(existing.record, record)) continue;
        throw wasmFailure(`${named} conflicts with the record already stored for that interval`);
      }
      if (record.interval_start + record.interval_s > blockTimeS)
        throw wasmFailure(`${named} refused: interval ends after the block time ${blockTimeS} s`);
      fresh.push(record);
    }
    this.height += 1;
    for (const record of fresh) {
      const key = keyOf(record.node_id, record.interval_start);
      this.stored.set(key, { record, height: this.height });
      this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
    }
  }
}

export const keyOf = (nodeId: number, intervalStartS: number) => `${nodeId}@${intervalStartS}`;

/** The chain as the controller's sender sees it: reachable or not, its latest block time, acks that get lost. */
export class ModelChain implements BatchSender {
  readonly mode = 'cosmwasm' as const;
  reachable = true;
  /** The latest committed block's time (ms); only moves forward. */
  blockTimeMs = 0;
  /** The next transaction is included, but its acknowledgement is lost (the sender sees a timeout). */
  loseNextAck = false;
  /** Gas a tx may use (the simulation's or the block's limit); null: any size. A larger batch fails as out of gas. */
  txGasLimit: number | null = null;
  /** Gas each record costs; reported back as the tx's gasUsed. */
  gasPerRecord = 200_000;
  private txs = 0;

  constructor(readonly registry: RegistryModel) {}

  /** The chain's clock catches up with the wall clock up to `lagMs` behind, in whole blocks of `blockMs`. */
  advance(wallMs: number, lagMs: number, blockMs: number): void {
    const latest = Math.floor((wallMs - lagMs) / blockMs) * blockMs;
    this.blockTimeMs = Math.max(this.blockTimeMs, latest);
  }

  async latestBlockTimeS(): Promise<number> {
    if (!this.reachable) throw new ChainUnavailableError('fetch failed');
    return Math.floor(this.blockTimeMs / 1000);
  }

  async send(records: readonly ClosedInterval[]): Promise<SentBatch> {
    if (!this.reachable) throw new ChainUnavailableError('fetch failed');
    const gasUsed = records.length * this.gasPerRecord;
    try {
      if (this.txGasLimit !== null && gasUsed > this.txGasLimit)
        throw new Error(
          `Query failed with (11): out of gas in location: wasm contract; gasWanted: ${this.txGasLimit}, gasUsed: ${gasUsed}: out of gas`,
        );
      this.registry.recordIntervals(records.map(toIntervalRecord), Math.floor(this.blockTimeMs / 1000));
    } catch (error) {
      throw classifyChainFailure(error);
    }
    this.txs += 1;
    if (this.loseNextAck) {
      this.loseNextAck = false;
      throw new ChainUnavailableError('transaction was submitted but was not yet found on the chain');
    }
    return { txHash: `TX${this.txs}`, height: this.registry.height, gasUsed };
  }

  async storedRecord(nodeId: number, intervalStartS: number) {
    if (!this.reachable) throw new ChainUnavailableError('fetch failed');
    return this.registry.stored.get(keyOf(nodeId, intervalStartS)) ?? null;
  }
}
