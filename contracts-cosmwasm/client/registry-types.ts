// The registry contract's messages and answers, mirroring contracts/registry/src/msg.rs (JSON, snake_case).
// u64 fields are JSON numbers; Uint128 amounts and nanosecond timestamps are decimal strings.

export type NodeKind = 'pv' | 'battery' | 'flexible_load';
export type NodeStatus = 'pending' | 'active' | 'suspended' | 'retired';

/** Basis points: 10,000 = x1. */
export interface KindMultipliers {
  pv: number;
  battery: number;
  flexible_load: number;
}

export interface RewardPolicy {
  kind_bps: KindMultipliers;
  /** [zone, bps] pairs; a zone not listed earns 10,000 bps. */
  zone_bps: [string, number][];
  /** Weight of each Wh of flexibility a flexible load delivered on request, 0..=50,000 (10,000 when absent). */
  flexibility_bps?: number;
}

/** Which way a flexibility request asked a load to move: consume less (down) or more (up). */
export type FlexDirection = 'down' | 'up';

/**
 * The flexibility a flexible load delivered in an interval on the controller's request. The registry recomputes
 * `baseline_wh` from the node's records of the 8 intervals before `request_start` (their median energy_in: the lower
 * middle value for down, the upper for up) and `delivered_wh` (down: baseline - energy_in; up: energy_in - baseline,
 * never below 0), and refuses a claim that differs.
 */
export interface FlexibilityClaim {
  direction: FlexDirection;
  request_start: number;
  baseline_wh: number;
  delivered_wh: number;
}

export interface RegistryInstantiateMsg {
  admin?: string | null;
  operator: string;
  governance?: string | null;
  /** oracle keys of the default site */
  oracles: string[];
  /** the site nodes join when approved without one; "plant" when absent */
  default_site?: string | null;
  /** more sites, each with its own oracle keys */
  sites?: SiteInit[];
  reward_denom: string;
  interval_s: number;
  epoch_length_s: number;
  settlement_delay_s: number;
  reward_policy?: RewardPolicy | null;
}

export interface SiteInit {
  site: string;
  oracles: string[];
}

export interface IntervalRecord {
  node_id: number;
  /** Unix seconds, a multiple of interval_s. */
  interval_start: number;
  interval_s: number;
  energy_in_wh: number;
  energy_out_wh: number;
  counter_in_wh: number;
  counter_out_wh: number;
  /** Lower-case hex sha256 of the raw samples. */
  samples_hash: string;
  /** Flexible loads under a flexibility request only; absent otherwise. */
  flexibility?: FlexibilityClaim;
}

export type RegistryExecuteMsg =
  | {
      register_node: {
        kind: NodeKind;
        rated_power_w: number;
        energy_capacity_wh?: number | null;
        zone: string;
        metadata: [string, string][];
      };
    }
  | { approve_node: { node_id: number; site?: string | null } }
  | { assign_node_site: { node_id: number; site: string } }
  | { suspend_node: { node_id: number; reason: string } }
  | { resume_node: { node_id: number } }
  | { retire_node: { node_id: number } }
  | { record_intervals: { records: IntervalRecord[] } }
  | { fund_epoch: { epoch: number } }
  | { claim_rewards: { node_id: number; epoch: number } }
  | { log_maintenance: { node_id: number; note: string } }
  | { update_oracles: { add: string[]; remove: string[] } }
  | { add_site: { site: string; oracles: string[] } }
  | { update_site_oracles: { site: string; add: string[]; remove: string[] } }
  | { remove_site: { site: string } }
  /** `admin` is refused (the admin moves in two steps); `governance` only while it is unset */
  | { update_config: { admin?: string | null; operator?: string | null; governance?: string | null } }
  | { propose_admin: { new_admin: string } }
  | { accept_admin: Record<string, never> }
  | { cancel_admin_transfer: Record<string, never> }
  | { renounce_admin: Record<string, never> }
  /** the governance contract only */
  | { update_governance: { governance: string } }
  | { set_reward_policy: RewardPolicy & { flexibility_bps?: number | null } };

export type RegistryQueryMsg =
  | { config: Record<string, never> }
  | { info: Record<string, never> }
  | { reward_policy: Record<string, never> }
  | { node: { node_id: number } }
  | {
      nodes: {
        owner?: string | null;
        zone?: string | null;
        kind?: NodeKind | null;
        start_after?: number | null;
        limit?: number | null;
      };
    }
  | {
      records: {
        node_id: number;
        from_s?: number | null;
        to_s?: number | null;
        start_after?: number | null;
        limit?: number | null;
      };
    }
  | {
      record_chain: {
        node_id: number;
        from_s?: number | null;
        to_s?: number | null;
        start_after?: number | null;
        limit?: number | null;
      };
    }
  | { reward_policies: { start_after?: number | null; limit?: number | null } }
  | { node_totals: { node_id: number } }
  | { node_epoch: { node_id: number; epoch: number } }
  | { epoch: { epoch: number } }
  | { plant_totals: Record<string, never> }
  | { oracles: { start_after?: string | null; limit?: number | null } }
  | { ownership: Record<string, never> }
  | { site: { site: string } }
  | { sites: { start_after?: string | null; limit?: number | null } }
  | { site_oracles: { site: string; start_after?: string | null; limit?: number | null } }
  | { oracle_site: { address: string } }
  | { maintenance_log: { node_id: number; start_after?: number | null; limit?: number | null } }
  | { voting_power_at_height: { address: string; height?: number | null } }
  | { total_power_at_height: { height?: number | null } };

