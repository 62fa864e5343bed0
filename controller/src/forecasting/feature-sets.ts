import type { FeatureSet, FeatureSetKind, FeatureSetOptions } from './feature-set.ts';
import { LoadFeatures } from './load-features.ts';
import { PvFeatures } from './pv-features.ts';

/** The feature set of a kind, as a model file or a training request names it. */
export function featureSetFor(kind: FeatureSetKind, options: FeatureSetOptions): FeatureSet {
  return kind === 'load' ? new LoadFeatures(options) : new PvFeatures(options);
}
