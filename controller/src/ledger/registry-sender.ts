import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import type { IntervalRecord } from '@gridcoop/contracts';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import { classifyChainFailure, type BatchSender, type SentBatch } from './batch-sender.ts';

type Executor = Pick<SigningCosmWasmClient, 'execute'>;

/** Records batches in the registry contract with the controller's oracle key (CosmWasm chains). */
export class RegistrySender implements BatchSender {
  readonly mode = 'cosmwasm' as const;

  constructor(
    private readonly client: Executor,
    private readonly oracleAddress: string,
    private readonly registryAddress: string,
  ) {}

  async send(records: readonly ClosedInterval[]): Promise<SentBatch> {
    const msg = { record_intervals: { records: records.map(toIntervalRecord) } };
    try {
      const result = await this.client.execute(
        this.oracleAddress,
        this.registryAddress,
        msg,
        'auto',
        'gridcoop metering',
      );
      return { txHash: result.transactionHash, height: result.height };
    } catch (error) {
      throw classifyChainFailure(error);
    }
  }
}

export function toIntervalRecord(interval: ClosedInterval): IntervalRecord {
  return {
    node_id: interval.nodeId,
    interval_start: interval.intervalStartS,
    interval_s: interval.intervalS,
    energy_in_wh: interval.energyInWh,
    energy_out_wh: interval.energyOutWh,
    counter_in_wh: interval.counterInWh,
    counter_out_wh: interval.counterOutWh,
    samples_hash: interval.samplesHash,
  };
}
