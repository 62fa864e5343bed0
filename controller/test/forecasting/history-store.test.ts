import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HistoryError, InMemoryHistoryStore, type HistoryStore } from '../../src/forecasting/history-store.ts';
import { HOUR_MS } from '../../src/forecasting/hourly-series.ts';
import { SqliteHistoryStore } from '../../src/forecasting/sqlite-history-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridcoop-history-'));
const opened: SqliteHistoryStore[] = [];
after(() => {
  for (const store of opened) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const t0 = Date.UTC(2024, 5, 1);
const stores: [string, () => HistoryStore][] = [
  ['in memory', () => new InMemoryHistoryStore()],
  [
    'SQLite',
    () => {
      const store = new SqliteHistoryStore(join(dir, `h-${opened.length}.sqlite`));
      opened.push(store);
      return store;
    },
  ],
];

for (const [name, create] of stores) {
  describe(`history store (${name})`, () => {
    it('returns written hours as a series, later writes winning and unwritten hours unknown', () => {
      const store = create();
      store.append('site-load', [
        { hourStartMs: t0, value: 1000, temperatureC: 20 },
        { hourStartMs: t0 + HOUR_MS, value: 1100, temperatureC: 21, holiday: true },
        { hourStartMs: t0 + 3 * HOUR_MS, value: 900 },
      ]);
      store.append('site-load', [{ hourStartMs: t0 + HOUR_MS, value: 1200, temperatureC: 22, holiday: true }]);
      store.append('pv', [{ hourStartMs: t0, value: 5 }]);
      const series = store.read('site-load', t0, t0 + 4 * HOUR_MS);
      assert.equal(series.valueAt(t0), 1000);
      assert.equal(series.valueAt(t0 + HOUR_MS), 1200);
      assert.equal(series.temperatureAt(t0 + HOUR_MS), 22);
      assert.equal(series.holidayAt(t0 + HOUR_MS), true);
      assert.ok(Number.isNaN(series.valueAt(t0 + 2 * HOUR_MS)));
      assert.equal(store.lastHourMs('site-load'), t0 + 3 * HOUR_MS);
      assert.equal(store.lastHourMs('nothing'), null);
    });

    it('a batch with one bad point is refused whole with a HistoryError naming series and hour, and nothing is lost', () => {
      const store = create();
      store.append('site-load', [{ hourStartMs: t0, value: 1000 }]);
      assert.throws(
        () =>
          store.append('site-load', [
            { hourStartMs: t0 + HOUR_MS, value: 1100 },
            { hourStartMs: t0 + 2 * HOUR_MS, value: Number.NaN },
          ]),
        (e: unknown) =>
          e instanceof HistoryError && /series "site-load" at 2024-06-01T02:00:00.000Z: value NaN/.test(e.message),
      );
      assert.throws(() => store.append('site-load', [{ hourStartMs: t0 + 60_000, value: 1 }]), /whole UTC hour/);
      const series = store.read('site-load', t0, t0 + 3 * HOUR_MS);
      assert.equal(series.valueAt(t0), 1000);
      assert.ok(
        Number.isNaN(series.valueAt(t0 + HOUR_MS)),
        'the good half of the refused batch was not written either',
      );
    });
  });
}

describe('SQLite history store', () => {
  it('keeps its hours across a restart', () => {
    const path = join(dir, 'restart.sqlite');
    const first = new SqliteHistoryStore(path);
    first.append('site-load', [{ hourStartMs: t0, value: 42, temperatureC: 12.5 }]);
    first.close();
    const second = new SqliteHistoryStore(path);
    opened.push(second);
    assert.equal(second.read('site-load', t0, t0 + HOUR_MS).valueAt(t0), 42);
    assert.equal(second.read('site-load', t0, t0 + HOUR_MS).temperatureAt(t0), 12.5);
  });
});
