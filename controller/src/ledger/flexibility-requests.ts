import type { ClosedInterval } from '../metering/closed-interval.ts';
import {
  BASELINE_INTERVALS,
  MAX_REQUEST_SPAN_S,
  baselineWh,
  deliveredWh,
  type FlexDirection,
  type FlexibilityClaim,
} from './flexibility-claim.ts';

/** What the controller already holds about a node's earlier intervals (the outbox): the baseline's inputs. */
export interface FlexibilityHistory {
  /** The node's stored intervals with start in [fromS, toS), in order, with whether the chain refused them for good. */
  intervals(
    nodeId: number,
    fromS: number,
    toS: number,
  ): { intervalStartS: number; intervalS: number; energyInWh: number; rejected: boolean }[];
  /** The claim stored with the node's interval starting at `intervalStartS`, if any (a request in progress). */
  claimAt(nodeId: number, intervalStartS: number): FlexibilityClaim | null;
}

export interface FlexibleNode {
  deviceId: string;
  nodeId: number;
  /** As registered: bounds what a claim may say, and sets the smallest move that counts as a request. */
  ratedPowerW?: number;
}

/** A move smaller than this share of rated power x interval is the controller following the node, not a request. */
const REQUEST_TOLERANCE = 0.05;
/** A gap between two cycles longer than this is not integrated: the controller did not know what it asked then. */
const MAX_CYCLE_GAP_MS = 60_000;
/** Open intervals kept per node: far more than the one or two between a cycle and the meter's next close. */
const MAX_OPEN_INTERVALS = 16;

interface Requested {
  /** Requested consumption integrated over the interval, W*s. */
  wattSeconds: number;
  /** How much of the interval the controller was asking something, s. */
  coveredS: number;
}

/**
 * Knows what the controller asked each flexible load to consume, cycle by cycle, and turns it into the flexibility
 * claim of each closed interval:
 * - an interval is under a request when, over at least half of it, the controller asked for a consumption that moves
 *   the node away from its baseline by more than REQUEST_TOLERANCE of rated power x interval (down: less, up: more);
 * - a request continues over consecutive intervals in the same direction, with the baseline fixed at its start (the
 *   claim of the interval before, held in the outbox, so a restart continues it), for less than a day;
 * - the baseline and delivered energy are the registry's (flexibility-claim.ts), from the node's own records of the 8
 *   intervals before the request, which the outbox holds and sends first. Without all 8 (a new node, a gap, one the
 *   chain refused) there is no claim: the registry could not recompute it.
 * What the node was asked to do never decides how much it delivered: that comes from its meter alone.
 * Never throws on odd numbers: a request it cannot read is ignored, and a claim it cannot make is left out.
 */
export class FlexibilityRequests {
  private readonly nodes: Map<string, FlexibleNode>;
  /** device id -> interval start -> requested so far */
  private readonly requested = new Map<string, Map<number, Requested>>();
  private readonly last = new Map<string, { atMs: number; consumptionW: number }>();

  constructor(
    private readonly intervalS: number,
    nodes: readonly FlexibleNode[],
    private readonly history: FlexibilityHistory,
  ) {
    this.nodes = new Map(nodes.map((n) => [n.deviceId, n]));
  }

  /**
   * One cycle: what the controller asked `deviceId` to consume from `atMs` on (W, positive), or null when it asked
   * nothing (no decision this cycle, the device not commanded). Piecewise constant until the next call.
   */
  observe(deviceId: string, atMs: number, consumptionW: number | null): void {
    if (!this.nodes.has(deviceId) || !Number.isFinite(atMs)) return;
    const previous = this.last.get(deviceId);
    if (previous && atMs > previous.atMs && atMs - previous.atMs <= MAX_CYCLE_GAP_MS)
      this.integrate(deviceId, previous.atMs, atMs, previous.consumptionW);
    if (previous && atMs <= previous.atMs) return;
    const usable = consumptionW !== null && Number.isFinite(consumptionW) && consumptionW >= 0;
    if (usable) this.last.set(deviceId, { atMs, consumptionW: consumptionW });
    else this.last.delete(deviceId);
  }

