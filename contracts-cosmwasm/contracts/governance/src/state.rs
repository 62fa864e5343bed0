//! The storage layout, in one place.

use gridcoop_vm::{Addr, Coin, Item, Map, Timestamp, Uint128};
use serde::{Deserialize, Serialize};

use crate::decision::{DecisionInput, VoteWindow};
use crate::msg::{CheckedDepositInfo, DepositRefundPolicy};
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
}

/// The policy the controller applies, and since when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PolicyInForce {
    pub version: u64,
    pub policy: AllocationPolicy,
    pub effective_from: Timestamp,
    /// The proposal that made it (None for the initial policy).
    pub proposal_id: Option<u64>,
}

/// How a proposal ended, once something final happened to it (the other statuses are decided from the tally and time).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Executed { at: Timestamp },
    Closed { at: Timestamp },
    Vetoed { at: Timestamp },
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
    /// When a vote first made an early pass certain (without revoting only).
    pub early_pass_met_at: Option<Timestamp>,
    pub deposit: Option<ProposalDeposit>,
    pub settlement: Option<Settlement>,
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
/// Ids of proposals not yet executed, closed or vetoed: what `pending_policy` looks through.
pub const UNSETTLED: Map<u64, ()> = Map::new("unsettled");
