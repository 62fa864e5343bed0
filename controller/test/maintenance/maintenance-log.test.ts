import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AlertBook } from '../../src/maintenance/alert-book.ts';
import type { MaintenanceAlert } from '../../src/maintenance/maintenance-alert.ts';
import { JsonLinesMaintenanceLog, MaintenanceRecordError } from '../../src/maintenance/maintenance-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-maintenance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const alert = (over: Partial<MaintenanceAlert> = {}): MaintenanceAlert => ({
  deviceId: 'pv-2',
  kind: 'pv-underperformance',
  severity: 'warning',
  evidence: { dayRatio: 0.9, normalRatio: 0.99 },
  suggestedAction: 'check pv-2 for soiling',
  raisedAtMs: 1_700_000_000_000,
  ...over,
});

describe('maintenance log and alert book', () => {
  it('records new and escalated alerts once each, and lists open alerts most severe first', () => {
    const log = new JsonLinesMaintenanceLog(join(dir, 'a', 'maintenance.jsonl'));
    const book = new AlertBook([log]);
    assert.equal(book.raise(alert()), true);
    assert.equal(book.raise(alert({ raisedAtMs: 1_700_000_100_000 })), false, 'same severity again is not a new alert');
    assert.equal(book.raise(alert({ severity: 'critical', raisedAtMs: 1_700_000_200_000 })), true);
    assert.equal(book.raise(alert({ deviceId: 'bat-1', kind: 'battery-capacity-fade', severity: 'info' })), true);
    assert.deepEqual(
      book.list().map((a) => [a.deviceId, a.severity]),
      [
        ['pv-2', 'critical'],
        ['bat-1', 'info'],
      ],
    );
    assert.deepEqual(book.countsBySeverity(), { info: 1, warning: 0, critical: 1 });
    assert.deepEqual(
      book.list({ minSeverity: 'warning' }).map((a) => a.deviceId),
      ['pv-2'],
    );
    const { records, unreadableLines } = log.read();
    assert.deepEqual(
      records.map((r) => r.severity),
      ['warning', 'critical', 'info'],
    );
    assert.deepEqual(unreadableLines, []);
    assert.equal(book.acknowledge('pv-2', 'pv-underperformance'), true);
    assert.deepEqual(
      book.list().map((a) => a.deviceId),
      ['bat-1'],
    );
  });

  it('a record with a non-finite number is refused with a typed error naming the field; neither log nor book changes', () => {
    const path = join(dir, 'refused.jsonl');
    const log = new JsonLinesMaintenanceLog(path);
    const book = new AlertBook([log]);
    book.raise(alert());
    const before = readFileSync(path, 'utf8');
    assert.throws(
      () => book.raise(alert({ severity: 'critical', evidence: { dayRatio: Number.NaN } })),
      (e: unknown) => e instanceof MaintenanceRecordError && /pv-2 refused: evidence\.dayRatio/.test(e.message),
    );
    assert.equal(readFileSync(path, 'utf8'), before);
    assert.equal(book.list()[0]?.severity, 'warning', 'the open alert is still the recorded one');
  });

  it('a torn last line is reported by line number and every complete record is still read', () => {
    const path = join(dir, 'torn.jsonl');
    const log = new JsonLinesMaintenanceLog(path);
    log.record(alert());
    log.record(alert({ deviceId: 'miner-1', kind: 'miner-cooling-degraded' }));
    appendFileSync(path, '{"deviceId":"bat-1","kind":"batt');
    const { records, unreadableLines } = log.read();
    assert.deepEqual(
      records.map((r) => r.deviceId),
      ['pv-2', 'miner-1'],
    );
    assert.deepEqual(unreadableLines, [3]);
  });
});
