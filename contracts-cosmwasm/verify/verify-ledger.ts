// Recomputes a node's ledger from the evidence alone and says whether the registry's answers are consistent with it:
// every energy from the counters (the registry's rules), every record against the transaction that carried it,
// every reward weight from the policy version it names, every epoch and lifetime total, every claimable reward,
// and each batch's digest (the controller's batchDigest, recomputed from the signed transaction).
import { createHash } from 'node:crypto';
import type { IntervalRecord, RewardPolicy } from '../client/registry-types.ts';
import {
  BASELINE_INTERVALS,
  MAX_REQUEST_SPAN_S,
  type LedgerEvidence,
  type RecordingMessage,
} from './ledger-evidence.ts';

export interface Inconsistency {
  nodeId: number;
  /** The record concerned (null when the problem is an epoch or a total). */
  intervalStart: number | null;
  epoch: number | null;
  reason: string;
}

export interface EpochFigures {
  epoch: number;
  records: number;
  energyOutWh: number;
  energyInWh: number;
  /** Flexibility delivered on request, recomputed from the claims' baselines (flexible loads). */
  flexibilityWh: number;
  rewardWeight: bigint;
  pool: bigint;
  totalWeight: bigint;
  /** floor(pool x weight / total weight) once the epoch is settled, else null. */
  entitled: bigint | null;
  claimed: bigint;
}

export interface BatchFigures {
  txHash: string;
  height: number;
  records: number;
  /** sha256 over the batch's records as the controller computes it (controller/src/ledger/batch-digest.ts). */
  digest: string;
}

export interface VerificationReport {
  inconsistency: Inconsistency | null;
  records: number;
  energyInWh: number;
  energyOutWh: number;
  /** Flexibility delivered on request, recomputed from each claim's baseline window. */
  flexibilityWh: number;
  rewardWeight: bigint;
  epochs: EpochFigures[];
  batches: BatchFigures[];
  /** Whether the range covered the node's whole history, so its lifetime totals were compared too. */
  lifetimeTotalsCompared: boolean;
}

const FIELDS = [
  'node_id',
  'interval_start',
  'interval_s',
  'energy_in_wh',
  'energy_out_wh',
  'counter_in_wh',
  'counter_out_wh',
  'samples_hash',
] as const satisfies readonly (keyof IntervalRecord)[];

/** The record's fields in the registry's order: the canonical JSON line of the batch digest. */
function canonical(record: IntervalRecord): string {
  const fields: [string, unknown][] = FIELDS.map((field) => [field, record[field]]);
  if (record.flexibility) fields.push(['flexibility', record.flexibility]);
  return JSON.stringify(Object.fromEntries(fields));
}

/** The controller's batch digest (sorted by interval then node, one canonical JSON line each). */
export function recordsDigest(records: readonly IntervalRecord[]): string {
  const hash = createHash('sha256');
  const sorted = [...records].sort((a, b) => a.interval_start - b.interval_start || a.node_id - b.node_id);
  for (const record of sorted) hash.update(`${canonical(record)}\n`);
  return hash.digest('hex');
}

/** Rated power x duration in whole Wh, rounded up (the counters' resolution), as the registry computes it. */
export function maxEnergyWh(ratedPowerW: number, durationS: number): bigint {
  return (BigInt(ratedPowerW) * BigInt(durationS) + 3599n) / 3600n;
}

class Refusal extends Error {}

function weightOf(
  policy: RewardPolicy,
  kind: string,
  zone: string,
  energyOutWh: number,
  flexibilityWh: number,
): bigint {
  const kindBps = policy.kind_bps[kind as keyof RewardPolicy['kind_bps']];
  const zoneBps = policy.zone_bps.find(([z]) => z === zone)?.[1] ?? 10_000;
  const flexibilityBps = policy.flexibility_bps ?? 10_000;
  return (BigInt(energyOutWh) * BigInt(kindBps) + BigInt(flexibilityWh) * BigInt(flexibilityBps)) * BigInt(zoneBps);
}

