import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RangeBook } from '../../src/control/range-book.ts';

test('a later controller cannot widen what an earlier controller allowed', () => {
  const book = new RangeBook(['battery-1']);
  book.narrow('battery-1', { minW: -5_000, maxW: 5_000 }, 'safety', 'rating');
  const after = book.narrow('battery-1', { minW: -9_000, maxW: 9_000 }, 'allocation-policy', 'asks for more');
  assert.deepEqual([after.minW, after.maxW], [-5_000, 5_000]);
  assert.equal(after.minBoundBy, 'safety');
  assert.equal(after.maxBoundBy, 'safety');
});

test('each bound records which controller set it and why', () => {
  const book = new RangeBook(['battery-1']);
  book.narrow('battery-1', { minW: -5_000, maxW: 5_000 }, 'safety', 'rating');
  book.narrow('battery-1', { maxW: 0 }, 'plan-following', 'SoC below plan');
  const range = book.range('battery-1');
  assert.deepEqual(
    [range.minBoundBy, range.minReason, range.maxBoundBy, range.maxReason],
    ['safety', 'rating', 'plan-following', 'SoC below plan'],
  );
  assert.deepEqual(
    book.trail('battery-1').map((n) => n.controller),
    ['safety', 'plan-following'],
  );
});

test('a request wholly outside the allowed range collapses onto the earlier controller edge', () => {
  const book = new RangeBook(['miner-1']);
  book.narrow('miner-1', { minW: -3_000, maxW: -1_000 }, 'safety', 'mining: min 1000 W');
  const range = book.narrow('miner-1', { minW: 0 }, 'grid-limits', 'import cap');
  assert.deepEqual([range.minW, range.maxW], [-1_000, -1_000]);
  assert.equal(range.minBoundBy, 'grid-limits');
  assert.equal(range.maxBoundBy, 'safety', 'the earlier controller still owns the edge it set');
});

test('an empty request is a typed error that names the controller, and the range is kept', () => {
  const book = new RangeBook(['pv-1']);
  book.narrow('pv-1', { minW: 1_000, maxW: 10_000 }, 'safety', 'rating');
  assert.throws(() => book.narrow('pv-1', { minW: 5_000, maxW: 4_000 }, 'grid-limits', 'bad'), {
    name: 'RangeError',
    message: /grid-limits asked for an empty range/,
  });
  assert.deepEqual([book.range('pv-1').minW, book.range('pv-1').maxW], [1_000, 10_000]);
  assert.throws(() => book.range('pv-9'), /no allowed range for device pv-9/);
});
