import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import type { IntervalRecord, RecordsResponse } from '@gridcoop/contracts';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import { toRegistryClaim, type FlexibilityClaim } from './flexibility-claim.ts';
import {
  ChainUnavailableError,
  classifyChainFailure,
  latestBlockTimeS,
  type BatchSender,
  type SentBatch,
} from './batch-sender.ts';

type Executor = Pick<SigningCosmWasmClient, 'executeMultiple' | 'getBlock' | 'queryContractSmart'>;

/** The most records the registry takes in one record_intervals message (contracts/registry/src/limits.rs). */
export const REGISTRY_MAX_BATCH_RECORDS = 100;

/** Records batches in the registry contract with the controller's oracle key (CosmWasm chains). */
export class RegistrySender implements BatchSender {
  readonly mode = 'cosmwasm' as const;

  constructor(
    private readonly client: Executor,
    private readonly oracleAddress: string,
    private readonly registryAddress: string,
  ) {}

  /**
   * One transaction: the records in record_intervals messages of at most REGISTRY_MAX_BATCH_RECORDS each, in order.
   * The transaction is all or nothing (a refusal of any message records none of them), so a batch larger than one
   * message keeps the guarantees of a one-message batch; it only needs more gas (the submitter sizes it to a budget).
   */
  async send(records: readonly (ClosedInterval & { flexibility?: FlexibilityClaim | null })[]): Promise<SentBatch> {
    const instructions = [];
    for (let i = 0; i < records.length; i += REGISTRY_MAX_BATCH_RECORDS)
      instructions.push({
        contractAddress: this.registryAddress,
        msg: { record_intervals: { records: records.slice(i, i + REGISTRY_MAX_BATCH_RECORDS).map(toIntervalRecord) } },
      });
    try {
      const result = await this.client.executeMultiple(this.oracleAddress, instructions, 'auto', 'gridcoop metering');
      return { txHash: result.transactionHash, height: result.height, gasUsed: Number(result.gasUsed) };
    } catch (error) {
      throw classifyChainFailure(error);
    }
  }

  latestBlockTimeS(): Promise<number> {
    return latestBlockTimeS(this.client);
  }

  async storedRecord(
    nodeId: number,
    intervalStartS: number,
  ): Promise<{ record: IntervalRecord; height: number } | null> {
    try {
      const { records } = (await this.client.queryContractSmart(this.registryAddress, {
        records: { node_id: nodeId, from_s: intervalStartS, to_s: intervalStartS + 1, limit: 1 },
      })) as RecordsResponse;
      const [stored] = records;
      return stored ? { record: stored.record, height: stored.recorded_at_height } : null;
    } catch (error) {
      throw new ChainUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}

/** The record as the registry takes it; a flexibility claim rides with it when the interval carries one. */
export function toIntervalRecord(interval: ClosedInterval & { flexibility?: FlexibilityClaim | null }): IntervalRecord {
  const record: IntervalRecord = {
    node_id: interval.nodeId,
    interval_start: interval.intervalStartS,
    interval_s: interval.intervalS,
    energy_in_wh: interval.energyInWh,
    energy_out_wh: interval.energyOutWh,
    counter_in_wh: interval.counterInWh,
    counter_out_wh: interval.counterOutWh,
    samples_hash: interval.samplesHash,
  };
  if (interval.flexibility) record.flexibility = toRegistryClaim(interval.flexibility);
  return record;
}
