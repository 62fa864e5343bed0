import { isDeepStrictEqual } from 'node:util';
import type { OutboxRecord, Outbox } from './outbox.ts';
import { BatchRefusedError, BatchTooLargeError, type BatchSender } from './batch-sender.ts';
import { batchWideRefusals } from './chain-refusal.ts';
import { toIntervalRecord } from './registry-sender.ts';
import { BASELINE_INTERVALS } from './flexibility-claim.ts';

export interface SubmitterOptions {
  /** The most records per transaction (see the registry's gas per batch size in the README). */
  batchSize: number;
  /**
   * Gas one recording transaction may use, or null for no gas sizing (Kava anchors cost the same at any size).
   * Records per transaction = min(batchSize, txGasBudget / gas per record), the gas per record learnt from the last
   * transaction (gasPerRecordEstimate until one is in). A batch the chain still finds too large (the simulation runs
   * out of gas, the gas wanted exceeds the block's max) is sent in halves and lowers the size for the batches after.
   */
  txGasBudget: number | null;
  /** Gas per record assumed until a transaction reports its gas (measured: ~208k plain, ~1M with a flexibility claim). */
  gasPerRecordEstimate: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** How long to wait when there is nothing to send (or nothing the chain's clock allows yet). */
  idleMs: number;
  sleep: (ms: number) => Promise<void>;
  /** The clock that times per-record retries (ms since epoch). */
  now: () => number;
  /** Told of every record the chain refused for good: the alert (the service logs it as an error). */
  onRejected: (record: OutboxRecord, reason: string) => void;
  /** Told of every flexibility claim the chain refused (the record goes again without it): a warning. */
  onFlexibilityRefused: (record: OutboxRecord, reason: string) => void;
}

export const defaultSubmitterOptions: SubmitterOptions = {
  batchSize: 50,
  txGasBudget: null,
  gasPerRecordEstimate: 250_000,
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
  idleMs: 2_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  onRejected: () => {},
  onFlexibilityRefused: () => {},
};

export type SubmitOutcome =
  | { kind: 'idle' }
  /** Records are pending, but none may go yet: their intervals end after the chain's latest block, or they wait out a retry. */
  | { kind: 'waiting'; pending: number; chainTimeS: number | null }
  | { kind: 'sent'; records: number; txHash: string }
  | { kind: 'unavailable'; error: string; retryInMs: number }
  /** The contract refused the whole batch for now (its clock had not passed an interval, the oracle is not authorised). */
  | { kind: 'deferred'; error: string; retryInMs: number }
  /** The contract refused some records: `rejected` for good (alerted), `retrying` later; `sent` went through. */
  | { kind: 'refused'; rejected: number; retrying: number; sent: number };

export interface SubmitterStatus {
  mode: BatchSender['mode'];
  consecutiveFailures: number;
  lastError: string | null;
  lastSentTxHash: string | null;
  /** The chain's latest block time as last seen (Unix s): intervals ending after it wait. */
  chainTimeS: number | null;
  /** Records refused for good since the controller started, and the last of them: the alert. */
  rejectedSinceStart: number;
  lastRejection: { nodeId: number; intervalStartS: number; reason: string } | null;
}

/** Stops a batch part: the chain is away or refused the whole batch for now; the caller backs off. */
class Halt {
  constructor(
    readonly kind: 'unavailable' | 'deferred',
    readonly message: string,
  ) {}
}

/**
 * Sends the outbox's pending records in interval order, oldest first, and never loses an honest one:
 * - an interval goes only once the chain's latest block time has passed its end (a chain checks a transaction
 *   against its last committed block, seconds behind the wall clock);
 * - records are marked done only once their transaction is in a block; a resend after a lost acknowledgement is
 *   harmless because the registry treats an identical record as a no-op (and a "conflict" with an identical stored
 *   record counts as done);
 * - a transaction holds up to `batchSize` records, fewer where `txGasBudget` says so; the sender puts them in one
 *   all-or-nothing transaction, so the size never changes what is recorded, and a batch the chain finds too large
 *   for its gas limits is sent again in halves (nothing of it was recorded);
 * - a chain outage, a refusal because the chain's clock has not passed an interval yet, or an oracle key that is
 *   not authorised at the moment only delay the batch (back-off grows to a cap);
 * - a record the contract refuses is isolated (by the node and interval the refusal names, else by splitting the
 *   batch): refused for good (a conflict with a different stored record, a physics bound) it is marked rejected
 *   with the reason and alerted; refused for now (a node not approved yet) it waits out a per-record back-off;
 * - a flexibility claim the contract refuses never costs its record: the record goes again without the claim
 *   (unless the claim's baseline intervals are still pending here, then it waits for them like any refusal for now).
 * The operator requeues rejected records once their cause is fixed (Outbox.requeueRejected).
 */
export class OutboxSubmitter {
  private readonly options: SubmitterOptions;
  private failures = 0;
  private lastError: string | null = null;
  private lastSentTxHash: string | null = null;
  private chainTimeS: number | null = null;
  private rejectedSinceStart = 0;
  private lastRejection: SubmitterStatus['lastRejection'] = null;
  private running = false;
  /** Gas per record of the last transaction in (or the estimate); sizes batches under txGasBudget. */
  private gasPerRecord: number;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly sender: BatchSender,
    options: Partial<SubmitterOptions> = {},
  ) {
    this.options = { ...defaultSubmitterOptions, ...options };
    this.gasPerRecord = this.options.gasPerRecordEstimate;
  }

