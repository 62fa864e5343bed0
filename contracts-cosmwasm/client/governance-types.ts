// The governance contract's messages and answers, mirroring contracts/governance/src/msg.rs (JSON, snake_case).
// Big numbers travel as strings: Uint128 (power in W, deposit amounts) and Timestamp (nanoseconds since the epoch).

/** A decimal string of a u128 (JavaScript numbers cannot hold it). */
export type Uint128 = string;
/** Nanoseconds since the Unix epoch, as a decimal string. */
export type TimestampNs = string;

/** Reward weights in basis points (10,000 = x1), each 0..=50,000. */
export interface KindMultipliers {
  pv: number;
  battery: number;
  flexible_load: number;
}

export interface RewardMultipliers {
  kind_bps: KindMultipliers;
  /** At most 32 [zone, bps] pairs; zone names 1..=32 chars of [a-z0-9-]; an unlisted zone earns 10,000 bps. */
  zone_bps: Array<[string, number]>;
  /**
   * Weight of each Wh of flexibility a flexible load delivered on request, 0..=50,000 bps. Optional in what is sent
   * (10,000 when absent); the contract always answers it.
   */
  flexibility_bps?: number;
}

/** Where surplus PV power goes; each 0..=100, the three add up to exactly 100. */
export interface SurplusSplit {
  battery_pct: number;
  miners_pct: number;
  export_pct: number;
}

/** The allocation policy the DAO governs and the controller applies (one shape everywhere). */
export interface AllocationPolicy {
  /** 5..=80: the state of charge the controller never discharges a battery below. */
  battery_reserve_pct: number;
  surplus_split: SurplusSplit;
  /** 0..=100: share of the miners' power range the controller may modulate. */
  miner_flexibility_pct: number;
  reward_multipliers: RewardMultipliers;
}

/** "majority" = strictly more than half; percent_bps = at least this share (1..=10,000 basis points). */
export type PercentageThreshold = { majority: Record<string, never> } | { percent_bps: number };

export interface ThresholdQuorum {
  /** Share of non-abstain votes that must be yes. */
  threshold: PercentageThreshold;
  /** Share of the total power at the snapshot that must vote (abstain counts). */
  quorum: PercentageThreshold;
}

export type DepositRefundPolicy = 'always' | 'only_passed' | 'never';

export interface DepositInfo {
  denom: string;
  amount: Uint128;
  refund_policy: DepositRefundPolicy;
  forfeit_recipient: string;
}

export interface GovernanceInstantiateMsg {
  registry: string;
  council: string;
  threshold: ThresholdQuorum;
  min_voting_period_seconds: number;
  max_voting_period_seconds: number;
  timelock_seconds: number;
  allow_revoting: boolean;
  deposit: DepositInfo | null;
  /**
   * How long a passed proposal may be executed once its timelock is over (3,600..=2,592,000 s; 7 days when absent
   * or null). Afterwards it is `expired`.
   */
  execution_window_seconds?: number | null;
  initial_policy: AllocationPolicy;
}

export type Vote = 'yes' | 'no' | 'abstain';

export type GovernanceExecuteMsg =
  | { propose: { title: string; description: string; policy: AllocationPolicy } }
  | { vote: { proposal_id: number; vote: Vote; rationale: string | null } }
  | { execute: { proposal_id: number } }
  | { veto: { proposal_id: number } }
  | { close: { proposal_id: number } };

export type ProposalStatusFilter =
  'open' | 'rejected' | 'veto_timelock' | 'passed' | 'expired' | 'executed' | 'closed' | 'vetoed';

export type GovernanceQueryMsg =
  | { config: Record<string, never> }
  | { policy: Record<string, never> }
  | { pending_policy: Record<string, never> }
  | { proposals: { status: ProposalStatusFilter | null; start_after: number | null; limit: number | null } }
  | { proposal: { proposal_id: number } }
  | { votes: { proposal_id: number; start_after: string | null; limit: number | null } }
  | { vote: { proposal_id: number; voter: string } }
  | { voting_power: { address: string; height: number | null } };

export type GovernanceMigrateMsg = Record<string, never>;

export interface Coin {
  denom: string;
  amount: Uint128;
}

/** The configuration as the contract answers it: the instantiation settings without the initial policy. */
export type GovernanceConfig = Omit<GovernanceInstantiateMsg, 'initial_policy' | 'execution_window_seconds'> & {
  execution_window_seconds: number;
};

export interface PolicyResponse {
  version: number;
  policy: AllocationPolicy;
  effective_from: TimestampNs;
}

export interface PendingPolicyResponse {
  proposal_id: number;
  policy: AllocationPolicy;
  passed_at: TimestampNs;
  /** From when anyone may execute it (the end of the council's veto window). */
  executable_from: TimestampNs;
  /** Until when it may be executed (the end of its execution window). */
  execute_by: TimestampNs;
}

/** `expired`: passed but not executed within its execution window, so it can no longer take effect. */
export type ProposalStatus =
  | 'open'
  | 'rejected'
  | { veto_timelock: { expires_at: TimestampNs } }
  | 'passed'
  | 'expired'
  | 'executed'
  | 'closed'
  | 'vetoed';

export interface Tally {
  yes: Uint128;
  no: Uint128;
  abstain: Uint128;
}

export interface ProposalResponse {
  id: number;
  title: string;
  description: string;
  proposer: string;
  policy: AllocationPolicy;
  /** The status at the queried block. */
  status: ProposalStatus;
  start_height: number;
  opened_at: TimestampNs;
  min_voting_end: TimestampNs;
  expiration: TimestampNs;
  total_power: Uint128;
  tally: Tally;
  threshold: ThresholdQuorum;
  allow_revoting: boolean;
  passed_at: TimestampNs | null;
  executable_from: TimestampNs | null;
  /** The end of the execution window, for a proposal that passed. */
  execute_by: TimestampNs | null;
  deposit: Coin | null;
}

export interface ProposalsResponse {
  proposals: ProposalResponse[];
}

export interface VoteInfo {
  voter: string;
  vote: Vote;
  power: Uint128;
  rationale: string | null;
}

export interface VotesResponse {
  votes: VoteInfo[];
}

export interface VotingPowerResponse {
  power: Uint128;
  height: number;
}

/** The status filter word for a status (what `proposals { status }` matches). */
export function statusName(status: ProposalStatus): ProposalStatusFilter {
  return typeof status === 'string' ? status : 'veto_timelock';
}

/** The contract's hard limits (contracts/governance/src/limits.rs and policy.rs), for forms and schemas. */
export const GOVERNANCE_LIMITS = {
  minTitleChars: 1,
  maxTitleChars: 128,
  maxDescriptionChars: 4_000,
  maxRationaleChars: 1_000,
  maxProposalBytes: 16_384,
  minVotingPeriodSeconds: 60,
  maxVotingPeriodSeconds: 366 * 24 * 3_600,
  maxTimelockSeconds: 30 * 24 * 3_600,
  minExecutionWindowSeconds: 3_600,
  maxExecutionWindowSeconds: 30 * 24 * 3_600,
  defaultExecutionWindowSeconds: 7 * 24 * 3_600,
  minBatteryReservePct: 5,
  maxBatteryReservePct: 80,
  maxMultiplierBps: 50_000,
  maxZones: 32,
  maxZoneNameChars: 32,
  defaultPageLimit: 10,
  maxPageLimit: 30,
} as const;
