// The registry in cw-simulate for the integration tests: the optimised wasm from the build (built first when
// missing), instantiated with an admin, an operator, an oracle and a governance address; time fixed at
// 2100-01-01 (cw-simulate never moves it back to the wall clock) and moved only by the tests.
// Every message sent through `as(...)`/`query` is first validated against the published JSON schema, so the
// schema and the contract are checked against each other by every test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { sha256 } from '@cosmjs/crypto';
import { toBech32, toHex, toUtf8 } from '@cosmjs/encoding';
import { CWSimulateApp, SimulateCosmWasmClient } from '@oraichain/cw-simulate';
import { compareKeysLikeAChain } from '../chain/cw-simulate-fixes.ts';
import { RegistryClient, RegistryQueryClient } from '../client/registry-client.ts';
import { registryExecuteSchema, registryInstantiateSchema, registryQuerySchema } from '../client/registry-schema.ts';
import { validateAgainstSchema, type JsonSchema } from '../client/json-schema.ts';
import type { IntervalRecord, NodeKind, RegistryInstantiateMsg } from '../client/registry-types.ts';

const contractsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REGISTRY_WASM = join(contractsDir, 'artifacts', 'gridcoop_registry.wasm');
export const BECH32_PREFIX = 'grid';
export const DENOM = 'ugrid';
/** 2100-01-01T00:00:00Z, the start of an epoch of one day. */
export const START_TIME_S = 4_102_444_800;
export const INTERVAL_S = 900;
export const EPOCH_LENGTH_S = 86_400;
export const SETTLEMENT_DELAY_S = 3_600;

let wasmCache: Uint8Array | undefined;

/** The optimised registry wasm; when it is missing the build runs (never a skip). */
export function registryWasm(): Uint8Array {
  if (wasmCache) return wasmCache;
  if (!existsSync(REGISTRY_WASM)) {
    // Shared lock with the governance tests: two test files missing the artifacts must not build at once, and
    // the one that waited finds the wasm there instead of building again.
    const buildScript = join(contractsDir, 'scripts/build.ts');
    const command = `test -f '${REGISTRY_WASM}' || '${process.execPath}' --import tsx '${buildScript}' --only registry`;
    const build = spawnSync('flock', ['/tmp/gridcoop-contracts-build.lock', 'sh', '-c', command], {
      cwd: join(contractsDir, '..'),
      encoding: 'utf8',
    });
    if (!existsSync(REGISTRY_WASM))
      throw new Error(`the registry build produced no wasm:\n${build.stdout}\n${build.stderr}`);
  }
  wasmCache = new Uint8Array(readFileSync(REGISTRY_WASM));
  return wasmCache;
}

/** A deterministic, valid bech32 address for a named actor. */
export function address(name: string): string {
  return toBech32(BECH32_PREFIX, sha256(toUtf8(name)).slice(0, 20));
}

export function samplesHash(seed: string): string {
  return toHex(sha256(toUtf8(seed)));
}

function assertSchema(schema: JsonSchema, msg: unknown, what: string): void {
  const problems = validateAgainstSchema(schema, msg);
  assert.deepEqual(problems, [], `${what} does not match the published schema: ${JSON.stringify(msg)}`);
}

type Backend = ConstructorParameters<typeof RegistryClient>[0];

/** Passes calls through to cw-simulate after checking each message against the schema. */
function schemaCheckedBackend(client: SimulateCosmWasmClient): Backend {
  return {
    execute: (sender, contract, msg, fee, memo, funds) => {
      assertSchema(registryExecuteSchema, msg, 'execute message');
      return client.execute(sender, contract, msg, fee, memo, funds);
    },
    queryContractSmart: (contract, msg) => {
      assertSchema(registryQuerySchema, msg, 'query message');
      return client.queryContractSmart(contract, msg);
    },
  };
}

export interface WorldOptions {
  metering?: boolean;
  /** Send the instantiate message even if the schema refuses it (to test the contract's own checks). */
  skipSchemaCheck?: boolean;
  instantiate?: Partial<RegistryInstantiateMsg>;
}

export class RegistryWorld {
  readonly admin = address('admin');
  readonly operator = address('operator');
  readonly oracle = address('oracle');
  readonly governance = address('governance');
  readonly stranger = address('stranger');
  contract = '';
  codeId = 0;

  constructor(
    readonly app: CWSimulateApp,
    readonly client: SimulateCosmWasmClient,
  ) {}

  /** A signing client for `sender`. */
  as(sender: string): RegistryClient {
    return new RegistryClient(schemaCheckedBackend(this.client), this.contract, sender);
  }

  /** A signing client that skips the schema check: for messages the schema itself refuses. */
  unchecked(sender: string): RegistryClient {
    return new RegistryClient(this.client, this.contract, sender);
  }

