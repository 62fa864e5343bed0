import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RegistryQueryClient } from '@gridcoop/contracts';
import { startLocalChain } from '../../../contracts-cosmwasm/chain/local-chain.ts';
import { MaintenanceOnChain, noteOf } from '../../src/ledger/maintenance-on-chain.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { MaintenanceAlert } from '../../src/maintenance/maintenance-alert.ts';
import { startRecordingChain } from './chain-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-maintenance-chain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const alert = (deviceId: string, severity: MaintenanceAlert['severity']): MaintenanceAlert => ({
  deviceId,
  kind: 'battery-capacity-fade',
  severity,
  evidence: { sohPct: 84.61234, capacityWh: 16_922.4 },
  suggestedAction: 'book a capacity test and plan a module swap',
  raisedAtMs: Date.UTC(2014, 0, 15, 3),
});

test("maintenance alerts reach the node's log in the registry, and a chain outage only delays them", async () => {
  const dataDir = join(dir, 'chain');
  const first = await startRecordingChain([{ kind: 'battery', ratedPowerW: 5_000, energyCapacityWh: 20_000 }], {
    dataDir,
  });
  const port = Number(new URL(first.chain.rpcUrl).port);
  const [nodeId] = first.nodeIds as [number];
  const recorder = new MaintenanceOnChain(
    first.oracle.wasm,
    async () => first.oracle.address,
    first.registryAddress,
    { 'battery-1': nodeId },
    createLogger('silent'),
  );
  recorder.record(alert('battery-1', 'warning'));
  recorder.record(alert('meter-1', 'warning')); // not a node: nothing to send
  await recorder.flush();
  assert.equal(recorder.pending, 0);
  const registry = new RegistryQueryClient(first.oracle.wasm, first.registryAddress);
  let log = await registry.maintenanceLog(nodeId);
  assert.equal(log.entries.length, 1);
  assert.match(
    log.entries[0]!.note,
    /^warning battery-capacity-fade at 2014-01-15T03:00:00.000Z: book a capacity test.*sohPct=84.61/,
  );

  await first.chain.stop();
  recorder.record(alert('battery-1', 'critical'));
  await recorder.flush();
  assert.equal(recorder.pending, 1, 'kept while the chain is down');
  assert.ok(recorder.lastError);

  const chain = await startLocalChain({ dataDir, port, blockTimeMs: 50 });
  try {
    await recorder.flush();
    assert.equal(recorder.pending, 0);
    assert.equal(recorder.lastError, null);
    log = await registry.maintenanceLog(nodeId);
    assert.deepEqual(
      log.entries.map((e) => e.note.split(' ')[0]),
      ['warning', 'critical'],
    );
  } finally {
    await chain.stop();
  }
});

test('a maintenance note is cut to the registry limit of 512 bytes without splitting a character', () => {
  const long = { ...alert('battery-1', 'info'), suggestedAction: 'prüfen '.repeat(200) };
  const note = noteOf(long);
  assert.ok(Buffer.byteLength(note) <= 512);
  assert.ok(Buffer.byteLength(note) > 500);
  assert.doesNotMatch(note, /\uFFFD/);
});
