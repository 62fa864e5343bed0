import { ReopeningEventStream } from '../reopening-event-stream.svelte.ts';
import { optionalControllerGet, type EnergyView, type StreamEvent } from './controller-api.ts';
import { EnergyToday, localMidnight, type EnergyBalance, type EnergyCountSource } from './energy-today.ts';
import { plantPowers, type PlantPowers, type PowerSample } from './plant-powers.ts';

export type { PowerSample } from './plant-powers.ts';

export type { StreamConnection } from '../reopening-event-stream.svelte.ts';

/** One sample per this many ms is kept for the chart (a day is 8,640 points). */
const SAMPLE_EVERY_MS = 10_000;
const KEEP_MS = 24 * 3_600_000;
/** Without an event for this many cycles the values on screen are marked stale even if the socket looks open. */
const STALE_AFTER_CYCLES = 5;

/**
 * The controller's process-image stream (GET /api/stream, one `process-image` event per control cycle) as page state:
 * the latest event and the plant's powers, whether the stream is live, a sample every 10 s for the chart, and the
 * day's energy from the devices' counters: from midnight as the controller stored them (GET /api/energy), asked again
 * when a new day begins, then counted on from each event; from the first event when the controller has none.
 * EventSource reconnects by itself after a dropped connection; when it gives up (an HTTP error, CORS) this opens a new
 * one, so the page retries for as long as it is open.
 */
export class PlantStream extends ReopeningEventStream<StreamEvent> {
  powers = $state.raw<PlantPowers | null>(null);
  samples = $state.raw<PowerSample[]>([]);
  energy = $state.raw<EnergyBalance | null>(null);
  energySinceMs = $state<number | null>(null);
  energySource = $state<EnergyCountSource | null>(null);
  events = $state(0);

  /** the day's count; null while its stored counts are asked for, when events are not counted (counters lose nothing) */
  #energy: EnergyToday | null = null;
  /** the local day being counted */
  #energyDay: number | null = null;
  #lastEvent: StreamEvent | null = null;
  #gridMeterId: string | null = null;
  #periodMs = 1_000;

  constructor(private readonly controllerUrl: string) {
    super(controllerUrl, 'process-image');
  }

  /** The configured grid meter and the cycle period, once /api/status told them. */
  configure(options: { gridMeterId?: string | null; periodMs?: number }): void {
    if (options.gridMeterId) this.#gridMeterId = options.gridMeterId;
    if (options.periodMs) this.#periodMs = options.periodMs;
  }

  protected staleAfterMs(): number {
    return STALE_AFTER_CYCLES * this.#periodMs;
  }

  protected override received(event: StreamEvent): void {
    const powers = plantPowers(event.image, this.#gridMeterId);
    this.powers = powers;
    this.events += 1;

    const last = this.samples[this.samples.length - 1];
    if (!last || event.atMs - last.atMs >= SAMPLE_EVERY_MS || event.atMs < last.atMs) {
      const kept = this.samples.filter((s) => s.atMs > event.atMs - KEEP_MS && s.atMs < event.atMs);
      this.samples = [...kept, { atMs: event.atMs, ...powers }];
    }

    this.#lastEvent = event;
    const day = localMidnight(event.atMs);
    if (day !== this.#energyDay) this.#countDay(day); // a new day starts a new balance, as Home Assistant's does
    if (this.#energy) this.#countEnergy(this.#energy, event);
  }

  #countDay(dayStartMs: number): void {
    this.#energyDay = dayStartMs;
    this.#energy = null;
    this.energy = null;
    const energy = new EnergyToday();
    const seeded = (devices: EnergyView['devices'] | null): void => {
      if (this.#energyDay !== dayStartMs) return; // a later day is being counted already
      energy.seed(devices, dayStartMs);
      this.#energy = energy;
      if (this.#lastEvent) this.#countEnergy(energy, this.#lastEvent);
    };
    optionalControllerGet<EnergyView>(this.controllerUrl, `/api/energy?from=${dayStartMs}`).then(
      (view) => seeded(view?.devices ?? null),
      () => seeded(null), // a controller that cannot answer: count from the next event rather than show nothing
    );
  }

  #countEnergy(energy: EnergyToday, event: StreamEvent): void {
    energy.observe(event, this.#gridMeterId);
    this.energy = energy.balance();
    this.energySinceMs = energy.sinceMs;
    this.energySource = energy.source;
  }
}