  get query(): RegistryQueryClient {
    return new RegistryQueryClient(schemaCheckedBackend(this.client), this.contract);
  }

  get nowS(): number {
    return Math.floor(this.app.time / 1e9);
  }

  get height(): number {
    return this.app.height;
  }

  advanceSeconds(seconds: number): void {
    this.app.time = this.app.time + seconds * 1e9;
  }

  /**
   * cw-simulate keeps the contract's VM store across calls and rolls back only its own copy when a message
   * fails, so writes made before the failure would linger in the VM. A chain discards them; so does this.
   */
  resyncVmStorage(): void {
    const contract = this.app.wasm.getContract(this.contract) as unknown as {
      _vm?: { backend: { storage: { dict: unknown } } };
      getStorage(): unknown;
    };
    if (contract._vm) contract._vm.backend.storage.dict = contract.getStorage();
  }

  /** Everything the contract stores, plus the bank: compared before and after a refused message. */
  stateDigest(): string {
    const storage = this.app.wasm.getContractStorage(this.contract);
    return JSON.stringify({ storage, bank: this.app.bank.getBalances() });
  }

  /** Registers a node as `owner` and has the operator approve it; returns its id. */
  async activeNode(
    owner: string,
    node: { kind?: NodeKind; ratedPowerW?: number; zone?: string; energyCapacityWh?: number } = {},
  ): Promise<number> {
    const id = await this.pendingNode(owner, node);
    await this.as(this.operator).approveNode(id);
    return id;
  }

  async pendingNode(
    owner: string,
    node: { kind?: NodeKind; ratedPowerW?: number; zone?: string; energyCapacityWh?: number } = {},
  ): Promise<number> {
    const kind = node.kind ?? 'pv';
    const result = await this.as(owner).registerNode({
      kind,
      ratedPowerW: node.ratedPowerW ?? 10_000,
      energyCapacityWh: kind === 'battery' ? (node.energyCapacityWh ?? 20_000) : undefined,
      zone: node.zone ?? 'zone-a',
    });
    const id = result.events.flatMap((e) => e.attributes).find((a) => a.key === 'node_id')?.value;
    assert.ok(id, 'register_node answers the node id');
    return Number(id);
  }

  /** A plausible record of `nodeId` for the interval starting at `intervalStart`. */
  record(nodeId: number, intervalStart: number, overrides: Partial<IntervalRecord> = {}): IntervalRecord {
    const index = Math.floor((intervalStart - START_TIME_S) / INTERVAL_S);
    return {
      node_id: nodeId,
      interval_start: intervalStart,
      interval_s: INTERVAL_S,
      energy_in_wh: 0,
      energy_out_wh: 1_000,
      counter_in_wh: 0,
      counter_out_wh: 1_000 * (index + 1),
      samples_hash: samplesHash(`${nodeId}@${intervalStart}`),
      ...overrides,
    };
  }
}

export async function registryWorld(options: WorldOptions = {}): Promise<RegistryWorld> {
  compareKeysLikeAChain();
  const app = new CWSimulateApp({
    chainId: 'gridcoop-test',
    bech32Prefix: BECH32_PREFIX,
    metering: options.metering ?? false,
  });
  app.time = START_TIME_S * 1e9;
  const client = new SimulateCosmWasmClient(app);
  const world = new RegistryWorld(app, client);
  world.codeId = (await client.upload(world.admin, registryWasm(), 'auto')).codeId;
  const msg: RegistryInstantiateMsg = {
    admin: world.admin,
    operator: world.operator,
    governance: world.governance,
    oracles: [world.oracle],
    reward_denom: DENOM,
    interval_s: INTERVAL_S,
    epoch_length_s: EPOCH_LENGTH_S,
    settlement_delay_s: SETTLEMENT_DELAY_S,
    reward_policy: null,
    ...options.instantiate,
  };
  if (!options.skipSchemaCheck) assertSchema(registryInstantiateSchema, msg, 'instantiate message');
  world.contract = (
    await client.instantiate(world.admin, world.codeId, msg, 'registry', 'auto', { admin: world.admin })
  ).contractAddress;
  // Start one interval into the day so that the day's first interval is closed and recordable.
  world.advanceSeconds(INTERVAL_S);
  return world;
}

/** Asserts that `action` is refused with an error matching `reason` and that nothing changed in the contract. */
export async function assertRefused(
  world: RegistryWorld,
  action: () => Promise<unknown>,
  reason: RegExp,
): Promise<void> {
  const before = world.stateDigest();
  await assert.rejects(action, (error: Error) => {
    assert.match(error.message, reason);
    return true;
  });
  world.resyncVmStorage();
  assert.equal(world.stateDigest(), before, 'a refused message changed stored state');
}
