import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RegistryQueryClient } from '@gridcoop/contracts';
import { ORACLE_MNEMONIC_ENV } from '../../src/config/index.ts';
import { startRecordingChain, type RecordingChain } from '../ledger/chain-fixture.ts';
import { smallPlant, startControllerFixture, type ControllerFixture } from './controller-fixture.ts';

// The controller records its nodes' metered output on chain as it runs: plant over Modbus TCP on a manual clock
// (January 2014, long before the chain's block time), the real registry wasm on the local chain, 60 s intervals.
const INTERVAL_S = 60;
const dir = mkdtempSync(join(tmpdir(), 'gridcoop-service-ledger-'));
let chain: RecordingChain;
let f: ControllerFixture;

before(async () => {
  chain = await startRecordingChain(
    [
      { kind: 'pv', ratedPowerW: 15_000 },
      { kind: 'battery', ratedPowerW: 10_000, energyCapacityWh: 20_000 },
    ],
    { intervalS: INTERVAL_S },
  );
  const [pvNode, batteryNode] = chain.nodeIds as [number, number];
  f = await startControllerFixture({
    plant: { ...smallPlant, miners: [] },
    config: {
      planner: { enabled: false },
      ledger: {
        mode: 'cosmwasm',
        chain: {
          rpcUrl: chain.chain.rpcUrl,
          chainId: chain.chain.chainId,
          prefix: chain.chain.prefix,
          gasPrice: chain.chain.gasPrice,
          broadcastPollIntervalMs: 20,
        },
        registryAddress: chain.registryAddress,
        intervalS: INTERVAL_S,
        outboxPath: join(dir, 'outbox.sqlite'),
        retryInitialMs: 100,
        nodes: { 'pv-1': pvNode, 'battery-1': batteryNode },
      },
    },
    env: { [ORACLE_MNEMONIC_ENV]: chain.oracleMnemonic },
  });
  await f.untilOnline();
});
after(async () => {
  await f?.stop();
  await chain?.chain.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function untilDrained(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const outbox = f.controller.service.ledger().outbox!;
    if (outbox.pending === 0 && outbox.done > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the outbox never drained: ${JSON.stringify(f.controller.service.ledger())}`);
}

test("every node's closed intervals reach the registry once, contiguous, and add up to what the outbox holds", async () => {
  await f.cycles(4 * INTERVAL_S + 5);
  await untilDrained();
  const registry = new RegistryQueryClient(chain.oracle.wasm, chain.registryAddress);
  for (const [deviceId, nodeId] of Object.entries(f.controller.service.ledger().nodes)) {
    const kept = f.controller.service.ledgerRecords({ nodeId, limit: 1000 });
    assert.ok(kept.length >= 3, `${deviceId}: ${kept.length} intervals closed in 4 simulated minutes`);
    assert.ok(kept.every((r) => r.status === 'done' && r.txHash));
    const { records } = await registry.records(nodeId, { limit: 30 });
    assert.deepEqual(
      records.map((r) => r.record.interval_start),
      kept.map((r) => r.intervalStartS),
      `${deviceId}: the same intervals on chain as in the outbox`,
    );
    for (const [i, r] of kept.entries())
      if (i > 0) assert.equal(r.intervalStartS, kept[i - 1]!.intervalStartS + INTERVAL_S);
    const totals = await registry.nodeTotals(nodeId);
    assert.equal(
      totals.energy_out_wh,
      kept.reduce((s, r) => s + r.energyOutWh, 0),
    );
    assert.equal(
      totals.energy_in_wh,
      kept.reduce((s, r) => s + r.energyInWh, 0),
    );
  }
  const pvOut = f.controller.service.ledgerRecords({ nodeId: chain.nodeIds[0]!, limit: 1000 });
  assert.ok(
    pvOut.some((r) => r.energyOutWh > 0),
    'the midday PV produced',
  );
});

test('the API and the metrics show the ledger; a bad records query is a 400 that names the field', async () => {
  const ledger = await f.api('/api/ledger', { token: null });
  assert.equal(ledger.status, 200);
  assert.equal(ledger.body.mode, 'cosmwasm');
  assert.equal(ledger.body.oracleAddress, chain.oracle.address);
  assert.equal(ledger.body.outbox.rejected, 0);
  assert.ok(ledger.body.outbox.done >= 6);
  const records = await f.api(`/api/ledger/records?nodeId=${chain.nodeIds[1]}&status=done&limit=2`, { token: null });
  assert.equal(records.status, 200);
  assert.equal(records.body.length, 2);
  assert.equal(records.body[0].nodeId, chain.nodeIds[1]);
  const bad = await f.api('/api/ledger/records?nodeId=-3&status=lost', { token: null });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.details.map((d: { path: string }) => d.path).sort(), ['nodeId', 'status']);
  assert.equal((await f.api('/api/ledger/batches/ABCDEF', { token: null })).status, 404);
  await f.cycles(1); // metrics are refreshed once per cycle
  const metrics = await f.api('/metrics', { token: null });
  assert.match(metrics.body, /gridcoop_outbox_records\{status="done"\} [1-9]/);
  assert.match(metrics.body, /gridcoop_ledger_consecutive_submit_failures 0/);
});

test('a controller configured to record without its oracle key refuses to start, naming the variable', async () => {
  const { parseControllerConfig } = await import('../../src/config/index.ts');
  const { createControllerService } = await import('../../src/service/controller-service.ts');
  const config = parseControllerConfig({ ...f.controller.service.config, api: { port: 0 } });
  assert.throws(
    () => createControllerService(config, { env: {}, tick: false, guardProcess: false }),
    new RegExp(ORACLE_MNEMONIC_ENV),
  );
});
