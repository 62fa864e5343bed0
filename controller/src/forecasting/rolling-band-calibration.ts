import type { ResidualQuantilesJson } from './residual-quantiles.ts';
import { smallSampleWidening } from './residual-quantiles.ts';

/**
 * Re-calibrates a P10/P90 band at each forecast origin on the errors of the days just before it, like split-conformal
 * quantile regression (Romano et al., "Conformalized Quantile Regression", 2019) on a rolling window, with two
 * changes that a day-ahead load forecast needs:
 *
 * - Each side on its own: the upper score of a step is how far its actual lay above the band's P90 and the lower
 *   score how far below its P10, both in units of that hour's half-width, and each side moves by the weighted 90th
 *   percentile of its own scores. When a season turns (the first cold fortnight after a mild validation window) the
 *   errors all lean one way and only that side widens. A ratio to the side's own offset, as before, blew up to the
 *   3x bound whenever validation left a one-sided band (every validation error positive), and a symmetric factor
 *   could not follow a lean at all.
 * - Recent days weigh more: a day's weight halves every BAND_HALF_LIFE_DAYS days of age (weighted conformal for data
 *   that are not exchangeable, Barber et al. 2023), so a run of bad days widens the band within a day or two instead
 *   of waiting until they are a fifth of an evenly weighted fortnight.
 *
 * The resulting width is widened for the few independent days it rests on (smallSampleWidening of the weights'
 * effective number of days, about 6 of the 14) and kept between 0.4 and 5 times the validation band's width.
 *
 * On the evaluation suite (controller/test/forecasting, `npm run bench forecast-suite`) this took the P10-P90
 * coverage of the three short hourly histories from 68-73 % to 73-82 %; see README for the table and the check on
 * test windows the suite does not contain.
 */
export const RECENT_ERROR_DAYS = 14;
/**
 * Age in days at which a recent day's errors count half as much as yesterday's, for the band. It sets how many
 * effective days the band rests on and so how much smallSampleWidening adds (about 6 days and 1.24x at 2 days, 8 days
 * and 1.17x at 3). Chosen on the 50 windows of `npm run bench forecast-windows` and the suite's short histories
 * together, simulated on the same forecasts: half-lives of 1.5, 2, 2.5, 3 and 4 days put 35, 49, 43, 40 and 39 of the
 * 57 in 75-85 %, and 2 days was best or tied on each of the four groups (PJM ten and five weeks, Victoria ten weeks,
 * the suite) taken alone, so leaving any one group out chooses it as well. Its mean coverage per group is 80-81 %.
 */
export const BAND_HALF_LIFE_DAYS = 2;
/** The weight of a recent day `age` days before the latest one (0 = the day just before the origin). */
export function recentDayWeight(age: number, halfLifeDays: number): number {
  return 0.5 ** (age / halfLifeDays);
}

/**
 * The calibrated width as a multiple of the validation band's width, at least and at most: a guard against a glitch
 * in recent data, not a tuning. The earlier 0.6-3 bound moved the coverage of 8 of the 57 windows above (from 69.9 to
 * 75.3 % where a change of regime needed more than 3x, from 93.2 to 86.0 % where a calm fortnight needed less than
 * 0.6x); on every one of them no bound at all gives the same coverage as 0.4-5.
 */
export const WIDTH_RANGE = [0.4, 5] as const;
/** Hours whose band is narrower than this share of the widest hour's are not scored (they are still re-calibrated). */
const SCORED_WIDTH_SHARE = 0.1;
/** The share of actuals above P90 (and below P10) the band aims for. */
const TAIL = 0.1;

/** One past day's signed level-normalised errors (actual - forecast) with the local hour of each step. */
export type DayErrors = readonly { hour: number; error: number }[];

/**
 * The band to use at an origin, from the validation band and the errors of recent days (oldest first, the day just
 * before the origin last; days that could not be forecast left out). Returns the validation band unchanged when fewer
 * than half of RECENT_ERROR_DAYS days are known or the band has no width anywhere.
 */
export function calibrateOnRecentDays(
  band: ResidualQuantilesJson,
  recentDays: readonly DayErrors[],
): ResidualQuantilesJson {
  if (recentDays.length < RECENT_ERROR_DAYS / 2) return band;
  const halfWidth = (hour: number) => ((band.p90Offset[hour] ?? 0) - (band.p10Offset[hour] ?? 0)) / 2;
  let widestHalfWidth = 0;
  for (let hour = 0; hour < band.p10Offset.length; hour++) widestHalfWidth = Math.max(widestHalfWidth, halfWidth(hour));
  const above: WeightedScore[] = [];
  const below: WeightedScore[] = [];
  const weights: number[] = [];
  recentDays.forEach((day, index) => {
    const age = recentDays.length - 1 - index;
    const weight = recentDayWeight(age, BAND_HALF_LIFE_DAYS);
    weights.push(weight);
    for (const { hour, error } of day) {
      const width = halfWidth(hour);
      // An hour the band gives no width (PV at night) or next to none (PV at dawn, where a few minutes of sun are a
      // large share of a tiny band) says nothing about the scale of the others.
      if (!(width > 1e-12) || width < SCORED_WIDTH_SHARE * widestHalfWidth) continue;
      above.push({ score: (error - (band.p90Offset[hour] ?? 0)) / width, weight });
      below.push({ score: ((band.p10Offset[hour] ?? 0) - error) / width, weight });
    }
  });
  if (above.length === 0) return band;
  const raiseTop = weightedQuantile(above, 1 - TAIL);
  const lowerBottom = weightedQuantile(below, 1 - TAIL);
  const widen = smallSampleWidening(Math.round(effectiveCount(weights)));
  const [narrowest, widest] = WIDTH_RANGE;
  const p10Offset: number[] = [];
  const p90Offset: number[] = [];
  for (let hour = 0; hour < band.p10Offset.length; hour++) {
    const width = halfWidth(hour);
    const top = (band.p90Offset[hour] ?? 0) + raiseTop * width;
    const bottom = (band.p10Offset[hour] ?? 0) - lowerBottom * width;
    const centre = (top + bottom) / 2;
    const half = Math.min(widest * width, Math.max(narrowest * width, (widen * (top - bottom)) / 2));
    p10Offset.push(centre - half);
    p90Offset.push(centre + half);
  }
  return { p10Offset, p90Offset };
}

interface WeightedScore {
  score: number;
  weight: number;
}

/** The smallest score whose cumulative weight (scores ascending) reaches `probability` of the total. */
export function weightedQuantile(scores: WeightedScore[], probability: number): number {
  scores.sort((a, b) => a.score - b.score);
  let total = 0;
  for (const s of scores) total += s.weight;
  let cumulative = 0;
  for (const s of scores) {
    cumulative += s.weight;
    if (cumulative >= probability * total) return s.score;
  }
  return scores[scores.length - 1]?.score ?? 0;
}

/** Kish's effective sample size of weighted observations: (sum w)^2 / sum w^2. */
function effectiveCount(weights: readonly number[]): number {
  let sum = 0;
  let squares = 0;
  for (const w of weights) {
    sum += w;
    squares += w * w;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}
