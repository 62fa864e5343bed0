/**
 * Runs async jobs one at a time. The chain's state (cw-simulate's store, accounts, blocks) is touched only through
 * this queue, so a query never sees a transaction half-applied across an await. Jobs run in arrival order, except
 * that `runFirst` jobs (block sealing) go ahead of every job still waiting: however many queries pile up, the next
 * block is sealed as soon as the job running now ends.
 */
export class SerialQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = false;

  run<T>(job: () => Promise<T> | T): Promise<T> {
    return this.enqueue(job, false);
  }

  runFirst<T>(job: () => Promise<T> | T): Promise<T> {
    return this.enqueue(job, true);
  }

  /** Jobs waiting to run (not counting the one running). */
  get length(): number {
    return this.waiting.length;
  }

  private enqueue<T>(job: () => Promise<T> | T, first: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task = async () => {
        try {
          resolve(await job());
        } catch (error) {
          reject(error as Error);
        }
      };
      if (first) this.waiting.unshift(task);
      else this.waiting.push(task);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) await this.waiting.shift()!();
    this.running = false;
  }
}