/** The flexibility a record's claim may be rewarded for, recomputed from its baseline window (the registry's rule). */
function deliveredFlexibility(evidence: LedgerEvidence, record: IntervalRecord, kind: string): number {
  const claim = record.flexibility;
  if (!claim) return 0;
  if (kind !== 'flexible_load') throw new Refusal('carries a flexibility claim but the node is not a flexible load');
  const intervalS = evidence.config.interval_s;
  if (
    claim.request_start % intervalS !== 0 ||
    claim.request_start > record.interval_start ||
    record.interval_start - claim.request_start >= MAX_REQUEST_SPAN_S
  )
    throw new Refusal(
      `its request_start ${claim.request_start} is not aligned, at or before it and less than ${MAX_REQUEST_SPAN_S} s before it`,
    );
  const window = evidence.baselineWindows[claim.request_start];
  if (!window || window.length !== BASELINE_INTERVALS)
    throw new Refusal(`the ${BASELINE_INTERVALS} baseline intervals before ${claim.request_start} are not on chain`);
  const sorted = window.map((r) => r.energy_in_wh).sort((a, b) => a - b);
  const baseline = sorted[claim.direction === 'down' ? (sorted.length - 1) >> 1 : sorted.length >> 1]!;
  if (claim.baseline_wh !== baseline)
    throw new Refusal(`baseline_wh ${claim.baseline_wh} differs from the median ${baseline} of its baseline intervals`);
  const delivered =
    claim.direction === 'down'
      ? Math.max(0, baseline - record.energy_in_wh)
      : Math.max(0, record.energy_in_wh - baseline);
  if (claim.delivered_wh !== delivered)
    throw new Refusal(`delivered_wh ${claim.delivered_wh} differs from the recomputed ${delivered}`);
  if (BigInt(delivered) > maxEnergyWh(evidence.node.rated_power_w, record.interval_s))
    throw new Refusal(`delivered_wh ${delivered} exceeds rated power x interval`);
  return delivered;
}

/** The counters of `before` continue into `after` (the registry's link rule). */
function checkLink(
  ratedPowerW: number,
  before: { interval_start: number; counter_in_wh: number; counter_out_wh: number },
  after: IntervalRecord,
  intervalS: number,
): void {
  const gapS = after.interval_start - before.interval_start;
  for (const side of ['in', 'out'] as const) {
    const counterBefore = before[`counter_${side}_wh`];
    const counterAfter = after[`counter_${side}_wh`];
    const energy = after[`energy_${side}_wh`];
    if (counterAfter < counterBefore)
      throw new Refusal(
        `counter_${side}_wh ${counterAfter} is below ${counterBefore} of interval ${before.interval_start}`,
      );
    const moved = counterAfter - counterBefore;
    if (gapS === intervalS && energy !== moved)
      throw new Refusal(
        `energy_${side}_wh ${energy} differs from its counter difference ${moved} (${counterAfter} - ${counterBefore})`,
      );
    if (gapS !== intervalS) {
      const most = maxEnergyWh(ratedPowerW, gapS);
      if (BigInt(moved) > most)
        throw new Refusal(
          `counter_${side}_wh moves ${moved} Wh since interval ${before.interval_start}, more than ${ratedPowerW} W x ${gapS} s (${most} Wh)`,
        );
      if (energy > moved)
        throw new Refusal(
          `energy_${side}_wh ${energy} is more than its counter moved since interval ${before.interval_start}`,
        );
    }
  }
}

function signedRecord(
  messages: readonly RecordingMessage[],
  height: number,
  oracle: string,
  record: IntervalRecord,
): { message: RecordingMessage; signed: IntervalRecord } | null {
  for (const message of messages) {
    if (message.height !== height || message.sender !== oracle) continue;
    const signed = message.records.find(
      (r) => r.node_id === record.node_id && r.interval_start === record.interval_start,
    );
    if (signed) return { message, signed };
  }
  return null;
}

