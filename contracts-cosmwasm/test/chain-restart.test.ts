import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLocalChain } from '../chain/local-chain.ts';
import { cw20BaseWasm, cw20InitMsg, signingClient } from './chain-fixture.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gridcoop-chain-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('a restarted chain continues from its data directory: height, balances, sequences and contract state', async () => {
  const first = await startLocalChain({ dataDir, blockTimeMs: 50 });
  let token: string;
  let heightBefore: number;
  let balanceBefore: string;
  let sequenceBefore: number;
  const bob = first.devAccounts[1]!.address;
  {
    const { client, address } = await signingClient(first, 0);
    const { codeId } = await client.upload(address, cw20BaseWasm(), 'auto');
    token = (await client.instantiate(address, codeId, cw20InitMsg(address, address), 'grid token', 'auto'))
      .contractAddress;
    await client.execute(address, token, { transfer: { recipient: bob, amount: '321' } }, 'auto');
    await client.sendTokens(address, bob, [{ denom: first.denom, amount: '777' }], 'auto', 'before restart');
    // a failed tx is part of history too and must replay to the same result
    const failed = await client.signAndBroadcast(
      address,
      [
        {
          typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract',
          value: {
            sender: address,
            contract: token,
            msg: new TextEncoder().encode('{"burn":{"amount":"999999999"}}'),
            funds: [],
          },
        },
      ],
      { amount: [{ denom: first.denom, amount: '10000' }], gas: '400000' },
    );
    assert.notEqual(failed.code, 0);
    balanceBefore = (await client.getBalance(address, first.denom)).amount;
    sequenceBefore = (await client.getSequence(address)).sequence;
    client.disconnect();
    await first.node.sealBlock();
    heightBefore = first.height();
  }
  await first.stop();

  const second = await startLocalChain({ dataDir, blockTimeMs: 50 });
  try {
    assert.ok(second.height() >= heightBefore, `height ${second.height()} continues from ${heightBefore}`);
    assert.equal(second.chainId, first.chainId);
    const { client, address } = await signingClient(second, 0);
    assert.equal((await client.getBalance(address, second.denom)).amount, balanceBefore);
    assert.equal((await client.getSequence(address)).sequence, sequenceBefore);
    assert.deepEqual(await client.queryContractSmart(token, { balance: { address: bob } }), { balance: '321' });
    // and it keeps going: a new tx after the restart
    const result = await client.execute(address, token, { transfer: { recipient: bob, amount: '9' } }, 'auto');
    assert.ok(result.height > heightBefore);
    assert.deepEqual(await client.queryContractSmart(token, { balance: { address: bob } }), { balance: '330' });
    const old = await client.searchTx([{ key: 'message.sender', value: address }]);
    assert.ok(old.length >= 5, 'transactions from before the restart are still found');
    client.disconnect();
  } finally {
    await second.stop();
  }
});

test('a torn last line in the block log is dropped, and --reset starts a fresh chain', async () => {
  appendFileSync(join(dataDir, 'blocks.jsonl'), '{"h":99999,"t":12');
  const resumed = await startLocalChain({ dataDir, blockTimeMs: 50 });
  const resumedHeight = resumed.height();
  await resumed.stop();
  assert.ok(resumedHeight > 5, 'the valid blocks before the torn line were replayed');

  const fresh = await startLocalChain({ dataDir, reset: true, blockTimeMs: 50 });
  try {
    assert.ok(fresh.height() < resumedHeight, `fresh chain height ${fresh.height()} starts over`);
    const { client } = await signingClient(fresh, 0);
    assert.deepEqual(await client.getCodes(), []);
    client.disconnect();
  } finally {
    await fresh.stop();
  }
});
