// The local chain with the real registry wasm, set up for recording at a short interval: the registry's smallest
// interval (60 s) gives many records in a short test. Nodes are registered by dev account 1 and approved by the
// operator (dev account 0, also the oracle whose mnemonic the controller gets).
import { RegistryQueryClient, type NodeKind } from '@gridcoop/contracts';
import { startLocalChain, type LocalChain } from '../../contracts-cosmwasm/chain/local-chain.ts';
import { startRecordingChain } from '../../controller/test/ledger/chain-fixture.ts';

/** The registry's smallest interval (contracts-cosmwasm/contracts/registry/src/limits.rs MIN_INTERVAL_S). */
export const RECORDING_INTERVAL_S = 60;
const BLOCK_TIME_MS = 50;

export interface RegistryNodeSpec {
  deviceId: string;
  kind: NodeKind;
  ratedPowerW: number;
  energyCapacityWh?: number;
}

export interface RecordingChainSetup {
  chain: LocalChain;
  port: number;
  registryAddress: string;
  oracleMnemonic: string;
  /** device id -> registry node id */
  nodeIds: Record<string, number>;
  /** Queries through an unmodified CosmJS client over HTTP; reconnect() after a chain restart. */
  registry: RegistryQueryClient;
}

export async function startRegistryChain(dataDir: string, nodes: RegistryNodeSpec[]): Promise<RecordingChainSetup> {
  const { chain, registryAddress, oracle, oracleMnemonic, nodeIds } = await startRecordingChain(nodes, {
    dataDir,
    reset: true,
    blockTimeMs: BLOCK_TIME_MS,
    intervalS: RECORDING_INTERVAL_S,
  });
  oracle.bank.disconnect();
  return {
    chain,
    port: Number(new URL(chain.rpcUrl).port),
    registryAddress,
    oracleMnemonic,
    nodeIds: Object.fromEntries(nodes.map((node, i) => [node.deviceId, nodeIds[i]!])),
    registry: new RegistryQueryClient(oracle.wasm, registryAddress),
  };
}

/** The same chain again, from its data directory, on the same port: what a node operator's restart does. */
export function restartRegistryChain(dataDir: string, port: number): Promise<LocalChain> {
  return startLocalChain({ dataDir, port, blockTimeMs: BLOCK_TIME_MS });
}
