import type { OutboxRecord, Outbox } from './outbox.ts';
import { BatchRefusedError, type BatchSender } from './batch-sender.ts';

export interface SubmitterOptions {
  /** Records per transaction (see the registry's gas per batch size in the README). */
  batchSize: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** How long to wait when there is nothing to send. */
  idleMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultSubmitterOptions: SubmitterOptions = {
  batchSize: 50,
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
  idleMs: 2_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type SubmitOutcome =
  | { kind: 'idle' }
  | { kind: 'sent'; records: number; txHash: string }
  | { kind: 'unavailable'; error: string; retryInMs: number }
  | { kind: 'refused'; rejected: number; sent: number };

export interface SubmitterStatus {
  mode: BatchSender['mode'];
  consecutiveFailures: number;
  lastError: string | null;
  lastSentTxHash: string | null;
}

/**
 * Sends the outbox's pending records in interval order, oldest first. Records are marked done only once their
 * transaction is in a block; a chain outage only delays them (back-off grows to a cap); a resend after a crash is
 * harmless because the registry treats an identical record as a no-op. A batch the contract refuses is split in
 * halves until the refused records are isolated: those are marked rejected with the reason (visible in the API and
 * metrics), the others go through.
 */
export class OutboxSubmitter {
  private readonly options: SubmitterOptions;
  private failures = 0;
  private lastError: string | null = null;
  private lastSentTxHash: string | null = null;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly sender: BatchSender,
    options: Partial<SubmitterOptions> = {},
  ) {
    this.options = { ...defaultSubmitterOptions, ...options };
  }

  status(): SubmitterStatus {
    return {
      mode: this.sender.mode,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      lastSentTxHash: this.lastSentTxHash,
    };
  }

  /** One step: send the next batch (or learn there is none). */
  async submitOnce(): Promise<SubmitOutcome> {
    const batch = this.outbox.nextBatch(this.options.batchSize);
    if (batch.length === 0) return { kind: 'idle' };
    try {
      const sent = await this.sender.send(batch);
      this.outbox.markDone(batch, sent.txHash, sent.height);
      this.onSuccess(sent.txHash);
      return { kind: 'sent', records: batch.length, txHash: sent.txHash };
    } catch (error) {
      if (error instanceof BatchRefusedError) return this.isolateRefused(batch);
      const message = error instanceof Error ? error.message : String(error);
      this.outbox.markAttempt(batch, message);
      return this.onUnavailable(message);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const outcome = await this.submitOnce().catch((error: unknown): SubmitOutcome =>
          this.onUnavailable(String(error)),
        );
        if (!this.running) break;
        if (outcome.kind === 'idle') await this.options.sleep(this.options.idleMs);
        else if (outcome.kind === 'unavailable') await this.options.sleep(outcome.retryInMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async isolateRefused(batch: OutboxRecord[]): Promise<SubmitOutcome> {
    let rejected = 0;
    let sent = 0;
    const queue: OutboxRecord[][] = [batch];
    while (queue.length) {
      const part = queue.shift()!;
      if (part.length > 1 && part !== batch) {
        try {
          const result = await this.sender.send(part);
          this.outbox.markDone(part, result.txHash, result.height);
          this.onSuccess(result.txHash);
          sent += part.length;
          continue;
        } catch (error) {
          if (!(error instanceof BatchRefusedError))
            return this.onUnavailable(String(error instanceof Error ? error.message : error));
        }
      }
      if (part.length === 1) {
        const [record] = part as [OutboxRecord];
        try {
          const result = await this.sender.send(part);
          this.outbox.markDone(part, result.txHash, result.height);
          this.onSuccess(result.txHash);
          sent += 1;
        } catch (error) {
          if (error instanceof BatchRefusedError) {
            this.outbox.markRejected(record, error.reason);
            this.lastError = `node ${record.nodeId} interval ${record.intervalStartS}: ${error.reason}`;
            rejected += 1;
          } else return this.onUnavailable(error instanceof Error ? error.message : String(error));
        }
        continue;
      }
      const middle = Math.ceil(part.length / 2);
      queue.unshift(part.slice(0, middle), part.slice(middle));
    }
    return { kind: 'refused', rejected, sent };
  }

  private onSuccess(txHash: string): void {
    this.failures = 0;
    this.lastError = null;
    this.lastSentTxHash = txHash;
  }

  private onUnavailable(message: string): SubmitOutcome {
    this.failures += 1;
    this.lastError = message;
    const retryInMs = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (this.failures - 1));
    return { kind: 'unavailable', error: message, retryInMs };
  }
}