export interface RegistryConfig {
  /** null once the admin renounced */
  admin: string | null;
  operator: string;
  governance: string | null;
  reward_denom: string;
  interval_s: number;
  epoch_length_s: number;
  settlement_delay_s: number;
  default_site: string;
}

export interface OwnershipResponse {
  admin: string | null;
  pending_admin: string | null;
}

export interface SiteResponse {
  site: string;
  oracles: number;
  nodes: number;
}

export interface SitesResponse {
  sites: SiteResponse[];
}

export interface OracleSiteResponse {
  site: string | null;
}

export interface InfoResponse {
  contract: string;
  version: string;
}

export interface RegistryNode {
  id: number;
  owner: string;
  kind: NodeKind;
  rated_power_w: number;
  energy_capacity_wh: number | null;
  zone: string;
  metadata: [string, string][];
  status: NodeStatus;
  /** Nanoseconds since the epoch, as a string. */
  registered_at: string;
  status_reason: string | null;
  maintenance_entries: number;
  /** the site whose oracle records the node (null until approved; the default site for older nodes) */
  site?: string | null;
}

export interface NodesResponse {
  nodes: RegistryNode[];
}

export interface StoredRecord {
  record: IntervalRecord;
  oracle: string;
  recorded_at_height: number;
  counts_for_rewards: boolean;
  /** The reward policy version in force when the record was stored (see `reward_policies`). */
  policy_version: number;
  /** energy_out_wh x kind_bps x zone_bps of that policy, a decimal string; "0" when it does not count for rewards. */
  reward_weight: string;
}

export interface RecordsResponse {
  records: StoredRecord[];
}

/** A node's counters at the end of a recorded interval. */
export interface CounterReading {
  interval_start: number;
  counter_in_wh: number;
  counter_out_wh: number;
}

/** One record with the counters of the node's nearest earlier record (null for its first record). */
export interface RecordLink {
  stored: StoredRecord;
  previous: CounterReading | null;
}

export interface RecordChainResponse {
  links: RecordLink[];
}

export interface RewardPolicyEntry {
  version: number;
  /** The block in which this version was set (instantiation for version 1). */
  since_height: number;
  policy: RewardPolicy;
}

export interface RewardPoliciesResponse {
  policies: RewardPolicyEntry[];
}

export interface EnergyTotals {
  energy_in_wh: number;
  energy_out_wh: number;
  records: number;
  /** Flexibility delivered on request (flexible loads), in Wh; absent when zero. */
  flexibility_wh?: number;
}

export interface NodeEpochResponse {
  node_id: number;
  epoch: number;
  totals: EnergyTotals;
  reward_weight: string;
  claimed: string;
  claimable: string;
}

export interface EpochResponse {
  epoch: number;
  start_s: number;
  end_s: number;
  settles_at_s: number;
  settled: boolean;
  totals: EnergyTotals;
  total_weight: string;
  pool: string;
  paid: string;
}

export interface PlantTotalsResponse {
  totals: EnergyTotals;
  nodes_pending: number;
  nodes_active: number;
  nodes_suspended: number;
  nodes_retired: number;
  active_rated_power_w: number;
}

export interface OraclesResponse {
  oracles: string[];
}

export interface MaintenanceEntry {
  seq: number;
  author: string;
  at: string;
  note: string;
}

export interface MaintenanceLogResponse {
  entries: MaintenanceEntry[];
}

export interface VotingPowerResponse {
  /** Uint128 as a decimal string: the rated power in W of the owner's active nodes. */
  power: string;
  height: number;
}

/** The hard limits of the contract (contracts/registry/src/limits.rs), for callers that size their batches. */
export const REGISTRY_LIMITS = {
  maxBatchRecords: 100,
  /** oracle keys per site */
  maxOracles: 16,
  maxSites: 1_000,
  maxRatedPowerW: 100_000_000,
  maxEnergyCapacityWh: 1_000_000_000,
  maxMetadataEntries: 16,
  maxMetadataKeyChars: 32,
  maxMetadataValueBytes: 256,
  maxNoteBytes: 512,
  maxReasonBytes: 256,
  maxZoneChars: 32,
  maxZones: 32,
  maxMultiplierBps: 50_000,
  minIntervalS: 60,
  maxIntervalS: 86_400,
  maxEpochLengthS: 366 * 86_400,
  maxSettlementDelayS: 30 * 86_400,
  defaultPageLimit: 10,
  maxPageLimit: 30,
} as const;
