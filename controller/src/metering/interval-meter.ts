import type { Boundary } from './boundary.ts';
import { samplesDigest, type ClosedInterval } from './closed-interval.ts';
import type { CounterSample } from './node-counters.ts';

export interface MeteredNode {
  deviceId: string;
  nodeId: number;
  /**
   * The node's rating as registered. An interpolated boundary is an estimate; with it, no interval is given more
   * energy than the rating allows (what is held back counts in the next interval), so the registry's physical bound
   * never refuses an honest node running at full power.
   */
  ratedPowerW?: number;
}

/**
 * Turns one node's counter samples into closed intervals aligned to `intervalS`.
 *
 * The counter at a boundary is interpolated between the last sample before it and the first after it, then floored
 * to a whole Wh and never allowed below the previous boundary. When samples are missing across whole intervals
 * (the controller was down), each missed boundary is interpolated between the last known boundary and the first
 * sample after the gap, and those intervals are marked estimated: the counters, not the samples, carry the truth,
 * so the node's recorded energy still adds up to its meter.
 *
 * Pure and deterministic: state in, intervals out. The outbox persists the last boundary, so after a crash a new
 * meter resumes from it (`resumeFrom`).
 */
export class IntervalMeter {
  private boundary: Boundary | null;
  private previous: CounterSample | null = null;
  private samples: CounterSample[] = [];
  private readonly maxIntervalWh: number | null;

  constructor(
    readonly node: MeteredNode,
    readonly intervalS: number,
    resumeFrom: Boundary | null = null,
  ) {
    if (!Number.isInteger(intervalS) || intervalS <= 0)
      throw new RangeError(`interval length ${intervalS} s must be a positive integer`);
    this.boundary = resumeFrom;
    // the registry's bound (rated power x interval) rounded down to a whole Wh: a counter can show that without doubt
    this.maxIntervalWh = node.ratedPowerW === undefined ? null : Math.floor((node.ratedPowerW * intervalS) / 3600);
  }

  /** The boundary the next interval starts from (null before the first boundary was crossed). */
  get lastBoundary(): Boundary | null {
    return this.boundary;
  }

  /** Feeds one sample; returns the intervals it closed (usually none, one at a boundary, several after a gap). */
  observe(sample: CounterSample): ClosedInterval[] {
    const prev = this.previous;
    if (prev && sample.atMs <= prev.atMs) return []; // a repeated or out-of-order reading adds nothing
    if (!validCounters(sample)) return [];
    const closed: ClosedInterval[] = [];
    const sampleS = sample.atMs / 1000;

    if (this.boundary === null) {
      // first ever boundary: the first one crossed between two samples
      if (prev) {
        const crossed = Math.floor(sampleS / this.intervalS) * this.intervalS;
        if (crossed > prev.atMs / 1000) {
          this.boundary = this.boundaryAt(crossed, prev, sample, null);
          this.samples = [];
        }
      }
    } else {
      const anchor: CounterSample =
        prev && prev.atMs / 1000 >= this.boundary.atS
          ? prev
          : {
              atMs: this.boundary.atS * 1000,
              counterInWh: this.boundary.counterInWh,
              counterOutWh: this.boundary.counterOutWh,
            };
      let next = this.boundary.atS + this.intervalS;
      while (next <= sampleS) {
        const start = this.boundary;
        const end = this.boundaryAt(next, anchor, sample, start);
        const inInterval = this.samples;
        closed.push({
          deviceId: this.node.deviceId,
          nodeId: this.node.nodeId,
          intervalStartS: start.atS,
          intervalS: this.intervalS,
          energyInWh: end.counterInWh - start.counterInWh,
          energyOutWh: end.counterOutWh - start.counterOutWh,
          counterInWh: end.counterInWh,
          counterOutWh: end.counterOutWh,
          samplesHash: samplesDigest(inInterval),
          sampleCount: inInterval.length,
          estimated: inInterval.length === 0,
        });
        this.boundary = end;
        this.samples = [];
        next += this.intervalS;
      }
    }
    this.samples.push(sample);
    this.previous = sample;
    return closed;
  }

  private boundaryAt(atS: number, before: CounterSample, after: CounterSample, floor: Boundary | null): Boundary {
    const span = after.atMs - before.atMs;
    const f = span > 0 ? Math.min(1, Math.max(0, (atS * 1000 - before.atMs) / span)) : 1;
    const at = (a: number, b: number) => Math.floor(a + (b - a) * f);
    // never below the previous boundary (counters only grow), never more than the rating allows above it
    const within = (estimate: number, previous: number | undefined): number => {
      if (previous === undefined) return estimate;
      const most = this.maxIntervalWh === null ? Infinity : previous + this.maxIntervalWh;
      return Math.min(Math.max(estimate, previous), most);
    };
    return {
      atS,
      counterInWh: within(at(before.counterInWh, after.counterInWh), floor?.counterInWh),
      counterOutWh: within(at(before.counterOutWh, after.counterOutWh), floor?.counterOutWh),
    };
  }
}

function validCounters(s: CounterSample): boolean {
  return Number.isFinite(s.counterInWh) && Number.isFinite(s.counterOutWh) && s.counterInWh >= 0 && s.counterOutWh >= 0;
}
