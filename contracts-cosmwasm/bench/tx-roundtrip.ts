// Transaction round trip against the local chain: signAndBroadcast (sign, broadcast_tx_sync, poll tx_search until
// the block is sealed) with an unmodified SigningCosmWasmClient. Prints p50/p99 for a bank send and a cw20 execute.
// Run: node --import tsx contracts-cosmwasm/bench/tx-roundtrip.ts [count=100] [blockMs=20] [pollMs=10]
import { performance } from 'node:perf_hooks';
import { startLocalChain } from '../chain/local-chain.ts';
import { cw20BaseWasm, cw20InitMsg, signingClient } from '../test/chain-fixture.ts';

const count = Number(process.argv[2] ?? 100);
const blockMs = Number(process.argv[3] ?? 20);
const pollMs = Number(process.argv[4] ?? 10);

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))]!;
}

const chain = await startLocalChain({ blockTimeMs: blockMs });
try {
  const { client, address } = await signingClient(chain, 0, pollMs);
  const bob = chain.devAccounts[1]!.address;
  const { codeId } = await client.upload(address, cw20BaseWasm(), 'auto');
  const token = (await client.instantiate(address, codeId, cw20InitMsg(address, address), 'bench', 'auto'))
    .contractAddress;
  const fixedFee = { amount: [{ denom: chain.denom, amount: '10000' }], gas: '400000' };
  const cases: [string, () => Promise<unknown>][] = [
    ['bank send (fixed fee)', () => client.sendTokens(address, bob, [{ denom: chain.denom, amount: '1' }], fixedFee)],
    [
      'cw20 transfer (fixed fee)',
      () => client.execute(address, token, { transfer: { recipient: bob, amount: '1' } }, fixedFee),
    ],
    [
      'cw20 transfer (fee "auto": simulate + broadcast)',
      () => client.execute(address, token, { transfer: { recipient: bob, amount: '1' } }, 'auto'),
    ],
  ];
  console.log(`tx round trip, ${count} txs each, block time ${blockMs} ms, broadcast poll interval ${pollMs} ms`);
  for (const [name, run] of cases) {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await run();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    console.log(
      `${name}: p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms, max ${samples[samples.length - 1]!.toFixed(1)} ms`,
    );
  }
  client.disconnect();
} finally {
  await chain.stop();
}
