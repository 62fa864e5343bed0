/**
 * What a contract's refusal means for the records it names, read from the registry's error text
 * (contracts-cosmwasm/contracts/registry/src/error.rs and recording.rs). A refusal is final only when the same
 * record can never be accepted; everything else is tried again, because an honest record must never be lost to a
 * moment's state of the chain.
 */
export type RefusalKind =
  /** The interval ends after the block time the chain checked it against: the chain's clock will pass it. */
  | 'not-yet'
  /** The oracle key is not (or no longer) authorised: the admin may authorise it again. */
  | 'unauthorised'
  /** The chain holds a different record for this (node, interval). Final, unless what it holds is identical. */
  | 'conflict'
  /** The record itself is wrong and stays wrong: shape, alignment, physics, counters against stored records. */
  | 'final'
  /**
   * The record's flexibility claim, not the record: the registry could not recompute it from what it holds (a
   * baseline interval missing or different, the node not a flexible load there). The record goes again without it,
   * unless the missing baseline intervals are still on their way.
   */
  | 'flexibility'
  /** Anything else (a node not approved yet or suspended, a refusal this controller does not know): tried again. */
  | 'later';

export interface ChainRefusal {
  kind: RefusalKind;
  /** The record the refusal names (the registry names node and interval), or null when it names none. */
  record: { nodeId: number; intervalStartS: number } | null;
}

/** Refusals that hold the whole batch back (they are not about one record): the submitter backs off and resends. */
export const batchWideRefusals: ReadonlySet<RefusalKind> = new Set(['not-yet', 'unauthorised']);

/** Record refusals that can never succeed for the same content (RecordRefused reasons of recording.rs). */
const finalReasons: readonly RegExp[] = [
  /exceeds rated power/,
  /interval_s \d+ differs from the configured/,
  /interval_start is not aligned/,
  /samples_hash must be/,
  // counters against records already stored: a stored record never changes, so neither does the verdict
  /counter/i,
  // retired is for good (pending and suspended nodes may still become active)
  /node is retired/,
];

/** The refusals of a flexibility claim (flexibility.rs), checked before the final ones ("exceeds rated power"). */
const flexibilityReasons: readonly RegExp[] = [
  /flexibility is recorded for flexible loads only/,
  /request_start/,
  /the baseline needs the \d+ intervals/,
  /baseline_wh \d+ differs/,
  /delivered_wh \d+ (differs|exceeds)/,
];

const namedRecord = /record \d+ \(node (\d+), interval (\d+)\)/;

export function classifyRefusal(message: string): ChainRefusal {
  const named = namedRecord.exec(message);
  const record = named ? { nodeId: Number(named[1]), intervalStartS: Number(named[2]) } : null;
  if (/unauthorized: record_intervals may only be called by an authorised oracle/.test(message))
    return { kind: 'unauthorised', record: null };
  if (/conflicts with the record already stored/.test(message)) return { kind: 'conflict', record };
  if (/interval ends after the block time/.test(message)) return { kind: 'not-yet', record };
  const reason = named ? message.slice(named.index + named[0].length) : message;
  if (named && flexibilityReasons.some((pattern) => pattern.test(reason))) return { kind: 'flexibility', record };
  if (named && finalReasons.some((pattern) => pattern.test(reason))) return { kind: 'final', record };
  return { kind: 'later', record };
}
