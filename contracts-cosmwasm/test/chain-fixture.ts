import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice } from '@cosmjs/stargate';
import type { LocalChain } from '../chain/local-chain.ts';

// Shared by the chain tests: a real third-party contract (cw20-base from cw-plus, prebuilt) and unmodified CosmJS
// clients with a short broadcast poll interval.

const require = createRequire(import.meta.url);

export function cw20BaseWasm(): Uint8Array {
  const dir = dirname(require.resolve('@oraichain/common-contracts-build/package.json'));
  return new Uint8Array(readFileSync(join(dir, 'data', 'cw20-base.wasm')));
}

export async function signingClient(
  chain: Pick<LocalChain, 'devAccounts' | 'prefix' | 'rpcUrl' | 'gasPrice'>,
  accountIndex: number,
  broadcastPollIntervalMs = 50,
): Promise<{ client: SigningCosmWasmClient; address: string }> {
  const account = chain.devAccounts[accountIndex]!;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: chain.prefix });
  const client = await SigningCosmWasmClient.connectWithSigner(chain.rpcUrl, wallet, {
    gasPrice: GasPrice.fromString(chain.gasPrice),
    broadcastPollIntervalMs,
  });
  return { client, address: account.address };
}

export function cw20InitMsg(minter: string, holder: string) {
  return {
    name: 'Grid Token',
    symbol: 'GRID',
    decimals: 6,
    initial_balances: [{ address: holder, amount: '1000000' }],
    mint: { minter },
  };
}
