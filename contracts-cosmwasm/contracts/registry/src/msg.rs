//! Every message and answer of the registry, as JSON (snake_case). The TypeScript types in client/ mirror these.

use gridcoop_vm::{Addr, Timestamp, Uint128};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Pv,
    Battery,
    FlexibleLoad,
}

impl NodeKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            NodeKind::Pv => "pv",
            NodeKind::Battery => "battery",
            NodeKind::FlexibleLoad => "flexible_load",
        }
    }
}

/// pending (registered, waiting for the operator) -> active (bound to the plant) <-> suspended; any -> retired.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    Pending,
    Active,
    Suspended,
    Retired,
}

impl NodeStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            NodeStatus::Pending => "pending",
            NodeStatus::Active => "active",
            NodeStatus::Suspended => "suspended",
            NodeStatus::Retired => "retired",
        }
    }
}

/// Reward weights in basis points (10,000 = x1), the `reward_multipliers` part of the DAO's allocation policy.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KindMultipliers {
    pub pv: u32,
    pub battery: u32,
    pub flexible_load: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RewardPolicy {
    pub kind_bps: KindMultipliers,
    /// (zone, bps) pairs; a zone not listed earns 10,000 bps.
    pub zone_bps: Vec<(String, u32)>,
    /// Weight of each Wh of flexibility a flexible load delivered on request (10,000 when absent).
    #[serde(default = "neutral_bps")]
    pub flexibility_bps: u32,
}

pub fn neutral_bps() -> u32 {
    10_000
}

/// Which way a flexibility request asked the load to move: consume less (down) or more (up).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FlexDirection {
    Down,
    Up,
}

