/**
 * One ticking clock for every countdown on the page, on the chain's time: voting periods and timelocks end by block
 * time, which can differ from this computer's clock (a local chain moved forward, a drifting laptop). The offset is
 * learned from the latest block each time the app reads the chain's status.
 */
class ChainClock {
  #offsetMs = 0;
  ms = $state(Date.now());
  constructor() {
    if (typeof window !== 'undefined') setInterval(() => (this.ms = Date.now() + this.#offsetMs), 1_000);
  }
  /** A block made at `blockTimeMs` is the latest one now. */
  observeBlock(blockTimeMs: number): void {
    this.#offsetMs = blockTimeMs - Date.now();
    this.ms = blockTimeMs;
  }
}

export const now = new ChainClock();
