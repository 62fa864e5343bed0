// A local chain with the real registry wasm deployed, for the controller's recording tests: unmodified CosmJS
// clients, the oracle (dev account 0, also the plant operator) and a node owner (dev account 1).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { RegistryClient, type NodeKind } from '@gridcoop/contracts';
import {
  startLocalChain,
  type LocalChain,
  type LocalChainOptions,
} from '../../../contracts-cosmwasm/chain/local-chain.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const REGISTRY_WASM = join(root, 'contracts-cosmwasm/artifacts/gridcoop_registry.wasm');
export const INTERVAL_S = 900;

export function registryWasm(): Uint8Array {
  if (!existsSync(REGISTRY_WASM)) {
    const build = spawnSync(
      'flock',
      ['/tmp/gridcoop-contracts-build.lock', 'npm', 'run', '--silent', 'build:contracts'],
      { cwd: root, encoding: 'utf8' },
    );
    if (!existsSync(REGISTRY_WASM))
      throw new Error(`the contracts build produced no registry wasm:\n${build.stdout}\n${build.stderr}`);
  }
  return new Uint8Array(readFileSync(REGISTRY_WASM));
}

export async function signer(chain: LocalChain, index: number) {
  const account = chain.devAccounts[index]!;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: chain.prefix });
  const options = { gasPrice: GasPrice.fromString(chain.gasPrice), broadcastPollIntervalMs: 20 };
  return {
    address: account.address,
    wasm: await SigningCosmWasmClient.connectWithSigner(chain.rpcUrl, wallet, options),
    bank: await SigningStargateClient.connectWithSigner(chain.rpcUrl, wallet, options),
  };
}

export interface RecordingChain {
  chain: LocalChain;
  registryAddress: string;
  oracle: Awaited<ReturnType<typeof signer>>;
  oracleMnemonic: string;
  /** registry node ids by kind and rated power, registered by dev account 1 and approved */
  nodeIds: number[];
}

export async function startRecordingChain(
  nodes: { kind: NodeKind; ratedPowerW: number; energyCapacityWh?: number }[],
  options: LocalChainOptions & { intervalS?: number } = {},
): Promise<RecordingChain> {
  const chain = await startLocalChain({ blockTimeMs: 50, ...options });
  const oracle = await signer(chain, 0);
  const owner = await signer(chain, 1);
  const upload = await oracle.wasm.upload(oracle.address, registryWasm(), 'auto');
  const { contractAddress } = await oracle.wasm.instantiate(
    oracle.address,
    upload.codeId,
    {
      admin: null,
      operator: oracle.address,
      governance: null,
      oracles: [oracle.address],
      reward_denom: chain.denom,
      interval_s: options.intervalS ?? INTERVAL_S,
      epoch_length_s: 86_400,
      settlement_delay_s: 3_600,
      reward_policy: null,
    },
    'registry',
    'auto',
  );
  const asOwner = new RegistryClient(owner.wasm, contractAddress, owner.address);
  const asOperator = new RegistryClient(oracle.wasm, contractAddress, oracle.address);
  const nodeIds: number[] = [];
  for (const node of nodes) {
    await asOwner.registerNode({ ...node, zone: 'zone-a' });
    const { nodes: registered } = await asOwner.nodes({ owner: owner.address, limit: 30 });
    const id = registered.at(-1)!.id;
    await asOperator.approveNode(id);
    nodeIds.push(id);
  }
  return { chain, registryAddress: contractAddress, oracle, oracleMnemonic: chain.devAccounts[0]!.mnemonic, nodeIds };
}
