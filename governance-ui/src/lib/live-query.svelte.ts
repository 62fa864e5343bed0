import { ChainUnreachableError } from './chain/comet-rpc.ts';
import { errorInWords } from './contracts/error-words.ts';

/**
 * A read that keeps itself fresh: loads at once, then every `intervalMs`, and keeps the last good data while the
 * source is away (the page says "not reachable, retrying" instead of going blank). Start it inside `$effect`, which
 * stops it when the component goes.
 */
export class LiveQuery<T> {
  data = $state<T | undefined>(undefined);
  error = $state<string | null>(null);
  /** the source could not be reached at all (as opposed to refusing the request) */
  unreachable = $state(false);
  loading = $state(true);
  #generation = 0;

  constructor(private readonly load: () => Promise<T>) {}

  /** Loads now and then every `intervalMs` (0 = once); returns the stop function `$effect` wants. */
  start(intervalMs = 0): () => void {
    const generation = ++this.#generation;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      await this.refresh(generation);
      // while the source is away, retry sooner (and at most every 3 s) even for one-shot reads
      const next = this.unreachable ? Math.min(intervalMs || 3_000, 3_000) : intervalMs;
      if (next > 0 && generation === this.#generation) timer = setTimeout(() => void tick(), next);
    };
    void tick();
    return () => {
      this.#generation += 1;
      clearTimeout(timer);
    };
  }

  async refresh(generation = this.#generation): Promise<void> {
    try {
      const data = await this.load();
      if (generation !== this.#generation) return;
      this.data = data;
      this.error = null;
      this.unreachable = false;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.unreachable = error instanceof ChainUnreachableError || error instanceof TypeError;
      this.error = errorInWords(error);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
