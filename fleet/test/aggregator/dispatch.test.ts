import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DispatchInputError, FleetDispatcher, type SiteFlexibility } from '../../src/aggregator/dispatch/index.ts';

const site = (
  siteId: string,
  zone: string,
  baselineW: number,
  minW: number,
  maxW: number,
  extra: Partial<SiteFlexibility> = {},
): SiteFlexibility => ({
  siteId,
  zone,
  baselineW,
  minW,
  maxW,
  ...extra,
});

const shareOf = (result: { shares: { siteId: string; targetW: number }[] }, id: string): number =>
  result.shares.find((share) => share.siteId === id)!.targetW;

describe('VPP dispatch (HiGHS linear program over the sites’ envelopes)', () => {
  let dispatcher: FleetDispatcher;
  before(async () => {
    dispatcher = await FleetDispatcher.create();
  });

  test('shares follow the envelopes: equal-cost sites move the same fraction of their headroom', async () => {
    // baselines sum to 3 kW; lowering to -9 kW asks 12 kW of the 4 + 8 + 12 = 24 kW of room below the baselines
    const sites = [
      site('a', 'north', 1_000, -3_000, 2_000),
      site('b', 'north', 1_000, -7_000, 4_000),
      site('c', 'south', 1_000, -11_000, 1_500),
    ];
    const result = await dispatcher.dispatch({ targetW: -9_000, sites });
    assert.equal(result.status, 'met');
    assert.ok(Math.abs(result.dispatchedW - -9_000) < 1, `sum ${result.dispatchedW}`);
    assert.ok(Math.abs(shareOf(result, 'a') - -1_000) < 1, `a ${shareOf(result, 'a')}`); // 1000 - 0.5 x 4000
    assert.ok(Math.abs(shareOf(result, 'b') - -3_000) < 1, `b ${shareOf(result, 'b')}`); // 1000 - 0.5 x 8000
    assert.ok(Math.abs(shareOf(result, 'c') - -5_000) < 1, `c ${shareOf(result, 'c')}`); // 1000 - 0.5 x 12000
    for (const share of result.shares) assert.ok(Math.abs(share.headroomUsed - 0.5) < 1e-6);
  });

  test('a cheaper site is moved first (merit order), the dearer one only for the rest', async () => {
    const sites = [
      site('cheap', 'z', 0, 0, 5_000, { raiseCostPerKWh: 0.01 }),
      site('dear', 'z', 0, 0, 5_000, { raiseCostPerKWh: 0.2 }),
    ];
    const result = await dispatcher.dispatch({ targetW: 7_000, sites });
    assert.equal(result.status, 'met');
    assert.ok(Math.abs(shareOf(result, 'cheap') - 5_000) < 1);
    assert.ok(Math.abs(shareOf(result, 'dear') - 2_000) < 1);
  });

  test('every share stays inside its envelope, and an opted-out site keeps its baseline', async () => {
    const sites = [
      site('home-1', 'a', 500, -5_000, 5_000, { optedOut: true }),
      site('home-2', 'a', 500, -2_000, 3_000),
      site('farm', 'b', 4_000, 1_000, 9_000),
    ];
    const result = await dispatcher.dispatch({ targetW: 12_000, sites });
    assert.equal(result.status, 'met');
    assert.equal(shareOf(result, 'home-1'), 500);
    for (const share of result.shares)
      assert.ok(share.targetW >= share.minW - 1e-6 && share.targetW <= share.maxW + 1e-6);
    assert.ok(Math.abs(result.dispatchedW - 12_000) < 1);
  });

  test('an infeasible target gives the closest feasible split and says so', async () => {
    const sites = [site('a', 'z', 0, -2_000, 3_000), site('b', 'z', 0, -1_000, 4_000)];
    const high = await dispatcher.dispatch({ targetW: 10_000, sites });
    assert.equal(high.status, 'closest-feasible');
    assert.ok(Math.abs(high.dispatchedW - 7_000) < 1, `${high.dispatchedW}`);
    assert.ok(Math.abs(high.shortfallW - 3_000) < 1);
    assert.match(
      high.notes[0]!,
      /target 10000 W is above what the fleet can hold: the closest split imports 7000 W \(3000 W short\)/,
    );
    const low = await dispatcher.dispatch({ targetW: -5_000, sites });
    assert.equal(low.status, 'closest-feasible');
    assert.ok(Math.abs(low.dispatchedW - -3_000) < 1);
    assert.match(low.notes[0]!, /below the lowest grid power the fleet can hold/);
  });

  test('a zone congestion limit holds: the other zone carries the rest', async () => {
    const sites = [
      site('n1', 'north', 0, 0, 6_000),
      site('n2', 'north', 0, 0, 6_000),
      site('s1', 'south', 0, 0, 6_000),
    ];
    const result = await dispatcher.dispatch({
      targetW: 11_000,
      sites,
      zoneLimits: [{ zone: 'north', importLimitW: 5_000 }],
    });
    assert.equal(result.status, 'met');
    const north = result.zones.find((zone) => zone.zone === 'north')!;
    assert.ok(Math.abs(north.sumW - 5_000) < 1, `north ${north.sumW}`);
    assert.ok(Math.abs(shareOf(result, 's1') - 6_000) < 1);
    assert.ok(Math.abs(shareOf(result, 'n1') - shareOf(result, 'n2')) < 1, 'equal sites in the zone share equally');
  });

  test('a zone limit beats the VPP target, and a zone whose envelopes cannot fit is reported, not dropped', async () => {
    const sites = [site('n1', 'north', 3_000, 2_000, 6_000), site('s1', 'south', 0, 0, 1_000)];
    const capped = await dispatcher.dispatch({
      targetW: 7_000,
      sites,
      zoneLimits: [{ zone: 'north', importLimitW: 4_000 }],
    });
    assert.equal(capped.status, 'closest-feasible');
    assert.ok(Math.abs(shareOf(capped, 'n1') - 4_000) < 1);
    assert.ok(Math.abs(capped.dispatchedW - 5_000) < 1);
    const squeezed = await dispatcher.dispatch({
      targetW: 0,
      sites,
      zoneLimits: [{ zone: 'north', importLimitW: 1_000 }],
    });
    assert.equal(squeezed.status, 'zone-limit-violated');
    assert.ok(Math.abs(shareOf(squeezed, 'n1') - 2_000) < 1, 'north is held at its lowest');
    assert.equal(squeezed.zones.find((zone) => zone.zone === 'north')!.violationW, 1_000);
    assert.match(
      squeezed.notes.join('\n'),
      /zone north: its sites cannot import less than 2000 W, above its 1000 W limit/,
    );
  });

  test('bad input is refused with every field named, and nothing is solved', async () => {
    await assert.rejects(
      dispatcher.dispatch({
        targetW: Number.NaN,
        sites: [site('a', 'z', 0, 5, 1), site('a', 'z', 0, 0, 1, { raiseCostPerKWh: -1 })],
        zoneLimits: [{ zone: 'z', importLimitW: -3 }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof DispatchInputError);
        assert.deepEqual(error.issues, [
          'targetW: expected a finite number of W, got NaN',
          'site a: minW 5 is above maxW 1',
          'site a: appears twice',
          'site a.raiseCostPerKWh: expected a finite cost >= 0, got -1',
          'zone z.importLimitW: expected W >= 0, got -3',
        ]);
        return true;
      },
    );
  });

  test('five hundred sites in ten zones: the target is met inside every envelope and limit', async () => {
    const sites = Array.from({ length: 500 }, (_, i) =>
      site(`site-${i}`, `zone-${i % 10}`, 500 + (i % 7) * 100, -3_000 - (i % 5) * 1_000, 4_000 + (i % 3) * 1_000),
    );
    const zoneLimits = [{ zone: 'zone-3', importLimitW: 100_000, exportLimitW: 50_000 }];
    const result = await dispatcher.dispatch({ targetW: -600_000, sites, zoneLimits });
    assert.equal(result.status, 'met');
    assert.ok(Math.abs(result.dispatchedW - -600_000) < 1);
    const zone3 = result.zones.find((zone) => zone.zone === 'zone-3')!;
    assert.ok(zone3.sumW >= -50_000 - 1e-3, `zone-3 ${zone3.sumW}`);
    for (const share of result.shares)
      assert.ok(share.targetW >= share.minW - 1e-6 && share.targetW <= share.maxW + 1e-6);
  });
});
