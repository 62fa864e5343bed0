import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FleetHistory } from '../../src/aggregator/fleet-history.ts';
import type { FleetSnapshot } from '../../src/aggregator/fleet-snapshot.ts';

const T0 = Date.UTC(2026, 11, 3, 8, 0);
const MINUTE_MS = 60_000;

function snapshot(atMs: number, deliveredW: number, targetW: number | null): FleetSnapshot {
  return {
    cycle: 0,
    atMs,
    target: targetW === null ? null : { targetW, source: 'live', untilMs: atMs + 600_000 },
    dispatch: null,
    deliveredW,
    sites: [],
    zones: [],
  };
}

test('each completed minute is the average of its cycles; the target over the cycles that had one', () => {
  const history = new FleetHistory();
  history.observe(snapshot(T0, 1_000, null));
  history.observe(snapshot(T0 + 20_000, 2_000, 5_000));
  history.observe(snapshot(T0 + 40_000, 3_000, 7_000));
  assert.deepEqual(history.minutes(), [], 'the minute in progress is not served');
  history.observe(snapshot(T0 + MINUTE_MS, 4_000, null));
  history.observe(snapshot(T0 + 3 * MINUTE_MS, 0, null)); // a minute without cycles leaves no point
  assert.deepEqual(history.minutes(), [
    { minuteStartMs: T0, deliveredW: 2_000, targetW: 6_000 },
    { minuteStartMs: T0 + MINUTE_MS, deliveredW: 4_000, targetW: null },
  ]);
});

test('a day is kept, the oldest minutes dropped; a clock that goes back starts the series again', () => {
  const history = new FleetHistory(3);
  for (let minute = 0; minute <= 5; minute += 1) history.observe(snapshot(T0 + minute * MINUTE_MS, minute, null));
  assert.deepEqual(
    history.minutes().map((m) => m.deliveredW),
    [2, 3, 4],
  );
  history.observe(snapshot(T0, 100, null)); // closes minute 5, then the clock is back at minute 0
  history.observe(snapshot(T0 + MINUTE_MS, 200, null)); // closes minute 0: out of order, the series starts again
  assert.deepEqual(
    history.minutes().map((m) => [(m.minuteStartMs - T0) / MINUTE_MS, m.deliveredW]),
    [[0, 100]],
  );
});
