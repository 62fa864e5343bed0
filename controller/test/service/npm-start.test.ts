import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const startScript = fileURLToPath(new URL('../../../scripts/start.ts', import.meta.url));

test('npm start runs the plant, a local chain with the contracts and the controller recording on it, prints where everything is, accepts the printed token, and stops cleanly on SIGINT', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridcoop-npm-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', startScript], {
    env: {
      ...process.env,
      GRIDCOOP_API_PORT: '0',
      GRIDCOOP_CHAIN_PORT: '0',
      GRIDCOOP_AGGREGATOR_PORT: '0',
      GRIDCOOP_DATA_DIR: dataDir,
      GRIDCOOP_API_TOKEN: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  const exited = once(child, 'exit');
  try {
    while (!/operator API\s+(http:\/\/127\.0\.0\.1:\d+)/.test(stdout)) {
      if (child.exitCode !== null) assert.fail(`npm start exited early: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = /operator API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
    const token = /operator token (\S+)/.exec(stdout)![1]!;
    assert.match(stdout, /meter\s+meter-1\s+modbus-tcp:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /miner\s+miner-1\s+opc\.tcp:\/\/127\.0\.0\.1:\d+/);
    // Wait (on real time, asserting nothing about it) until the controller has balanced a few cycles.
    let status: { plantState: string; lastCycle: { index: number } | null } = {
      plantState: 'starting',
      lastCycle: null,
    };
    for (
      let attempt = 0;
      attempt < 300 && !(status.plantState === 'running' && (status.lastCycle?.index ?? 0) >= 3);
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await (await fetch(`${url}/api/status`)).json()) as typeof status;
    }
    assert.equal(status.plantState, 'running');
    assert.match(stdout, /local chain\s+http:\/\/127\.0\.0\.1:\d+\s+chain id gridcoop-local-1/);
    assert.match(stdout, /registry\s+gridcoop1[0-9a-z]+/);
    // the fleet: the aggregator's address and the home sites in their own zones
    assert.match(stdout, /VPP aggregator\s+http:\/\/127\.0\.0\.1:\d+\/api\/fleet/);
    assert.match(stdout, /fleet sites\s+plant \(zone demo\), home-north \(zone north/);
    const ledger = (await (await fetch(`${url}/api/ledger`)).json()) as {
      mode: string;
      nodes: Record<string, number>;
      policy: { inForce: { version: number } | null };
    };
    assert.equal(ledger.mode, 'cosmwasm');
    assert.equal(Object.keys(ledger.nodes).length, 8, 'every PV inverter, battery and miner is a registered node');
    for (let attempt = 0; attempt < 100 && !ledger.policy.inForce; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      Object.assign(ledger, await (await fetch(`${url}/api/ledger`)).json());
    }
    assert.equal(ledger.policy.inForce?.version, 1, 'the policy in force comes from the governance contract');
    const write = await fetch(`${url}/api/grid-setpoint`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gridTargetW: 1000 }),
    });
    assert.equal(write.status, 200, 'the printed token is the operator token');
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 0);
    assert.match(stdout, /SIGINT: stopping the controller, then the chain and the plant/);
    // Progress while it starts, with the time taken so far.
    for (const step of ['starting the simulated plant', 'starting the local chain', 'starting the controller'])
      assert.match(stdout, new RegExp(`\\[\\s*\\d+\\.\\d s\\] ${step}`), step);
    // A summary of the outbox on the way out.
    assert.match(stdout, /outbox: \d+ interval records on chain gridcoop-local-1, \d+ pending/);
    // stdout is a pipe here: the logs are JSON lines, and node-opcua's W27 is not among them (debug level).
    const logLines = stdout.split('\n').filter((line) => line.startsWith('{'));
    assert.ok(logLines.length > 0);
    for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line), line);
    assert.doesNotMatch(stdout, /NODE-OPCUA-W27/);
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
