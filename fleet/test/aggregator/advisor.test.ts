import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { governanceExecuteSchema } from '@gridcoop/contracts/client/governance-schema';
import type { AllocationPolicy } from '@gridcoop/contracts/client/governance-types';
import { validateAgainstSchema } from '@gridcoop/contracts/client/json-schema';
import { FleetDispatcher, type ZoneLimit } from '../../src/aggregator/dispatch/index.ts';
import { FleetSites } from '../../src/aggregator/fleet-sites.ts';
import { PolicyAdvisor, observeFleet } from '../../src/advisor/index.ts';
import type { FlexibilityEnvelope, SiteBirth } from '@gridcoop/fleet-protocol';

const START = Date.UTC(2026, 11, 2, 16, 0, 0);
const none = { raiseW: 0, lowerW: 0, raiseForS: null, lowerForS: null };

function birth(zone: string, baselineW: number, minW: number, maxW: number, forecastW: number): SiteBirth {
  const envelope: FlexibilityEnvelope = {
    baselineW,
    minGridW: minW,
    maxGridW: maxW,
    raiseForS: 3_600,
    lowerForS: 3_600,
    sources: {
      battery: { raiseW: maxW - baselineW, lowerW: baselineW - minW, raiseForS: 3_600, lowerForS: 3_600 },
      miners: none,
      pvCurtailment: none,
    },
    battery: null,
    // the evening peak ahead: four quarter hours at the forecast draw
    forecast: Array.from({ length: 4 }, (_, i) => ({
      startMs: START + i * 900_000,
      durationS: 900,
      baselineW: forecastW,
      minGridW: forecastW - (baselineW - minW),
      maxGridW: forecastW + (maxW - baselineW),
    })),
  };
  return {
    timestampMs: START,
    bdSeq: 1,
    seq: 0,
    protocolVersion: 'gridcoop-fleet/1',
    profile: {
      zone,
      importLimitW: 40_000,
      exportLimitW: 40_000,
      capacity: { batteryEnergyWh: 20_000, batteryPowerW: 20_000, pvPeakW: 20_000, minerPowerW: 0 },
    },
    state: {
      gridPowerW: baselineW,
      socPct: 50,
      plantState: 'running',
      control: 'local',
      followedTargetW: null,
      followedTargetId: null,
    },
    envelope,
  };
}

const policyInForce: AllocationPolicy = {
  battery_reserve_pct: 20,
  surplus_split: { battery_pct: 50, miners_pct: 30, export_pct: 20 },
  miner_flexibility_pct: 100,
  reward_multipliers: {
    kind_bps: { pv: 10_000, battery: 12_000, flexible_load: 10_000 },
    zone_bps: [['west', 11_000]],
    flexibility_bps: 10_000,
  },
};

