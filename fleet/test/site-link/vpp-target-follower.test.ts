import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VppTargetFollower } from '@gridcoop/controller/fleet/vpp-target-follower';

const t0 = 1_764_669_000_000;
const target = (id: string, issuedAtMs: number, validMs: number, gridTargetW = 1_000) => ({
  targetId: id,
  gridTargetW,
  issuedAtMs,
  expiresAtMs: issuedAtMs + validMs,
});

test('a valid target is followed until its expiry, then the local policy decides (null) and the lapse is told once', () => {
  const follower = new VppTargetFollower({ maxValidityMs: 300_000, clockSkewMs: 2_000 });
  assert.equal(follower.offer(target('a', t0, 10_000), t0 + 500).accepted, true);
  assert.deepEqual(follower.targetAt(t0 + 9_999), { gridW: 1_000, source: 'vpp', untilMs: t0 + 10_000 });
  assert.equal(follower.targetAt(t0 + 10_000), null);
  assert.equal(follower.takeExpired(t0 + 9_999), null);
  assert.equal(follower.takeExpired(t0 + 10_000)?.targetId, 'a');
  assert.equal(follower.takeExpired(t0 + 10_001), null);
});

test('an expired target, one from the future, an older one and a duplicate are refused with the reason', () => {
  const follower = new VppTargetFollower({ maxValidityMs: 300_000, clockSkewMs: 2_000 });
  const late = follower.offer(target('late', t0, 10_000), t0 + 10_000);
  assert.equal(late.accepted, false);
  assert.match(late.accepted ? '' : late.reason, /late expired 0 ms ago .*never applied late/);
  const future = follower.offer(target('future', t0 + 5_000, 10_000), t0);
  assert.match(future.accepted ? '' : future.reason, /issued 5000 ms in this site's future/);
  assert.equal(follower.offer(target('skewed', t0 + 1_500, 10_000), t0).accepted, true); // within the skew
  const older = follower.offer(target('older', t0 + 1_000, 10_000), t0 + 1_600);
  assert.match(older.accepted ? '' : older.reason, /older than the one already received/);
  const again = follower.offer(target('skewed', t0 + 1_500, 10_000), t0 + 1_600);
  assert.match(again.accepted ? '' : again.reason, /seen before/);
  assert.equal(follower.current(t0 + 1_600)?.targetId, 'skewed');
});

test('a target asking to live longer than the site allows is cut to the site limit; release drops it at once', () => {
  const follower = new VppTargetFollower({ maxValidityMs: 60_000, clockSkewMs: 2_000 });
  const offer = follower.offer(target('long', t0, 3_600_000), t0);
  assert.ok(offer.accepted);
  assert.equal(offer.clampedExpiry, true);
  assert.equal(offer.target.expiresAtMs, t0 + 60_000);
  assert.equal(follower.targetAt(t0 + 60_000), null);
  assert.equal(follower.offer(target('next', t0 + 70_000, 10_000), t0 + 70_000).accepted, true);
  assert.equal(follower.release()?.targetId, 'next');
  assert.equal(follower.targetAt(t0 + 70_001), null);
});
