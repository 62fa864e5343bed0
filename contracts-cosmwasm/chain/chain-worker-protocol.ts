import type { AbciQueryAnswer } from './abci-queries.ts';
import type { ChainGenesis, BroadcastOutcome, PendingTx } from './chain-node.ts';

// The messages between the RPC thread and the execution thread (chain-worker.ts). Every request carries the block
// clock read on the RPC thread (a test's movable clock is a function, which cannot cross threads); the worker answers
// each request once, and reports every committed block before the answer to the request that committed it.

interface RequestBase {
  readonly id: number;
  /** the block clock (epoch ms) on the RPC thread when the request was sent */
  readonly nowMs: number;
}

export type WorkerRequest = RequestBase &
  (
    | { readonly op: 'open'; readonly genesis: ChainGenesis; readonly dataDir: string | null }
    | { readonly op: 'broadcast'; readonly txBytes: Uint8Array }
    | { readonly op: 'query'; readonly path: string; readonly data: Uint8Array }
    | { readonly op: 'seal' }
    | { readonly op: 'close' }
    | { readonly op: 'vmGasCounters' }
  );

export interface WorkerResults {
  readonly open: { readonly height: number };
  readonly broadcast: BroadcastOutcome;
  readonly query: AbciQueryAnswer;
  readonly seal: { readonly height: number };
  readonly close: null;
  readonly vmGasCounters: VmGasCounters;
}

/** What the VM charged since the last reading (bench breakdown): metered blocks entered, instruction gas (SDK units). */
export interface VmGasCounters {
  readonly blocksEntered: number;
  readonly instructionGas: number;
}

/** An error as it crosses threads: its class name, message and, for a replay failure, where it happened. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  readonly replay?: { readonly height: number; readonly txHashHex: string; readonly reason: string };
}

export type WorkerMessage =
  | { readonly kind: 'answer'; readonly id: number; readonly value: WorkerResults[keyof WorkerResults] }
  | { readonly kind: 'failure'; readonly id: number; readonly error: WorkerError }
  | {
      readonly kind: 'committed';
      readonly timeMs: number;
      readonly txs: readonly PendingTx[];
      /** the worker's block hash, which the RPC thread's copy of the block must reproduce */
      readonly hashHex: string;
    };
