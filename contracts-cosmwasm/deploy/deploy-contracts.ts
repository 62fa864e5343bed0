import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import type { NetworkConfig } from './networks.ts';

// Uploads and instantiates contracts in order and records where they landed. An instantiate message may name the
// deployer ("$deployer") or an earlier contract ("$registry") as a whole string value, so the governance contract can
// be given the registry's address.

export interface ContractToDeploy {
  /** name in the deployment file: "registry", "governance" */
  readonly name: string;
  readonly wasmPath: string;
  readonly label: string;
  readonly instantiateMsg: unknown;
  /** admin for later migrations; defaults to the deployer */
  readonly admin?: string;
}

/** An execute on a deployed contract after all are instantiated; its message may use "$name" references. */
export interface WiringStep {
  readonly contract: string;
  readonly msg: Record<string, unknown>;
}

export interface DeployedContract {
  readonly codeId: number;
  readonly address: string;
  readonly checksum: string;
  readonly txHash: string;
}

export interface Deployment {
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly deployer: string;
  readonly deployedAt: string;
  readonly contracts: Record<string, DeployedContract>;
}

export class DeployError extends Error {
  constructor(
    readonly contract: string | null,
    reason: string,
  ) {
    super(contract ? `deploying ${contract}: ${reason}` : reason);
    this.name = 'DeployError';
  }
}

export function deploymentPath(baseDir: string, chainId: string): string {
  return `${baseDir}/${chainId}.json`;
}

function substitute(value: unknown, names: Record<string, string>, contract: string): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const resolved = names[value.slice(1)];
    if (resolved === undefined)
      throw new DeployError(contract, `instantiate message refers to ${value}, which is not deployed before it`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, names, contract));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, names, contract)]));
  return value;
}

export async function deployContracts(options: {
  network: NetworkConfig;
  mnemonic: string | undefined;
  contracts: readonly ContractToDeploy[];
  then?: readonly WiringStep[];
  /** where to write the deployment JSON */
  outFile: string;
  broadcastPollIntervalMs?: number;
}): Promise<Deployment> {
  const { network, contracts, outFile } = options;
  if (!options.mnemonic) throw new DeployError(null, 'no mnemonic: set GRIDCOOP_MNEMONIC to the deployer key');
  for (const c of contracts) {
    if (!existsSync(c.wasmPath))
      throw new DeployError(c.name, `wasm file ${c.wasmPath} not found (run npm run build:contracts)`);
  }
  let wallet: DirectSecp256k1HdWallet;
  try {
    wallet = await DirectSecp256k1HdWallet.fromMnemonic(options.mnemonic, { prefix: network.bech32Prefix });
  } catch (error) {
    throw new DeployError(null, `GRIDCOOP_MNEMONIC is not a valid mnemonic: ${(error as Error).message}`);
  }
  const [account] = await wallet.getAccounts();
  const deployer = account!.address;
  const client = await SigningCosmWasmClient.connectWithSigner(network.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(network.gasPrice),
    broadcastPollIntervalMs: options.broadcastPollIntervalMs ?? 500,
  });
  try {
    const chainId = await client.getChainId();
    if (chainId !== network.chainId)
      throw new DeployError(null, `${network.rpcUrl} serves chain ${chainId}, expected ${network.chainId}`);
    const names: Record<string, string> = { deployer };
    const deployed: Record<string, DeployedContract> = {};
    for (const c of contracts) {
      try {
        const upload = await client.upload(
          deployer,
          new Uint8Array(readFileSync(c.wasmPath)),
          'auto',
          `GridCoop ${c.name}`,
        );
        const msg = substitute(c.instantiateMsg, names, c.name) as Record<string, unknown>;
        const instantiated = await client.instantiate(deployer, upload.codeId, msg, c.label, 'auto', {
          admin: c.admin ?? deployer,
        });
        deployed[c.name] = {
          codeId: upload.codeId,
          address: instantiated.contractAddress,
          checksum: upload.checksum,
          txHash: instantiated.transactionHash,
        };
        names[c.name] = instantiated.contractAddress;
      } catch (error) {
        if (error instanceof DeployError) throw error;
        throw new DeployError(c.name, (error as Error).message);
      }
    }
    for (const step of options.then ?? []) {
      try {
        const address = names[step.contract];
        if (!address) throw new DeployError(step.contract, 'a wiring step names a contract that was not deployed');
        await client.execute(
          deployer,
          address,
          substitute(step.msg, names, step.contract) as Record<string, unknown>,
          'auto',
        );
      } catch (error) {
        if (error instanceof DeployError) throw error;
        throw new DeployError(step.contract, `wiring ${Object.keys(step.msg)[0] ?? ''}: ${(error as Error).message}`);
      }
    }
    const deployment: Deployment = {
      chainId,
      rpcUrl: network.rpcUrl,
      deployer,
      deployedAt: new Date().toISOString(),
      contracts: deployed,
    };
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(deployment, null, 2) + '\n');
    return deployment;
  } finally {
    client.disconnect();
  }
}

/** Reads a deployment file as the controller and the UI do. */
export function readDeployment(file: string): Deployment {
  return JSON.parse(readFileSync(file, 'utf8')) as Deployment;
}
