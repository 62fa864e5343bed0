import type { RuntimeConfig } from '../src/lib/config/runtime-config.ts';

/** The app's configuration for a local chain started by GridCoop (npm start, the browser tests). */
export function localRuntimeConfig(options: {
  rpcUrl: string;
  chainId: string;
  prefix: string;
  gasPrice: string;
  registry: string;
  governance: string;
  controllerUrl: string | null;
  aggregatorUrl?: string | null;
}): RuntimeConfig {
  const match = /^([\d.]+)([a-z][a-z0-9/]*)$/.exec(options.gasPrice);
  if (!match) throw new Error(`gas price ${options.gasPrice} is not "<amount><denom>"`);
  return {
    chain: {
      chainId: options.chainId,
      chainName: 'GridCoop local',
      rpcUrl: options.rpcUrl,
      bech32Prefix: options.prefix,
      denom: match[2]!,
      displayDenom: match[2]!.replace(/^u/, '').toUpperCase(),
      decimals: 6,
      gasPrice: Number(match[1]),
      local: true,
    },
    contracts: { registry: options.registry, governance: options.governance },
    controllerUrl: options.controllerUrl,
    aggregatorUrl: options.aggregatorUrl ?? null,
    explorerTxUrl: null,
  };
}
