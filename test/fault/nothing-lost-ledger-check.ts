import Database from 'better-sqlite3';
import type { EnergyTotals, IntervalRecord, RegistryQueryClient } from '@gridcoop/contracts';

/**
 * Every record the registry holds for a node, in interval order. Pages of 10: a page of 30 full records costs more
 * than a chain's smart-query gas limit (wasmd's default 3,000,000; the local chain meters it the same way).
 */
const PAGE = 10;
export async function chainRecordsOf(registry: RegistryQueryClient, nodeId: number): Promise<IntervalRecord[]> {
  const all: IntervalRecord[] = [];
  for (;;) {
    const last = all.at(-1);
    const { records } = await registry.records(nodeId, {
      limit: PAGE,
      ...(last ? { startAfter: last.interval_start } : {}),
    });
    all.push(...records.map((r) => r.record));
    if (records.length < PAGE) return all;
  }
}

/** What one node's on-chain records say, checked for the nothing-lost invariant. */
export interface NodeLedgerSummary {
  nodeId: number;
  records: number;
  firstStartS: number;
  lastEndS: number;
  /** Counters at the start of the first record and the end of the last. */
  startCounterInWh: number;
  startCounterOutWh: number;
  endCounterInWh: number;
  endCounterOutWh: number;
  /** Intervals whose start is not the previous end (a gap or a double), as "start@previousEnd". */
  breaks: string[];
  /** Records whose start counter (end counter minus energy) is not the previous record's end counter. */
  counterBreaks: string[];
}

export function summarise(nodeId: number, records: readonly IntervalRecord[]): NodeLedgerSummary {
  const first = records[0];
  const last = records.at(-1);
  if (!first || !last) throw new Error(`node ${nodeId}: the registry holds no record at all`);
  const breaks: string[] = [];
  const counterBreaks: string[] = [];
  for (let i = 1; i < records.length; i++) {
    const previous = records[i - 1]!;
    const record = records[i]!;
    if (record.interval_start !== previous.interval_start + previous.interval_s)
      breaks.push(`${record.interval_start}@${previous.interval_start + previous.interval_s}`);
    if (
      record.counter_in_wh - record.energy_in_wh !== previous.counter_in_wh ||
      record.counter_out_wh - record.energy_out_wh !== previous.counter_out_wh
    )
      counterBreaks.push(`${record.interval_start}`);
  }
  return {
    nodeId,
    records: records.length,
    firstStartS: first.interval_start,
    lastEndS: last.interval_start + last.interval_s,
    startCounterInWh: first.counter_in_wh - first.energy_in_wh,
    startCounterOutWh: first.counter_out_wh - first.energy_out_wh,
    endCounterInWh: last.counter_in_wh,
    endCounterOutWh: last.counter_out_wh,
    breaks,
    counterBreaks,
  };
}

/** The registry's totals for a node must be the counters' difference over the recorded span, and one per record. */
export function totalsMatchCounters(totals: EnergyTotals, summary: NodeLedgerSummary): boolean {
  return (
    totals.records === summary.records &&
    totals.energy_in_wh === summary.endCounterInWh - summary.startCounterInWh &&
    totals.energy_out_wh === summary.endCounterOutWh - summary.startCounterOutWh
  );
}

export interface OutboxTally {
  pending: number;
  done: number;
  rejected: number;
  /** Closed intervals stored so far (any status). */
  stored: number;
  /** Intervals the controller was down across (boundaries interpolated after a restart). */
  estimated: number;
  /** Records that needed more than one send (a chain outage or a crash in between). */
  retried: number;
  rejectedReasons: string[];
}

const EMPTY: OutboxTally = {
  pending: 0,
  done: 0,
  rejected: 0,
  stored: 0,
  estimated: 0,
  retried: 0,
  rejectedReasons: [],
};

/**
 * Reads the controller's outbox file without opening it for writing (the controller may be running and owns it).
 * A missing file (the controller has not stored anything yet) is an empty outbox.
 */
export function readOutbox(path: string): OutboxTally {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return EMPTY;
  }
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'intervals'").get();
    if (!hasTable) return EMPTY;
    const rows = db.prepare('SELECT status, COUNT(*) AS n FROM intervals GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    const reasons = db
      .prepare("SELECT node_id, interval_start, last_error FROM intervals WHERE status = 'rejected' LIMIT 5")
      .all() as { node_id: number; interval_start: number; last_error: string | null }[];
    const flags = db
      .prepare('SELECT SUM(estimated) AS estimated, SUM(attempts > 0) AS retried FROM intervals')
      .get() as { estimated: number | null; retried: number | null };
    return {
      estimated: flags.estimated ?? 0,
      retried: flags.retried ?? 0,
      pending: count('pending'),
      done: count('done'),
      rejected: count('rejected'),
      stored: rows.reduce((s, r) => s + r.n, 0),
      rejectedReasons: reasons.map((r) => `node ${r.node_id} interval ${r.interval_start}: ${r.last_error ?? ''}`),
    };
  } finally {
    db.close();
  }
}
