// What the verifier reads from the chain about one node and one time range, in a form that can be saved to a file
// and checked again later (or by someone else) without the chain: every stored record with its predecessor's
// counters, the transactions that carried them, the blocks' times, the reward policies and the epochs.
import type {
  EpochResponse,
  IntervalRecord,
  NodeEpochResponse,
  RecordLink,
  RegistryConfig,
  RegistryNode,
  RewardPolicyEntry,
  EnergyTotals,
} from '../client/registry-types.ts';

/** One `record_intervals` message of a successful transaction, as signed and broadcast. */
export interface RecordingMessage {
  txHash: string;
  height: number;
  /** The signer of the message (an oracle). */
  sender: string;
  /** Every record of the batch, all nodes, in the order sent. */
  records: IntervalRecord[];
}

export interface LedgerEvidence {
  /** The format of this object, so a saved copy from another version is refused rather than misread. */
  format: 'gridcoop-ledger-evidence/1';
  chainId: string;
  registry: string;
  nodeId: number;
  fromS: number;
  toS: number;
  config: RegistryConfig;
  node: RegistryNode;
  /** Stored records with interval_start in [fromS, toS), in order. */
  links: RecordLink[];
  /** Whether the node has a record at or after toS (then the lifetime totals cannot be compared). */
  recordsAfterRange: boolean;
  nodeTotals: EnergyTotals;
  policies: RewardPolicyEntry[];
  /** Block time (ms since the epoch) of every height a record was stored at. */
  blockTimesMs: Record<string, number>;
  /** The record_intervals messages to the registry in the blocks the records were stored in. */
  messages: RecordingMessage[];
  /**
   * For each flexibility request start of the node's records in range: the node's stored records of the baseline
   * window before it (the registry's BASELINE_INTERVALS intervals), so the baseline can be recomputed.
   */
  baselineWindows: Record<string, IntervalRecord[]>;
  /** Epochs that lie wholly inside [fromS, toS), with the registry's view of them. */
  epochs: { epoch: EpochResponse; node: NodeEpochResponse }[];
}

export const EVIDENCE_FORMAT = 'gridcoop-ledger-evidence/1' as const;

/** The registry's baseline window for flexibility claims, in intervals (contracts/registry/src/flexibility.rs). */
export const BASELINE_INTERVALS = 8;

/** A flexibility request lasts less than a day (contracts/registry/src/flexibility.rs, MAX_REQUEST_SPAN_S). */
export const MAX_REQUEST_SPAN_S = 86_400;
