// A governance world for the integration tests: the built wasm of the registry AND the governance contract in
// cw-simulate, the registry holding approved nodes owned by members, governance reading power from it, and the
// registry accepting set_reward_policy from governance only. Time is fixed (2100-01-01) and moved only by the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CWSimulateApp, SimulateCosmWasmClient } from '@oraichain/cw-simulate';
import { GovernanceClient, GovernanceQueryClient } from '../client/governance-client.ts';
import type { AllocationPolicy, GovernanceInstantiateMsg } from '../client/governance-types.ts';
import { address, BECH32_PREFIX, DENOM, registryWorld } from './registry-fixture.ts';
import { allocateStringsAsUtf8, compareKeysLikeAChain } from '../chain/cw-simulate-fixes.ts';

export { address, DENOM };

const contractsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// GOVERNANCE_TEST_ARTIFACTS points the tests at another build of the governance contract.
const GOVERNANCE_WASM = process.env.GOVERNANCE_TEST_ARTIFACTS
  ? join(process.env.GOVERNANCE_TEST_ARTIFACTS, 'gridcoop_governance.wasm')
  : join(contractsDir, 'artifacts', 'gridcoop_governance.wasm');

let governanceWasmCache: Uint8Array | undefined;

/** The optimised governance wasm from the build; when it is missing the build runs first (never a skip). */
export function governanceWasm(): Uint8Array {
  if (governanceWasmCache) return governanceWasmCache;
  if (!existsSync(GOVERNANCE_WASM)) {
    // The lock is shared with the registry tests: two test files missing artifacts must not build at once, and the
    // one that waited finds the wasm there instead of building again.
    const buildScript = join(contractsDir, 'scripts/build.ts');
    const command = `test -f '${GOVERNANCE_WASM}' || '${process.execPath}' --import tsx '${buildScript}' --only governance`;
    const build = spawnSync('flock', ['/tmp/gridcoop-contracts-build.lock', 'sh', '-c', command], {
      cwd: join(contractsDir, '..'),
      encoding: 'utf8',
    });
    if (!existsSync(GOVERNANCE_WASM)) {
      throw new Error(`the governance build produced no wasm at ${GOVERNANCE_WASM}:\n${build.stdout}\n${build.stderr}`);
    }
  }
  governanceWasmCache = new Uint8Array(readFileSync(GOVERNANCE_WASM));
  return governanceWasmCache;
}

export function validPolicy(overrides: Partial<AllocationPolicy> = {}): AllocationPolicy {
  return {
    battery_reserve_pct: 20,
    surplus_split: { battery_pct: 50, miners_pct: 30, export_pct: 20 },
    miner_flexibility_pct: 100,
    reward_multipliers: {
      kind_bps: { pv: 10_000, battery: 10_000, flexible_load: 10_000 },
      zone_bps: [['zone-a', 12_000]],
      flexibility_bps: 10_000,
    },
    ...overrides,
  };
}

export interface WorldOptions {
  /** [member name, rated power in W of one approved node they own]. */
  members?: Array<[string, number]>;
  governance?: Partial<GovernanceInstantiateMsg>;
  /** Record gas (cw-simulate's metering, not a chain's figures). */
  metering?: boolean;
}

export const DEFAULT_MEMBERS: Array<[string, number]> = [
  ['alice', 5_000],
  ['bob', 3_000],
  ['carol', 2_000],
];

export class GovernanceWorld {
  readonly admin = address('admin');
  readonly operator = address('operator');
  readonly council = address('council');
  readonly treasury = address('treasury');
  registry = '';
  governance = '';
  governanceCodeId = 0;
  registryCodeId = 0;

  constructor(
    readonly app: CWSimulateApp,
    readonly client: SimulateCosmWasmClient,
  ) {}

  member(name: string): string {
    return address(name);
  }

  /** A governance client signing as `name` (an actor name or an address). */
  as(name: string): GovernanceClient {
    const sender = name.startsWith(`${BECH32_PREFIX}1`) ? name : address(name);
    return new GovernanceClient(this.client, sender, this.governance);
  }

  get query(): GovernanceQueryClient {
    return new GovernanceQueryClient(this.client, this.governance);
  }

  nowNs(): bigint {
    return BigInt(this.app.time);
  }

  advanceSeconds(seconds: number): void {
    this.app.time = this.app.time + seconds * 1e9;
    this.app.height = this.app.height + 1;
  }

