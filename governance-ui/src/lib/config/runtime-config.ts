/**
 * What the app needs to know about the deployment it serves: the chain (RPC, id, prefix, denom), the contracts and
 * the controller's API. It is read at run time from /config.json (written by the UI server from the deployment
 * file), so one build serves the local demo, a testnet and a real chain.
 */
export interface ChainSettings {
  chainId: string;
  chainName: string;
  rpcUrl: string;
  bech32Prefix: string;
  /** fee and staking denom, e.g. "ugrid" or "untrn" */
  denom: string;
  /** what the UI shows for 10^decimals of `denom`, e.g. "GRID" */
  displayDenom: string;
  decimals: number;
  /** minimum gas price in `denom`, e.g. 0.025 */
  gasPrice: number;
  /** true only for GridCoop's local development chain: it enables the development wallet */
  local: boolean;
}

export interface RuntimeConfig {
  chain: ChainSettings;
  contracts: { registry: string; governance: string };
  /** the controller's API origin, e.g. http://127.0.0.1:8080 (the live plant view reads /api/... there) */
  controllerUrl: string | null;
  /** the VPP aggregator's API origin when a fleet runs */
  aggregatorUrl: string | null;
  /** block explorer URL template for a transaction ({hash}); null = the app's own /tx page */
  explorerTxUrl: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function field<T>(value: unknown, path: string, check: (v: unknown) => v is T, expected: string): T {
  if (!check(value)) throw new ConfigError(`config.json: ${path} should be ${expected}`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isNullableString = (v: unknown): v is string | null => v === null || v === undefined || isString(v);

/** Checks the shape of /config.json and names the first field that is wrong. */
export function parseRuntimeConfig(raw: unknown): RuntimeConfig {
  const root = (raw ?? {}) as Record<string, unknown>;
  const chain = (root.chain ?? {}) as Record<string, unknown>;
  const contracts = (root.contracts ?? {}) as Record<string, unknown>;
  return {
    chain: {
      chainId: field(chain.chainId, 'chain.chainId', isString, 'a chain id'),
      chainName: (chain.chainName as string | undefined) ?? String(chain.chainId),
      rpcUrl: field(chain.rpcUrl, 'chain.rpcUrl', isString, 'the RPC URL'),
      bech32Prefix: field(chain.bech32Prefix, 'chain.bech32Prefix', isString, 'an address prefix'),
      denom: field(chain.denom, 'chain.denom', isString, 'a denom'),
      displayDenom: (chain.displayDenom as string | undefined) ?? String(chain.denom),
      decimals: (chain.decimals as number | undefined) ?? 6,
      gasPrice: field(chain.gasPrice, 'chain.gasPrice', isNumber, 'a number'),
      local: field(chain.local ?? false, 'chain.local', isBoolean, 'true or false'),
    },
    contracts: {
      registry: field(contracts.registry, 'contracts.registry', isString, 'the registry address'),
      governance: field(contracts.governance, 'contracts.governance', isString, 'the governance address'),
    },
    controllerUrl: field(root.controllerUrl ?? null, 'controllerUrl', isNullableString, 'a URL or null') ?? null,
    aggregatorUrl: field(root.aggregatorUrl ?? null, 'aggregatorUrl', isNullableString, 'a URL or null') ?? null,
    explorerTxUrl: field(root.explorerTxUrl ?? null, 'explorerTxUrl', isNullableString, 'a URL or null') ?? null,
  };
}

let loaded: Promise<RuntimeConfig> | null = null;

/** The deployment's configuration, fetched once. */
export function runtimeConfig(): Promise<RuntimeConfig> {
  loaded ??= fetch('/config.json') // the server sends Cache-Control: no-store
    .then(async (res) => {
      if (!res.ok) throw new ConfigError(`config.json: the UI server answered ${res.status}`);
      return parseRuntimeConfig(await res.json());
    })
    .catch((error: unknown) => {
      loaded = null; // a later call tries again
      throw error;
    });
  return loaded;
}
