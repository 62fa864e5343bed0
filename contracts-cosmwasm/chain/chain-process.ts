import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DevAccount } from './local-chain.ts';

// The local chain in its own process (the chain CLI as a child): nothing the chain does (a contract that spins until
// its gas runs out, a flood of queries) can stall the process that started it. The parent reads the child's one
// "ready" line, waits for its RPC to answer, and stops it on stop() or when the parent exits.

export interface ChainProcessOptions {
  /** TCP port; 0 (the default) lets the OS pick */
  port?: number;
  dataDir: string;
  reset?: boolean;
  blockTimeMs?: number;
  chainId?: string;
  devAccountCount?: number;
  corsAllowedOrigins?: string[];
  /** development only: enables the dev_advance_time RPC method (see LocalChainOptions.allowTimeTravel) */
  allowTimeTravel?: boolean;
  /** how long to wait for the child's RPC to answer (default 60 s: the first start compiles nothing, but may be slow) */
  startTimeoutMs?: number;
}

/** The same surface the demo uses of an in-process LocalChain, for a chain in a child process. */
export interface ChainProcess {
  readonly rpcUrl: string;
  readonly chainId: string;
  readonly denom: string;
  readonly prefix: string;
  readonly minGasPrice: number;
  readonly gasPrice: string;
  readonly devAccounts: DevAccount[];
  readonly pid: number;
  stop(): Promise<void>;
}

export class ChainProcessError extends Error {
  constructor(reason: string) {
    super(`the local chain process did not start: ${reason}`);
    this.name = 'ChainProcessError';
  }
}

type Ready = Omit<ChainProcess, 'stop'>;

function cliArgs(options: ChainProcessOptions): string[] {
  const args = ['--json', '--port', String(options.port ?? 0), '--data-dir', options.dataDir];
  if (options.reset) args.push('--reset');
  if (options.blockTimeMs !== undefined) args.push('--block-ms', String(options.blockTimeMs));
  if (options.chainId) args.push('--chain-id', options.chainId);
  if (options.devAccountCount !== undefined) args.push('--dev-accounts', String(options.devAccountCount));
  for (const origin of options.corsAllowedOrigins ?? []) args.push('--cors-origin', origin);
  if (options.allowTimeTravel) args.push('--allow-time-travel');
  return args;
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<Ready> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new ChainProcessError(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    lines.on('line', (line) => {
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { ready: Ready }).ready);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new ChainProcessError(stderr.trim() || `exited with ${signal ?? `code ${code}`}`));
    });
  });
}

async function waitForRpc(rpcUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${rpcUrl}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new ChainProcessError(`its RPC at ${rpcUrl} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startChainProcess(options: ChainProcessOptions): Promise<ChainProcess> {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, join(import.meta.dirname, 'cli.ts'), ...cliArgs(options)], {
    // stdin stays open: the child stops when it closes, so a parent that dies does not leave a chain holding the port
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stopChild = () => child.kill('SIGTERM');
  process.once('exit', stopChild);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let ready: Ready;
  try {
    ready = await waitForReady(child, timeoutMs);
    await waitForRpc(ready.rpcUrl, timeoutMs);
  } catch (error) {
    process.off('exit', stopChild);
    child.kill('SIGKILL');
    throw error;
  }
  // keep reading its output so a chatty child never blocks on a full pipe
  child.stdout!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ...ready,
    async stop() {
      process.off('exit', stopChild);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
