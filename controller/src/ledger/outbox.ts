import Database from 'better-sqlite3';
import type { Boundary } from '../metering/boundary.ts';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import type { FlexDirection, FlexibilityClaim } from './flexibility-claim.ts';
import type { FlexibilityHistory } from './flexibility-requests.ts';

export type OutboxStatus = 'pending' | 'done' | 'rejected';

/** A closed interval as the outbox stores it: a flexible load's may carry the flexibility it delivered on request. */
export type StoredInterval = ClosedInterval & { flexibility?: FlexibilityClaim | null };

export interface OutboxRecord extends ClosedInterval {
  /** Sent with the record (null: none, or the registry refused the claim and the record went without it). */
  flexibility: FlexibilityClaim | null;
  /** Why the registry refused the claim this record first carried (the record itself was then sent without it). */
  flexibilityRefused: string | null;
  status: OutboxStatus;
  attempts: number;
  /** A pending record the chain refused for now is not sent again before this time (ms since epoch); 0 = any time. */
  retryAtMs: number;
  txHash: string | null;
  height: number | null;
  lastError: string | null;
}

export interface OutboxCounts {
  pending: number;
  done: number;
  rejected: number;
  /** Pending records the chain refused for now (node not active yet, unknown refusal): retried after a back-off. */
  retrying: number;
  oldestPendingStartS: number | null;
}

/** Two intervals for the same (node, interval) with different content: a metering bug, never silently merged. */
export class OutboxConflictError extends Error {
  override readonly name = 'OutboxConflictError';
  constructor(
    readonly nodeId: number,
    readonly intervalStartS: number,
  ) {
    super(`outbox: node ${nodeId} interval ${intervalStartS} is already stored with different content`);
  }
}

interface Row {
  device_id: string;
  node_id: number;
  interval_start: number;
  interval_s: number;
  energy_in_wh: number;
  energy_out_wh: number;
  counter_in_wh: number;
  counter_out_wh: number;
  samples_hash: string;
  sample_count: number;
  estimated: number;
  status: OutboxStatus;
  attempts: number;
  tx_hash: string | null;
  height: number | null;
  last_error: string | null;
  retry_at_ms: number;
  flex_direction: FlexDirection | null;
  flex_request_start: number | null;
  flex_baseline_wh: number | null;
  flex_delivered_wh: number | null;
  flex_refused: string | null;
}

/** Columns added after the first outbox format; an older outbox gets them (its records carry no claims). */
const ADDED_COLUMNS: readonly [string, string][] = [
  ['retry_at_ms', 'INTEGER NOT NULL DEFAULT 0'],
  ['flex_direction', 'TEXT'],
  ['flex_request_start', 'INTEGER'],
  ['flex_baseline_wh', 'INTEGER'],
  ['flex_delivered_wh', 'INTEGER'],
  ['flex_refused', 'TEXT'],
];

/**
 * The durable outbox (SQLite, WAL, synchronous FULL): a closed interval is stored here, together with the meter
 * boundary it moved to, in one transaction, before anything else happens with it. Records leave the pending state
 * only when their transaction is found in a block (done) or the chain refused them for good (rejected, kept with
 * the reason, until the operator requeues them). A record the chain refused for now stays pending with a retry time. After a crash the meter resumes from the stored boundaries and the submitter from the pending records.
 */
