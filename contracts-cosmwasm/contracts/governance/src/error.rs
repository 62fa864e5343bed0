//! Every way a governance message can be refused, with the context a caller needs to fix it.

use gridcoop_vm::{StdError, Timestamp};
use std::fmt;

/// A policy outside its hard bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    OutOfRange { field: String, value: u64, min: u64, max: u64 },
    SurplusSplitSum { sum_pct: u32 },
    TooManyZones { count: usize, max: usize },
    InvalidZoneName { zone: String },
    DuplicateZone { zone: String },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::OutOfRange { field, value, min, max } => {
                write!(f, "policy {} = {} is outside {}..={}", field, value, min, max)
            }
            PolicyError::SurplusSplitSum { sum_pct } => {
                write!(f, "policy surplus_split adds up to {} %, must be exactly 100 %", sum_pct)
            }
            PolicyError::TooManyZones { count, max } => {
                write!(f, "policy lists {} zones, at most {} allowed", count, max)
            }
            PolicyError::InvalidZoneName { zone } => {
                write!(f, "policy zone name {:?} must be 1..=32 characters of [a-z0-9-]", zone)
            }
            PolicyError::DuplicateZone { zone } => write!(f, "policy lists zone {:?} more than once", zone),
        }
    }
}

/// Every refusal of the governance contract. Messages name the proposal, the caller or the field concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContractError {
    Std(StdError),
    Policy(PolicyError),
    InvalidConfig { field: &'static str, reason: String },
    Unauthorized { action: &'static str, sender: String, allowed: String },
    TitleLength { chars: usize, min: usize, max: usize },
    DescriptionTooLong { chars: usize, max: usize },
    RationaleTooLong { chars: usize, max: usize },
    ProposalTooLarge { bytes: usize, max: usize },
    NoVotingPower { address: String, height: u64 },
    ProposalNotFound { proposal_id: u64 },
    WrongStatus { proposal_id: u64, action: &'static str, status: String, required: &'static str },
    AlreadyVoted { proposal_id: u64, voter: String },
    WrongDeposit { expected: String, got: String },
    /// The proposal passed before the one whose policy is in force: executing it would roll the policy back.
    ProposalSuperseded { proposal_id: u64, passed_at: Timestamp, in_force_version: u64, in_force_proposal_id: u64 },
    MigrateWrongContract { stored: String, expected: String },
    MigrateDowngrade { stored: String, current: String },
}

impl From<StdError> for ContractError {
    fn from(e: StdError) -> Self {
        ContractError::Std(e)
    }
}

impl From<PolicyError> for ContractError {
    fn from(e: PolicyError) -> Self {
        ContractError::Policy(e)
    }
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContractError::Std(e) => write!(f, "{}", e),
            ContractError::Policy(e) => write!(f, "invalid policy: {}", e),
            ContractError::InvalidConfig { field, reason } => write!(f, "invalid config {}: {}", field, reason),
            ContractError::Unauthorized { action, sender, allowed } => {
                write!(f, "unauthorized: {} may only be done by {}, not by {}", action, allowed, sender)
            }
            ContractError::TitleLength { chars, min, max } => {
                write!(f, "title has {} characters, must have {}..={}", chars, min, max)
            }
            ContractError::DescriptionTooLong { chars, max } => {
                write!(f, "description has {} characters, at most {} allowed", chars, max)
            }
            ContractError::RationaleTooLong { chars, max } => {
                write!(f, "rationale has {} characters, at most {} allowed", chars, max)
            }
            ContractError::ProposalTooLarge { bytes, max } => {
                write!(f, "proposal is {} bytes as JSON, at most {} allowed", bytes, max)
            }
            ContractError::NoVotingPower { address, height } => {
                write!(f, "{} has no voting power at height {}", address, height)
            }
            ContractError::ProposalNotFound { proposal_id } => write!(f, "proposal {} not found", proposal_id),
            ContractError::WrongStatus { proposal_id, action, status, required } => {
                write!(f, "cannot {} proposal {}: it is {}, must be {}", action, proposal_id, status, required)
            }
            ContractError::AlreadyVoted { proposal_id, voter } => {
                write!(f, "{} already voted on proposal {} and revoting is not allowed", voter, proposal_id)
            }
            ContractError::WrongDeposit { expected, got } => {
                write!(f, "proposal deposit must be exactly {}, got {}", expected, got)
            }
            ContractError::ProposalSuperseded { proposal_id, passed_at, in_force_version, in_force_proposal_id } => write!(
                f,
                "cannot execute proposal {}: it passed at {}, before proposal {} whose policy (version {}) is in force; \
                 executing it would roll the policy back",
                proposal_id, passed_at, in_force_proposal_id, in_force_version
            ),
            ContractError::MigrateWrongContract { stored, expected } => {
                write!(f, "cannot migrate: this contract is {:?}, not {:?}", stored, expected)
            }
            ContractError::MigrateDowngrade { stored, current } => {
                write!(f, "cannot migrate: stored version {} is newer than this code's {}", stored, current)
            }
        }
    }
}
