import { governanceExecuteSchema } from '@gridcoop/contracts/client/governance-schema';
import type { AllocationPolicy } from '@gridcoop/contracts/client/governance-types';
import { validateAgainstSchema } from '@gridcoop/contracts/client/json-schema';
import type { ZoneEvidence } from './zone-evidence.ts';

/** The policy the draft starts from: the one in force (its governance version) or the local default. */
export interface PolicyBasis {
  version: number | null;
  policy: AllocationPolicy;
  source: string;
}

export interface AdvisorOptions {
  /** Below this much deficit + peak shortfall a zone's evidence is too thin to move its multiplier. Default 100 Wh. */
  minEvidenceWh: number;
  /** The largest raise one proposal asks for, as a fraction of the current multiplier. Default 0.5 (x1.5). */
  maxRaiseFraction: number;
  /** The smallest raise worth a proposal, as a fraction. Default 0.05. */
  minRaiseFraction: number;
}

export const defaultAdvisorOptions: AdvisorOptions = {
  minEvidenceWh: 100,
  maxRaiseFraction: 0.5,
  minRaiseFraction: 0.05,
};

/** The contract's bounds (contracts-cosmwasm/contracts/governance/src/policy.rs). */
const MAX_MULTIPLIER_BPS = 50_000;
const MAX_ZONES = 32;
const NEUTRAL_BPS = 10_000;

export interface ZoneRecommendation {
  zone: string;
  currentBps: number;
  proposedBps: number;
  evidence: Omit<ZoneEvidence, 'shortfallSeries'>;
  reason: string;
}

export interface PolicyProposalDraft {
  draftedAtMs: number;
  basedOn: { version: number | null; source: string };
  window: { fromMs: number | null; toMs: number | null };
  /** True when at least one zone's multiplier changes; otherwise there is nothing worth proposing. */
  changes: boolean;
  title: string;
  /** Markdown: the evidence per zone, as a member reads it in the governance UI before submitting. */
  description: string;
  policy: AllocationPolicy;
  /** The governance contract's execute message, ready for a member to sign; the aggregator never sends it. */
  proposeMessage: { propose: { title: string; description: string; policy: AllocationPolicy } };
  zones: ZoneRecommendation[];
  notes: string[];
}

const kWh = (wh: number): string => (wh / 1000).toFixed(2);

/**
 * Drafts an allocation-policy proposal from the fleet's evidence: a zone where the network lacks capacity (forecast
 * deficits against its congestion limit, peaks where it stayed over that limit with no flexibility left) gets its
 * reward multiplier (`reward_multipliers.zone_bps`) raised in proportion to its share of all such evidence, so new
 * nodes are worth more where they help. Curtailed surplus is reported as evidence but moves no multiplier (a higher
 * one would attract more PV where exports are already curtailed; a lower one would cut existing owners' rewards):
 * members decide. Everything else in the policy stays as it is.
 */
