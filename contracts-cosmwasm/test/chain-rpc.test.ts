import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toHex } from '@cosmjs/encoding';
import { QueryAccountRequest } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';

// The JSON-RPC surface itself, as curl or another client sees it.

describe('local chain JSON-RPC', () => {
  let chain: LocalChain;
  const rpc = async (method: string, params: Record<string, unknown> = {}) => {
    const res = await fetch(chain.rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own fields of a raw JSON-RPC answer
    return (await res.json()) as { id: number; result?: any; error?: { code: number; message: string; data: string } };
  };

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 30 });
  });
  after(async () => {
    await chain?.stop();
  });

  test('status reports a CometBFT 0.38 node with a height, an app hash and a block hash', async () => {
    const { result } = await rpc('status');
    assert.match(result.node_info.version, /^0\.38\./);
    assert.equal(result.node_info.network, chain.chainId);
    assert.ok(Number(result.sync_info.latest_block_height) >= 1);
    assert.match(result.sync_info.latest_app_hash, /^[0-9A-F]{64}$/);
    assert.match(result.sync_info.latest_block_hash, /^[0-9A-F]{64}$/);
  });

  test('blocks keep coming every block time, each linked to the previous one', async () => {
    const start = chain.height();
    // no new tx is sent: only the block timer can raise the height (polled, with a generous give-up)
    for (let i = 0; i < 200 && chain.height() < start + 2; i++) await new Promise((r) => setTimeout(r, 25));
    const end = chain.height();
    assert.ok(end >= start + 2, `height went from ${start} to ${end}`);
    const { result } = await rpc('block', { height: String(end) });
    const { result: previous } = await rpc('block', { height: String(end - 1) });
    assert.equal(result.block.header.last_block_id.hash, previous.block_id.hash);
  });

  test('the GET form answers as the POST form does', async () => {
    const res = await fetch(`${chain.rpcUrl}/status`);
    const body = (await res.json()) as { result: { node_info: { network: string } } };
    assert.equal(body.result.node_info.network, chain.chainId);
  });

  test('abci_query for a missing account answers NotFound with a non-zero height', async () => {
    const data = toHex(
      QueryAccountRequest.encode({ address: 'gridcoop1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a' }).finish(),
    );
    const { result } = await rpc('abci_query', { path: '/cosmos.auth.v1beta1.Query/Account', data, prove: false });
    assert.equal(result.response.code, 22);
    assert.match(result.response.log, /rpc error: code = NotFound/i);
    assert.ok(Number(result.response.height) > 0);
  });

  test('bad requests get typed JSON-RPC errors naming the method and parameter', async () => {
    const unknown = await rpc('no_such_method');
    assert.equal(unknown.error?.code, -32601);
    assert.equal(unknown.id, 7);
    const missing = await rpc('broadcast_tx_sync', {});
    assert.equal(missing.error?.code, -32602);
    assert.match(missing.error?.data ?? '', /broadcast_tx_sync: parameter tx: missing/);
    const badHeight = await rpc('block', { height: '999999' });
    assert.match(badHeight.error?.data ?? '', /height/);
    const badQuery = await rpc('tx_search', { query: 'tx.height >> 1' });
    assert.match(badQuery.error?.data ?? '', /cannot parse tx query/);
    const garbage = await fetch(chain.rpcUrl, { method: 'POST', body: '{not json' });
    assert.equal(((await garbage.json()) as { error: { code: number } }).error.code, -32700);
  });

  test('a broadcast of bytes that are not a transaction is refused with code 2 and nothing is included', async () => {
    const heightBefore = chain.height();
    const { result } = await rpc('broadcast_tx_sync', { tx: Buffer.from('not a tx at all').toString('base64') });
    assert.equal(result.code, 2);
    assert.equal(result.codespace, 'sdk');
    const search = await rpc('tx_search', { query: `tx.hash='${result.hash}'` });
    assert.equal(search.result.total_count, '0');
    assert.ok(chain.height() >= heightBefore);
  });
});
