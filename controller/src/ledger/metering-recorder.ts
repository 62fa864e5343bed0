import type { ProcessImage } from '../cycle/process-image.ts';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import { IntervalMeter, type MeteredNode } from '../metering/interval-meter.ts';
import { countersOf } from '../metering/node-counters.ts';
import { FlexibilityRequests } from './flexibility-requests.ts';
import type { Outbox, StoredInterval } from './outbox.ts';

/**
 * What the control cycle asked the devices to do this cycle, in its dispatch convention (generation positive: a
 * miner's consumption is a negative number); null when it decided nothing (starting, failsafe, stopping).
 */
export type RequestedPowersW = Readonly<Record<string, number>> | null;

/**
 * Feeds every cycle's process image to one interval meter per registered node and stores each closed interval in
 * the outbox before anything else happens with it. Meters resume from the outbox's boundaries after a restart.
 * A flexible load's closed interval carries the flexibility it delivered on the controller's request (what the cycle
 * asked it to consume, against its baseline from the outbox): stored in the same transaction as the interval.
 */
export class MeteringRecorder {
  private readonly meters: Map<string, IntervalMeter>;
  private readonly flexibility: FlexibilityRequests;
  /** The intervals of the image being observed, before they are stored. */
  private closing: StoredInterval[] = [];

  constructor(
    private readonly outbox: Outbox,
    nodes: readonly MeteredNode[],
    intervalS: number,
  ) {
    const resume = outbox.boundaries();
    this.meters = new Map(
      nodes.map((node) => [node.deviceId, new IntervalMeter(node, intervalS, resume.get(node.deviceId) ?? null)]),
    );
    this.flexibility = new FlexibilityRequests(intervalS, nodes, {
      // the outbox, and the intervals this image closed that are not stored yet (after a gap, several per node)
      intervals: (nodeId, fromS, toS) =>
        [
          ...outbox.intervals(nodeId, fromS, toS),
          ...this.closing
            .filter((r) => r.nodeId === nodeId && r.intervalStartS >= fromS && r.intervalStartS < toS)
            .map((r) => ({ ...r, rejected: false })),
        ].sort((a, b) => a.intervalStartS - b.intervalStartS),
      claimAt: (nodeId, intervalStartS) => {
        const closing = this.closing.find((r) => r.nodeId === nodeId && r.intervalStartS === intervalStartS);
        return closing ? (closing.flexibility ?? null) : outbox.claimAt(nodeId, intervalStartS);
      },
    });
  }

  /**
   * Returns the intervals this image closed (already durable when this returns). `requestedW` is what this cycle
   * asked each device to do: it counts for the flexible loads' claims from this image's time on.
   */
  observe(image: ProcessImage, requestedW: RequestedPowersW = null): StoredInterval[] {
    this.closing = [];
    try {
      for (const [deviceId, meter] of this.meters) {
        const snapshot = image.devices[deviceId];
        const flexible = snapshot?.kind === 'flexible-load';
        if (flexible) {
          const dispatched = requestedW?.[deviceId];
          this.flexibility.observe(deviceId, image.atMs, typeof dispatched === 'number' ? -dispatched : null);
        }
        const sample = snapshot ? countersOf(snapshot) : null;
        if (!sample) continue;
        // in interval order, so a claim after a gap finds the intervals closed just before it
        for (const interval of meter.observe(sample)) {
          const claim = flexible ? this.claimOf(interval) : null;
          this.closing.push(claim ? { ...interval, flexibility: claim } : interval);
        }
      }
      this.outbox.store(this.closing);
      return this.closing;
    } finally {
      this.closing = [];
    }
  }

  /** A claim that cannot be made (odd numbers, a history it cannot read) is left out: the interval never is. */
  private claimOf(interval: ClosedInterval): StoredInterval['flexibility'] {
    try {
      return this.flexibility.claimFor(interval);
    } catch {
      return null;
    }
  }
}
