import type { SigningStargateClient } from '@cosmjs/stargate';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import { anchorMemo } from './batch-digest.ts';
import { classifyChainFailure, latestBlockTimeS, type BatchSender, type SentBatch } from './batch-sender.ts';

type Sender = Pick<SigningStargateClient, 'sendTokens' | 'getBlock'>;

/**
 * Kava has no CosmWasm: each batch is anchored by a bank send of the smallest amount to the operator's own address,
 * whose memo carries the batch digest and interval range. The batch itself stays in the outbox and is served by the
 * controller's API, so anyone can check it against the chain.
 */
export class KavaAnchorSender implements BatchSender {
  readonly mode = 'kava' as const;

  constructor(
    private readonly client: Sender,
    private readonly operatorAddress: string,
    private readonly denom: string,
  ) {}

  async send(records: readonly ClosedInterval[]): Promise<SentBatch> {
    try {
      const result = await this.client.sendTokens(
        this.operatorAddress,
        this.operatorAddress,
        [{ denom: this.denom, amount: '1' }],
        'auto',
        anchorMemo(records),
      );
      if (result.code !== 0)
        throw new Error(`anchor tx ${result.transactionHash} failed with code ${result.code}: ${result.rawLog ?? ''}`);
      return { txHash: result.transactionHash, height: result.height };
    } catch (error) {
      throw classifyChainFailure(error);
    }
  }

  latestBlockTimeS(): Promise<number> {
    return latestBlockTimeS(this.client);
  }
}
