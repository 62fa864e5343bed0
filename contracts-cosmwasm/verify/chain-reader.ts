// Reads the ledger evidence for one node and range from a chain, with CosmJS only (queries, tx_search, blocks).
import { CosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { fromUtf8 } from '@cosmjs/encoding';
import { decodeTxRaw } from '@cosmjs/proto-signing';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { RegistryQueryClient } from '../client/registry-client.ts';
import type { IntervalRecord, RecordLink, RewardPolicyEntry } from '../client/registry-types.ts';
import { BASELINE_INTERVALS, EVIDENCE_FORMAT, type LedgerEvidence, type RecordingMessage } from './ledger-evidence.ts';

const PAGE = 30;
const EXECUTE_TYPE_URL = '/cosmwasm.wasm.v1.MsgExecuteContract';

export interface ReadOptions {
  rpcUrl: string;
  registry: string;
  nodeId: number;
  fromS: number;
  toS: number;
}

/** The record_intervals messages to `registry` in the successful transactions of one block. */
async function recordingMessagesAt(
  client: CosmWasmClient,
  registry: string,
  height: number,
): Promise<RecordingMessage[]> {
  const found: RecordingMessage[] = [];
  for (const tx of await client.searchTx(`tx.height=${height}`)) {
    if (tx.code !== 0) continue; // a failed transaction stored nothing
    for (const any of decodeTxRaw(tx.tx).body.messages) {
      if (any.typeUrl !== EXECUTE_TYPE_URL) continue;
      const msg = MsgExecuteContract.decode(any.value);
      if (msg.contract !== registry) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromUtf8(msg.msg));
      } catch {
        continue; // the contract refused what it could not parse, so it stored nothing from it
      }
      const records = (parsed as { record_intervals?: { records?: IntervalRecord[] } }).record_intervals?.records;
      if (Array.isArray(records)) found.push({ txHash: tx.hash, height: tx.height, sender: msg.sender, records });
    }
  }
  return found;
}

export async function readLedgerEvidence(options: ReadOptions): Promise<LedgerEvidence> {
  const client = await CosmWasmClient.connect(options.rpcUrl);
  try {
    const registry = new RegistryQueryClient(client, options.registry);
    const { nodeId, fromS, toS } = options;
    const [config, node, nodeTotals] = await Promise.all([
      registry.config(),
      registry.node(nodeId),
      registry.nodeTotals(nodeId),
    ]);
    const links: RecordLink[] = [];
    // A page that runs past the node's query gas limit is asked again at half the size (a real chain's limit and
    // the size of the records decide how many fit).
    let limit = PAGE;
    for (let startAfter: number | undefined; ;) {
      let page;
      try {
        page = await registry.recordChain(nodeId, { fromS, toS, startAfter, limit });
      } catch (error) {
        if (limit > 1 && /out of gas/i.test((error as Error).message)) {
          limit = Math.ceil(limit / 2);
          continue;
        }
        throw error;
      }
      links.push(...page.links);
      if (page.links.length < limit) break;
      startAfter = page.links[page.links.length - 1]!.stored.record.interval_start;
    }
    const after = await registry.records(nodeId, { fromS: toS, limit: 1 });
    const baselineWindows: Record<string, IntervalRecord[]> = {};
    for (const { stored } of links) {
      const claim = stored.record.flexibility;
      if (!claim || baselineWindows[claim.request_start]) continue;
      const windowStart = claim.request_start - BASELINE_INTERVALS * config.interval_s;
      const window = await registry.records(nodeId, {
        fromS: windowStart,
        toS: claim.request_start,
        limit: BASELINE_INTERVALS,
      });
      baselineWindows[claim.request_start] = window.records.map((r) => r.record);
    }
    const policies: RewardPolicyEntry[] = [];
    for (let startAfter: number | undefined; ;) {
      const page = await registry.rewardPolicies({ startAfter, limit: PAGE });
      policies.push(...page.policies);
      if (page.policies.length < PAGE) break;
      startAfter = page.policies[page.policies.length - 1]!.version;
    }
    const heights = [...new Set(links.map((l) => l.stored.recorded_at_height))].sort((a, b) => a - b);
    const blockTimesMs: Record<string, number> = {};
    const messages: RecordingMessage[] = [];
    for (const height of heights) {
      blockTimesMs[height] = Date.parse((await client.getBlock(height)).header.time);
      messages.push(...(await recordingMessagesAt(client, options.registry, height)));
    }
    const epochs: LedgerEvidence['epochs'] = [];
    const firstEpoch = Math.ceil(fromS / config.epoch_length_s);
    const endEpoch = Math.floor(toS / config.epoch_length_s); // exclusive: epochs wholly inside the range
    const epochsWithRecords = new Set(
      links.map((l) => Math.floor(l.stored.record.interval_start / config.epoch_length_s)),
    );
    for (let epoch = firstEpoch; epoch < endEpoch; epoch++) {
      if (!epochsWithRecords.has(epoch)) continue;
      const [state, nodeEpoch] = await Promise.all([registry.epoch(epoch), registry.nodeEpoch(nodeId, epoch)]);
      epochs.push({ epoch: state, node: nodeEpoch });
    }
    return {
      format: EVIDENCE_FORMAT,
      chainId: await client.getChainId(),
      registry: options.registry,
      nodeId,
      fromS,
      toS,
      config,
      node,
      links,
      recordsAfterRange: after.records.length > 0,
      baselineWindows,
      nodeTotals,
      policies,
      blockTimesMs,
      messages,
      epochs,
    };
  } finally {
    client.disconnect();
  }
}
