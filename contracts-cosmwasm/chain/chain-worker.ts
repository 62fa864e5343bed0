import { parentPort } from 'node:worker_threads';
import { answerAbciQuery } from './abci-queries.ts';
import { ChainLog } from './chain-log.ts';
import { ChainNode, ChainReplayError } from './chain-node.ts';
import type {
  VmGasCounters,
  WorkerError,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
} from './chain-worker-protocol.ts';

// The execution thread: the chain's state machine (cw-simulate's VM, accounts, the block being built, the durable
// log) runs here, so a contract that spins until its gas runs out holds this thread only; the RPC thread keeps
// answering /health, /status and block and tx lookups from its copy of the committed blocks. Requests arrive one at a
// time (the RPC thread queues them), in the order the node's queue would have run them.

const port = parentPort;
if (!port) throw new Error('chain-worker.ts runs as a worker thread (see threaded-chain-node.ts)');

let clockMs = Date.now();
let node: ChainNode | null = null;

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

let vmGasCounters: { blocksEntered: number; instructionGas: number } | null = null;

/** Counts what the VM charges from the first reading on (the bench's breakdown); returns and resets the counts. */
function readVmGasCounters(): VmGasCounters {
  if (!vmGasCounters) {
    const counters = { blocksEntered: 0, instructionGas: 0 };
    const vm = opened().runtime.vmGas as { processGasInfo(info: { cost: number; externally_used: number }): void };
    const charge = vm.processGasInfo.bind(vm);
    vm.processGasInfo = (info) => {
      if (info.cost > 0) {
        counters.blocksEntered += 1;
        counters.instructionGas += info.cost / 14_000_000; // cosmwasm-vm-js's GAS_MULTIPLIER
      }
      charge(info);
    };
    vmGasCounters = counters;
  }
  const reading = { ...vmGasCounters };
  vmGasCounters.blocksEntered = 0;
  vmGasCounters.instructionGas = 0;
  return reading;
}

function opened(): ChainNode {
  if (!node) throw new Error('the chain worker was asked to work before it was opened');
  return node;
}

async function handle(request: WorkerRequest): Promise<WorkerResults[keyof WorkerResults]> {
  switch (request.op) {
    case 'open':
      node = await ChainNode.open(
        request.genesis,
        request.dataDir === null ? null : new ChainLog(request.dataDir),
        () => clockMs,
        (block, txs) => post({ kind: 'committed', timeMs: block.timeMs, txs, hashHex: block.hashHex }),
      );
      return { height: node.height };
    case 'broadcast':
      return opened().broadcast(request.txBytes);
    case 'query':
      return answerAbciQuery(opened(), request.path, request.data);
    case 'seal':
      return { height: (await opened().sealBlock()).height };
    case 'close':
      // the thread stays, idle, for the next chain of this process (see threaded-chain-node.ts); the state goes
      node = null;
      vmGasCounters = null;
      return null;
    case 'vmGasCounters':
      return readVmGasCounters();
  }
}

function asWorkerError(error: unknown): WorkerError {
  if (error instanceof ChainReplayError)
    return {
      name: error.name,
      message: error.message,
      replay: { height: error.height, txHashHex: error.txHashHex, reason: error.reason },
    };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

port.on('message', (request: WorkerRequest) => {
  clockMs = request.nowMs;
  handle(request).then(
    (value) => post({ kind: 'answer', id: request.id, value }),
    (error: unknown) => post({ kind: 'failure', id: request.id, error: asWorkerError(error) }),
  );
});