  /** Registers a node for `owner` and has the operator approve it: its rated power becomes voting power. */
  async addActiveNode(
    owner: string,
    ratedPowerW: number,
    kind: 'pv' | 'battery' | 'flexible_load' = 'pv',
  ): Promise<number> {
    const registered = await this.client.execute(
      owner,
      this.registry,
      {
        register_node: {
          kind,
          rated_power_w: ratedPowerW,
          energy_capacity_wh: kind === 'battery' ? ratedPowerW * 2 : null,
          zone: 'zone-a',
          metadata: [],
        },
      },
      'auto',
    );
    const nodeId = Number(
      registered.events.flatMap((e) => e.attributes).find((a) => a.key === 'node_id')?.value ?? Number.NaN,
    );
    if (!Number.isInteger(nodeId))
      throw new Error(`register_node gave no node_id: ${JSON.stringify(registered.events)}`);
    await this.client.execute(this.operator, this.registry, { approve_node: { node_id: nodeId } }, 'auto');
    return nodeId;
  }

  /**
   * After a transaction that failed in a sub-message, cw-simulate rolls its store back but each contract VM keeps the
   * storage it wrote (a chain keeps nothing of a failed transaction). Reloads every VM's storage from the store.
   */
  reloadContractStorage(): void {
    for (const contract of [this.registry, this.governance]) {
      const instance = this.app.wasm.getContract(contract);
      const Storage = this.app.kvIterStorageRegistry as unknown as new (state: unknown) => unknown;
      (instance.vm.backend as { storage: unknown }).storage = new Storage(instance.getStorage());
    }
  }

  async registryRewardPolicy(): Promise<unknown> {
    return this.client.queryContractSmart(this.registry, { reward_policy: {} });
  }

  async balance(addr: string): Promise<bigint> {
    return BigInt((await this.client.getBalance(addr, DENOM)).amount);
  }
}

export function governanceInstantiateMsg(
  world: GovernanceWorld,
  overrides: Partial<GovernanceInstantiateMsg> = {},
): GovernanceInstantiateMsg {
  return {
    registry: world.registry,
    council: world.council,
    threshold: { threshold: { majority: {} }, quorum: { percent_bps: 2_000 } },
    min_voting_period_seconds: 3_600,
    max_voting_period_seconds: 86_400,
    timelock_seconds: 7_200,
    allow_revoting: false,
    deposit: null,
    execution_window_seconds: 86_400,
    initial_policy: validPolicy(),
    ...overrides,
  };
}

export async function startGovernanceWorld(options: WorldOptions = {}): Promise<GovernanceWorld> {
  // The registry world (app, clock, registry with its admin and operator); governance is set in it once it exists.
  const registry = await registryWorld({ metering: options.metering ?? false, instantiate: { governance: null } });
  const world = new GovernanceWorld(registry.app, registry.client);
  world.registry = registry.contract;
  world.registryCodeId = registry.codeId;
  allocateStringsAsUtf8();
  compareKeysLikeAChain();
  world.governanceCodeId = (await world.client.upload(world.admin, governanceWasm(), 'auto')).codeId;
  for (const [name, ratedPowerW] of options.members ?? DEFAULT_MEMBERS) {
    await world.addActiveNode(address(name), ratedPowerW);
  }
  const governance = await world.client.instantiate(
    world.admin,
    world.governanceCodeId,
    governanceInstantiateMsg(world, options.governance),
    'governance',
    'auto',
    { admin: world.admin },
  );
  world.governance = governance.contractAddress;
  await world.client.execute(
    world.admin,
    world.registry,
    { update_config: { admin: null, operator: null, governance: world.governance } },
    'auto',
  );
  // Powers recorded "at the start of a block" are only visible from the next block on.
  world.advanceSeconds(5);
  return world;
}

/** The error message a refused transaction threw. */
export async function refusal(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the transaction to be refused, but it succeeded');
}

/**
 * Calls a contract's `execute` export with raw message bytes, as a chain would pass them, bypassing the JSON
 * serialisation of the clients (they cannot produce malformed JSON). Nothing is persisted: the state the test reads
 * afterwards shows whether anything would have been.
 */
export function rawExecute(
  world: GovernanceWorld,
  contract: string,
  sender: string,
  messageText: string,
): { ok?: unknown; error?: string } {
  const vm = world.app.wasm.getContract(contract).vm;
  const env = world.app.wasm.getExecutionEnv(contract);
  const pointers = [
    vm.allocate_json(env).ptr,
    vm.allocate_json({ sender, funds: [] }).ptr,
    vm.allocate_str(messageText).ptr,
  ];
  const execute = vm.exports.execute as (envPtr: number, infoPtr: number, msgPtr: number) => number;
  return vm.json(execute(...(pointers as [number, number, number]))) as { ok?: unknown; error?: string };
}

/** The same for `query`. */
export function rawQuery(
  world: GovernanceWorld,
  contract: string,
  messageText: string,
): { ok?: unknown; error?: string } {
  const vm = world.app.wasm.getContract(contract).vm;
  const env = world.app.wasm.getExecutionEnv(contract);
  const query = vm.exports.query as (envPtr: number, msgPtr: number) => number;
  return vm.json(query(vm.allocate_json(env).ptr, vm.allocate_str(messageText).ptr)) as {
    ok?: unknown;
    error?: string;
  };
}
