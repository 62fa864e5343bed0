import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

/** One line of the audit log: an operator write (applied or refused) or a change of the plant's state. */
export type AuditEntry =
  | {
      kind: 'operator-write';
      atMs: number;
      method: string;
      path: string;
      /** The request body as parsed (absent when it was never read: refused before, or no body). */
      request?: unknown;
      status: number;
      outcome: 'applied' | 'refused';
      /** What the controller answered: what was applied, or the refusal's message and details. */
      response: unknown;
      remoteAddress: string | null;
    }
  | { kind: 'plant-state'; atMs: number; from: string; to: string; cycleIndex: number };

/**
 * Who changed what, and what the plant did: every operator write and every plant-state change, one JSON object per
 * line, appended and flushed before the answer goes out (appendFileSync: a crash right after an answer cannot lose
 * its line). Each entry also goes to the structured log. Without a path the log lines are the only record.
 */
export class AuditLog {
  private readonly recent: AuditEntry[] = [];

  constructor(
    private readonly path: string | null,
    private readonly logger: Logger,
    private readonly keepRecent = 200,
  ) {
    if (path) mkdirSync(dirname(path), { recursive: true });
  }

  record(entry: AuditEntry): void {
    if (this.path) appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
    this.recent.push(entry);
    if (this.recent.length > this.keepRecent) this.recent.shift();
    if (entry.kind === 'plant-state') {
      this.logger.warn({ audit: entry }, `plant state ${entry.from} -> ${entry.to}`);
    } else {
      this.logger.info({ audit: entry }, `operator ${entry.method} ${entry.path}: ${entry.outcome} (${entry.status})`);
    }
  }

  /** The latest entries, oldest first. */
  entries(): readonly AuditEntry[] {
    return this.recent;
  }
}