export function verifyLedger(evidence: LedgerEvidence): VerificationReport {
  const { config, node, links, policies } = evidence;
  const epochLength = config.epoch_length_s;
  const report: VerificationReport = {
    inconsistency: null,
    records: links.length,
    energyInWh: 0,
    energyOutWh: 0,
    flexibilityWh: 0,
    rewardWeight: 0n,
    epochs: [],
    batches: [],
    lifetimeTotalsCompared: false,
  };
  const fail = (intervalStart: number | null, epoch: number | null, reason: string): VerificationReport => {
    report.inconsistency = { nodeId: evidence.nodeId, intervalStart, epoch, reason };
    return report;
  };
  const byEpoch = new Map<number, { records: number; in: number; out: number; flex: number; weight: bigint }>();

  for (const [index, link] of links.entries()) {
    const { record } = link.stored;
    try {
      if (record.node_id !== evidence.nodeId) throw new Refusal(`belongs to node ${record.node_id}`);
      if (record.interval_s !== config.interval_s || record.interval_start % config.interval_s !== 0)
        throw new Refusal(
          `interval of ${record.interval_s} s at ${record.interval_start} is not a configured interval`,
        );
      if (!/^[0-9a-f]{64}$/.test(record.samples_hash)) throw new Refusal('samples_hash is not a sha256 hex digest');
      const most = maxEnergyWh(node.rated_power_w, record.interval_s);
      for (const side of ['in', 'out'] as const)
        if (BigInt(record[`energy_${side}_wh`]) > most)
          throw new Refusal(
            `energy_${side}_wh ${record[`energy_${side}_wh`]} exceeds rated power x interval (${most} Wh)`,
          );
      const before = index > 0 ? links[index - 1]!.stored.record : null;
      if (before) {
        const expected = {
          interval_start: before.interval_start,
          counter_in_wh: before.counter_in_wh,
          counter_out_wh: before.counter_out_wh,
        };
        if (JSON.stringify(link.previous) !== JSON.stringify(expected))
          throw new Refusal(`its predecessor's counters ${JSON.stringify(link.previous)} are not the record before it`);
      }
      if (link.previous) {
        if (link.previous.interval_start >= record.interval_start)
          throw new Refusal(`its predecessor ${link.previous.interval_start} does not come before it`);
        checkLink(node.rated_power_w, link.previous, record, config.interval_s);
      }
      const carried = signedRecord(evidence.messages, link.stored.recorded_at_height, link.stored.oracle, record);
      if (!carried)
        throw new Refusal(
          `no record_intervals transaction by ${link.stored.oracle} at height ${link.stored.recorded_at_height} carries it`,
        );
      const differing = FIELDS.find((field) => carried.signed[field] !== record[field]);
      if (
        !differing &&
        JSON.stringify(carried.signed.flexibility ?? null) !== JSON.stringify(record.flexibility ?? null)
      )
        throw new Refusal(`its flexibility claim differs from the one in transaction ${carried.message.txHash}`);
      if (differing)
        throw new Refusal(
          `${differing} is ${String(record[differing])} in the registry but ${String(carried.signed[differing])} in transaction ${carried.message.txHash}`,
        );
      const timeMs = evidence.blockTimesMs[link.stored.recorded_at_height];
      if (timeMs === undefined) throw new Refusal(`the time of block ${link.stored.recorded_at_height} is unknown`);
      const epoch = Math.floor(record.interval_start / epochLength);
      const settlesAtS = (epoch + 1) * epochLength + config.settlement_delay_s;
      const counts = Math.floor(timeMs / 1000) < settlesAtS;
      if (counts !== link.stored.counts_for_rewards)
        throw new Refusal(
          `counts_for_rewards is ${link.stored.counts_for_rewards}, but it was stored ${counts ? 'before' : 'after'} epoch ${epoch} settled`,
        );
      const policy = policies.find((p) => p.version === link.stored.policy_version);
      if (!policy) throw new Refusal(`reward policy version ${link.stored.policy_version} is not on chain`);
      const next = policies.find((p) => p.version === policy.version + 1);
      if (
        policy.since_height > link.stored.recorded_at_height ||
        (next && next.since_height < link.stored.recorded_at_height)
      )
        throw new Refusal(
          `reward policy version ${policy.version} was not in force at height ${link.stored.recorded_at_height}`,
        );
      const flexibilityWh = deliveredFlexibility(evidence, record, node.kind);
      const weight = counts ? weightOf(policy.policy, node.kind, node.zone, record.energy_out_wh, flexibilityWh) : 0n;
      if (weight !== BigInt(link.stored.reward_weight))
        throw new Refusal(`reward_weight is ${link.stored.reward_weight}, recomputed ${weight}`);
      report.energyInWh += record.energy_in_wh;
      report.energyOutWh += record.energy_out_wh;
      report.flexibilityWh += flexibilityWh;
      report.rewardWeight += weight;
      const sums = byEpoch.get(epoch) ?? { records: 0, in: 0, out: 0, flex: 0, weight: 0n };
      byEpoch.set(epoch, {
        records: sums.records + 1,
        in: sums.in + record.energy_in_wh,
        out: sums.out + record.energy_out_wh,
        flex: sums.flex + flexibilityWh,
        weight: sums.weight + weight,
      });
    } catch (error) {
      if (error instanceof Refusal) return fail(record.interval_start, null, error.message);
      throw error;
    }
  }

  for (const { epoch: state, node: nodeEpoch } of evidence.epochs) {
    const sums = byEpoch.get(state.epoch) ?? { records: 0, in: 0, out: 0, flex: 0, weight: 0n };
    const stored = nodeEpoch.totals;
    if (
      stored.records !== sums.records ||
      stored.energy_in_wh !== sums.in ||
      stored.energy_out_wh !== sums.out ||
      (stored.flexibility_wh ?? 0) !== sums.flex
    )
      return fail(
        null,
        state.epoch,
        `the registry's epoch totals ${JSON.stringify(stored)} differ from the records' (${sums.records} records, in ${sums.in} Wh, out ${sums.out} Wh, flexibility ${sums.flex} Wh)`,
      );
    if (BigInt(nodeEpoch.reward_weight) !== sums.weight)
      return fail(
        null,
        state.epoch,
        `the registry's reward weight ${nodeEpoch.reward_weight} differs from the records' ${sums.weight}`,
      );
    const pool = BigInt(state.pool);
    const totalWeight = BigInt(state.total_weight);
    const claimed = BigInt(nodeEpoch.claimed);
    let entitled: bigint | null = null;
    if (state.settled) {
      entitled = totalWeight === 0n ? 0n : (pool * sums.weight) / totalWeight;
      const claimable = entitled > claimed ? entitled - claimed : 0n;
      if (claimed > entitled)
        return fail(
          null,
          state.epoch,
          `the node was paid ${claimed}, more than its share ${entitled} of the pool ${pool}`,
        );
      if (BigInt(nodeEpoch.claimable) !== claimable)
        return fail(null, state.epoch, `claimable is ${nodeEpoch.claimable}, recomputed ${claimable}`);
    } else if (BigInt(nodeEpoch.claimable) !== 0n) {
      return fail(null, state.epoch, `claimable is ${nodeEpoch.claimable} before the epoch settled`);
    }
    report.epochs.push({
      epoch: state.epoch,
      records: sums.records,
      energyOutWh: sums.out,
      energyInWh: sums.in,
      flexibilityWh: sums.flex,
      rewardWeight: sums.weight,
      pool,
      totalWeight,
      entitled,
      claimed,
    });
  }

  if (links.length > 0 && links[0]!.previous === null && !evidence.recordsAfterRange) {
    report.lifetimeTotalsCompared = true;
    const totals = evidence.nodeTotals;
    if (
      totals.records !== links.length ||
      totals.energy_in_wh !== report.energyInWh ||
      totals.energy_out_wh !== report.energyOutWh ||
      (totals.flexibility_wh ?? 0) !== report.flexibilityWh
    )
      return fail(
        null,
        null,
        `the registry's lifetime totals ${JSON.stringify(totals)} differ from the records' (${links.length} records, in ${report.energyInWh} Wh, out ${report.energyOutWh} Wh, flexibility ${report.flexibilityWh} Wh)`,
      );
  }

  const byTx = new Map<string, { height: number; records: IntervalRecord[] }>();
  for (const message of evidence.messages) {
    const batch = byTx.get(message.txHash) ?? { height: message.height, records: [] };
    batch.records.push(...message.records);
    byTx.set(message.txHash, batch);
  }
  report.batches = [...byTx].map(([txHash, batch]) => ({
    txHash,
    height: batch.height,
    records: batch.records.length,
    digest: recordsDigest(batch.records),
  }));
  return report;
}
