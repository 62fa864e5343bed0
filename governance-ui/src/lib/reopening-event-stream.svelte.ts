export type StreamConnection = 'connecting' | 'live' | 'retrying';

/** EventSource gives up on an HTTP error or a refused CORS check; then a new one is opened after this long. */
const REOPEN_AFTER_MS = 3_000;

/**
 * A server's Server-Sent Events stream (GET /api/stream, the latest item at once on connect) as page state: the latest
 * item, whether the stream is live, and whether what is on screen is stale. EventSource reconnects by itself after a
 * dropped connection; when it gives up (an HTTP error, CORS) this opens a new one, so the page retries for as long as
 * it is open. The controller's plant stream and the aggregator's fleet stream are both this, with their own event.
 */
export abstract class ReopeningEventStream<Item> {
  latest = $state.raw<Item | null>(null);
  connection = $state<StreamConnection>('connecting');
  /** the page's clock when the last event came (for "stale" marking: never compared with the server's clock) */
  lastEventAtPageMs = $state<number | null>(null);
  /** the page's clock, ticking once a second, so "stale" appears without an event */
  pageNowMs = $state(Date.now());

  #source: EventSource | null = null;
  #reopen: ReturnType<typeof setTimeout> | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly eventName: string,
  ) {}

  /** How long without an event before what is on screen is marked stale, even if the socket looks open. */
  protected abstract staleAfterMs(): number;

  /** What else an event updates, before it becomes `latest`; a throw skips the event. */
  protected received(_item: Item): void {}

  /** True while what is on screen is not from a recent event. */
  get stale(): boolean {
    if (this.lastEventAtPageMs === null) return this.latest !== null;
    return this.connection !== 'live' || this.pageNowMs - this.lastEventAtPageMs > this.staleAfterMs();
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
    source.addEventListener(this.eventName, (message: MessageEvent<string>) => {
      try {
        const item = JSON.parse(message.data) as Item;
        this.connection = 'live';
        this.lastEventAtPageMs = Date.now();
        this.pageNowMs = this.lastEventAtPageMs;
        this.received(item);
        this.latest = item;
      } catch {
        // a malformed event is skipped; the next one brings a new item
      }
    });
  }
}