  /** The claim of a closed interval (null when it was not under a request or no claim can be made). */
  claimFor(interval: ClosedInterval): FlexibilityClaim | null {
    const node = this.nodes.get(interval.deviceId);
    const perInterval = this.requested.get(interval.deviceId);
    const requested = perInterval?.get(interval.intervalStartS);
    if (perInterval)
      for (const start of perInterval.keys()) if (start <= interval.intervalStartS) perInterval.delete(start);
    if (!node || !requested || interval.estimated || interval.intervalS !== this.intervalS) return null;
    if (requested.coveredS < interval.intervalS / 2) return null;
    if (!Number.isSafeInteger(interval.energyInWh) || interval.energyInWh < 0) return null;
    // what the controller asked for, as energy over the whole interval
    const askedWh = (requested.wattSeconds / requested.coveredS) * (interval.intervalS / 3600);
    const maxWh =
      node.ratedPowerW !== undefined && node.ratedPowerW > 0
        ? Math.ceil((node.ratedPowerW * interval.intervalS) / 3600)
        : null;
    const toleranceWh = (baseline: number) => Math.max(1, REQUEST_TOLERANCE * (maxWh ?? baseline));
    const asks = (direction: FlexDirection, baseline: number) =>
      direction === 'down' ? askedWh < baseline - toleranceWh(baseline) : askedWh > baseline + toleranceWh(baseline);

    let request: { direction: FlexDirection; requestStartS: number; baselineWh: number } | null = null;
    const before = this.history.claimAt(node.nodeId, interval.intervalStartS - interval.intervalS);
    if (
      before &&
      interval.intervalStartS - before.requestStartS < MAX_REQUEST_SPAN_S &&
      asks(before.direction, before.baselineWh)
    ) {
      request = { direction: before.direction, requestStartS: before.requestStartS, baselineWh: before.baselineWh };
    } else {
      const window = this.baselineWindow(node.nodeId, interval.intervalStartS);
      if (window) {
        for (const direction of ['down', 'up'] as const) {
          const baseline = baselineWh(window, direction);
          if (asks(direction, baseline)) {
            request = { direction, requestStartS: interval.intervalStartS, baselineWh: baseline };
            break;
          }
        }
      }
    }
    if (!request) return null;
    const delivered = deliveredWh(request.direction, request.baselineWh, interval.energyInWh);
    if (maxWh !== null && delivered > maxWh) return null;
    return { ...request, deliveredWh: delivered };
  }

  /** The energies of the BASELINE_INTERVALS intervals before `requestStartS`, or null unless all are held. */
  private baselineWindow(nodeId: number, requestStartS: number): number[] | null {
    const fromS = requestStartS - BASELINE_INTERVALS * this.intervalS;
    if (fromS < 0) return null;
    const window = this.history.intervals(nodeId, fromS, requestStartS);
    if (window.length !== BASELINE_INTERVALS) return null;
    const usable = window.every(
      (r, i) =>
        !r.rejected &&
        r.intervalS === this.intervalS &&
        r.intervalStartS === fromS + i * this.intervalS &&
        Number.isSafeInteger(r.energyInWh) &&
        r.energyInWh >= 0,
    );
    return usable ? window.map((r) => r.energyInWh) : null;
  }

  /** Adds `consumptionW` held from `fromMs` to `toMs` to the intervals it spans. */
  private integrate(deviceId: string, fromMs: number, toMs: number, consumptionW: number): void {
    let perInterval = this.requested.get(deviceId);
    if (!perInterval) this.requested.set(deviceId, (perInterval = new Map()));
    const intervalMs = this.intervalS * 1000;
    for (let atMs = fromMs; atMs < toMs;) {
      const startS = Math.floor(atMs / intervalMs) * this.intervalS;
      const untilMs = Math.min(toMs, (startS + this.intervalS) * 1000);
      const seconds = (untilMs - atMs) / 1000;
      const sums = perInterval.get(startS) ?? { wattSeconds: 0, coveredS: 0 };
      perInterval.set(startS, {
        wattSeconds: sums.wattSeconds + consumptionW * seconds,
        coveredS: sums.coveredS + seconds,
      });
      atMs = untilMs;
    }
    // intervals that never closed (a node whose counters stopped) must not pile up
    while (perInterval.size > MAX_OPEN_INTERVALS) perInterval.delete(perInterval.keys().next().value!);
  }
}
