import type { IntervalRecord } from '@gridcoop/contracts/client/registry-types';

export interface RecordFlexibility {
  direction: 'down' | 'up';
  deliveredWh: number;
  baselineWh: number;
  requestStartS: number;
  /** e.g. "↓ 300 Wh less than its 500 Wh baseline" */
  words: string;
}

/**
 * The flexibility a record carries, in words: how far the flexible load moved from its baseline on the controller's
 * request (the registry checked the baseline against the node's own earlier records). Null when it carries none.
 */
export function recordFlexibility(record: Pick<IntervalRecord, 'flexibility'>): RecordFlexibility | null {
  const claim = record.flexibility;
  if (!claim) return null;
  const arrow = claim.direction === 'down' ? '↓' : '↑';
  const way = claim.direction === 'down' ? 'less' : 'more';
  return {
    direction: claim.direction,
    deliveredWh: claim.delivered_wh,
    baselineWh: claim.baseline_wh,
    requestStartS: claim.request_start,
    words: `${arrow} ${claim.delivered_wh.toLocaleString('en-US')} Wh ${way} than its ${claim.baseline_wh.toLocaleString('en-US')} Wh baseline`,
  };
}

/** Flexibility delivered over these records, Wh. */
export function flexibilityTotal(records: readonly { record: Pick<IntervalRecord, 'flexibility'> }[]): number {
  return records.reduce((sum, r) => sum + (r.record.flexibility?.delivered_wh ?? 0), 0);
}
