import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { SigningCosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';
import { signingClient } from './chain-fixture.ts';

// The RPC is bounded as CometBFT bounds it: request bodies (max_body_bytes), batches (max_request_batch_size),
// index searches; a client that gives up mid-request costs only its own request; queries never hold up a block.

interface RpcAnswer {
  id: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own fields of a raw answer
  result?: any;
  error?: { code: number; message: string; data: string };
}

function post(url: string, body: string | Buffer, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        headers: chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    // the server may close before it has read everything we send: that is the point
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(error)));
    if (chunked) {
      const piece = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 0; sent < Buffer.byteLength(body); sent += piece.length) req.write(piece);
      req.end();
    } else req.end(body);
  });
}

describe('local chain RPC limits', () => {
  let chain: LocalChain;
  let client: SigningCosmWasmClient;
  let alice: string;
  const rpc = async (body: unknown): Promise<RpcAnswer | RpcAnswer[]> => {
    const res = await fetch(chain.rpcUrl, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as RpcAnswer | RpcAnswer[];
  };
  const call = (method: string, params: Record<string, unknown> = {}) =>
    rpc({ jsonrpc: '2.0', id: 1, method, params }) as Promise<RpcAnswer>;

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 30, rpcLimits: { maxSearchResults: 3 } });
    ({ client, address: alice } = await signingClient(chain, 0, 20));
  });
  after(async () => {
    client?.disconnect();
    await chain?.stop();
  });

  test('a body over 1,000,000 bytes gets 413 and a JSON-RPC error without being parsed', async () => {
    // not JSON: had it been parsed the answer would be a -32700 parse error
    const declared = await post(chain.rpcUrl, Buffer.alloc(1_000_001, '{'));
    assert.equal(declared.status, 413);
    const answer = JSON.parse(declared.text) as RpcAnswer;
    assert.equal(answer.error?.code, -32600);
    assert.match(answer.error?.data ?? '', /request body too large \(limit 1000000 bytes\)/);
    const streamed = await post(chain.rpcUrl, Buffer.alloc(3_000_000, '{'), true);
    assert.equal(streamed.status, 413, 'a chunked body without a length is cut off at the limit too');
    assert.equal(((await call('health')) as RpcAnswer).error, undefined, 'the node still answers');
  });

  test('a batch of up to 10 calls is answered; 11 calls or an empty batch get one Invalid Request error', async () => {
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'health' }));
    const ten = (await rpc(batch(10))) as RpcAnswer[];
    assert.equal(ten.length, 10);
    assert.deepEqual(
      ten.map((a) => a.id),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    const eleven = (await rpc(batch(11))) as RpcAnswer;
    assert.equal(eleven.error?.code, -32600);
    assert.match(eleven.error?.data ?? '', /batch of 11 requests: a batch holds 1 to 10 requests/);
    const empty = (await rpc([])) as RpcAnswer;
    assert.equal(empty.error?.code, -32600);
  });

  test('a tx_search matching more than the result cap is refused; a narrower one answers from the index', async () => {
    const bob = chain.devAccounts[1]!.address;
    const carol = chain.devAccounts[2]!.address;
    const send = (to: string) =>
      client.sendTokens(alice, to, [{ denom: chain.denom, amount: '1' }], {
        amount: [{ denom: chain.denom, amount: '5000' }],
        gas: '200000',
      });
    for (let i = 0; i < 3; i++) assert.equal((await send(bob)).code, 0);
    const toCarol = await send(carol);
    const broad = await call('tx_search', { query: `message.sender='${alice}'` });
    assert.equal(broad.error?.code, -32602);
    assert.match(broad.error?.data ?? '', /matches more than 3 transactions; narrow it/);
    const narrow = await call('tx_search', { query: `transfer.recipient='${carol}'` });
    assert.equal(narrow.result.total_count, '1');
    assert.equal(narrow.result.txs[0].hash, toCarol.transactionHash);
    const byHeight = await call('tx_search', {
      query: `message.sender='${alice}' AND tx.height=${toCarol.height}`,
    });
    assert.equal(byHeight.result.total_count, '1');
  });

  test('a client that sends half a request and disconnects costs only that request', async () => {
    const { hostname, port } = new URL(chain.rpcUrl);
    for (const partial of [
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"jsonrpc":"2.0","id":1,"meth',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{"jsonrpc":"2.0"',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Le',
    ]) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(partial, () => {
            // give the server time to start reading, then vanish without a FIN handshake
            setTimeout(() => {
              socket.resetAndDestroy();
              resolve();
            }, 50);
          });
        });
        socket.on('error', reject);
      });
    }
    const status = (await call('status')) as RpcAnswer;
    assert.equal(status.result.node_info.network, chain.chainId);
  });

  test('block sealing goes ahead of queries waiting on the node', async () => {
    const data = QueryBalanceRequest.encode({ address: alice, denom: chain.denom }).finish();
    const order: string[] = [];
    const queries = Array.from({ length: 200 }, (_, i) =>
      chain.node.query('/cosmos.bank.v1beta1.Query/Balance', data).then(() => order.push(`q${i}`)),
    );
    const sealed = chain.node.sealBlock().then(() => order.push('seal'));
    await Promise.all([...queries, sealed]);
    assert.ok(order.indexOf('seal') < 2, `the seal ran after ${order.indexOf('seal')} queries`);
  });
});
