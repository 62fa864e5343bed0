import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FleetProtocolError,
  SequenceCounter,
  SequenceGapDetector,
  decodeHostState,
  decodeSiteBirth,
  decodeSiteCommand,
  decodeSiteData,
  decodeSiteDeath,
  decodeSparkplugPayload,
  encodeHostState,
  encodeSiteBirth,
  encodeSiteCommand,
  encodeSiteData,
  encodeSiteDeath,
  encodeSparkplugPayload,
  envelopeLowerW,
  envelopeRaiseW,
  hostStateTopic,
  nodeTopic,
  parseFleetTopic,
  targetMessageExpiryS,
  targetStatusAt,
  ENVELOPE_METRICS,
  type SparkplugMetric,
} from '../src/index.ts';
import { sampleEnvelope, sampleProfile, sampleState } from '../src/testing/sample-site.ts';

const now = 1_764_669_000_123;

test('topics follow Sparkplug B for the gridcoop group and parse back', () => {
  assert.equal(nodeTopic('NBIRTH', 'home-1'), 'spBv1.0/gridcoop/NBIRTH/home-1');
  assert.equal(nodeTopic('NCMD', 'farm_2'), 'spBv1.0/gridcoop/NCMD/farm_2');
  assert.equal(hostStateTopic('aggregator'), 'spBv1.0/STATE/aggregator');
  assert.deepEqual(parseFleetTopic('spBv1.0/gridcoop/NDATA/home-1'), {
    kind: 'node',
    groupId: 'gridcoop',
    type: 'NDATA',
    siteId: 'home-1',
  });
  assert.deepEqual(parseFleetTopic('spBv1.0/STATE/aggregator'), { kind: 'host-state', hostId: 'aggregator' });
});

test('a site id that would break topics or the ACL is refused, and so is a foreign topic', () => {
  assert.throws(() => nodeTopic('NDATA', 'a/b'), /site id: expected 1-64 letters/);
  assert.throws(() => nodeTopic('NDATA', '+'), FleetProtocolError);
  assert.throws(() => nodeTopic('NDATA', ''), FleetProtocolError);
  assert.throws(() => parseFleetTopic('spBv1.0/gridcoop/DDATA/home-1'), /expected one of NBIRTH/);
  assert.throws(() => parseFleetTopic('spBv1.0/gridcoop/NDATA/home-1/meter'), /expected spBv1.0\/<group>/);
  assert.throws(() => parseFleetTopic('other/topic'), /start with spBv1.0/);
});

test('a birth round-trips with every metric, its bdSeq and seq 0', () => {
  const bytes = encodeSiteBirth({
    timestampMs: now,
    bdSeq: 7,
    profile: sampleProfile,
    state: sampleState,
    envelope: sampleEnvelope,
  });
  const birth = decodeSiteBirth(bytes, 'spBv1.0/gridcoop/NBIRTH/home-1');
  assert.equal(birth.timestampMs, now);
  assert.equal(birth.bdSeq, 7);
  assert.equal(birth.seq, 0);
  assert.equal(birth.protocolVersion, 'gridcoop-fleet/1');
  assert.deepEqual(birth.profile, sampleProfile);
  assert.deepEqual(birth.state, sampleState);
  assert.deepEqual(birth.envelope, sampleEnvelope);
  assert.equal(envelopeRaiseW(birth.envelope), 7_250.5);
  assert.equal(envelopeLowerW(birth.envelope), 5_000);
});

test('state data and a site without batteries round-trip; 64-bit times come back as exact numbers', () => {
  const noBattery = {
    ...sampleEnvelope,
    battery: null,
    forecast: [{ startMs: Number.MAX_SAFE_INTEGER - 1, durationS: 60, baselineW: 0, minGridW: -1, maxGridW: 1 }],
  };
  const data = { timestampMs: now, seq: 255, state: { ...sampleState, socPct: null }, envelope: noBattery };
  assert.deepEqual(decodeSiteData(encodeSiteData(data)), data);
});

test('a death carries the bdSeq of the birth it ends', () => {
  assert.deepEqual(decodeSiteDeath(encodeSiteDeath({ bdSeq: 255 }, now)), { bdSeq: 255 });
  assert.throws(() => encodeSiteDeath({ bdSeq: 256 }, now), /bdSeq: expected an integer 0-255/);
});

test('a target command and a rebirth request round-trip; a command with neither is refused', () => {
  const target = { targetId: 'agg-42', gridTargetW: -3_500, issuedAtMs: now, expiresAtMs: now + 30_000 };
  assert.deepEqual(decodeSiteCommand(encodeSiteCommand({ timestampMs: now, target, rebirth: false })), {
    timestampMs: now,
    target,
    rebirth: false,
  });
  assert.deepEqual(decodeSiteCommand(encodeSiteCommand({ timestampMs: now, target: null, rebirth: true })), {
    timestampMs: now,
    target: null,
    rebirth: true,
  });
  assert.throws(() => encodeSiteCommand({ timestampMs: now, target: null, rebirth: false }), /neither a target/);
  assert.throws(
    () => encodeSiteCommand({ timestampMs: now, target: { ...target, expiresAtMs: now }, rebirth: false }),
    /expires .* at or before issue/,
  );
});

