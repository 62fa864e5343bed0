import type { ProcessImage } from '../cycle/process-image.ts';
import type { ClosedInterval } from '../metering/closed-interval.ts';
import { IntervalMeter, type MeteredNode } from '../metering/interval-meter.ts';
import { countersOf } from '../metering/node-counters.ts';
import type { Outbox } from './outbox.ts';

/**
 * Feeds every cycle's process image to one interval meter per registered node and stores each closed interval in
 * the outbox before anything else happens with it. Meters resume from the outbox's boundaries after a restart.
 */
export class MeteringRecorder {
  private readonly meters: Map<string, IntervalMeter>;

  constructor(
    private readonly outbox: Outbox,
    nodes: readonly MeteredNode[],
    intervalS: number,
  ) {
    const resume = outbox.boundaries();
    this.meters = new Map(
      nodes.map((node) => [node.deviceId, new IntervalMeter(node, intervalS, resume.get(node.deviceId) ?? null)]),
    );
  }

  /** Returns the intervals this image closed (already durable when this returns). */
  observe(image: ProcessImage): ClosedInterval[] {
    const closed: ClosedInterval[] = [];
    for (const [deviceId, meter] of this.meters) {
      const snapshot = image.devices[deviceId];
      const sample = snapshot ? countersOf(snapshot) : null;
      if (sample) closed.push(...meter.observe(sample));
    }
    this.outbox.store(closed);
    return closed;
  }
}
