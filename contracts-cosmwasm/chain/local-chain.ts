import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { ChainLog } from './chain-log.ts';
import { chainConfigSchema, devMnemonic, type ChainConfigInput } from './chain-config.ts';
import type { ChainGenesis, GenesisBalance } from './chain-node.ts';
import { RpcServer, type RpcServerOptions } from './rpc-server.ts';
import { ThreadedChainNode } from './threaded-chain-node.ts';

// The in-process API: start a local chain on 127.0.0.1 (port 0 = the OS picks), get its RPC URL and dev accounts.

export interface LocalChainOptions {
  /** TCP port; 0 (the default) lets the OS pick */
  port?: number;
  host?: string;
  /** where genesis.json and blocks.jsonl live; without it the chain is in memory only */
  dataDir?: string;
  /** start a fresh chain even if dataDir holds one */
  reset?: boolean;
  chainId?: string;
  blockTimeMs?: number;
  genesis?: Omit<ChainConfigInput, 'chainId' | 'blockTimeMs'>;
  /**
   * The block clock (epoch ms); real time by default. Tests that must pass a voting period or a timelock give a
   * clock they can move forward; blocks never go back in time whatever it says.
   */
  now?: () => number;
  /**
   * Origins whose browser pages may call the RPC (CometBFT's cors_allowed_origins), e.g. the governance UI's
   * "http://127.0.0.1:5173"; "*" allows any. Empty by default: browsers then refuse cross-origin answers.
   */
  corsAllowedOrigins?: string[];
  /**
   * Development only: enables the RPC method dev_advance_time {seconds}, which moves the block clock forward (tests
   * that must pass a voting period against a chain in another process). Off by default; a real node has no such
   * method, and this chain refuses it unless started with this option (CLI: --allow-time-travel).
   */
  allowTimeTravel?: boolean;
  /** RPC bounds (body size, batch size, tx_search results); CometBFT's defaults when left out */
  rpcLimits?: Omit<RpcServerOptions, 'corsAllowedOrigins'>;
}

export interface DevAccount {
  readonly address: string;
  readonly mnemonic: string;
}

export interface LocalChain {
  readonly rpcUrl: string;
  readonly chainId: string;
  readonly denom: string;
  readonly prefix: string;
  readonly minGasPrice: number;
  /** "0.025ugrid": the form GasPrice.fromString takes */
  readonly gasPrice: string;
  readonly devAccounts: DevAccount[];
  /** the node as the RPC thread sees it; contract execution runs in its worker thread */
  readonly node: ThreadedChainNode;
  height(): number;
  stop(): Promise<void>;
}

async function addressOf(mnemonic: string, prefix: string): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
  const [account] = await wallet.getAccounts();
  return account!.address;
}

/**
 * What the data directory keeps: addresses only, never a mnemonic. A development account is kept as its index (its
 * well-known mnemonic is derived again at start); an account given with its own mnemonic keeps only its address,
 * so its key is not in any file (it is offered as a dev account only on the start that was given the mnemonic).
 */
interface StoredGenesis {
  readonly genesis: ChainGenesis;
  readonly blockTimeMs: number;
  readonly devAccounts: { address: string; devIndex?: number }[];
}

async function buildGenesis(options: LocalChainOptions): Promise<{ stored: StoredGenesis; devAccounts: DevAccount[] }> {
  const config = chainConfigSchema.parse({
    ...options.genesis,
    chainId: options.chainId,
    blockTimeMs: options.blockTimeMs,
  });
  const devAccounts: DevAccount[] = [];
  const storedAccounts: StoredGenesis['devAccounts'] = [];
  for (let i = 0; i < config.devAccountCount; i++) {
    const mnemonic = devMnemonic(i);
    const address = await addressOf(mnemonic, config.bech32Prefix);
    devAccounts.push({ address, mnemonic });
    storedAccounts.push({ address, devIndex: i });
  }
  const accounts: GenesisBalance[] = devAccounts.map((a) => ({
    address: a.address,
    balances: [{ denom: config.denom, amount: config.devAccountBalance }],
  }));
  for (const account of config.accounts) {
    const address = account.address ?? (await addressOf(account.mnemonic!, config.bech32Prefix));
    if (account.mnemonic) devAccounts.push({ address, mnemonic: account.mnemonic });
    accounts.push({ address, balances: account.balances });
  }
  const stored: StoredGenesis = {
    genesis: {
      chainId: config.chainId,
      prefix: config.bech32Prefix,
      denom: config.denom,
      minGasPrice: config.minGasPrice,
      genesisTimeMs: config.genesisTimeMs ?? (options.now ?? Date.now)(),
      accounts,
      gasLimits: {
        maxBlockGas: String(config.maxBlockGas),
        simulationGasLimit: String(config.simulationGasLimit),
        queryGasLimit: String(config.queryGasLimit),
      },
      codeUploaders: config.codeUploaders ?? (devAccounts[0] ? [devAccounts[0].address] : 'everybody'),
    },
    blockTimeMs: config.blockTimeMs,
    devAccounts: storedAccounts,
  };
  return { stored, devAccounts };
}