export class Outbox implements FlexibilityHistory {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS intervals (
        node_id INTEGER NOT NULL, interval_start INTEGER NOT NULL, device_id TEXT NOT NULL, interval_s INTEGER NOT NULL,
        energy_in_wh INTEGER NOT NULL, energy_out_wh INTEGER NOT NULL, counter_in_wh INTEGER NOT NULL,
        counter_out_wh INTEGER NOT NULL, samples_hash TEXT NOT NULL, sample_count INTEGER NOT NULL,
        estimated INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        tx_hash TEXT, height INTEGER, last_error TEXT, retry_at_ms INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (node_id, interval_start));
      CREATE INDEX IF NOT EXISTS intervals_pending ON intervals (status, interval_start, node_id);
      CREATE TABLE IF NOT EXISTS boundaries (
        device_id TEXT PRIMARY KEY, at_s INTEGER NOT NULL, counter_in_wh INTEGER NOT NULL, counter_out_wh INTEGER NOT NULL);
    `);
    // An outbox written by an older controller gets the columns added since; its records are all sendable.
    const columns = this.db.prepare('PRAGMA table_info(intervals)').all() as { name: string }[];
    for (const [name, type] of ADDED_COLUMNS)
      if (!columns.some((c) => c.name === name)) this.db.exec(`ALTER TABLE intervals ADD COLUMN ${name} ${type}`);
  }

  /**
   * Stores closed intervals (with their flexibility claims) and the boundaries they reached, atomically. Identical
   * re-stores are no-ops; a re-store that differs only in its claim keeps the claim first stored.
   */
  store(intervals: readonly StoredInterval[]): void {
    if (intervals.length === 0) return;
    const insert = this.db.prepare(`INSERT OR IGNORE INTO intervals
      (node_id, interval_start, device_id, interval_s, energy_in_wh, energy_out_wh, counter_in_wh, counter_out_wh,
       samples_hash, sample_count, estimated, flex_direction, flex_request_start, flex_baseline_wh, flex_delivered_wh)
      VALUES (@nodeId, @intervalStartS, @deviceId, @intervalS, @energyInWh, @energyOutWh, @counterInWh, @counterOutWh,
       @samplesHash, @sampleCount, @estimated, @flexDirection, @flexRequestStart, @flexBaselineWh, @flexDeliveredWh)`);
    const existing = this.db.prepare<[number, number], Row>(
      'SELECT * FROM intervals WHERE node_id = ? AND interval_start = ?',
    );
    const boundary = this.db.prepare(`INSERT INTO boundaries (device_id, at_s, counter_in_wh, counter_out_wh)
      VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET at_s = excluded.at_s,
      counter_in_wh = excluded.counter_in_wh, counter_out_wh = excluded.counter_out_wh WHERE excluded.at_s > boundaries.at_s`);
    this.db.transaction(() => {
      for (const interval of intervals) {
        const claim = interval.flexibility ?? null;
        const result = insert.run({
          deviceId: interval.deviceId,
          nodeId: interval.nodeId,
          intervalStartS: interval.intervalStartS,
          intervalS: interval.intervalS,
          energyInWh: interval.energyInWh,
          energyOutWh: interval.energyOutWh,
          counterInWh: interval.counterInWh,
          counterOutWh: interval.counterOutWh,
          samplesHash: interval.samplesHash,
          sampleCount: interval.sampleCount,
          estimated: interval.estimated ? 1 : 0,
          flexDirection: claim?.direction ?? null,
          flexRequestStart: claim?.requestStartS ?? null,
          flexBaselineWh: claim?.baselineWh ?? null,
          flexDeliveredWh: claim?.deliveredWh ?? null,
        });
        if (result.changes === 0) {
          const row = existing.get(interval.nodeId, interval.intervalStartS);
          if (!row || !sameContent(toRecord(row), interval))
            throw new OutboxConflictError(interval.nodeId, interval.intervalStartS);
        }
        boundary.run(
          interval.deviceId,
          interval.intervalStartS + interval.intervalS,
          interval.counterInWh,
          interval.counterOutWh,
        );
      }
    })();
  }

  /** Where each device's meter resumes after a restart. */
  boundaries(): Map<string, Boundary> {
    const rows = this.db.prepare('SELECT device_id, at_s, counter_in_wh, counter_out_wh FROM boundaries').all() as {
      device_id: string;
      at_s: number;
      counter_in_wh: number;
      counter_out_wh: number;
    }[];
    return new Map(
      rows.map((r) => [r.device_id, { atS: r.at_s, counterInWh: r.counter_in_wh, counterOutWh: r.counter_out_wh }]),
    );
  }

  /**
   * The oldest pending records, in interval order: a batch the submitter sends next. `nowMs` leaves out records held
   * for a retry until later; `endedByS` leaves out intervals that end after that time (the chain's latest block time).
   */
  nextBatch(limit: number, only: { nowMs?: number; endedByS?: number } = {}): OutboxRecord[] {
    const rows = this.db
      .prepare<[number, number, number], Row>(
        `SELECT * FROM intervals WHERE status = 'pending' AND retry_at_ms <= ? AND interval_start + interval_s <= ?
         ORDER BY interval_start, node_id LIMIT ?`,
      )
      .all(only.nowMs ?? Number.MAX_SAFE_INTEGER, only.endedByS ?? Number.MAX_SAFE_INTEGER, limit);
    return rows.map(toRecord);
  }

  /**
   * `txHash` is null only for a record found already stored on chain with the same content (its recording
   * transaction's acknowledgement was lost); `height` is then the height the chain says it was recorded at.
   */
  markDone(
    records: readonly Pick<ClosedInterval, 'nodeId' | 'intervalStartS'>[],
    txHash: string | null,
    height: number,
  ): void {
    const update = this.db.prepare(
      "UPDATE intervals SET status = 'done', tx_hash = ?, height = ?, last_error = NULL, retry_at_ms = 0 WHERE node_id = ? AND interval_start = ?",
    );
    this.db.transaction(() => {
      for (const r of records) update.run(txHash, height, r.nodeId, r.intervalStartS);
    })();
  }

  markAttempt(records: readonly Pick<ClosedInterval, 'nodeId' | 'intervalStartS'>[], error: string): void {
    const update = this.db.prepare(
      'UPDATE intervals SET attempts = attempts + 1, last_error = ? WHERE node_id = ? AND interval_start = ?',
    );
    this.db.transaction(() => {
      for (const r of records) update.run(error, r.nodeId, r.intervalStartS);
    })();
  }

  /** A refusal for now: the record stays pending, with the reason, and is not sent again before `retryAtMs`. */
  markRetry(record: Pick<ClosedInterval, 'nodeId' | 'intervalStartS'>, reason: string, retryAtMs: number): void {
    this.db
      .prepare(
        'UPDATE intervals SET attempts = attempts + 1, last_error = ?, retry_at_ms = ? WHERE node_id = ? AND interval_start = ?',
      )
      .run(reason, retryAtMs, record.nodeId, record.intervalStartS);
  }

  /**
   * The registry refused the flexibility claim a record carried (its baseline inputs are not on chain as the
   * controller held them, the node is not a flexible load there): the record is honest and goes again at once,
   * without the claim; the refusal stays with it.
   */
  dropFlexibility(record: Pick<ClosedInterval, 'nodeId' | 'intervalStartS'>, reason: string): void {
    this.db
      .prepare(
        `UPDATE intervals SET flex_direction = NULL, flex_request_start = NULL, flex_baseline_wh = NULL,
         flex_delivered_wh = NULL, flex_refused = ?, attempts = attempts + 1, last_error = ?, retry_at_ms = 0
         WHERE node_id = ? AND interval_start = ?`,
      )
      .run(reason, reason, record.nodeId, record.intervalStartS);
  }

  /** A node's stored intervals with start in [fromS, toS), in order: the baseline inputs of a flexibility claim. */
  intervals(
    nodeId: number,
    fromS: number,
    toS: number,
  ): { intervalStartS: number; intervalS: number; energyInWh: number; rejected: boolean; pending: boolean }[] {
    const rows = this.db
      .prepare<[number, number, number], Pick<Row, 'interval_start' | 'interval_s' | 'energy_in_wh' | 'status'>>(
        `SELECT interval_start, interval_s, energy_in_wh, status FROM intervals
         WHERE node_id = ? AND interval_start >= ? AND interval_start < ? ORDER BY interval_start`,
      )
      .all(nodeId, fromS, toS);
    return rows.map((r) => ({
      intervalStartS: r.interval_start,
      intervalS: r.interval_s,
      energyInWh: r.energy_in_wh,
      rejected: r.status === 'rejected',
      pending: r.status === 'pending',
    }));
  }

  /** The claim stored with a node's interval, if any. */
  claimAt(nodeId: number, intervalStartS: number): FlexibilityClaim | null {
    const row = this.db
      .prepare<[number, number], Row>('SELECT * FROM intervals WHERE node_id = ? AND interval_start = ?')
      .get(nodeId, intervalStartS);
    return row ? claimOf(row) : null;
  }

  markRejected(record: Pick<ClosedInterval, 'nodeId' | 'intervalStartS'>, reason: string): void {
    this.db
      .prepare(
        "UPDATE intervals SET status = 'rejected', attempts = attempts + 1, last_error = ? WHERE node_id = ? AND interval_start = ?",
      )
      .run(reason, record.nodeId, record.intervalStartS);
  }

  /**
   * The operator's answer to a rejection (after fixing its cause, e.g. re-approving a node or correcting the
   * registry): rejected records of one node, or of all, become pending again and are sent at the next submit.
   * They keep their attempts and last error, so the history stays visible. Returns how many were requeued.
   */
  requeueRejected(filter: { nodeId?: number } = {}): number {
    const result =
      filter.nodeId === undefined
        ? this.db.prepare("UPDATE intervals SET status = 'pending', retry_at_ms = 0 WHERE status = 'rejected'").run()
        : this.db
            .prepare(
              "UPDATE intervals SET status = 'pending', retry_at_ms = 0 WHERE status = 'rejected' AND node_id = ?",
            )
            .run(filter.nodeId);
    return result.changes;
  }

  counts(): OutboxCounts {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM intervals GROUP BY status').all() as {
      status: OutboxStatus;
      n: number;
    }[];
    const count = (s: OutboxStatus) => rows.find((r) => r.status === s)?.n ?? 0;
    const oldest = this.db
      .prepare(
        "SELECT MIN(interval_start) AS s, COALESCE(SUM(retry_at_ms > 0), 0) AS retrying FROM intervals WHERE status = 'pending'",
      )
      .get() as { s: number | null; retrying: number };
    return {
      pending: count('pending'),
      done: count('done'),
      rejected: count('rejected'),
      retrying: oldest.retrying,
      oldestPendingStartS: oldest.s,
    };
  }

  /** Records of a node (or all), in interval order: for the API and for checking the chain against the meters. */
  records(filter: { nodeId?: number; status?: OutboxStatus; txHash?: string; limit?: number } = {}): OutboxRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.nodeId !== undefined) {
      where.push('node_id = ?');
      args.push(filter.nodeId);
    }
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.txHash) {
      where.push('tx_hash = ?');
      args.push(filter.txHash);
    }
    const sql = `SELECT * FROM intervals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY interval_start, node_id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit ?? 1000) as Row[]).map(toRecord);
  }

  close(): void {
    this.db.close();
  }
}

