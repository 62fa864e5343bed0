// Where the contracts can be deployed. Public testnet RPC endpoints change; override with --rpc when one is down.

export interface NetworkConfig {
  readonly name: string;
  readonly rpcUrl: string;
  readonly chainId: string;
  readonly bech32Prefix: string;
  /** e.g. "0.025ugrid", as GasPrice.fromString takes it */
  readonly gasPrice: string;
}

export const networkPresets: Record<string, NetworkConfig> = {
  local: {
    name: 'local',
    rpcUrl: 'http://127.0.0.1:26657',
    chainId: 'gridcoop-local-1',
    bech32Prefix: 'gridcoop',
    gasPrice: '0.025ugrid',
  },
  // Neutron testnet (permissionless CosmWasm, CometBFT 0.38)
  'pion-1': {
    name: 'pion-1',
    rpcUrl: 'https://rpc-falcron.pion-1.ntrn.tech',
    chainId: 'pion-1',
    bech32Prefix: 'neutron',
    gasPrice: '0.0053untrn',
  },
  // Archway testnet (permissionless CosmWasm, CometBFT 0.38)
  'constantine-3': {
    name: 'constantine-3',
    rpcUrl: 'https://rpc.constantine.archway.io',
    chainId: 'constantine-3',
    bech32Prefix: 'archway',
    gasPrice: '140000000000aconst',
  },
};

export class UnknownNetworkError extends Error {
  constructor(readonly network: string) {
    super(`unknown network "${network}"; known: ${Object.keys(networkPresets).join(', ')}`);
    this.name = 'UnknownNetworkError';
  }
}

export function networkPreset(name: string): NetworkConfig {
  const preset = networkPresets[name];
  if (!preset) throw new UnknownNetworkError(name);
  return preset;
}
