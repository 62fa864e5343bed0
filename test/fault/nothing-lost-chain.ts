// The local chain with the real registry wasm, set up for recording at a short interval: the registry's smallest
// interval (60 s) gives many records in a short test. Nodes are registered by dev account 1 and approved by the
// operator (dev account 0, also the oracle whose mnemonic the controller gets).
import { RegistryClient, RegistryQueryClient, type NodeKind } from '@gridcoop/contracts';
import { startLocalChain, type LocalChain } from '../../contracts-cosmwasm/chain/local-chain.ts';
import { registryWasm, signer } from '../../controller/test/ledger/chain-fixture.ts';

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
  const chain = await startLocalChain({ dataDir, reset: true, blockTimeMs: BLOCK_TIME_MS });
  try {
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
        interval_s: RECORDING_INTERVAL_S,
        epoch_length_s: 86_400,
        settlement_delay_s: 3_600,
        reward_policy: null,
      },
      'registry',
      'auto',
    );
    const asOwner = new RegistryClient(owner.wasm, contractAddress, owner.address);
    const asOperator = new RegistryClient(oracle.wasm, contractAddress, oracle.address);
    const nodeIds: Record<string, number> = {};
    for (const node of nodes) {
      await asOwner.registerNode({
        kind: node.kind,
        ratedPowerW: node.ratedPowerW,
        ...(node.energyCapacityWh === undefined ? {} : { energyCapacityWh: node.energyCapacityWh }),
        zone: 'zone-a',
        metadata: [['device', node.deviceId]],
      });
      const { nodes: registered } = await asOwner.nodes({ owner: owner.address, limit: 30 });
      const id = registered.at(-1)!.id;
      await asOperator.approveNode(id);
      nodeIds[node.deviceId] = id;
    }
    owner.wasm.disconnect();
    owner.bank.disconnect();
    oracle.bank.disconnect();
    return {
      chain,
      port: Number(new URL(chain.rpcUrl).port),
      registryAddress: contractAddress,
      oracleMnemonic: chain.devAccounts[0]!.mnemonic,
      nodeIds,
      registry: new RegistryQueryClient(oracle.wasm, contractAddress),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** The same chain again, from its data directory, on the same port: what a node operator's restart does. */
export function restartRegistryChain(dataDir: string, port: number): Promise<LocalChain> {
  return startLocalChain({ dataDir, port, blockTimeMs: BLOCK_TIME_MS });
}