test('a target is valid only between its issue and its expiry; the broker expiry is rounded up to whole seconds', () => {
  const target = { targetId: 't', gridTargetW: 0, issuedAtMs: now, expiresAtMs: now + 10_500 };
  assert.deepEqual(targetStatusAt(target, now + 1_000), { kind: 'valid', remainingMs: 9_500 });
  assert.deepEqual(targetStatusAt(target, now + 10_500), { kind: 'expired', agoMs: 0 });
  assert.deepEqual(targetStatusAt(target, now - 5_000), { kind: 'not-yet-issued', aheadMs: 5_000 });
  assert.equal(targetStatusAt(target, now - 1_000).kind, 'valid'); // within the allowed clock skew
  assert.equal(targetMessageExpiryS(target, now), 11);
  assert.equal(targetMessageExpiryS(target, now + 20_000), 1);
});

test('the primary host state is Sparkplug 3.0 JSON; garbage is a clear error', () => {
  assert.deepEqual(decodeHostState(encodeHostState({ online: true, timestampMs: now })), {
    online: true,
    timestampMs: now,
  });
  assert.throws(() => decodeHostState(Buffer.from('{oops')), /payload: expected JSON/);
  assert.throws(() => decodeHostState(Buffer.from('{"online":"yes","timestamp":1}')), /online: expected a boolean/);
});

test('garbage and wrong messages are FleetProtocolErrors naming what was wrong, never crashes', () => {
  const topic = 'spBv1.0/gridcoop/NDATA/home-1';
  const garbage = [Buffer.from('hello garbage'), Buffer.from([0xff, 0xff, 0xff]), Buffer.alloc(0)];
  for (const bytes of garbage) {
    for (const decode of [decodeSiteBirth, decodeSiteData, decodeSiteDeath, decodeSiteCommand]) {
      assert.throws(() => decode(bytes, topic), FleetProtocolError);
    }
  }
  const data = encodeSiteData({ timestampMs: now, seq: 1, state: sampleState, envelope: sampleEnvelope });
  assert.throws(() => decodeSiteBirth(data, topic), /home-1: metric "Site\/ProtocolVersion": missing/);

  const withMetric = (metric: SparkplugMetric): Uint8Array => {
    const decoded = decodeSparkplugPayload(data);
    const metrics = decoded.metrics.map((m) => (m.name === metric.name ? metric : m));
    return encodeSparkplugPayload({ ...decoded, metrics });
  };
  assert.throws(
    () => decodeSiteData(withMetric({ name: ENVELOPE_METRICS.minGridW, type: 'Double', value: 9e9 })),
    /metric "Envelope\/MinGridW": .* is above MaxGridW/,
  );
  assert.throws(
    () => decodeSiteData(withMetric({ name: 'State/SocPct', type: 'Double', value: 140 })),
    /metric "State\/SocPct": expected 0-100/,
  );
  assert.throws(
    () => decodeSiteData(withMetric({ name: 'State/Control', type: 'String', value: 'aggregator' })),
    /metric "State\/Control": expected "local" or "vpp"/,
  );
  assert.throws(
    () => decodeSiteData(withMetric({ name: 'State/GridPowerW', type: 'String', value: 'lots' })),
    /metric "State\/GridPowerW": expected a finite number, got string lots/,
  );
});

test('64-bit values beyond 2^53 are refused rather than rounded; seq beyond 255 is refused both ways', () => {
  // Hand-made protobuf: field 1 (timestamp) as a varint; the encoder itself refuses such values.
  const tooBig = Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]); // timestamp 2^63-1
  assert.throws(() => decodeSparkplugPayload(tooBig), /timestamp: 9223372036854775807 is beyond a safe/);
  assert.throws(() => encodeSparkplugPayload({ timestampMs: now, seq: 256, metrics: [] }), /seq: expected an integer/);
  const seq300 = Buffer.from([0x08, 0x01, 0x18, 0xac, 0x02]); // timestamp 1, seq 300
  assert.throws(() => decodeSparkplugPayload(seq300), /seq: expected 0-255, got 300/);
});

test('seq counts 0 on birth then 1..255 and wraps; the gap detector flags a lost message until the next birth', () => {
  const counter = new SequenceCounter();
  assert.equal(counter.birth(), 0);
  const seqs = Array.from({ length: 256 }, () => counter.next());
  assert.equal(seqs[0], 1);
  assert.equal(seqs[254], 255);
  assert.equal(seqs[255], 0);

  const detector = new SequenceGapDetector();
  assert.deepEqual(detector.data('home-1', 4), { kind: 'unborn' });
  detector.birth('home-1', 0);
  for (let seq = 1; seq <= 255; seq += 1) assert.deepEqual(detector.data('home-1', seq), { kind: 'in-order' });
  assert.deepEqual(detector.data('home-1', 0), { kind: 'in-order' }); // wrapped
  assert.deepEqual(detector.data('home-1', 2), { kind: 'gap', expected: 1, received: 2 });
  assert.deepEqual(detector.data('home-1', 3), { kind: 'unborn' });
  detector.birth('home-1', 0);
  assert.deepEqual(detector.data('home-1', 1), { kind: 'in-order' });
  detector.death('home-1');
  assert.deepEqual(detector.data('home-1', 2), { kind: 'unborn' });
});