  /** Records the next transaction carries: the batch size, or fewer where the gas budget says so (at least one). */
  recordsPerTx(): number {
    const { batchSize, txGasBudget } = this.options;
    if (txGasBudget === null) return batchSize;
    return Math.max(1, Math.min(batchSize, Math.floor(txGasBudget / this.gasPerRecord)));
  }

  status(): SubmitterStatus {
    return {
      mode: this.sender.mode,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      lastSentTxHash: this.lastSentTxHash,
      chainTimeS: this.chainTimeS,
      rejectedSinceStart: this.rejectedSinceStart,
      lastRejection: this.lastRejection,
    };
  }

  /** One step: send the next batch the chain's clock allows (or learn there is none). */
  async submitOnce(): Promise<SubmitOutcome> {
    const nowMs = this.options.now();
    const size = this.recordsPerTx();
    const candidates = this.outbox.nextBatch(size, { nowMs });
    if (candidates.length === 0) {
      const pending = this.outbox.counts().pending;
      return pending === 0 ? { kind: 'idle' } : { kind: 'waiting', pending, chainTimeS: this.chainTimeS };
    }
    try {
      this.chainTimeS = await this.sender.latestBlockTimeS();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.outbox.markAttempt(candidates, message);
      return this.backOff('unavailable', message);
    }
    const batch = this.outbox.nextBatch(size, { nowMs, endedByS: this.chainTimeS });
    if (batch.length === 0)
      return { kind: 'waiting', pending: this.outbox.counts().pending, chainTimeS: this.chainTimeS };
    const tally = { sent: 0, rejected: 0, retrying: 0, txHash: '' };
    const halt = await this.sendPart(batch, tally);
    if (halt) return this.backOff(halt.kind, halt.message);
    if (tally.rejected === 0 && tally.retrying === 0)
      return { kind: 'sent', records: tally.sent, txHash: tally.txHash };
    return { kind: 'refused', rejected: tally.rejected, retrying: tally.retrying, sent: tally.sent };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const outcome = await this.submitOnce().catch((error: unknown): SubmitOutcome =>
          this.backOff('unavailable', String(error)),
        );
        if (!this.running) break;
        if (outcome.kind === 'idle' || outcome.kind === 'waiting') await this.options.sleep(this.options.idleMs);
        else if (outcome.kind === 'unavailable' || outcome.kind === 'deferred')
          await this.options.sleep(outcome.retryInMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /**
   * Sends `part`; on a record refusal settles the record it names (or splits the part until one record is left)
   * and sends the rest. Returns a Halt when the chain is away or refused the whole batch for now.
   */
  private async sendPart(
    part: OutboxRecord[],
    tally: { sent: number; rejected: number; retrying: number; txHash: string },
  ): Promise<Halt | null> {
    let remaining = part;
    while (remaining.length > 0) {
      let refused: BatchRefusedError;
      try {
        const sent = await this.sender.send(remaining);
        this.outbox.markDone(remaining, sent.txHash, sent.height);
        if (sent.gasUsed && sent.gasUsed > 0) this.gasPerRecord = sent.gasUsed / remaining.length;
        this.onSuccess(sent.txHash);
        tally.sent += remaining.length;
        tally.txHash = sent.txHash;
        return null;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof BatchTooLargeError && remaining.length > 1) {
          // nothing was recorded: the same records go in two transactions, and later batches are smaller
          const middle = Math.ceil(remaining.length / 2);
          if (this.options.txGasBudget !== null)
            this.gasPerRecord = Math.max(this.gasPerRecord, this.options.txGasBudget / (middle + 0.5));
          return (
            (await this.sendPart(remaining.slice(0, middle), tally)) ?? this.sendPart(remaining.slice(middle), tally)
          );
        }
        if (!(error instanceof BatchRefusedError)) {
          this.outbox.markAttempt(remaining, message);
          return new Halt('unavailable', message);
        }
        if (batchWideRefusals.has(error.refusal.kind)) {
          this.outbox.markAttempt(remaining, error.reason);
          return new Halt('deferred', error.reason);
        }
        refused = error;
      }
      const named = refused.refusal.record;
      const culprit = named
        ? remaining.find((r) => r.nodeId === named.nodeId && r.intervalStartS === named.intervalStartS)
        : undefined;
      if (culprit || remaining.length === 1) {
        const record = culprit ?? remaining[0]!;
        const halt = await this.settle(record, refused, tally);
        if (halt) return halt;
        remaining = remaining.filter((r) => r !== record);
        continue;
      }
      const middle = Math.ceil(remaining.length / 2);
      return (await this.sendPart(remaining.slice(0, middle), tally)) ?? this.sendPart(remaining.slice(middle), tally);
    }
    return null;
  }

  /** One record the contract refused: done if the chain already holds it as it is, else rejected or retried later. */
  private async settle(
    record: OutboxRecord,
    refused: BatchRefusedError,
    tally: { rejected: number; retrying: number },
  ): Promise<Halt | null> {
    const { kind } = refused.refusal;
    if (kind === 'conflict' && this.sender.storedRecord) {
      try {
        const stored = await this.sender.storedRecord(record.nodeId, record.intervalStartS);
        if (stored && isDeepStrictEqual(stored.record, toIntervalRecord(record))) {
          // its recording transaction's acknowledgement was lost: the chain holds exactly this record
          this.outbox.markDone([record], null, stored.height);
          return null;
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.outbox.markAttempt([record], message);
        return new Halt('unavailable', message);
      }
    }
    if (kind === 'flexibility' && record.flexibility) {
      const claim = record.flexibility;
      const windowStartS = claim.requestStartS - BASELINE_INTERVALS * record.intervalS;
      const onTheirWay = this.outbox.intervals(record.nodeId, windowStartS, claim.requestStartS).some((r) => r.pending);
      if (!/the baseline needs/.test(refused.reason) || !onTheirWay) {
        // the claim can never be recomputed by the chain: the honest record goes without it
        this.outbox.dropFlexibility(record, refused.reason);
        this.lastError = `node ${record.nodeId} interval ${record.intervalStartS}: flexibility claim refused, record sent without it: ${refused.reason}`;
        this.options.onFlexibilityRefused(record, refused.reason);
        tally.retrying += 1;
        return null;
      }
    }
    if (kind === 'conflict' || kind === 'final') {
      this.outbox.markRejected(record, refused.reason);
      this.rejectedSinceStart += 1;
      this.lastRejection = { nodeId: record.nodeId, intervalStartS: record.intervalStartS, reason: refused.reason };
      this.lastError = `node ${record.nodeId} interval ${record.intervalStartS}: ${refused.reason}`;
      this.options.onRejected(record, refused.reason);
      tally.rejected += 1;
      return null;
    }
    const delayMs = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** record.attempts);
    this.outbox.markRetry(record, refused.reason, this.options.now() + delayMs);
    this.lastError = `node ${record.nodeId} interval ${record.intervalStartS} (retried in ${delayMs} ms): ${refused.reason}`;
    tally.retrying += 1;
    return null;
  }

  private onSuccess(txHash: string): void {
    this.failures = 0;
    this.lastError = null;
    this.lastSentTxHash = txHash;
  }

  private backOff(kind: 'unavailable' | 'deferred', message: string): SubmitOutcome {
    this.failures += 1;
    this.lastError = message;
    const retryInMs = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (this.failures - 1));
    return { kind, error: message, retryInMs };
  }
}
