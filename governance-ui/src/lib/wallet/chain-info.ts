import type { ChainInfo } from '@keplr-wallet/types';
import type { ChainSettings } from '../config/runtime-config.ts';

/**
 * The chain as Keplr and Leap want it suggested (`experimentalSuggestChain`): for the local chain, which no wallet
 * knows, and for a configured real chain, which a wallet may know under other settings. Cosmos coin type 118.
 */
export function chainInfoFor(chain: ChainSettings): ChainInfo {
  const currency = { coinDenom: chain.displayDenom, coinMinimalDenom: chain.denom, coinDecimals: chain.decimals };
  const p = chain.bech32Prefix;
  return {
    chainId: chain.chainId,
    chainName: chain.chainName,
    rpc: chain.rpcUrl,
    // the local chain serves no REST API; wallets that need one for balances fall back to RPC queries
    rest: chain.rpcUrl,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [currency],
    feeCurrencies: [
      {
        ...currency,
        gasPriceStep: { low: chain.gasPrice, average: chain.gasPrice * 1.25, high: chain.gasPrice * 2 },
      },
    ],
    stakeCurrency: currency,
    features: ['cosmwasm'],
  };
}
