import { createHash } from 'node:crypto';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import type { FlexibilityClaim } from './flexibility-claim.ts';
import { toIntervalRecord } from './registry-sender.ts';

/**
 * The hash that anchors a batch on a chain without CosmWasm (Kava): sha256 over the batch's records as the registry
 * would receive them, one canonical JSON object per line (keys in a fixed order), sorted by interval then node.
 * Anyone holding the batch (the controller serves it) can recompute it and compare with the memo on chain.
 */
export function batchDigest(records: readonly (ClosedInterval & { flexibility?: FlexibilityClaim | null })[]): string {
  const hash = createHash('sha256');
  const sorted = [...records].sort((a, b) => a.intervalStartS - b.intervalStartS || a.nodeId - b.nodeId);
  for (const record of sorted) hash.update(`${JSON.stringify(toIntervalRecord(record))}\n`);
  return hash.digest('hex');
}

/** The memo of an anchoring transaction: `gridcoop:v1:<digest>:<firstStartS>-<lastEndS>:<count>`. */
export function anchorMemo(records: readonly ClosedInterval[]): string {
  const starts = records.map((r) => r.intervalStartS);
  const ends = records.map((r) => r.intervalStartS + r.intervalS);
  return `gridcoop:v1:${batchDigest(records)}:${Math.min(...starts)}-${Math.max(...ends)}:${records.length}`;
}

export interface AnchorMemo {
  digest: string;
  fromS: number;
  toS: number;
  count: number;
}

export function parseAnchorMemo(memo: string): AnchorMemo | null {
  const m = /^gridcoop:v1:([0-9a-f]{64}):(\d+)-(\d+):(\d+)$/.exec(memo);
  if (!m) return null;
  return { digest: m[1]!, fromS: Number(m[2]), toS: Number(m[3]), count: Number(m[4]) };
}
