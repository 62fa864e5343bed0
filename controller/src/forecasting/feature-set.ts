import type { ValueSource } from './value-source.ts';

/**
 * The inputs of one model row for one target hour. Every feature uses only values of days before the target's local
 * day (and exogenous inputs of any day), so a row predicts the same thing whether it is built at the target day's
 * midnight or days earlier with predictions filling the gap.
 */
export interface FeatureSet {
  readonly kind: FeatureSetKind;
  readonly names: readonly string[];
  readonly options: FeatureSetOptions;
  /** null when a value the row needs is unknown (a gap in history, missing temperature). */
  build(source: ValueSource, targetMs: number): number[] | null;
}

export type FeatureSetKind = 'load' | 'pv';

export interface FeatureSetOptions {
  timeZone: string;
  useTemperature: boolean;
}
