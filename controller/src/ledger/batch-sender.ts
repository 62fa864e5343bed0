import type { ClosedInterval } from '../metering/closed-interval.ts';

export interface SentBatch {
  txHash: string;
  height: number;
}

/** Sends one batch of closed intervals to a chain and resolves only once its transaction is found in a block. */
export interface BatchSender {
  readonly mode: 'cosmwasm' | 'kava';
  send(records: readonly ClosedInterval[]): Promise<SentBatch>;
}

/** The chain could not be reached or did not confirm in time: the same batch is sent again later. */
export class ChainUnavailableError extends Error {
  override readonly name = 'ChainUnavailableError';
}

/** The chain (the registry contract) refused the batch for good: resending the same records cannot succeed. */
export class BatchRefusedError extends Error {
  override readonly name = 'BatchRefusedError';
  constructor(readonly reason: string) {
    super(`batch refused: ${reason}`);
  }
}

/**
 * Sorts a CosmJS failure into "try again" or "refused for good". Only a contract's own refusal is final; fee,
 * sequence, gas and network trouble are the node's or the moment's, and are retried.
 */
export function classifyChainFailure(error: unknown): ChainUnavailableError | BatchRefusedError {
  const message = error instanceof Error ? error.message : String(error);
  if (/execute wasm contract failed|codespace: wasm|wasm code 5|Code: 5;/i.test(message))
    return new BatchRefusedError(message);
  return new ChainUnavailableError(message, { cause: error });
}
