import { ReopeningEventStream } from '../reopening-event-stream.svelte.ts';
import type { FleetSnapshot } from './aggregator-api.ts';

/** Without a snapshot for this long the fleet on screen is marked stale (the aggregator cycles every few seconds). */
const STALE_AFTER_MS = 20_000;

/**
 * The aggregator's fleet stream (GET /api/stream, one `fleet` event per aggregator cycle; the latest at once on
 * connect) as page state; like the plant's stream it reopens itself when EventSource gives up.
 */
export class FleetStream extends ReopeningEventStream<FleetSnapshot> {
  constructor(baseUrl: string) {
    super(baseUrl, 'fleet');
  }

  protected staleAfterMs(): number {
    return STALE_AFTER_MS;
  }
}
