import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FleetSites } from '../../src/aggregator/fleet-sites.ts';
import type { FlexibilityEnvelope, SiteBirth, SiteData } from '@gridcoop/fleet-protocol';

const none = { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null };
const envelope: FlexibilityEnvelope = {
  baselineW: 0,
  minGridW: -2_000,
  maxGridW: 2_000,
  raiseForS: 3_600,
  lowerForS: 3_600,
  sources: {
    battery: { raiseW: 2_000, lowerW: 2_000, raiseForS: 3_600, lowerForS: 3_600 },
    miners: none,
    pvCurtailment: none,
  },
  battery: null,
  forecast: [],
};
const state = {
  gridPowerW: 0,
  socPct: 50,
  plantState: 'running',
  control: 'local' as const,
  followedTargetW: null,
  followedTargetId: null,
};
const birth = (bdSeq: number): SiteBirth => ({
  timestampMs: 0,
  bdSeq,
  seq: 0,
  protocolVersion: 'gridcoop-fleet/1',
  profile: {
    zone: 'north',
    importLimitW: 10_000,
    exportLimitW: 10_000,
    capacity: { batteryEnergyWh: 4_000, batteryPowerW: 2_000, pvPeakW: 0, minerPowerW: 0 },
  },
  state,
  envelope,
});
const data = (seq: number): SiteData => ({ timestampMs: 0, seq, state, envelope });

describe("the aggregator's site book (Sparkplug lifecycle)", () => {
  test('a death certificate from an older session (another bdSeq) is ignored and logged; the current one ends the site', () => {
    const sites = new FleetSites({ staleAfterMs: 10_000, rebirthIntervalMs: 5_000 });
    sites.birth('a', birth(4), 0);
    const stale = sites.death('a', { bdSeq: 3 }, 100);
    assert.equal(sites.get('a')!.status, 'online');
    assert.match(stale.log[0]!, /bdSeq 3 is not the current birth's; ignored/);
    const real = sites.death('a', { bdSeq: 4 }, 200);
    assert.equal(sites.get('a')!.status, 'dead');
    assert.equal(real.fleetChanged, true);
    assert.deepEqual(sites.online(), []);
  });

  test('a site that sends nothing for staleAfterMs is silent and not dispatched until it reports again', () => {
    const sites = new FleetSites({ staleAfterMs: 10_000, rebirthIntervalMs: 5_000 });
    sites.birth('a', birth(1), 0);
    assert.deepEqual(sites.expire(10_000), []);
    assert.deepEqual(sites.expire(10_001), ['a']);
    assert.equal(sites.online().length, 0);
    assert.equal(sites.data('a', data(1), 11_000).fleetChanged, true);
    assert.equal(sites.get('a')!.status, 'online');
  });

  test('after a gap every message asks for a rebirth, at most once per interval, until the new birth', () => {
    const sites = new FleetSites({ staleAfterMs: 10_000, rebirthIntervalMs: 5_000 });
    sites.birth('a', birth(1), 0);
    assert.equal(sites.data('a', data(1), 1_000).rebirth, false);
    const gap = sites.data('a', data(3), 2_000);
    assert.equal(gap.rebirth, true);
    assert.match(gap.log[0]!, /seq gap \(expected 2, got 3\): rebirth requested/);
    assert.equal(sites.data('a', data(4), 3_000).rebirth, false, 'asked 1 s ago');
    assert.deepEqual(sites.rebirthsDue(4_000), []);
    assert.deepEqual(sites.rebirthsDue(7_000), ['a'], 'asked again: the first request may be lost');
    sites.birth('a', birth(1), 7_500);
    assert.equal(sites.get('a')!.status, 'online');
    assert.equal(sites.get('a')!.rebirthsRequested, 2);
    assert.equal(sites.data('a', data(1), 8_000).rebirth, false);
  });

  test('data from a site never born in this session asks for its birth', () => {
    const sites = new FleetSites({ staleAfterMs: 10_000, rebirthIntervalMs: 5_000 });
    const event = sites.data('b', data(17), 0);
    assert.equal(event.rebirth, true);
    assert.equal(sites.get('b')!.status, 'awaiting-rebirth');
    assert.deepEqual(sites.online(), []);
  });
});
