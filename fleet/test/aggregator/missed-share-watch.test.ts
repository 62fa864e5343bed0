import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MissedShareWatch } from '../../src/aggregator/missed-share-watch.ts';

const options = { toleranceW: 100, tolerancePct: 5, graceMs: 2_000, cycles: 3, holdMs: 10_000 };
const TTL = 10_000;

describe('missed-share watch', () => {
  test('a site off its share for the stated cycles after the ramp allowance is held at what it delivers, then trusted again', () => {
    const watch = new MissedShareWatch(options);
    watch.sent('a', 't1', -3_000, 0);
    assert.equal(watch.observe('a', 0, 1_000, TTL), false, 'inside the ramp allowance');
    assert.equal(watch.observe('a', -1_000, 2_000, TTL), false);
    assert.equal(watch.observe('a', -1_000, 3_000, TTL), false);
    assert.equal(watch.observe('a', -1_000, 4_000, TTL), true, 'third missed cycle');
    assert.equal(watch.held('a', 5_000), -1_000);
    assert.equal(watch.held('a', 14_000), null, 'hold over');
  });

  test('a site within tolerance (5 % or 100 W) is never held', () => {
    const watch = new MissedShareWatch(options);
    watch.sent('a', 't1', -10_000, 0);
    for (let t = 2_000; t < 9_000; t += 1_000) assert.equal(watch.observe('a', -9_600, t, TTL), false);
    assert.equal(watch.held('a', 9_000), null);
  });

  test('once its share has lapsed (the VPP target was withdrawn) a site back on local policy is not a miss', () => {
    const watch = new MissedShareWatch(options);
    watch.sent('a', 't1', -3_000, 0);
    for (let t = 10_000; t < 20_000; t += 1_000) assert.equal(watch.observe('a', 500, t, TTL), false);
    assert.equal(watch.held('a', 20_000), null);
    assert.equal(watch.lastSent('a'), undefined);
  });
});
