import type { FleetSnapshot } from './aggregator-api.ts';

export type FleetConnection = 'connecting' | 'live' | 'retrying';

/** EventSource gives up on an HTTP error or a refused CORS check; then a new one is opened after this long. */
const REOPEN_AFTER_MS = 3_000;
/** Without a snapshot for this long the fleet on screen is marked stale (the aggregator cycles every few seconds). */
const STALE_AFTER_MS = 20_000;

/**
 * The aggregator's fleet stream (GET /api/stream, one `fleet` event per aggregator cycle; the latest at once on
 * connect) as page state. Like the plant's stream it reopens itself when EventSource gives up, for as long as the
 * page is open.
 */
export class FleetStream {
  latest = $state.raw<FleetSnapshot | null>(null);
  connection = $state<FleetConnection>('connecting');
  lastEventAtPageMs = $state<number | null>(null);
  pageNowMs = $state(Date.now());

  #source: EventSource | null = null;
  #reopen: ReturnType<typeof setTimeout> | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly baseUrl: string) {}

  /** True while what is on screen is not from a recent aggregator cycle. */
  get stale(): boolean {
    if (this.lastEventAtPageMs === null) return this.latest !== null;
    return this.connection !== 'live' || this.pageNowMs - this.lastEventAtPageMs > STALE_AFTER_MS;
  }

  /** Opens the stream; returns the stop function `$effect` wants. */
  start(): () => void {
    this.#open();
    this.#clock = setInterval(() => (this.pageNowMs = Date.now()), 1_000);
    return () => this.stop();
  }

  stop(): void {
    clearTimeout(this.#reopen);
    clearInterval(this.#clock);
    this.#source?.close();
    this.#source = null;
  }

  #open(): void {
    this.#source?.close();
    const source = new EventSource(new URL('/api/stream', this.baseUrl));
    this.#source = source;
    source.onopen = () => {
      this.connection = 'live';
    };
    source.onerror = () => {
      this.connection = 'retrying';
      if (source.readyState === EventSource.CLOSED) {
        clearTimeout(this.#reopen);
        this.#reopen = setTimeout(() => this.#open(), REOPEN_AFTER_MS);
      }
    };
    source.addEventListener('fleet', (message: MessageEvent<string>) => {
      try {
        this.latest = JSON.parse(message.data) as FleetSnapshot;
        this.connection = 'live';
        this.lastEventAtPageMs = Date.now();
        this.pageNowMs = this.lastEventAtPageMs;
      } catch {
        // a malformed event is skipped; the next cycle brings a new snapshot
      }
    });
  }
}