/** The dev accounts of a stored genesis, their mnemonics derived again from their index. */
function devAccountsOf(stored: StoredGenesis): DevAccount[] {
  return stored.devAccounts.flatMap((a) =>
    a.devIndex === undefined ? [] : [{ address: a.address, mnemonic: devMnemonic(a.devIndex) }],
  );
}

/**
 * A genesis written before mnemonics were kept out of files: each stored mnemonic becomes its dev index (or is
 * dropped), and the caller rewrites the file. Returns null when there was nothing to remove.
 */
function withoutMnemonics(stored: StoredGenesis): StoredGenesis | null {
  const legacy = stored.devAccounts as { address: string; devIndex?: number; mnemonic?: string }[];
  if (!legacy.some((a) => a.mnemonic !== undefined)) return null;
  const devAccounts = legacy.map((a, i) => {
    if (a.mnemonic === undefined) return a;
    const index = a.mnemonic === devMnemonic(i) ? i : undefined;
    return index === undefined ? { address: a.address } : { address: a.address, devIndex: index };
  });
  return { ...stored, devAccounts };
}

export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const log = options.dataDir ? new ChainLog(options.dataDir) : null;
  if (log && options.reset) log.reset();
  // a restarted chain keeps the genesis it was born with, whatever options this start was given
  let stored = (log?.readGenesis() as StoredGenesis | null) ?? null;
  let devAccounts: DevAccount[];
  if (stored) {
    const cleaned = withoutMnemonics(stored);
    if (cleaned) {
      stored = cleaned;
      log?.rewriteGenesis(stored);
    }
    devAccounts = devAccountsOf(stored);
  } else {
    const built = await buildGenesis(options);
    stored = built.stored;
    devAccounts = built.devAccounts;
    log?.writeGenesis(stored);
  }
  const blockTimeMs = options.blockTimeMs ?? stored.blockTimeMs;
  const clock = options.now ?? Date.now;
  let clockOffsetMs = 0;
  const node = await ThreadedChainNode.open(stored.genesis, options.dataDir ?? null, () => clock() + clockOffsetMs);
  const advanceTime = async (seconds: number) => {
    clockOffsetMs += seconds * 1000;
    // the block being built keeps its time; the next one starts at the moved clock and is sealed at once
    await node.sealBlock();
    const block = await node.sealBlock();
    return { block_height: String(block.height), block_time_ms: block.timeMs, clock_offset_s: clockOffsetMs / 1000 };
  };
  const server = new RpcServer(node, options.host ?? '127.0.0.1', {
    ...(options.allowTimeTravel ? { advanceTime } : {}),
    ...options.rpcLimits,
    corsAllowedOrigins: options.corsAllowedOrigins ?? [],
  });
  let rpcUrl: string;
  try {
    rpcUrl = await server.listen(options.port ?? 0);
  } catch (error) {
    await node.close();
    throw error;
  }
  const timer = setInterval(() => void node.sealBlock(), blockTimeMs);
  const { genesis } = stored;
  return {
    rpcUrl,
    chainId: genesis.chainId,
    denom: genesis.denom,
    prefix: genesis.prefix,
    minGasPrice: genesis.minGasPrice,
    gasPrice: `${genesis.minGasPrice}${genesis.denom}`,
    devAccounts,
    node,
    height: () => node.height,
    async stop() {
      clearInterval(timer);
      await server.close();
      // let a block being sealed finish writing its log line
      await node.queue.run(() => undefined);
      await node.close();
    },
  };
}
