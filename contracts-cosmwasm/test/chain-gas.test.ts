import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toUtf8 } from '@cosmjs/encoding';
import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { BroadcastTxError, type StdFee } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgExecuteContract } from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import { cw20BaseWasm, signingClient } from './chain-fixture.ts';

// Contract execution is metered: a contract that loops for ever is stopped by the gas of its tx, of a simulation or
// of a query (code 11), the chain keeps answering and producing blocks meanwhile, and only the configured uploaders
// may store code.

/** The looping contract, built from its text by wabt's wat2wasm (installed by scripts/setup-system.sh). */
function loopingContractWasm(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-loop-'));
  try {
    const out = join(dir, 'loop.wasm');
    execFileSync('wat2wasm', [join(import.meta.dirname, 'wasm', 'looping-contract.wat'), '-o', out]);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('local chain gas metering', () => {
  let chain: LocalChain;
  let client: SigningCosmWasmClient;
  let alice: string;
  let looping: string;

  const spin = () => ({
    typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
    value: MsgExecuteContract.fromPartial({ sender: alice, contract: looping, msg: toUtf8('{}'), funds: [] }),
  });
  const fee = (gas: number): StdFee => ({
    amount: [{ denom: chain.denom, amount: String(Math.ceil(gas * chain.minGasPrice)) }],
    gas: String(gas),
  });
  const status = async () => {
    const res = await fetch(chain.rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'status', params: {} }),
    });
    return ((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result;
  };

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 50 });
    ({ client, address: alice } = await signingClient(chain, 0));
    const { codeId } = await client.upload(alice, loopingContractWasm(), 'auto');
    looping = (await client.instantiate(alice, codeId, {}, 'spins for ever', 'auto')).contractAddress;
  });
  after(async () => {
    client?.disconnect();
    await chain?.stop();
  });

  test('a looping contract runs out of its tx gas with code 11; fee and sequence taken, the chain goes on', async () => {
    const balance = BigInt((await client.getBalance(alice, chain.denom)).amount);
    const { sequence } = await client.getSequence(alice);
    const result = await client.signAndBroadcast(alice, [spin()], fee(500_000));
    assert.equal(result.code, 11);
    assert.match(result.rawLog ?? '', /out of gas in location: wasm execute; gasWanted: 500000/);
    assert.equal(BigInt((await client.getBalance(alice, chain.denom)).amount), balance - 12_500n);
    assert.equal((await client.getSequence(alice)).sequence, sequence + 1);
    const next = await client.sendTokens(
      alice,
      chain.devAccounts[1]!.address,
      [{ denom: chain.denom, amount: '1' }],
      fee(200_000),
    );
    assert.equal(next.code, 0);
  });

  test('simulating a looping contract ends out of gas at the simulation limit; status answers meanwhile', async () => {
    const heightBefore = chain.height();
    const simulation = client.simulate(alice, [spin()], '').then(
      () => 'no error',
      (error: Error) => error.message,
    );
    const answered = await status();
    assert.ok(Number(answered.sync_info.latest_block_height) >= heightBefore);
    assert.match(await simulation, /\(11\): out of gas in location: wasm execute; gasWanted: 100000000/);
    // blocks keep coming after it (polled, generous give-up)
    for (let i = 0; i < 200 && chain.height() < heightBefore + 2; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(chain.height() >= heightBefore + 2);
  });

  test('while a looping simulation runs on the execution thread, /health and /status answer', async () => {
    const simulating = '/cosmos.tx.v1beta1.Service/Simulate';
    const order: string[] = [];
    const simulation = client.simulate(alice, [spin()], '').then(
      () => order.push('simulation: no error'),
      (error: Error) => order.push(`simulation: ${error.message}`),
    );
    // the simulation has reached the execution thread (polled, generous give-up: this is not a timing assert)
    for (let i = 0; i < 2_000 && chain.node.working !== `query ${simulating}`; i++)
      await new Promise((r) => setTimeout(r, 5));
    assert.equal(chain.node.working, `query ${simulating}`, 'the simulation is running');
    const get = (path: string) => fetch(`${chain.rpcUrl}/${path}`).then((res) => res.json());
    const [health, answered] = await Promise.all([
      get('health').then((body) => (order.push('health'), body as { result: object })),
      get('status').then((body) => (order.push('status'), body as { result: { node_info: { network: string } } })),
    ]);
    order.push(`then the execution thread was on: ${chain.node.working}`);
    await simulation;
    assert.deepEqual(health.result, {});
    assert.equal(answered.result.node_info.network, chain.chainId);
    assert.deepEqual(order.slice(0, 2).sort(), ['health', 'status'], order.join(' | '));
    assert.equal(order[2], `then the execution thread was on: query ${simulating}`, order.join(' | '));
    assert.match(order[3]!, /\(11\): out of gas in location: wasm execute; gasWanted: 100000000/);
  });

  test('a smart query of a looping contract ends out of gas at the query gas limit (code 11)', async () => {
    await assert.rejects(
      client.queryContractSmart(looping, {}),
      /\(11\): out of gas in location: wasm query; gasWanted: 3000000/,
    );
    assert.ok(Number((await status()).sync_info.latest_block_height) > 0);
  });

  test('a tx asking for more gas than a block holds is refused with code 41 and costs nothing', async () => {
    const balance = (await client.getBalance(alice, chain.denom)).amount;
    const signed = await client.sign(alice, [spin()], fee(100_000_001), '');
    await assert.rejects(client.broadcastTx(TxRaw.encode(signed).finish(), 5_000, 50), (error: unknown) => {
      assert.ok(error instanceof BroadcastTxError);
      assert.equal(error.code, 41);
      assert.match(error.log ?? '', /tx gas limit 100000001 exceeds block max gas 100000000/);
      return true;
    });
    assert.equal((await client.getBalance(alice, chain.denom)).amount, balance);
  });

  test('only the configured uploaders may store code (the deployer by default): others get code 4', async () => {
    const { client: bobClient, address: bob } = await signingClient(chain, 1);
    try {
      const codesBefore = (await bobClient.getCodes()).length;
      const result = await bobClient.signAndBroadcast(
        bob,
        [{ typeUrl: '/cosmwasm.wasm.v1.MsgStoreCode', value: { sender: bob, wasmByteCode: cw20BaseWasm() } }],
        fee(5_000_000),
      );
      assert.equal(result.code, 4);
      assert.match(result.rawLog ?? '', /may not store code: can not create code: unauthorized/);
      assert.equal((await bobClient.getCodes()).length, codesBefore, 'no code stored');
    } finally {
      bobClient.disconnect();
    }
    const open = await startLocalChain({ blockTimeMs: 50, genesis: { codeUploaders: 'everybody' } });
    try {
      const { client: anyone, address } = await signingClient(open, 1);
      assert.ok((await anyone.upload(address, loopingContractWasm(), 'auto')).codeId > 0);
      anyone.disconnect();
    } finally {
      await open.stop();
    }
  });
});
