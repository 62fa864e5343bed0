import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startLocalChain, type LocalChain } from '../chain/local-chain.ts';

// Browser access to the RPC, as CometBFT's cors_allowed_origins grants it: configured origins only.

const uiOrigin = 'http://127.0.0.1:5173';
const otherOrigin = 'http://evil.example';
const statusBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'status', params: {} });

function preflight(url: string, origin: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
}

describe('local chain CORS', () => {
  let chain: LocalChain;
  let closed: LocalChain;

  before(async () => {
    chain = await startLocalChain({ blockTimeMs: 50, corsAllowedOrigins: [uiOrigin] });
    closed = await startLocalChain({ blockTimeMs: 50 });
  });
  after(async () => {
    await chain?.stop();
    await closed?.stop();
  });

  test('a preflight from a configured origin is answered with the allowed origin, methods and headers', async () => {
    const res = await preflight(chain.rpcUrl, uiOrigin);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), uiOrigin);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
  });

  test('POST and GET answers to a configured origin carry Access-Control-Allow-Origin', async () => {
    const post = await fetch(chain.rpcUrl, {
      method: 'POST',
      headers: { origin: uiOrigin, 'content-type': 'application/json' },
      body: statusBody,
    });
    assert.equal(post.headers.get('access-control-allow-origin'), uiOrigin);
    assert.equal(
      ((await post.json()) as { result: { node_info: { network: string } } }).result.node_info.network,
      chain.chainId,
    );
    const get = await fetch(`${chain.rpcUrl}/status`, { headers: { origin: uiOrigin } });
    assert.equal(get.headers.get('access-control-allow-origin'), uiOrigin);
    assert.equal(get.status, 200);
  });

  test('another origin gets no CORS headers on its preflight or its requests', async () => {
    const res = await preflight(chain.rpcUrl, otherOrigin);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-methods'), null);
    const post = await fetch(chain.rpcUrl, { method: 'POST', headers: { origin: otherOrigin }, body: statusBody });
    assert.equal(post.headers.get('access-control-allow-origin'), null);
  });

  test('a chain started without origins gives no CORS headers to anyone', async () => {
    const res = await preflight(closed.rpcUrl, uiOrigin);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const post = await fetch(closed.rpcUrl, { method: 'POST', headers: { origin: uiOrigin }, body: statusBody });
    assert.equal(post.headers.get('access-control-allow-origin'), null);
    assert.equal(post.status, 200, 'same-origin and non-browser clients are served as before');
  });

  test('"*" allows any origin', async () => {
    const open = await startLocalChain({ blockTimeMs: 50, corsAllowedOrigins: ['*'] });
    try {
      const res = await preflight(open.rpcUrl, otherOrigin);
      assert.equal(res.headers.get('access-control-allow-origin'), otherOrigin);
    } finally {
      await open.stop();
    }
  });
});
