import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startChainProcess, type ChainProcess } from '../chain/chain-process.ts';
import { startLocalChain } from '../chain/local-chain.ts';
import { signingClient } from './chain-fixture.ts';

// The chain CLI as its own process: started and stopped by its parent, unharmed by a client that gives up
// mid-request, one clear line on a port clash, and a development-only way to move its clock.

const cli = join(import.meta.dirname, '..', 'chain', 'cli.ts');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rpc(url: string, method: string, params: Record<string, unknown> = {}) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own fields of a raw answer
  return (await res.json()) as { result?: any; error?: { code: number; data: string } };
}

describe('local chain in its own process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridcoop-chain-process-'));
  let plain: ChainProcess;
  let travelling: ChainProcess;

  before(async () => {
    [plain, travelling] = await Promise.all([
      startChainProcess({ dataDir: join(dir, 'plain'), blockTimeMs: 50, devAccountCount: 2 }),
      startChainProcess({ dataDir: join(dir, 'travel'), blockTimeMs: 50, allowTimeTravel: true }),
    ]);
  });
  after(async () => {
    await plain?.stop();
    await travelling?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a chain process answers CosmJS like the in-process chain, with the requested dev accounts', async () => {
    assert.equal(plain.devAccounts.length, 2);
    const { client, address } = await signingClient(plain, 0, 20);
    try {
      const sent = await client.sendTokens(
        address,
        plain.devAccounts[1]!.address,
        [{ denom: plain.denom, amount: '3' }],
        'auto',
      );
      assert.equal(sent.code, 0);
    } finally {
      client.disconnect();
    }
  });

  test('a client that sends half a request and disconnects does not kill the chain process', async () => {
    const { hostname, port } = new URL(plain.rpcUrl);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n{"jsonrpc":"2.0","me', () =>
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, 50),
        );
      });
      socket.on('error', reject);
    });
    assert.ok(isRunning(plain.pid));
    assert.equal((await rpc(plain.rpcUrl, 'status')).result.node_info.network, plain.chainId);
  });

  test('dev_advance_time is refused unless the chain was started with --allow-time-travel', async () => {
    const refused = await rpc(plain.rpcUrl, 'dev_advance_time', { seconds: 60 });
    assert.match(refused.error?.data ?? '', /time travel is off: .*--allow-time-travel/);
    const before = Date.parse((await rpc(travelling.rpcUrl, 'status')).result.sync_info.latest_block_time);
    const moved = await rpc(travelling.rpcUrl, 'dev_advance_time', { seconds: 3_600 });
    assert.equal(moved.error, undefined);
    const latest = Date.parse((await rpc(travelling.rpcUrl, 'status')).result.sync_info.latest_block_time);
    assert.ok(latest >= before + 3_600_000, `block time moved from ${before} to ${latest}`);
    const bad = await rpc(travelling.rpcUrl, 'dev_advance_time', { seconds: -5 });
    assert.match(bad.error?.data ?? '', /seconds: must be a positive whole number/);
  });

  test('stop ends the child process', async () => {
    const extra = await startChainProcess({ dataDir: join(dir, 'extra'), blockTimeMs: 50 });
    assert.ok(isRunning(extra.pid));
    await extra.stop();
    assert.equal(isRunning(extra.pid), false);
  });

  test('a port clash prints one clear line and exits non-zero, without a stack', async () => {
    const holder = await startLocalChain({ blockTimeMs: 50 });
    try {
      const port = new URL(holder.rpcUrl).port;
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', cli, '--port', port, '--data-dir', join(dir, 'clash')],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      assert.equal(run.status, 1);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    } finally {
      await holder.stop();
    }
  });

  test('a bad flag gets one line and exit code 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, '--block-ms', 'soon'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--block-ms must be a positive integer, got soon\n/);
  });
});
