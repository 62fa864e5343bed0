/**
 * The demo's chain side, for `npm start` and the browser tests: a fresh local chain answering CometBFT RPC,
 * GridCoop's contracts built (if their wasm is missing) and deployed by the demo plan (the production plan's
 * contracts with short timings: 1-minute intervals, 10-minute reward epochs settling a minute later, 1-2 minute
 * votes, a 1-minute timelock, so the whole governance and reward loop fits in a demo), and every metered device of
 * the plant registered as a node (owned by dev account 1, approved by the operator, dev account 0, which is also the
 * oracle and the council). It hands back the controller's `ledger` configuration and the oracle key.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { RegistryClient, type NodeKind } from '@gridcoop/contracts';
import { startChainProcess, type ChainProcess } from '../contracts-cosmwasm/chain/chain-process.ts';
import type { LocalChain } from '../contracts-cosmwasm/chain/local-chain.ts';
import { deployContracts, deploymentPath, type Deployment } from '../contracts-cosmwasm/deploy/deploy-contracts.ts';
import { readDeployPlan } from '../contracts-cosmwasm/deploy/plan.ts';
import { buildContracts } from '../contracts-cosmwasm/scripts/build.ts';
import type { ControllerConfigInput, DeviceConfig } from '../controller/src/config/index.ts';
import { ratedPowerOf } from '../controller/src/service/ledger-recording.ts';

/** The demo plan: production contracts, demo timings (real chains get gridcoop-local.plan.json's or their own). */
export const DEMO_PLAN_FILE = join(import.meta.dirname, '../contracts-cosmwasm/deploy/gridcoop-demo.plan.json');
/** Accounts the demo chain creates: 0 operator/council/oracle, 1 the plant's owner, 2-4 members, 5 the treasury. */
export const DEMO_DEV_ACCOUNTS = 6;
export const DEMO_TREASURY_ACCOUNT = 5;

export interface DemoLedger extends DemoDeployment {
  /** the chain runs in its own process, so nothing it does can stall the controller */
  chain: ChainProcess;
  stop(): Promise<void>;
}

const NODE_KINDS: Partial<Record<DeviceConfig['nature'], NodeKind>> = {
  'pv-inverter': 'pv',
  battery: 'battery',
  'flexible-load': 'flexible_load',
};

/** What the demo needs of a running chain (the local chain in this process or in its own). */
export type DemoChain = Pick<LocalChain, 'rpcUrl' | 'chainId' | 'prefix' | 'gasPrice' | 'devAccounts'>;

export interface DemoDeployment {
  deployment: Deployment;
  deploymentFile: string;
  ledger: NonNullable<ControllerConfigInput['ledger']>;
  oracleMnemonic: string;
}

export async function signer(
  chain: DemoChain,
  index: number,
): Promise<{ address: string; client: SigningCosmWasmClient }> {
  const account = chain.devAccounts[index]!;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: chain.prefix });
  const client = await SigningCosmWasmClient.connectWithSigner(chain.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(chain.gasPrice),
    broadcastPollIntervalMs: 200,
  });
  return { address: account.address, client };
}

/** Builds the contracts' wasm when it is missing (first start only). */
export function ensureContractsBuilt(log: (line: string) => void): void {
  const plan = readDeployPlan(DEMO_PLAN_FILE);
  if (plan.contracts.every((c) => existsSync(c.wasmPath))) return;
  log('building the contracts (first start only; about a minute)');
  const built = buildContracts();
  if (!built.every((c) => c.ok))
    throw new Error(`the contracts build failed:\n${built.map((c) => c.verdict).join('\n')}`);
}

/**
 * Deploys the demo plan on a running chain and registers every metered device of the plant as an approved node.
 * The controller's ledger configuration comes back with the node ids.
 */