/// The flexibility a flexible load delivered in an interval, on the controller's request, against its baseline.
/// The baseline's inputs are the node's own records of the intervals before the request, already on chain: the
/// registry recomputes the baseline and the delivered energy and refuses a claim that differs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FlexibilityClaim {
    pub direction: FlexDirection,
    /// Start of the request (aligned, at or before this interval, at most a day earlier); the baseline is the median
    /// energy_in of the node's records of the BASELINE_INTERVALS intervals just before it.
    pub request_start: u64,
    pub baseline_wh: u64,
    /// down: baseline - energy_in; up: energy_in - baseline (never below 0).
    pub delivered_wh: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// Manages sites, their oracle keys and the operator address; the sender when absent. Moves in two steps
    /// (propose_admin, accept_admin) and may be renounced.
    pub admin: Option<String>,
    /// The plant operator: approves (binds), suspends, resumes and retires nodes.
    pub operator: String,
    /// The governance contract, the only caller of set_reward_policy (none: the policy stays as instantiated). Once
    /// set, only the governance contract itself may move it (update_governance).
    pub governance: Option<String>,
    /// Oracle keys of the default site (the single-site deployment's controller).
    pub oracles: Vec<String>,
    /// The site a node joins when the operator approves it without naming one; "plant" when absent. Created here.
    #[serde(default)]
    pub default_site: Option<String>,
    /// More sites, each with its oracle keys (a fleet of sites: each site's oracle records only its own nodes).
    #[serde(default)]
    pub sites: Vec<SiteInit>,
    /// Native denomination of reward pools.
    pub reward_denom: String,
    /// Metering interval length; interval records start at multiples of it.
    pub interval_s: u64,
    /// Reward epoch length, a multiple of interval_s; epoch n covers [n * epoch_length_s, (n + 1) * epoch_length_s).
    pub epoch_length_s: u64,
    /// After an epoch ends, how long late records still count for its rewards; claims open afterwards.
    pub settlement_delay_s: u64,
    pub reward_policy: Option<RewardPolicy>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SiteInit {
    pub site: String,
    pub oracles: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IntervalRecord {
    pub node_id: u64,
    /// Unix seconds, a multiple of the configured interval length.
    pub interval_start: u64,
    pub interval_s: u64,
    pub energy_in_wh: u64,
    pub energy_out_wh: u64,
    /// Meter counter readings at the end of the interval (never lower than an earlier interval's).
    pub counter_in_wh: u64,
    pub counter_out_wh: u64,
    /// Lower-case hex sha256 of the raw samples, so anyone holding them can check the record.
    pub samples_hash: String,
    /// Flexible loads under a flexibility request only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexibility: Option<FlexibilityClaim>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Anyone; the sender becomes the owner. The node waits (pending) for the operator's approval.
    RegisterNode {
        kind: NodeKind,
        rated_power_w: u64,
        /// Batteries only (required for them, refused for other kinds).
        energy_capacity_wh: Option<u64>,
        zone: String,
        metadata: Vec<(String, String)>,
    },
    /// Operator: pending -> active (bound to `site`, the default site when absent; counts for voting power).
    ApproveNode { node_id: u64, site: Option<String> },
    /// Operator: moves an approved node to another site (its oracle records it from then on).
    AssignNodeSite { node_id: u64, site: String },
    /// Operator: active -> suspended (records refused, no voting power, no claims).
    SuspendNode { node_id: u64, reason: String },
    /// Operator: suspended -> active.
    ResumeNode { node_id: u64 },
    /// Operator or owner: any -> retired, for good.
    RetireNode { node_id: u64 },
    /// Oracles: a batch of closed metering intervals of their own site's nodes, all or nothing.
    RecordIntervals { records: Vec<IntervalRecord> },
    /// Anyone, with funds in the reward denomination: adds them to epoch `epoch`'s pool.
    FundEpoch { epoch: u64 },
    /// Node owner: pays the node's share of a settled epoch's pool not yet paid to it.
    ClaimRewards { node_id: u64, epoch: u64 },
    /// Operator or node owner: appends a maintenance note to a node's log.
    LogMaintenance { node_id: u64, note: String },
    /// Admin: the default site's oracle keys.
    UpdateOracles { add: Vec<String>, remove: Vec<String> },
    /// Admin: a new site with its oracle keys.
    AddSite { site: String, oracles: Vec<String> },
    /// Admin: a site's oracle keys (rotation: add the new key, then remove the old one).
    UpdateSiteOracles { site: String, add: Vec<String>, remove: Vec<String> },
    /// Admin: removes a site with no nodes and no oracles (not the default site).
    RemoveSite { site: String },
    /// Admin: the operator; the governance pointer only while it is unset (deployment wiring). `admin` is refused:
    /// the admin role moves with propose_admin / accept_admin.
    UpdateConfig { admin: Option<String>, operator: Option<String>, governance: Option<String> },
    /// Admin: proposes a new admin, who must accept; replaces an earlier proposal.
    ProposeAdmin { new_admin: String },
    /// The proposed admin: takes the admin role.
    AcceptAdmin {},
    /// Admin: withdraws the pending proposal.
    CancelAdminTransfer {},
    /// Admin: gives the admin role up for good (sites, oracle keys and the operator are then fixed).
    RenounceAdmin {},
    /// Governance contract only: moves the governance pointer (to a successor governance contract).
    UpdateGovernance { governance: String },
    /// Governance contract only: the reward multipliers of a policy that took effect.
    SetRewardPolicy { kind_bps: KindMultipliers, zone_bps: Vec<(String, u32)>, flexibility_bps: Option<u32> },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum QueryMsg {
    /// -> Config
    Config {},
    /// -> InfoResponse (cw2 name and version)
    Info {},
    /// -> RewardPolicy
    RewardPolicy {},
    /// -> Node
    Node { node_id: u64 },
    /// -> NodesResponse; filters combine; ordered by id.
    Nodes {
        owner: Option<String>,
        zone: Option<String>,
        kind: Option<NodeKind>,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// -> RecordsResponse: records with from_s <= interval_start < to_s, after start_after, by interval.
    Records { node_id: u64, from_s: Option<u64>, to_s: Option<u64>, start_after: Option<u64>, limit: Option<u32> },
    /// -> RecordChainResponse: like `records`, each record with the counters of the node's nearest earlier record
    /// (also for the first of a page), so anyone can recompute every energy and total from the counters.
    RecordChain { node_id: u64, from_s: Option<u64>, to_s: Option<u64>, start_after: Option<u64>, limit: Option<u32> },
    /// -> RewardPoliciesResponse: every reward policy version with the block it was set in, by version.
    RewardPolicies { start_after: Option<u64>, limit: Option<u32> },
    /// -> EnergyTotals
    NodeTotals { node_id: u64 },
    /// -> NodeEpochResponse
    NodeEpoch { node_id: u64, epoch: u64 },
    /// -> EpochResponse
    Epoch { epoch: u64 },
    /// -> PlantTotalsResponse
    PlantTotals {},
    /// -> OraclesResponse: every oracle key of every site, by address.
    Oracles { start_after: Option<String>, limit: Option<u32> },
    /// -> OwnershipResponse: the admin (none once renounced) and the proposed admin.
    Ownership {},
    /// -> SiteResponse
    Site { site: String },
    /// -> SitesResponse, by site id.
    Sites { start_after: Option<String>, limit: Option<u32> },
    /// -> OraclesResponse: a site's oracle keys.
    SiteOracles { site: String, start_after: Option<String>, limit: Option<u32> },
    /// -> OracleSiteResponse: the site an oracle key records for (none when it is no oracle).
    OracleSite { address: String },
    /// -> MaintenanceLogResponse
    MaintenanceLog { node_id: u64, start_after: Option<u64>, limit: Option<u32> },
    /// -> VotingPowerResponse: the rated power of the address's active nodes at the start of block `height`
    /// (now when absent).
    VotingPowerAtHeight { address: String, height: Option<u64> },
    /// -> VotingPowerResponse for all active nodes.
    TotalPowerAtHeight { height: Option<u64> },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// None once the admin renounced.
    pub admin: Option<Addr>,
    pub operator: Addr,
    pub governance: Option<Addr>,
    pub reward_denom: String,
    pub interval_s: u64,
    pub epoch_length_s: u64,
    pub settlement_delay_s: u64,
    /// Nodes approved without a site (and nodes approved before sites existed) belong to it.
    #[serde(default = "default_site_name")]
    pub default_site: String,
}

pub fn default_site_name() -> String {
    "plant".to_string()
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct OwnershipResponse {
    pub admin: Option<Addr>,
    pub pending_admin: Option<Addr>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SiteResponse {
    pub site: String,
    pub oracles: u32,
    pub nodes: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SitesResponse {
    pub sites: Vec<SiteResponse>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct OracleSiteResponse {
    pub site: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct InfoResponse {
    pub contract: String,
    pub version: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: u64,
    pub owner: Addr,
    pub kind: NodeKind,
    pub rated_power_w: u64,
    pub energy_capacity_wh: Option<u64>,
    pub zone: String,
    pub metadata: Vec<(String, String)>,
    pub status: NodeStatus,
    pub registered_at: Timestamp,
    pub status_reason: Option<String>,
    pub maintenance_entries: u64,
    /// The site the node was bound to at approval (its oracle records it); None until approved. A node approved
    /// before sites existed has none and belongs to the default site.
    #[serde(default)]
    pub site: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct NodesResponse {
    pub nodes: Vec<Node>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub record: IntervalRecord,
    pub oracle: Addr,
    pub recorded_at_height: u64,
    /// false when the record arrived after its epoch settled: kept in the ledger, not counted for rewards.
    pub counts_for_rewards: bool,
    /// The reward policy version in force when the record was stored (see `reward_policies`).
    pub policy_version: u64,
    /// energy_out_wh x kind_bps x zone_bps of that policy (zero when the record does not count for rewards).
    pub reward_weight: Uint128,
}

/// A node's counters at the end of a recorded interval.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CounterReading {
    pub interval_start: u64,
    pub counter_in_wh: u64,
    pub counter_out_wh: u64,
}

/// One record with the counters of the node's nearest earlier record, so each link can be checked on its own.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RecordLink {
    pub stored: StoredRecord,
    /// None for the node's first record.
    pub previous: Option<CounterReading>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RecordChainResponse {
    pub links: Vec<RecordLink>,
}

/// A reward policy as it was in force from the start of `since_height`'s transactions that follow its change.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RewardPolicyEntry {
    pub version: u64,
    /// The block in which this version was set (instantiation for version 1).
    pub since_height: u64,
    pub policy: RewardPolicy,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RewardPoliciesResponse {
    pub policies: Vec<RewardPolicyEntry>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RecordsResponse {
    pub records: Vec<StoredRecord>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct EnergyTotals {
    pub energy_in_wh: u64,
    pub energy_out_wh: u64,
    pub records: u64,
    /// Flexibility delivered on request (flexible loads), in Wh; absent when zero.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub flexibility_wh: u64,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct NodeEpochResponse {
    pub node_id: u64,
    pub epoch: u64,
    pub totals: EnergyTotals,
    /// energy_out_wh x kind_bps x zone_bps of the records that count for rewards.
    pub reward_weight: Uint128,
    pub claimed: Uint128,
    /// What a claim would pay now (zero before the epoch settles).
    pub claimable: Uint128,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct EpochResponse {
    pub epoch: u64,
    pub start_s: u64,
    pub end_s: u64,
    pub settles_at_s: u64,
    pub settled: bool,
    pub totals: EnergyTotals,
    pub total_weight: Uint128,
    pub pool: Uint128,
    pub paid: Uint128,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PlantTotalsResponse {
    pub totals: EnergyTotals,
    pub nodes_pending: u64,
    pub nodes_active: u64,
    pub nodes_suspended: u64,
    pub nodes_retired: u64,
    pub active_rated_power_w: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct OraclesResponse {
    pub oracles: Vec<Addr>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct MaintenanceEntry {
    pub seq: u64,
    pub author: Addr,
    pub at: Timestamp,
    pub note: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct MaintenanceLogResponse {
    pub entries: Vec<MaintenanceEntry>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct VotingPowerResponse {
    pub power: Uint128,
    pub height: u64,
}
