import { Worker } from 'node:worker_threads';
import { sha256 } from '@cosmjs/crypto';
import { toHex, toUtf8 } from '@cosmjs/encoding';
import type { AbciQueryAnswer } from './abci-queries.ts';
import { BlockStore, type CommittedBlock, type IndexedTx } from './block-store.ts';
import { ChainReplayError, type BroadcastOutcome, type ChainGenesis } from './chain-node.ts';
import type {
  VmGasCounters,
  WorkerError,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
} from './chain-worker-protocol.ts';
import { SerialQueue } from './serial-queue.ts';

// The chain node as the RPC thread sees it: the state machine (contract execution included) runs in a worker thread
// (chain-worker.ts), and this thread keeps a copy of every committed block, rebuilt from the same txs and results, so
// /health, /status, block, block_results, tx and tx_search answer while a contract runs. What needs the state
// (broadcasts, abci queries, simulations, sealing) goes through one queue to the worker, one request at a time: the
// order is the node's (block sealing ahead of waiting queries), and the worker never sees two requests at once.

type Distributive<T> = T extends unknown ? Omit<T, 'id' | 'nowMs'> : never;
type Request = Distributive<WorkerRequest>;

/**
 * Execution threads of closed chains, kept for the next chain of this process. A thread is never ended: on Node 20,
 * ending a thread that has run contracts (worker.terminate(), or letting it exit) corrupted the process's heap
 * ("free(): invalid next size", then SIGSEGV at a later chain start). An idle thread is unref'd, so it does not keep
 * the process alive, and holds no chain state.
 */
const idleWorkers: Worker[] = [];

function takeWorker(): Worker {
  return idleWorkers.pop() ?? new Worker(new URL('./chain-worker-entry.mjs', import.meta.url));
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

function errorFrom(error: WorkerError): Error {
  if (error.replay) return new ChainReplayError(error.replay.height, error.replay.txHashHex, error.replay.reason);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

export class ThreadedChainNode {
  readonly queue = new SerialQueue();
  readonly blocks: BlockStore;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly commitWaiters = new Map<string, ((tx: IndexedTx) => void)[]>();
  private nextId = 1;
  private current: string | null = null;
  private readonly onMessage = (message: WorkerMessage) => this.receive(message);
  private readonly onError = (error: Error) =>
    this.fail(new Error(`the chain's execution thread failed: ${error.message}`));
  private readonly onExit = (code: number) =>
    this.fail(new Error(`the chain's execution thread exited (code ${code})`));
  /** set when the worker died or was stopped: every later request fails with it */
  private failure: Error | null = null;

  private constructor(
    readonly genesis: ChainGenesis,
    private readonly now: () => number,
  ) {
    const genesisDigest = toHex(sha256(toUtf8(JSON.stringify(genesis)))).toUpperCase();
    this.blocks = new BlockStore(genesis.chainId, genesisDigest);
    this.worker = takeWorker();
    this.worker.on('message', this.onMessage);
    this.worker.on('error', this.onError);
    this.worker.on('exit', this.onExit);
    this.worker.unref();
  }

  /**
   * Starts the execution thread, which builds the genesis state and replays the log in `dataDir` (if any); the blocks
   * it replays are copied here as they are committed.
   */
  static async open(genesis: ChainGenesis, dataDir: string | null, now: () => number): Promise<ThreadedChainNode> {
    const node = new ThreadedChainNode(genesis, now);
    try {
      await node.queue.run(() => node.request<'open'>({ op: 'open', genesis, dataDir }));
    } catch (error) {
      await node.close();
      throw error;
    }
    return node;
  }

  get height(): number {
    return this.blocks.height;
  }

  /** What the execution thread is working on ("query /path", "broadcast", "seal"...), null when idle: diagnostics. */
  get working(): string | null {
    return this.current;
  }

  broadcast(txBytes: Uint8Array): Promise<BroadcastOutcome> {
    return this.queue.run(() => this.request<'broadcast'>({ op: 'broadcast', txBytes }));
  }

  /** One abci_query (simulations included), answered by the execution thread against the latest state. */
  query(path: string, data: Uint8Array): Promise<AbciQueryAnswer> {
    return this.queue.run(() => this.request<'query'>({ op: 'query', path, data }));
  }

  /** What the VM charged since the previous call (counting starts at the first call): the gas bench's breakdown. */
  vmGasCounters(): Promise<VmGasCounters> {
    return this.queue.run(() => this.request<'vmGasCounters'>({ op: 'vmGasCounters' }));
  }

  sealBlock(): Promise<CommittedBlock> {
    return this.queue.runFirst(async () => {
      const { height } = await this.request<'seal'>({ op: 'seal' });
      return this.blocks.block(height)!;
    });
  }

  /** Resolves when the transaction is in a sealed block. */
  waitForCommit(hashHex: string): Promise<IndexedTx> {
    const committed = this.blocks.tx(hashHex);
    if (committed) return Promise.resolve(committed);
    return new Promise((resolve) => {
      const waiters = this.commitWaiters.get(hashHex) ?? [];
      waiters.push(resolve);
      this.commitWaiters.set(hashHex, waiters);
    });
  }

  /**
   * Drops the chain's state and hands its execution thread to the next chain of this process; call after the queue
   * has drained (a block being sealed has written its log line).
   */
  async close(): Promise<void> {
    if (this.failure) return;
    await this.request<'close'>({ op: 'close' });
    this.fail(new Error('the chain node is stopped'));
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    this.worker.unref();
    idleWorkers.push(this.worker);
  }

  private request<K extends keyof WorkerResults>(request: Request & { op: K }): Promise<WorkerResults[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // the thread keeps the process alive only while it owes an answer
      this.worker.ref();
      this.current = 'path' in request ? `query ${request.path}` : request.op;
      this.worker.postMessage({ ...request, id, nowMs: this.now() } as WorkerRequest);
    });
  }

  private receive(message: WorkerMessage): void {
    if (message.kind === 'committed') return this.copyCommitted(message);
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) {
      this.current = null;
      this.worker.unref();
    }
    if (message.kind === 'answer') pending.resolve(message.value);
    else pending.reject(errorFrom(message.error));
  }

  private copyCommitted(message: Extract<WorkerMessage, { kind: 'committed' }>): void {
    const block = this.blocks.commit(message.timeMs, [...message.txs]);
    // the copy is rebuilt by the same code from the same txs: a different hash would be a bug, never a fork to serve
    if (block.hashHex !== message.hashHex)
      this.fail(new Error(`block ${block.height}: copy hash ${block.hashHex} differs from ${message.hashHex}`));
    for (const tx of block.txs) {
      for (const resolve of this.commitWaiters.get(tx.hashHex) ?? []) resolve(tx);
      this.commitWaiters.delete(tx.hashHex);
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
