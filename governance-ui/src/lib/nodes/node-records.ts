import { REGISTRY_LIMITS } from '@gridcoop/contracts/client/registry-types';
import type { RegistryQueryClient } from '@gridcoop/contracts/client/registry-client';
import type { StoredRecord } from '@gridcoop/contracts/client/registry-types';

/** Ranges the node page offers, in seconds back from the chain's time. */
export const RECORD_RANGES: readonly { id: string; label: string; seconds: number }[] = [
  { id: '1h', label: 'Last hour', seconds: 3_600 },
  { id: '6h', label: 'Last 6 hours', seconds: 6 * 3_600 },
  { id: '24h', label: 'Last 24 hours', seconds: 86_400 },
  { id: '7d', label: 'Last 7 days', seconds: 7 * 86_400 },
];

/** At most this many records are read for one view (~48 pages): a week of one-minute intervals is more. */
export const MAX_RECORDS_SHOWN = 1_440;

export interface RecordsInRange {
  records: StoredRecord[];
  /** true when the range holds more than MAX_RECORDS_SHOWN: the newest ones are missing */
  truncated: boolean;
}

/** Every record of a node whose interval starts in [fromS, toS), page by page (the contract gives at most 30). */
export async function recordsInRange(
  registry: RegistryQueryClient,
  nodeId: number,
  fromS: number,
  toS: number,
): Promise<RecordsInRange> {
  const records: StoredRecord[] = [];
  let startAfter: number | undefined;
  for (;;) {
    const page = await registry.records(nodeId, { fromS, toS, startAfter, limit: REGISTRY_LIMITS.maxPageLimit });
    records.push(...page.records);
    if (page.records.length < REGISTRY_LIMITS.maxPageLimit) return { records, truncated: false };
    if (records.length >= MAX_RECORDS_SHOWN) return { records: records.slice(0, MAX_RECORDS_SHOWN), truncated: true };
    startAfter = page.records.at(-1)!.record.interval_start;
  }
}

/** The newest `count` epochs that hold at least one of these records, newest first. */
export function epochsWithRecords(records: readonly StoredRecord[], epochLengthS: number, count: number): number[] {
  const epochs = new Set(records.map((r) => Math.floor(r.record.interval_start / epochLengthS)));
  return [...epochs].sort((a, b) => b - a).slice(0, count);
}
