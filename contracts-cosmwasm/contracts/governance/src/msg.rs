//! Every message the governance contract accepts and every answer it gives (JSON, snake_case).

use gridcoop_vm::{Addr, Coin, Timestamp, Uint128};
use serde::{Deserialize, Serialize};

use crate::policy::{AllocationPolicy, KindMultipliers};
use crate::tally::Vote;
use crate::threshold::ThresholdQuorum;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InstantiateMsg {
    /// The node registry: source of voting power, receiver of the reward multipliers.
    pub registry: String,
    /// The grid-safety council, which may veto a passed proposal during its timelock.
    pub council: String,
    pub threshold: ThresholdQuorum,
    /// No early pass or reject before this much time has passed since the proposal opened.
    pub min_voting_period_seconds: u64,
    /// The vote closes this long after the proposal opened.
    pub max_voting_period_seconds: u64,
    /// Between passing and becoming executable; the council may veto during it. 0 = no timelock, no veto.
    pub timelock_seconds: u64,
    /// Whether members may change their vote; then nothing is decided before the vote closes (DAO DAO's rule).
    pub allow_revoting: bool,
    pub deposit: Option<DepositInfo>,
    /// How long a passed proposal may be executed once its timelock is over (3,600..=2,592,000 s; 7 days when
    /// absent). Afterwards it is `expired`: an old decision cannot be executed at any later time.
    pub execution_window_seconds: Option<u64>,
    /// The policy in force from instantiation (version 1).
    pub initial_policy: AllocationPolicy,
}

/// A proposal deposit against spam, paid in a native denom with the propose message.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DepositInfo {
    pub denom: String,
    pub amount: Uint128,
    pub refund_policy: DepositRefundPolicy,
    /// Where a deposit that is not refunded goes (the cooperative's treasury).
    pub forfeit_recipient: String,
}

/// DAO DAO's refund policies. A vetoed proposal's deposit is never refunded, whatever the policy.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DepositRefundPolicy {
    /// Refunded when the proposal is executed or a rejected one is closed.
    Always,
    /// Refunded only when the proposal is executed.
    OnlyPassed,
    /// Never refunded.
    Never,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExecuteMsg {
    /// Members with power at the current height; the deposit (if configured) must come with it.
    Propose { title: String, description: String, policy: AllocationPolicy },
    /// Members with power at the proposal's snapshot height, while the vote is open.
    Vote { proposal_id: u64, vote: Vote, rationale: Option<String> },
    /// Anyone, once the proposal has passed and its timelock is over: the policy takes effect.
    Execute { proposal_id: u64 },
    /// The council only, during the timelock.
    Veto { proposal_id: u64 },
    /// Anyone, once the proposal is rejected: settles its deposit.
    Close { proposal_id: u64 },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum QueryMsg {
    Config {},
    /// -> PolicyResponse: the policy in force.
    Policy {},
    /// -> Option<PendingPolicyResponse>: the oldest passed proposal that can still be executed (not expired, not
    /// superseded by the policy in force), so a change can be seen coming.
    PendingPolicy {},
    /// -> ProposalsResponse. Without a status: by ascending id. With one: executed, closed and vetoed by ascending
    /// id; the others by the time the vote was decided (or will be, for open ones), then id. Each page reads only
    /// matching proposals (bounded indexes), and `start_after` is the id of the last proposal of the previous page.
    Proposals {
        status: Option<ProposalStatusFilter>,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
    /// -> ProposalResponse
    Proposal {
        proposal_id: u64,
    },
    /// -> VotesResponse, by voter address.
    Votes {
        proposal_id: u64,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// -> Option<VoteInfo>
    Vote {
        proposal_id: u64,
        voter: String,
    },
    /// -> VotingPowerResponse, read from the registry (height: None = now).
    VotingPower {
        address: String,
        height: Option<u64>,
    },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MigrateMsg {}

/// The message governance sends the registry when a policy takes effect (the registry's execute variant).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RegistryExecuteMsg {
    SetRewardPolicy { kind_bps: KindMultipliers, zone_bps: Vec<(String, u32)>, flexibility_bps: u32 },
}

/// The registry's voting-module queries (DAO DAO's shape).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RegistryQueryMsg {
    VotingPowerAtHeight { address: String, height: Option<u64> },
    TotalPowerAtHeight { height: Option<u64> },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct VotingPowerResponse {
    pub power: Uint128,
    pub height: u64,
}

/// The configuration is answered as stored.
pub use crate::state::Config as ConfigResponse;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CheckedDepositInfo {
    pub denom: String,
    pub amount: Uint128,
    pub refund_policy: DepositRefundPolicy,
    pub forfeit_recipient: Addr,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PolicyResponse {
    pub version: u64,
    pub policy: AllocationPolicy,
    pub effective_from: Timestamp,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PendingPolicyResponse {
    pub proposal_id: u64,
    pub policy: AllocationPolicy,
    pub passed_at: Timestamp,
    /// From when anyone may execute it (the end of the council's veto window).
    pub executable_from: Timestamp,
    /// Until when it may be executed (the end of its execution window).
    pub execute_by: Timestamp,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Rejected,
    /// Passed; the council may veto until `expires_at`, then it becomes `passed`.
    VetoTimelock {
        expires_at: Timestamp,
    },
    /// Passed and executable.
    Passed,
    /// Passed but not executed within its execution window: it can no longer take effect (close it to settle the
    /// deposit).
    Expired,
    Executed,
    Closed,
    Vetoed,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatusFilter {
    Open,
    Rejected,
    VetoTimelock,
    Passed,
    Expired,
    Executed,
    Closed,
    Vetoed,
}

impl ProposalStatusFilter {
    pub fn matches(&self, status: &Status) -> bool {
        matches!(
            (self, status),
            (ProposalStatusFilter::Open, Status::Open)
                | (ProposalStatusFilter::Rejected, Status::Rejected)
                | (ProposalStatusFilter::VetoTimelock, Status::VetoTimelock { .. })
                | (ProposalStatusFilter::Passed, Status::Passed)
                | (ProposalStatusFilter::Expired, Status::Expired)
                | (ProposalStatusFilter::Executed, Status::Executed)
                | (ProposalStatusFilter::Closed, Status::Closed)
                | (ProposalStatusFilter::Vetoed, Status::Vetoed)
        )
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TallyResponse {
    pub yes: Uint128,
    pub no: Uint128,
    pub abstain: Uint128,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProposalResponse {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub proposer: Addr,
    pub policy: AllocationPolicy,
    /// The status at the queried block (decided lazily, as DAO DAO does).
    pub status: Status,
    /// Voting power is read at this height.
    pub start_height: u64,
    pub opened_at: Timestamp,
    pub min_voting_end: Timestamp,
    pub expiration: Timestamp,
    pub total_power: Uint128,
    pub tally: TallyResponse,
    pub threshold: ThresholdQuorum,
    pub allow_revoting: bool,
    pub passed_at: Option<Timestamp>,
    pub executable_from: Option<Timestamp>,
    /// The end of the execution window (for a proposal that passed).
    pub execute_by: Option<Timestamp>,
    pub deposit: Option<Coin>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProposalsResponse {
    pub proposals: Vec<ProposalResponse>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct VoteInfo {
    pub voter: Addr,
    pub vote: Vote,
    pub power: Uint128,
    pub rationale: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct VotesResponse {
    pub votes: Vec<VoteInfo>,
}
