/**
 * The demo's chain side, for `npm start` and the browser tests: a fresh local chain answering CometBFT RPC,
 * GridCoop's contracts built (if their wasm is missing) and deployed by the demo plan (the production plan's
 * contracts with short timings: 1-minute intervals, 10-minute reward epochs settling a minute later, 1-2 minute
 * votes, a 1-minute timelock, so the whole governance and reward loop fits in a demo), and every metered device of
 * the plant registered as a node (owned by dev account 1, approved by the operator, dev account 0). The roles have
 * their own keys as in production (see DEMO_ROLES): the controller gets only the oracle key, which can only record;
 * the registry's admin takes its role by accepting it, and both contracts' migrate right goes to the migrate admin.
 * It hands back the controller's `ledger` configuration and the oracle key.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
import { Outbox } from '../controller/src/ledger/outbox.ts';
import { ratedPowerOf } from '../controller/src/service/ledger-recording.ts';

/** The demo plan: production contracts, demo timings (real chains get gridcoop-local.plan.json's or their own). */
export const DEMO_PLAN_FILE = join(import.meta.dirname, '../contracts-cosmwasm/deploy/gridcoop-demo.plan.json');
/**
 * Accounts the demo chain creates: 0 the deployer, operator and council (the UI's tests sign as them), 1 the plant's
 * owner, 2-4 members, 5 the treasury, 6 the oracle (the controller's only key), 7 the registry's admin, 8 the migrate
 * admin (a multisig in production), 9 and 10 the oracles of the fleet's two home sites (scripts/demo-fleet.ts).
 */
export const DEMO_DEV_ACCOUNTS = 11;
export const DEMO_TREASURY_ACCOUNT = 5;
export const DEMO_ROLES = { operator: 0, council: 0, oracle: 6, admin: 7, migrate_admin: 8 } as const;

/** The file that says a data directory was made by the demo, so `npm start` may reset its chain and outbox. */
export const DEMO_MARKER_FILE = '.gridcoop-demo';

/** `npm start` refuses a data directory: one line for the operator, exit non-zero. */
export class DemoDataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDataDirError';
  }
}

function pendingOutboxRecords(outboxPath: string): number {
  if (!existsSync(outboxPath)) return 0;
  const outbox = new Outbox(outboxPath);
  try {
    return outbox.counts().pending;
  } finally {
    outbox.close();
  }
}

/**
 * The demo resets its chain and deletes its outbox at every start (the simulated plant's counters start from zero).
 * That is only safe for a directory the demo made and whose records all reached the chain: a new or empty directory
 * is made the demo's (0700, with a marker file); one without the marker is never touched; one whose outbox still
 * holds records not on chain is discarded only with `reset` (`npm start -- --reset`).
 */
export function claimDemoDataDir(dataDir: string, options: { reset: boolean }): void {
  const marker = join(dataDir, DEMO_MARKER_FILE);
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    writeFileSync(marker, JSON.stringify({ madeBy: 'npm start', at: new Date().toISOString() }) + '\n', {
      mode: 0o600,
    });
    return;
  }
  if (!existsSync(marker))
    throw new DemoDataDirError(
      `${dataDir} was not made by the demo (no ${DEMO_MARKER_FILE} in it), so npm start will not reset its chain or delete its outbox: set GRIDCOOP_DATA_DIR to a new directory`,
    );
  chmodSync(dataDir, 0o700);
  if (options.reset) return;
  // the plant's outbox and each demo home site's (sites/<id>/outbox.sqlite): a start deletes them all
  const sitesDir = join(dataDir, 'sites');
  const outboxes = [
    join(dataDir, 'outbox.sqlite'),
    ...(existsSync(sitesDir) ? readdirSync(sitesDir).map((site) => join(sitesDir, site, 'outbox.sqlite')) : []),
  ];
  const pending = outboxes.reduce((sum, path) => sum + pendingOutboxRecords(path), 0);
  if (pending > 0)
    throw new DemoDataDirError(
      `${dataDir} holds ${pending} outbox records not yet on chain, which a start would delete: npm start -- --reset discards them`,
    );
}

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
  const deployer = chain.devAccounts[0]!;
  const roleAddresses = Object.fromEntries(
    Object.entries(DEMO_ROLES).map(([role, index]) => [role, chain.devAccounts[index]!.address]),
  );
  const deploymentFile = deploymentPath(join(options.dataDir, 'deployments'), chain.chainId);
  const deployment = await deployContracts({
    network: {
      name: 'local',
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      bech32Prefix: chain.prefix,
      gasPrice: chain.gasPrice,
    },
    mnemonic: deployer.mnemonic,
    contracts: plan.contracts,
    then: plan.then,
    roles: plan.roles,
    roleAddresses,
    outFile: deploymentFile,
    broadcastPollIntervalMs: 200,
  });
  const registryAddress = deployment.contracts.registry!.address;
  const owner = await signer(chain, 1);
  const asOperator = await signer(chain, DEMO_ROLES.operator);
  const asAdmin = await signer(chain, DEMO_ROLES.admin);
  const ownerRegistry = new RegistryClient(owner.client, registryAddress, owner.address);
  const operatorRegistry = new RegistryClient(asOperator.client, registryAddress, asOperator.address);
  const nodes: Record<string, number> = {};
  try {
    // the deploy proposed the admin; the admin's key takes the role (two steps, as on a real chain)
    await new RegistryClient(asAdmin.client, registryAddress, asAdmin.address).acceptAdmin();
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
    asAdmin.client.disconnect();
  }
  const outboxPath = join(options.dataDir, 'outbox.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${outboxPath}${suffix}`, { force: true });
  return {
    deployment,
    deploymentFile,
    oracleMnemonic: chain.devAccounts[DEMO_ROLES.oracle]!.mnemonic,
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
      // the maintenance log takes the operator's or an owner's key; the controller holds only the oracle key
      maintenanceOnChain: false,
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
