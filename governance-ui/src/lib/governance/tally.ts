import type { PercentageThreshold, ProposalResponse } from '@gridcoop/contracts/client/governance-types';

/**
 * The tally as DAO DAO reads it: the threshold applies to yes among yes + no (abstain does not count), the quorum
 * to everything cast among the total power at the proposal's snapshot. Fractions are of the votes cast (for the
 * bar) and of the total power (for turnout), so the markers can be drawn where they fall.
 */
export interface TallyView {
  yes: number;
  no: number;
  abstain: number;
  cast: number;
  total: number;
  /** where the threshold marker sits on the yes/no/abstain bar, 0..1 of votes cast ("majority" moves with abstain) */
  thresholdAt: number;
  /** the share of the total power that must vote */
  quorumAt: number;
  turnout: number;
  thresholdMet: boolean;
  quorumMet: boolean;
  /** how much more power must vote to reach quorum (0 when reached) */
  missingForQuorum: number;
  thresholdWords: string;
  quorumWords: string;
}

function fractionOf(t: PercentageThreshold): number {
  return 'majority' in t ? 0.5 : t.percent_bps / 10_000;
}

function words(t: PercentageThreshold, of: string): string {
  return 'majority' in t
    ? `more than half of ${of}`
    : `at least ${(t.percent_bps / 100).toFixed(2).replace(/\.?0+$/, '')} % of ${of}`;
}

export function tallyView(p: Pick<ProposalResponse, 'tally' | 'total_power' | 'threshold'>): TallyView {
  const yes = Number(p.tally.yes);
  const no = Number(p.tally.no);
  const abstain = Number(p.tally.abstain);
  const cast = yes + no + abstain;
  const total = Number(p.total_power);
  const t = fractionOf(p.threshold.threshold);
  const q = fractionOf(p.threshold.quorum);
  const options = yes + no;
  const thresholdMet = options > 0 && ('majority' in p.threshold.threshold ? yes * 2 > options : yes >= options * t);
  const quorumMajority = 'majority' in p.threshold.quorum;
  const quorumMet = total > 0 && (quorumMajority ? cast * 2 > total : cast >= total * q);
  const neededCast = quorumMajority ? Math.floor(total / 2) + 1 : Math.ceil(total * q);
  return {
    yes,
    no,
    abstain,
    cast,
    total,
    thresholdAt: cast > 0 ? (t * options) / cast : t,
    quorumAt: q,
    turnout: total > 0 ? cast / total : 0,
    thresholdMet,
    quorumMet,
    missingForQuorum: Math.max(0, neededCast - cast),
    thresholdWords: words(p.threshold.threshold, 'the yes and no votes'),
    quorumWords: words(p.threshold.quorum, 'all voting power'),
  };
}
