/**
 * Runs async jobs one at a time, in arrival order. The chain's state (cw-simulate's store, accounts, blocks) is
 * touched only through this queue, so a query never sees a transaction half-applied across an await.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
