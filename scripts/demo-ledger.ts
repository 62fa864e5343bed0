/**
 * The demo's chain side, for `npm start`: a fresh local chain answering CometBFT RPC, GridCoop's contracts built (if
 * their wasm is missing) and deployed by the same plan a real chain gets, and every metered device of the plant
 * registered as a node (owned by dev account 1, approved by the operator, dev account 0, which is also the oracle).
 * It hands back the controller's `ledger` configuration and the oracle key.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { RegistryClient, type NodeKind } from '@gridcoop/contracts';
import { startLocalChain, type LocalChain } from '../contracts-cosmwasm/chain/local-chain.ts';
import { deployContracts, deploymentPath, type Deployment } from '../contracts-cosmwasm/deploy/deploy-contracts.ts';
import { readDeployPlan } from '../contracts-cosmwasm/deploy/plan.ts';
import { buildContracts } from '../contracts-cosmwasm/scripts/build.ts';
import type { ControllerConfigInput, DeviceConfig } from '../controller/src/config/index.ts';
import { ratedPowerOf } from '../controller/src/service/ledger-recording.ts';

/** Demo intervals are one minute (the registry's shortest), so records appear on chain while you watch. */
const DEMO_INTERVAL_S = 60;

export interface DemoLedger {
  chain: LocalChain;
  deployment: Deployment;
  deploymentFile: string;
  ledger: NonNullable<ControllerConfigInput['ledger']>;
  oracleMnemonic: string;
  stop(): Promise<void>;
}

const NODE_KINDS: Partial<Record<DeviceConfig['nature'], NodeKind>> = {
  'pv-inverter': 'pv',
  battery: 'battery',
  'flexible-load': 'flexible_load',
};

async function signer(chain: LocalChain, index: number): Promise<{ address: string; client: SigningCosmWasmClient }> {
  const account = chain.devAccounts[index]!;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: chain.prefix });
  const client = await SigningCosmWasmClient.connectWithSigner(chain.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(chain.gasPrice),
    broadcastPollIntervalMs: 200,
  });
  return { address: account.address, client };
}

export async function startDemoLedger(options: {
  dataDir: string;
  port: number;
  devices: readonly DeviceConfig[];
  log: (line: string) => void;
}): Promise<DemoLedger> {
  const plan = readDeployPlan(join(import.meta.dirname, '../contracts-cosmwasm/deploy/gridcoop-local.plan.json'));
  if (plan.contracts.some((c) => !existsSync(c.wasmPath))) {
    options.log('building the contracts (first start only; about a minute)');
    const built = buildContracts();
    if (!built.every((c) => c.ok))
      throw new Error(`the contracts build failed:\n${built.map((c) => c.verdict).join('\n')}`);
  }
  // The demo plant's counters start from zero at every start, so its chain does too (the registry refuses counters
  // that go backwards). A real plant keeps its chain and its outbox.
  const chain = await startLocalChain({
    dataDir: join(options.dataDir, 'chain'),
    reset: true,
    port: options.port,
    blockTimeMs: 1_000,
  });
  try {
    const operator = chain.devAccounts[0]!;
    const contracts = plan.contracts.map((c) =>
      c.name === 'registry'
        ? { ...c, instantiateMsg: { ...(c.instantiateMsg as Record<string, unknown>), interval_s: DEMO_INTERVAL_S } }
        : c,
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
      mnemonic: operator.mnemonic,
      contracts,
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
    owner.client.disconnect();
    asOperator.client.disconnect();
    const outboxPath = join(options.dataDir, 'outbox.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${outboxPath}${suffix}`, { force: true });
    return {
      chain,
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
        intervalS: DEMO_INTERVAL_S,
        outboxPath,
        nodes,
      },
      stop: () => chain.stop(),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
