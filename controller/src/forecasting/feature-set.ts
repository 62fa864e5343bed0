import type { RecentLevel } from './recent-level.ts';
import type { ValueSource } from './value-source.ts';

/**
 * The inputs of one model row for one target step. Every feature uses only values of days before the target's local
 * day (and exogenous inputs of any day), so a row predicts the same thing whether it is built at the target day's
 * midnight or days earlier with predictions filling the gap.
 *
 * Values of the series itself (lags, yesterday's level) come normalised by the recent level (see recent-level.ts),
 * and the model learns the target the same way: (value - centre) / scale.
 */
export interface FeatureSet {
  readonly kind: FeatureSetKind;
  readonly names: readonly string[];
  readonly options: FeatureSetOptions;
  /**
   * Per column, the range its values can take whatever the data ([-1, 1] for a sine, [0, 1] for a flag), or null for
   * a column whose range is learnt from the training rows (and guarded there, see InputScaler).
   */
  readonly fixedRanges: readonly (readonly [number, number] | null)[];
  /** null when a value the row needs is unknown (a gap in history, missing temperature). */
  build(source: ValueSource, targetMs: number): number[] | null;
  /** The level the target and the lags of this step are normalised by; null when too little is known. */
  level(source: ValueSource, targetMs: number): RecentLevel | null;
}

export type FeatureSetKind = 'load' | 'pv';

export interface FeatureSetOptions {
  timeZone: string;
  useTemperature: boolean;
  /**
   * Whether the time of year is an input. Only a model trained on a year or more can learn anything from it; a
   * shorter history has seen only some seasons and the net would extrapolate into the others, so the trainer turns
   * it off below a year of training data (see neural-training.ts).
   */
  annualCycle?: boolean;
  /** PV only: cloud cover of the step (0-100 %) from a weather forecast, when the source has it. */
  useCloudCover?: boolean;
}

/** Calendar columns every feature set shares, with their fixed ranges. */
export const SINE: readonly [number, number] = [-1, 1];
export const FLAG: readonly [number, number] = [0, 1];
