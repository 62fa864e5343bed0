import type { StoredRecord } from '@gridcoop/contracts/client/registry-types';

export const RECORDS_CSV_COLUMNS = [
  'node_id',
  'interval_start_utc',
  'interval_start_s',
  'interval_s',
  'energy_out_wh',
  'energy_in_wh',
  'counter_out_wh',
  'counter_in_wh',
  'samples_hash',
  'oracle',
  'recorded_at_height',
  'policy_version',
  'reward_weight',
  'counts_for_rewards',
] as const;

function cell(value: string | number | boolean): string {
  const text = String(value);
  // RFC 4180: quote a field holding a separator, a quote or a line break
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The records as CSV with everything needed to check them against the chain: the counters (energy is their
 * difference), the samples hash, the oracle that signed and the block height that stored each one.
 */
export function recordsCsv(records: readonly StoredRecord[]): string {
  const lines = [RECORDS_CSV_COLUMNS.join(',')];
  for (const stored of records) {
    const r = stored.record;
    lines.push(
      [
        r.node_id,
        new Date(r.interval_start * 1000).toISOString(),
        r.interval_start,
        r.interval_s,
        r.energy_out_wh,
        r.energy_in_wh,
        r.counter_out_wh,
        r.counter_in_wh,
        r.samples_hash,
        stored.oracle,
        stored.recorded_at_height,
        stored.policy_version,
        stored.reward_weight,
        stored.counts_for_rewards,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