export function draftPolicyProposal(
  evidence: readonly ZoneEvidence[],
  fleetPeakShortfallWh: number,
  basis: PolicyBasis,
  window: { fromMs: number | null; toMs: number | null },
  draftedAtMs: number,
  options: AdvisorOptions = defaultAdvisorOptions,
): PolicyProposalDraft {
  const current = new Map(basis.policy.reward_multipliers.zone_bps);
  const notes: string[] = [];
  if (fleetPeakShortfallWh >= options.minEvidenceWh)
    notes.push(
      `the fleet as a whole lacked ${kWh(fleetPeakShortfallWh)} kWh of lowering at peaks: that is not evidence about one zone; ` +
        'the nearest lever is the kind multipliers (kind_bps.battery, kind_bps.flexible_load) or flexibility_bps, left to members',
    );
  const needOf = (zone: ZoneEvidence): number => zone.forecastDeficitWh + zone.peakShortfallWh;
  const qualifying = evidence.filter((zone) => needOf(zone) >= options.minEvidenceWh);
  const totalNeed = qualifying.reduce((sum, zone) => sum + needOf(zone), 0);

  const zones: ZoneRecommendation[] = evidence.map((zone) => {
    const currentBps = current.get(zone.zone) ?? NEUTRAL_BPS;
    const { shortfallSeries: _series, ...figures } = zone;
    const need = needOf(zone);
    let proposedBps = currentBps;
    let reason: string;
    if (qualifying.includes(zone)) {
      const fraction = Math.max(options.minRaiseFraction, (options.maxRaiseFraction * need) / totalNeed);
      proposedBps = Math.min(MAX_MULTIPLIER_BPS, Math.round((currentBps * (1 + fraction)) / 100) * 100);
      reason =
        `capacity short: ${kWh(zone.forecastDeficitWh)} kWh forecast above the zone's import limit and ` +
        `${kWh(zone.peakShortfallWh)} kWh over it at peaks with no lowering left (${zone.peakShortfallCycles} cycles); ` +
        `${Math.round((need / totalNeed) * 100)} % of all such evidence: raise by ${Math.round((proposedBps / currentBps - 1) * 100)} %`;
      if (proposedBps === currentBps) reason += ' (already at the contract maximum of 50,000 bps)';
    } else if (zone.curtailedSurplusWh > 0) {
      reason = `no change: ${kWh(zone.curtailedSurplusWh)} kWh of surplus curtailed at the zone's export limit (evidence for members; a multiplier cannot reward flexible load in one zone only)`;
    } else {
      reason =
        need > 0
          ? `no change: ${kWh(need)} kWh of deficit is below the ${kWh(options.minEvidenceWh)} kWh evidence threshold`
          : 'no change: no deficit, shortfall or curtailment observed';
    }
    return { zone: zone.zone, currentBps, proposedBps, evidence: figures, reason };
  });

  const zoneBps = new Map(current);
  for (const zone of zones) if (zone.proposedBps !== zone.currentBps) zoneBps.set(zone.zone, zone.proposedBps);
  let listed = [...zoneBps.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (listed.length > MAX_ZONES) {
    // the contract holds 32 zones: keep the raised ones and the ones already listed away from neutral
    const raised = new Set(zones.filter((z) => z.proposedBps !== z.currentBps).map((z) => z.zone));
    const dropped = listed.filter(([zone, bps]) => !raised.has(zone) && bps === NEUTRAL_BPS).map(([zone]) => zone);
    listed = listed.filter(([zone]) => !dropped.includes(zone)).slice(0, MAX_ZONES);
    notes.push(`the contract lists at most ${MAX_ZONES} zones: neutral entries dropped (${dropped.join(', ')})`);
  }
  const policy: AllocationPolicy = {
    ...basis.policy,
    reward_multipliers: { ...basis.policy.reward_multipliers, zone_bps: listed },
  };
  const raised = zones.filter((zone) => zone.proposedBps > zone.currentBps);
  const title =
    raised.length > 0
      ? `Raise rewards where the grid needs capacity: ${raised.map((z) => `${z.zone} x${(z.proposedBps / NEUTRAL_BPS).toFixed(2)}`).join(', ')}`
      : 'No multiplier change: the fleet shows no zone short of capacity';
  const description = describe(zones, basis, window, options);
  const proposeMessage = { propose: { title, description, policy } };
  const issues = validateAgainstSchema(governanceExecuteSchema, proposeMessage);
  if (issues.length > 0) notes.push(`the draft does not pass the governance contract's schema: ${issues.join('; ')}`);
  notes.push('a draft for a member to review and submit from the governance UI; the aggregator never submits it');
  return {
    draftedAtMs,
    basedOn: { version: basis.version, source: basis.source },
    window,
    changes: raised.length > 0,
    title,
    description,
    policy,
    proposeMessage,
    zones,
    notes,
  };
}

function describe(
  zones: readonly ZoneRecommendation[],
  basis: PolicyBasis,
  window: { fromMs: number | null; toMs: number | null },
  options: AdvisorOptions,
): string {
  const when = (ms: number | null) => (ms === null ? '?' : new Date(ms).toISOString());
  const rows = zones.map(
    (zone) =>
      `| ${zone.zone} | ${zone.currentBps} | ${zone.proposedBps} | ${kWh(zone.evidence.forecastDeficitWh)} | ` +
      `${kWh(zone.evidence.peakShortfallWh)} | ${kWh(zone.evidence.curtailedSurplusWh)} | ${zone.evidence.meanOnlineSites.toFixed(1)} |`,
  );
  return [
    `Drafted by the GridCoop aggregator's advisor from the fleet's data, ${when(window.fromMs)} to ${when(window.toMs)}, ` +
      `on policy ${basis.version === null ? `(${basis.source})` : `version ${basis.version}`}. Only zone multipliers change.`,
    '',
    '| zone | now (bps) | proposed (bps) | forecast deficit (kWh) | over its limit at peaks (kWh) | curtailed surplus (kWh) | sites |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...zones.map((zone) => `- **${zone.zone}**: ${zone.reason}.`),
    '',
    `Rule: a zone with at least ${kWh(options.minEvidenceWh)} kWh of forecast deficit plus energy over its limit at peaks is raised by ` +
      `its share of all such evidence x ${Math.round(options.maxRaiseFraction * 100)} % (at least ${Math.round(options.minRaiseFraction * 100)} %).`,
  ].join('\n');
}