function claimOf(row: Row): FlexibilityClaim | null {
  if (
    row.flex_direction === null ||
    row.flex_request_start === null ||
    row.flex_baseline_wh === null ||
    row.flex_delivered_wh === null
  )
    return null;
  return {
    direction: row.flex_direction,
    requestStartS: row.flex_request_start,
    baselineWh: row.flex_baseline_wh,
    deliveredWh: row.flex_delivered_wh,
  };
}

function toRecord(row: Row): OutboxRecord {
  return {
    deviceId: row.device_id,
    nodeId: row.node_id,
    intervalStartS: row.interval_start,
    intervalS: row.interval_s,
    energyInWh: row.energy_in_wh,
    energyOutWh: row.energy_out_wh,
    counterInWh: row.counter_in_wh,
    counterOutWh: row.counter_out_wh,
    samplesHash: row.samples_hash,
    sampleCount: row.sample_count,
    estimated: row.estimated === 1,
    status: row.status,
    attempts: row.attempts,
    txHash: row.tx_hash,
    height: row.height,
    lastError: row.last_error,
    retryAtMs: row.retry_at_ms,
    flexibility: claimOf(row),
    flexibilityRefused: row.flex_refused,
  };
}

function sameContent(a: ClosedInterval, b: ClosedInterval): boolean {
  return (
    a.deviceId === b.deviceId &&
    a.intervalS === b.intervalS &&
    a.energyInWh === b.energyInWh &&
    a.energyOutWh === b.energyOutWh &&
    a.counterInWh === b.counterInWh &&
    a.counterOutWh === b.counterOutWh &&
    a.samplesHash === b.samplesHash
  );
}