export async function deployDemoLedger(options: {
  chain: DemoChain;
  dataDir: string;
  devices: readonly DeviceConfig[];
  log: (line: string) => void;
}): Promise<DemoDeployment> {
  ensureContractsBuilt(options.log);
  const { chain } = options;
  const plan = readDeployPlan(DEMO_PLAN_FILE);
  const registryPlan = plan.contracts.find((c) => c.name === 'registry')!;
  const intervalS = Number((registryPlan.instantiateMsg as { interval_s: number }).interval_s);
  const operator = chain.devAccounts[0]!;
  const deploymentFile = deploymentPath(join(options.dataDir, 'deployments'), chain.chainId);
  const deployment = await deployContracts({
    network: {
      name: 'local',
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      bech32Prefix: chain.prefix,
      gasPrice: chain.gasPrice,
    },
    mnemonic: operator.mnemonic,
    contracts: plan.contracts,
    then: plan.then,
    outFile: deploymentFile,
    broadcastPollIntervalMs: 200,
  });
  const registryAddress = deployment.contracts.registry!.address;
  const owner = await signer(chain, 1);
  const asOperator = await signer(chain, 0);
  const ownerRegistry = new RegistryClient(owner.client, registryAddress, owner.address);
  const operatorRegistry = new RegistryClient(asOperator.client, registryAddress, asOperator.address);
  const nodes: Record<string, number> = {};
  try {
    // registered with the ratings the controller meters against, so no honest interval is refused
    const ratings = ratedPowerOf(options.devices);
    for (const device of options.devices) {
      const kind = NODE_KINDS[device.nature];
      const ratedPowerW = ratings.get(device.id);
      if (!kind || ratedPowerW === undefined) continue;
      const energyCapacityWh = device.nature === 'battery' ? device.capacityWh : undefined;
      await ownerRegistry.registerNode({
        kind,
        ratedPowerW,
        ...(energyCapacityWh === undefined ? {} : { energyCapacityWh }),
        zone: 'demo',
        metadata: [['device', device.id]],
      });
      const { nodes: registered } = await ownerRegistry.nodes({
        owner: owner.address,
        limit: 30,
        startAfter: Math.max(0, ...Object.values(nodes)),
      });
      const id = registered.at(-1)!.id;
      await operatorRegistry.approveNode(id);
      nodes[device.id] = id;
    }
  } finally {
    owner.client.disconnect();
    asOperator.client.disconnect();
  }
  const outboxPath = join(options.dataDir, 'outbox.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${outboxPath}${suffix}`, { force: true });
  return {
    deployment,
    deploymentFile,
    oracleMnemonic: operator.mnemonic,
    ledger: {
      mode: 'cosmwasm',
      chain: {
        rpcUrl: chain.rpcUrl,
        chainId: chain.chainId,
        prefix: chain.prefix,
        gasPrice: chain.gasPrice,
        broadcastPollIntervalMs: 500,
      },
      registryAddress,
      governanceAddress: deployment.contracts.governance!.address,
      policyPollMs: 5_000,
      maintenanceOnChain: true,
      intervalS,
      outboxPath,
      nodes,
    },
  };
}

export async function startDemoLedger(options: {
  dataDir: string;
  port: number;
  devices: readonly DeviceConfig[];
  /** browser origins allowed to call the chain's RPC (the governance UI) */
  corsAllowedOrigins?: string[];
  log: (line: string) => void;
}): Promise<DemoLedger> {
  ensureContractsBuilt(options.log);
  // The demo plant's counters start from zero at every start, so its chain does too (the registry refuses counters
  // that go backwards). A real plant keeps its chain and its outbox.
  const chain = await startChainProcess({
    dataDir: join(options.dataDir, 'chain'),
    reset: true,
    port: options.port,
    blockTimeMs: 1_000,
    corsAllowedOrigins: options.corsAllowedOrigins ?? [],
    devAccountCount: DEMO_DEV_ACCOUNTS,
  });
  try {
    const deployed = await deployDemoLedger({
      chain,
      dataDir: options.dataDir,
      devices: options.devices,
      log: options.log,
    });
    return { chain, ...deployed, stop: () => chain.stop() };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
