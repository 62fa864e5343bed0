import { EventStream } from '@gridcoop/controller/api/event-stream';
import type { FleetSnapshot } from '../fleet-snapshot.ts';

export function fleetEventOf(snapshot: FleetSnapshot): string {
  return `id: ${snapshot.cycle}\nevent: fleet\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

/**
 * GET /api/stream: the fleet after every aggregator cycle as Server-Sent Events (`event: fleet`). A new client gets
 * the latest snapshot at once; a client that cannot keep up skips snapshots rather than making the aggregator buffer.
 */
export class FleetStream extends EventStream<FleetSnapshot> {
  constructor() {
    super(fleetEventOf);
  }
}
