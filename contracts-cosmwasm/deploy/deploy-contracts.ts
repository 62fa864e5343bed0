import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import { refuseDevKeyOffLocalChain } from './dev-keys.ts';
import type { NetworkConfig } from './networks.ts';

// Uploads and instantiates contracts in order and records where they landed. An instantiate message may name the
// deployer ("$deployer"), a role of the plan ("$oracle", given as an address) or an earlier contract ("$registry")
// as a whole string value, so the governance contract can be given the registry's address. Each contract is
// instantiated with the deployer as its migrate admin and handed to its planned admin (a multisig, "$governance")
// once everything is wired, so the deployer key holds nothing afterwards.

export interface ContractToDeploy {
  /** name in the deployment file: "registry", "governance" */
  readonly name: string;
  readonly wasmPath: string;
  readonly label: string;
  readonly instantiateMsg: unknown;
  /** admin for later migrations (an address or a "$name" reference); defaults to the deployer */
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
  /** who may migrate it (wasm admin) */
  readonly migrateAdmin?: string;
}

export interface Deployment {
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly deployer: string;
  readonly deployedAt: string;
  readonly contracts: Record<string, DeployedContract>;
  /** the role addresses the plan was deployed with */
  readonly roles?: Record<string, string>;
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
  /** the roles the plan needs (addresses under `roleAddresses`) */
  roles?: readonly string[];
  roleAddresses?: Readonly<Record<string, string>>;
  /** where to write the deployment JSON */
  outFile: string;
  broadcastPollIntervalMs?: number;
}): Promise<Deployment> {
  const { network, contracts, outFile } = options;
  if (!options.mnemonic) throw new DeployError(null, 'no mnemonic: set GRIDCOOP_MNEMONIC to the deployer key');
  try {
    refuseDevKeyOffLocalChain(options.mnemonic, network.chainId, 'GRIDCOOP_MNEMONIC');
  } catch (error) {
    throw new DeployError(null, (error as Error).message);
  }
  const roleAddresses = { ...(options.roleAddresses ?? {}) };
  for (const role of options.roles ?? []) {
    if (!roleAddresses[role])
      throw new DeployError(
        null,
        `the plan needs the ${role} role's address: --role ${role}=ADDRESS or GRIDCOOP_ROLE_${role.toUpperCase()}`,
      );
  }
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
  // The controller holds the oracle key on an always-on machine: it must be able to record and nothing else.
  const oracle = roleAddresses.oracle;
  if (oracle) {
    const shared = Object.entries({ ...roleAddresses, deployer }).find(
      ([role, a]) => role !== 'oracle' && a === oracle,
    );
    if (shared)
      throw new DeployError(null, `the oracle key must be its own key, but it is also the ${shared[0]}'s (${oracle})`);
  }
  const client = await SigningCosmWasmClient.connectWithSigner(network.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(network.gasPrice),
    broadcastPollIntervalMs: options.broadcastPollIntervalMs ?? 500,
  });
  try {
    const chainId = await client.getChainId();
    if (chainId !== network.chainId)
      throw new DeployError(null, `${network.rpcUrl} serves chain ${chainId}, expected ${network.chainId}`);
    const names: Record<string, string> = { ...roleAddresses, deployer };
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
          admin: deployer,
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
    // Last, once nothing more needs the deployer: each contract's migrate right goes to its planned admin.
    for (const c of contracts) {
      const migrateAdmin = c.admin ? (substitute(c.admin, names, c.name) as string) : deployer;
      if (migrateAdmin !== deployer) {
        try {
          await client.updateAdmin(deployer, deployed[c.name]!.address, migrateAdmin, 'auto');
        } catch (error) {
          throw new DeployError(c.name, `handing the migrate admin to ${migrateAdmin}: ${(error as Error).message}`);
        }
      }
      deployed[c.name] = { ...deployed[c.name]!, migrateAdmin };
    }
    const deployment: Deployment = {
      chainId,
      rpcUrl: network.rpcUrl,
      deployer,
      deployedAt: new Date().toISOString(),
      contracts: deployed,
      ...(Object.keys(roleAddresses).length ? { roles: roleAddresses } : {}),
    };
    mkdirSync(dirname(outFile), { recursive: true, mode: 0o700 });
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
