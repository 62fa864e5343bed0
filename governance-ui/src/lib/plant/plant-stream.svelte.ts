import type { StreamEvent } from './controller-api.ts';
import { EnergySinceOpen, type EnergyBalance } from './energy-today.ts';
import { plantPowers, type PlantPowers, type PowerSample } from './plant-powers.ts';

export type { PowerSample } from './plant-powers.ts';

export type StreamConnection = 'connecting' | 'live' | 'retrying';

/** One sample per this many ms is kept for the chart (a day is 8,640 points). */
const SAMPLE_EVERY_MS = 10_000;
const KEEP_MS = 24 * 3_600_000;
/** EventSource gives up on an HTTP error or a refused CORS check; then we open a new one after this long. */
const REOPEN_AFTER_MS = 3_000;
/** Without an event for this many cycles the values on screen are marked stale even if the socket looks open. */
const STALE_AFTER_CYCLES = 5;

/**
 * The controller's process-image stream (GET /api/stream, one `process-image` event per control cycle) as page state:
 * the latest event and the plant's powers, whether the stream is live, a sample every 10 s for the chart, and the
 * day's energy from the devices' counters. EventSource reconnects by itself after a dropped connection; when it gives
 * up (an HTTP error, CORS) this opens a new one, so the page retries for as long as it is open.
 */
export class PlantStream {
  latest = $state.raw<StreamEvent | null>(null);
  powers = $state.raw<PlantPowers | null>(null);
  connection = $state<StreamConnection>('connecting');
  /** the page's clock when the last event came (for "stale" marking: never compared with the controller's clock) */
  lastEventAtPageMs = $state<number | null>(null);
  samples = $state.raw<PowerSample[]>([]);
  energy = $state.raw<EnergyBalance | null>(null);
  energySinceMs = $state<number | null>(null);
  events = $state(0);
  /** the page's clock, ticking once a second, so "stale" appears without an event */
  pageNowMs = $state(Date.now());

  #source: EventSource | null = null;
  #reopen: ReturnType<typeof setTimeout> | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;
  #energy = new EnergySinceOpen();
  #gridMeterId: string | null = null;
  #periodMs = 1_000;

  constructor(private readonly baseUrl: string) {}

  /** The configured grid meter and the cycle period, once /api/status told them. */
  configure(options: { gridMeterId?: string | null; periodMs?: number }): void {
    if (options.gridMeterId) this.#gridMeterId = options.gridMeterId;
    if (options.periodMs) this.#periodMs = options.periodMs;
  }

  /** True while the values on screen are not from a recent cycle. */
  get stale(): boolean {
    if (this.lastEventAtPageMs === null) return this.latest !== null;
    return this.connection !== 'live' || this.pageNowMs - this.lastEventAtPageMs > STALE_AFTER_CYCLES * this.#periodMs;
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
    source.addEventListener('process-image', (message: MessageEvent<string>) => {
      try {
        this.#receive(JSON.parse(message.data) as StreamEvent);
      } catch {
        // a malformed event is skipped; the next cycle brings a new image
      }
    });
  }

  #receive(event: StreamEvent): void {
    this.connection = 'live';
    this.lastEventAtPageMs = Date.now();
    this.pageNowMs = this.lastEventAtPageMs;
    const powers = plantPowers(event.image, this.#gridMeterId);
    this.latest = event;
    this.powers = powers;
    this.events += 1;

    const last = this.samples[this.samples.length - 1];
    if (!last || event.atMs - last.atMs >= SAMPLE_EVERY_MS || event.atMs < last.atMs) {
      const kept = this.samples.filter((s) => s.atMs > event.atMs - KEEP_MS && s.atMs < event.atMs);
      this.samples = [...kept, { atMs: event.atMs, ...powers }];
    }

    if (
      this.energySinceMs !== null &&
      new Date(event.atMs).toDateString() !== new Date(this.energySinceMs).toDateString()
    )
      this.#energy.resetAt(event.atMs); // a new day starts a new balance, as Home Assistant's daily view does
    this.#energy.observe(event, this.#gridMeterId);
    this.energy = this.#energy.balance();
    this.energySinceMs = this.#energy.sinceMs;
  }
}
