export {
  Outbox,
  OutboxConflictError,
  type StoredInterval,
  type OutboxRecord,
  type OutboxStatus,
  type OutboxCounts,
} from './outbox.ts';
export {
  BatchRefusedError,
  BatchTooLargeError,
  ChainUnavailableError,
  classifyChainFailure,
  latestBlockTimeS,
  type BatchSender,
  type SentBatch,
} from './batch-sender.ts';
export { RegistrySender, toIntervalRecord } from './registry-sender.ts';
export { classifyRefusal, batchWideRefusals, type ChainRefusal, type RefusalKind } from './chain-refusal.ts';
export { KavaAnchorSender } from './kava-anchor-sender.ts';
export { anchorMemo, batchDigest, parseAnchorMemo, type AnchorMemo } from './batch-digest.ts';
export {
  OutboxSubmitter,
  defaultSubmitterOptions,
  type SubmitOutcome,
  type SubmitterOptions,
  type SubmitterStatus,
} from './outbox-submitter.ts';
export { MeteringRecorder, type RequestedPowersW } from './metering-recorder.ts';
export {
  BASELINE_INTERVALS,
  MAX_REQUEST_SPAN_S,
  baselineWh,
  deliveredWh,
  toRegistryClaim,
  type FlexDirection,
  type FlexibilityClaim,
} from './flexibility-claim.ts';
export { FlexibilityRequests, type FlexibilityHistory, type FlexibleNode } from './flexibility-requests.ts';
