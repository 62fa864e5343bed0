//! The storage layout, in one place.

use gridcoop_vm::{Addr, Coin, Item, Map, Timestamp, Uint128};
use serde::{Deserialize, Serialize};

use crate::decision::{DecisionInput, VoteWindow};
use crate::msg::{CheckedDepositInfo, DepositRefundPolicy};
use crate::outlook::Outlook;
use crate::policy::AllocationPolicy;
use crate::tally::{Tally, Vote};
use crate::threshold::ThresholdQuorum;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub registry: Addr,
    pub council: Addr,
    pub threshold: ThresholdQuorum,
    pub min_voting_period_seconds: u64,
    pub max_voting_period_seconds: u64,
    pub timelock_seconds: u64,
    pub allow_revoting: bool,
    pub deposit: Option<CheckedDepositInfo>,
    /// How long a passed proposal may be executed once its timelock is over; then it is `expired`.
    #[serde(default = "default_execution_window_seconds")]
    pub execution_window_seconds: u64,
}

pub fn default_execution_window_seconds() -> u64 {
    crate::limits::DEFAULT_EXECUTION_WINDOW_SECONDS
}

/// The policy the controller applies, and since when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PolicyInForce {
    pub version: u64,
    pub policy: AllocationPolicy,
    pub effective_from: Timestamp,
    /// The proposal that made it (None for the initial policy).
    pub proposal_id: Option<u64>,
    /// When that proposal passed: a proposal that passed before it can no longer be executed (that would roll the
    /// policy back).
    #[serde(default)]
    pub passed_at: Option<Timestamp>,
}

/// How a proposal ended, once something final happened to it (the other statuses are decided from the tally and time).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Executed { at: Timestamp },
    Closed { at: Timestamp },
    Vetoed { at: Timestamp },
}

impl Settlement {
    /// The first key part of the SETTLED index.
    pub fn index_kind(&self) -> u8 {
        match self {
            Settlement::Executed { .. } => 0,
            Settlement::Closed { .. } => 1,
            Settlement::Vetoed { .. } => 2,
        }
    }
}

/// What a proposal says, stored apart from how its vote stands, so that a vote does not read and rewrite up to
/// 16 KiB of text and policy.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProposalContent {
    pub title: String,
    pub description: String,
    pub policy: AllocationPolicy,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub proposer: Addr,
    pub start_height: u64,
    pub opened_at: Timestamp,
    pub min_voting_end: Timestamp,
    pub expiration: Timestamp,
    /// Total power at `start_height`, for quorum.
    pub total_power: Uint128,
    pub yes: Uint128,
    pub no: Uint128,
    pub abstain: Uint128,
    /// The voting rules in force when it opened; later configuration changes do not touch a running vote.
    pub threshold: ThresholdQuorum,
    pub allow_revoting: bool,
    pub timelock_seconds: u64,
    #[serde(default = "default_execution_window_seconds")]
    pub execution_window_seconds: u64,
    /// When a vote first made an early pass certain (without revoting only).
    pub early_pass_met_at: Option<Timestamp>,
    pub deposit: Option<ProposalDeposit>,
    pub settlement: Option<Settlement>,
    /// Where the proposal stands in the outcome indexes while it is unsettled (see outlook.rs).
    #[serde(default)]
    pub outlook: Option<Outlook>,
}

impl Proposal {
    pub fn tally(&self) -> Tally {
        Tally { yes: self.yes.u128(), no: self.no.u128(), abstain: self.abstain.u128() }
    }

    pub fn set_tally(&mut self, tally: Tally) {
        self.yes = Uint128::new(tally.yes);
        self.no = Uint128::new(tally.no);
        self.abstain = Uint128::new(tally.abstain);
    }

    pub fn decision_input<'a>(&'a self, tally: &'a Tally) -> DecisionInput<'a> {
        DecisionInput {
            tally,
            total_power: self.total_power.u128(),
            rules: &self.threshold,
            allow_revoting: self.allow_revoting,
            window: VoteWindow {
                min_voting_end_ns: self.min_voting_end.nanos(),
                expiration_ns: self.expiration.nanos(),
            },
            early_pass_met_at_ns: self.early_pass_met_at.map(|t| t.nanos()),
        }
    }
}

/// The deposit paid with a proposal, and the refund rule in force when it was paid.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ProposalDeposit {
    pub amount: Coin,
    pub refund_policy: DepositRefundPolicy,
    pub forfeit_recipient: Addr,
}

/// One member's vote on one proposal; the power is the member's at the proposal's snapshot.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub vote: Vote,
    pub power: Uint128,
    pub rationale: Option<String>,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const POLICY: Item<PolicyInForce> = Item::new("policy");
pub const PROPOSAL_COUNT: Item<u64> = Item::new("proposal_count");
pub const PROPOSALS: Map<u64, Proposal> = Map::new("proposals");
pub const PROPOSAL_CONTENTS: Map<u64, ProposalContent> = Map::new("proposal_contents");
pub const BALLOTS: Map<(u64, &Addr), Ballot> = Map::new("ballots");
/// Unsettled proposals whose tally passes, keyed by (the time they pass or passed in ns, id); the time they leave
/// each later status follows from it (timelock, execution window), so each status is one range of this index.
pub const PASSING: Map<(u64, u64), ()> = Map::new("passing");
/// Unsettled proposals whose tally fails, keyed by (the time they are or were rejected in ns, id).
pub const FAILING: Map<(u64, u64), ()> = Map::new("failing");
/// Settled proposals by (settlement kind, id): see `Settlement::index_kind`.
pub const SETTLED: Map<(u8, u64), ()> = Map::new("settled");
