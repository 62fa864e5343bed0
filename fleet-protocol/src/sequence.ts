/** Sparkplug's seq and bdSeq both count 0-255 and wrap. */
export function nextSequenceNumber(sequenceNumber: number): number {
  return (sequenceNumber + 1) % 256;
}

/** The seq an edge node stamps on its messages: 0 on every NBIRTH, then 1, 2, ... 255, 0, ... */
export class SequenceCounter {
  #next = 0;

  /** The seq for a birth (always 0); the next message gets 1. */
  birth(): number {
    this.#next = 1;
    return 0;
  }

  /** The seq the next message will get, without taking it (so a message that fails to encode leaves no gap). */
  peek(): number {
    return this.#next;
  }

  next(): number {
    const seq = this.#next;
    this.#next = nextSequenceNumber(seq);
    return seq;
  }
}

export type SequenceCheck =
  | { kind: 'in-order' }
  /** A message was lost (or duplicated): the host should ask the site for a rebirth. */
  | { kind: 'gap'; expected: number; received: number }
  /** Data from a site with no birth seen in this session: the host should ask for a rebirth too. */
  | { kind: 'unborn' };

/**
 * The host's view of each site's seq. After a gap the site counts as unborn until its next NBIRTH, so every message
 * until then says "ask for a rebirth" and none is taken as in order.
 */
export class SequenceGapDetector {
  readonly #expected = new Map<string, number>();

  birth(siteId: string, seq: number): void {
    this.#expected.set(siteId, nextSequenceNumber(seq));
  }

  data(siteId: string, seq: number): SequenceCheck {
    const expected = this.#expected.get(siteId);
    if (expected === undefined) return { kind: 'unborn' };
    if (seq !== expected) {
      this.#expected.delete(siteId);
      return { kind: 'gap', expected, received: seq };
    }
    this.#expected.set(siteId, nextSequenceNumber(seq));
    return { kind: 'in-order' };
  }

  death(siteId: string): void {
    this.#expected.delete(siteId);
  }
}
