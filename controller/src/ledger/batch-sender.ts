import type { IntervalRecord } from '@gridcoop/contracts';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import type { FlexibilityClaim } from './flexibility-claim.ts';
import { classifyRefusal, type ChainRefusal } from './chain-refusal.ts';

export interface SentBatch {
  txHash: string;
  height: number;
  /** Gas the transaction used, where the chain reports it: the submitter sizes later batches from it. */
  gasUsed?: number;
}

/** Sends one batch of closed intervals to a chain and resolves only once its transaction is found in a block. */
export interface BatchSender {
  readonly mode: 'cosmwasm' | 'kava';
  /** Records as the outbox holds them; a flexibility claim goes with its record where the chain keeps records. */
  send(records: readonly (ClosedInterval & { flexibility?: FlexibilityClaim | null })[]): Promise<SentBatch>;
  /**
   * The time of the chain's latest committed block, Unix seconds. A chain checks a transaction against its last
   * committed block, seconds behind the wall clock; an interval is sent only once this time has passed its end.
   */
  latestBlockTimeS(): Promise<number>;
  /**
   * What the chain holds for a (node, interval), with the height it was recorded at; null when it holds nothing.
   * Absent where the chain keeps no records (Kava anchors). Throws ChainUnavailableError when it cannot tell.
   */
  storedRecord?(nodeId: number, intervalStartS: number): Promise<{ record: IntervalRecord; height: number } | null>;
}

/** The chain could not be reached or did not confirm in time: the same batch is sent again later. */
export class ChainUnavailableError extends Error {
  override readonly name: string = 'ChainUnavailableError';
}

/**
 * The batch needs more gas than a transaction may have (the simulation ran out of gas, or the gas wanted exceeds the
 * block's max gas). Nothing was recorded and nothing is wrong with the records: the submitter sends them in smaller
 * transactions. A ChainUnavailableError, so any code that does not know it still only retries.
 */
export class BatchTooLargeError extends ChainUnavailableError {
  override readonly name = 'BatchTooLargeError';
}

/** The chain (the registry contract) refused the batch; `refusal` says whether and how it can be tried again. */
export class BatchRefusedError extends Error {
  override readonly name = 'BatchRefusedError';
  readonly refusal: ChainRefusal;
  constructor(readonly reason: string) {
    super(`batch refused: ${reason}`);
    this.refusal = classifyRefusal(reason);
  }
}

/**
 * Sorts a CosmJS failure into "try again" or "refused by the contract". Fee, sequence, gas and network trouble are
 * the node's or the moment's, and are retried (a batch over the gas a tx may have is sent in smaller parts); a contract's refusal is classified further (chain-refusal.ts).
 */
export function classifyChainFailure(error: unknown): BatchTooLargeError | ChainUnavailableError | BatchRefusedError {
  const message = error instanceof Error ? error.message : String(error);
  if (/out of gas|exceeds block max gas|invalid gas limit/i.test(message))
    return new BatchTooLargeError(message, { cause: error });
  if (/execute wasm contract failed|codespace: wasm|wasm code 5|Code: 5;/i.test(message))
    return new BatchRefusedError(message);
  return new ChainUnavailableError(message, { cause: error });
}

/** The chain's latest block time from a CosmJS client's getBlock(): the header time is RFC 3339 with nanoseconds. */
export async function latestBlockTimeS(client: { getBlock(): Promise<{ header: { time: string } }> }): Promise<number> {
  try {
    const block = await client.getBlock();
    const ms = Date.parse(block.header.time);
    if (!Number.isFinite(ms)) throw new Error(`the latest block has no readable time: ${block.header.time}`);
    return Math.floor(ms / 1000);
  } catch (error) {
    throw new ChainUnavailableError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