describe('the advisor drafts per-zone reward multipliers from the fleet’s evidence', () => {
  test('a seeded deficit zone gets its multiplier raised, and only that zone', async () => {
    const sites = new FleetSites({ staleAfterMs: 60_000, rebirthIntervalMs: 5_000 });
    // east: two homes that draw 6 kW each at the peak with 1 kW of lowering each, behind a 7 kW congestion limit
    sites.birth('east-1', birth('east', 6_000, 5_000, 8_000, 6_000), START);
    sites.birth('east-2', birth('east', 6_000, 5_000, 8_000, 6_000), START);
    // west: plenty of flexibility, no limit; south: PV exporting 9 kW past a 6 kW export limit (curtailed surplus)
    sites.birth('west-1', birth('west', 2_000, -8_000, 6_000, 2_000), START);
    sites.birth('south-1', birth('south', -9_000, -9_000, 0, -9_000), START);
    const zoneLimits: ZoneLimit[] = [
      { zone: 'east', importLimitW: 7_000 },
      { zone: 'south', exportLimitW: 6_000 },
    ];
    const dispatcher = await FleetDispatcher.create();
    const advisor = new PolicyAdvisor({ version: 3, policy: policyInForce, source: 'governance contract' });
    // an hour at the evening peak, one observation a minute; the operator asks the fleet to draw no more than -6 kW
    for (let minute = 0; minute <= 60; minute++) {
      const dispatch = await dispatcher.dispatch({
        targetW: -6_000,
        sites: sites.online().map((site) => ({
          siteId: site.siteId,
          zone: site.zone,
          baselineW: site.bounded!.baselineW,
          minW: site.bounded!.minW,
          maxW: site.bounded!.maxW,
        })),
        zoneLimits,
      });
      advisor.observe(observeFleet(START + minute * 60_000, sites.all(), zoneLimits, dispatch));
    }
    const draft = advisor.draft(START + 3_600_000);
    const byZone = Object.fromEntries(draft.zones.map((zone) => [zone.zone, zone]));
    assert.ok(byZone.east!.proposedBps > byZone.east!.currentBps, `east ${byZone.east!.proposedBps}`);
    assert.equal(byZone.east!.proposedBps, 15_000, 'all the evidence is east: the full 50 % raise');
    assert.equal(byZone.west!.proposedBps, byZone.west!.currentBps);
    assert.equal(byZone.west!.currentBps, 11_000);
    assert.equal(byZone.south!.proposedBps, 10_000);
    // the evidence behind each figure
    assert.ok(byZone.east!.evidence.forecastDeficitWh > 0 && byZone.east!.evidence.peakShortfallWh > 0);
    assert.equal(Math.round(byZone.east!.evidence.forecastDeficitWh), 5_000); // (12 - 7) kW x 1 h
    assert.equal(byZone.west!.evidence.forecastDeficitWh + byZone.west!.evidence.peakShortfallWh, 0);
    assert.equal(Math.round(byZone.south!.evidence.curtailedSurplusWh), 3_000); // (9 - 6) kW x 1 h
    assert.match(byZone.south!.reason, /surplus curtailed/);
    // the proposal changes zone_bps only, and the governance contract would accept the message
    assert.deepEqual(draft.policy.reward_multipliers.zone_bps, [
      ['east', 15_000],
      ['west', 11_000],
    ]);
    assert.deepEqual(
      { ...draft.policy, reward_multipliers: undefined },
      { ...policyInForce, reward_multipliers: undefined },
    );
    assert.deepEqual(draft.policy.reward_multipliers.kind_bps, policyInForce.reward_multipliers.kind_bps);
    assert.deepEqual(validateAgainstSchema(governanceExecuteSchema, draft.proposeMessage), []);
    assert.ok(draft.changes);
    assert.match(draft.title, /east x1\.50/);
    assert.match(draft.description, /\| east \| 10000 \| 15000 \| 5\.00 \|/);
    assert.ok(draft.notes.some((note) => note.includes('never submits')));
    // the fleet-wide unshaved peak (south curtailed to its export limit, west at its lowest) is noted, not put on a zone
    assert.ok(
      draft.notes.some((note) => /the fleet as a whole lacked 2\.00 kWh of lowering at peaks/.test(note)),
      draft.notes.join('\n'),
    );
    assert.match(advisor.chartSvg(), /<svg[\s\S]*east forecast deficit: 5\.00 kWh/);
  });

  test('with no zone short of capacity the draft changes nothing and says so', () => {
    const advisor = new PolicyAdvisor({ version: null, policy: policyInForce, source: 'local default' });
    advisor.observe({
      atMs: START,
      shortfallW: 0,
      zones: [
        {
          zone: 'west',
          importLimitW: null,
          exportLimitW: null,
          onlineSites: 2,
          baselineW: 1_000,
          forecast: [],
          loweringExhausted: false,
          importViolationW: 0,
        },
      ],
    });
    const draft = advisor.draft(START);
    assert.equal(draft.changes, false);
    assert.deepEqual(draft.policy, policyInForce);
    assert.match(draft.title, /No multiplier change/);
  });
});
