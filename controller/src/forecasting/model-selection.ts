import { ScoreAccumulator, type ForecastScores } from './forecast-scores.ts';
import type { LocalCalendar } from './local-calendar.ts';
import { ResidualQuantiles, type ResidualQuantilesJson } from './residual-quantiles.ts';
import { RECENT_ERROR_DAYS, recentDayWeight } from './rolling-band-calibration.ts';

/**
 * Age in days at which a recent day counts half as much in the mix re-selection. Longer than the band's half-life: the
 * band follows the size of the errors, which turns with the weather in a day or two, while the mix follows which model
 * is the better guide, which a single bad day should not overturn (chosen with the band's at 3 days, see README).
 */
const MIX_HALF_LIFE_DAYS = 3;

/**
 * What the training chose on its validation window (selectOnValidation below): how much of the net's forecast to
 * mix with weekly seasonal naive (1 = the net alone, 0 = seasonal naive alone) and the P10/P90 band of that mix.
 */
export interface ModelSelection {
  netWeight: number;
  bands: ResidualQuantilesJson;
  /** One line for the output: what was chosen and why, with the validation figures. */
  summary: string;
  /**
   * The chosen mix's mean absolute level-normalised error on validation. Its presence marks a model whose band is
   * re-calibrated at each origin on the days just before it (see rolling-band-calibration.ts); model files without
   * it keep the validation band as it is.
   */
  validationMeanAbsError?: number;
  /**
   * The first moment the nets did not train on (the validation window's start). Only days from here on may re-select
   * the mix at a forecast origin (NeuralForecaster.recentMix): the nets fit the training days, so their errors there
   * flatter them. Model files without it keep the validation choice.
   */
  outOfSampleFromMs?: number;
}

/** How much worse than the best mix (relative MAE on validation) a mix with more of the net may be and still win. */
export const BLEND_TOLERANCE = 0.01;

/** The net's share in the mixes tried on validation: seasonal naive alone, three blends, the net alone. */
export const NET_WEIGHTS = [0, 0.25, 0.5, 0.75, 1];

export interface ValidationPoint {
  targetMs: number;
  actual: number;
  net: number;
  naive: number;
  /** The level scale of the point's day, for level-normalised bands. */
  scale: number;
}

export interface SelectionOutcome {
  selection: ModelSelection;
  scores: { net: ForecastScores; seasonalNaive: ForecastScores; chosen: ForecastScores };
}

/**
 * Picks the mix with the lowest mean absolute error on the validation window (inside the training period, never the
 * test period; near-ties go to the mix with more of the net, see BLEND_TOLERANCE) and fits its P10/P90 band
 * there. MAE, not MAPE, decides: MAPE explodes on PV's dawn hours and on a net load near zero.
 */
export function selectOnValidation(
  points: readonly ValidationPoint[],
  calendar: LocalCalendar,
  maseScale: number,
  nonNegative: boolean,
  /** When set, the net is not eligible (too little history) and this says why; weekly naive is chosen. */
  netNotEligible: string | null = null,
): SelectionOutcome {
  const mix = (p: ValidationPoint, w: number) => {
    const value = w * p.net + (1 - w) * p.naive;
    return nonNegative ? Math.max(0, value) : value;
  };
  const scored = NET_WEIGHTS.map((w) => {
    const acc = new ScoreAccumulator();
    for (const p of points) acc.add(p.actual, mix(p, w));
    return { w, scores: acc.scores(maseScale) };
  });
  let best = scored[0] as (typeof scored)[number];
  if (!netNotEligible) {
    for (const candidate of scored) if (candidate.scores.mae < best.scores.mae - 1e-12) best = candidate;
    // A mix with less of the net must earn its place: among the mixes within BLEND_TOLERANCE of the best MAE the
    // one with the most net wins, so a blend that ties on validation does not dilute a net that is clearly better
    // than seasonal naive (and seasonal naive still wins when the net is not within reach of it).
    const lowest = best.scores.mae;
    for (const candidate of scored)
      if (candidate.w > best.w && candidate.scores.mae <= lowest * (1 + BLEND_TOLERANCE)) best = candidate;
  }
  const bands = ResidualQuantiles.fit(
    points.map((p) => ({ targetMs: p.targetMs, actual: p.actual, forecast: mix(p, best.w), scale: p.scale })),
    calendar,
  ).json;
  let absErrorSum = 0;
  for (const p of points) absErrorSum += Math.abs(p.actual - mix(p, best.w)) / p.scale;
  const validationMeanAbsError = points.length ? absErrorSum / points.length : undefined;
  const net = (scored.find((s) => s.w === 1) as (typeof scored)[number]).scores;
  const naive = (scored.find((s) => s.w === 0) as (typeof scored)[number]).scores;
  const verdict = netNotEligible
    ? `${netNotEligible}: using weekly seasonal naive`
    : best.w >= 1
      ? 'the net beats weekly seasonal naive on validation and no blend is more than 1 % better: using the net'
      : best.w <= 0
        ? 'the net does not beat weekly seasonal naive on validation: using weekly seasonal naive'
        : `a blend of ${Math.round(best.w * 100)} % net and ${Math.round((1 - best.w) * 100)} % weekly seasonal naive is best on validation: using it`;
  const summary =
    `${verdict} (validation MAE net ${net.mae.toPrecision(4)}, weekly naive ${naive.mae.toPrecision(4)}, chosen ${best.scores.mae.toPrecision(4)}; ` +
    `MAPE ${net.mapePct.toFixed(2)} / ${naive.mapePct.toFixed(2)} / ${best.scores.mapePct.toFixed(2)} %)`;
  return {
    selection: {
      netWeight: best.w,
      bands,
      summary,
      ...(validationMeanAbsError !== undefined && validationMeanAbsError > 0 ? { validationMeanAbsError } : {}),
    },
    scores: { net, seasonalNaive: naive, chosen: best.scores },
  };
}

/** The level-normalised errors (actual - forecast) of the net and of weekly naive at one step. */
export interface MixErrors {
  net: number;
  naive: number;
}

/**
 * The mix of NET_WEIGHTS with the lowest weighted mean absolute error on recent days (oldest first), by the same rule
 * as selectOnValidation (near-ties to more of the net), days weighed by recentDayWeight with MIX_HALF_LIFE_DAYS;
 * null when fewer than half of RECENT_ERROR_DAYS days are given.
 */
export function reselectOnRecentDays(days: readonly (readonly MixErrors[])[]): number | null {
  if (days.length < RECENT_ERROR_DAYS / 2) return null;
  const sums = NET_WEIGHTS.map(() => 0);
  let total = 0;
  days.forEach((day, index) => {
    const weight = recentDayWeight(days.length - 1 - index, MIX_HALF_LIFE_DAYS);
    for (const { net, naive } of day) {
      NET_WEIGHTS.forEach((w, k) => {
        sums[k] = (sums[k] as number) + weight * Math.abs(w * net + (1 - w) * naive);
      });
      total += weight;
    }
  });
  if (total === 0) return null;
  let best = 0;
  sums.forEach((sum, k) => {
    if (sum < (sums[best] as number) - 1e-12) best = k;
  });
  const lowest = sums[best] as number;
  sums.forEach((sum, k) => {
    if ((NET_WEIGHTS[k] as number) > (NET_WEIGHTS[best] as number) && sum <= lowest * (1 + BLEND_TOLERANCE)) best = k;
  });
  return NET_WEIGHTS[best] as number;
}
