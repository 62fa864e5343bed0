import { createHash } from 'node:crypto';
import type { CounterSample } from './node-counters.ts';

/**
 * One node's metered interval, closed and ready for the ledger. Energies are differences of the integer counters at
 * the interval's boundaries, so a node's recorded energies add up exactly to its counter readings.
 */
export interface ClosedInterval {
  deviceId: string;
  /** The node's id in the registry contract. */
  nodeId: number;
  /** Unix seconds, a multiple of intervalS. */
  intervalStartS: number;
  intervalS: number;
  energyInWh: number;
  energyOutWh: number;
  /** Integer counters at the end of the interval. */
  counterInWh: number;
  counterOutWh: number;
  /** sha256 (hex) of the raw samples taken in the interval, in the canonical form of `samplesDigest`. */
  samplesHash: string;
  sampleCount: number;
  /** True when the controller was down across the whole interval and its boundary counters were interpolated. */
  estimated: boolean;
}

/**
 * The canonical digest of an interval's raw samples: one line per sample `atMs,counterInWh,counterOutWh`, in
 * time order, numbers as JavaScript prints them. Anyone holding the samples can recompute it.
 */
export function samplesDigest(samples: readonly CounterSample[]): string {
  const hash = createHash('sha256');
  for (const s of samples) hash.update(`${s.atMs},${s.counterInWh},${s.counterOutWh}\n`);
  return hash.digest('hex');
}
