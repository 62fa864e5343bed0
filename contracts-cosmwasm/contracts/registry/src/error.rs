//! ContractError: every way a registry message can be refused, each naming what was wrong and where.

use gridcoop_vm::StdError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractError {
    Std(StdError),
    /// The sender may not do this.
    Unauthorized { action: &'static str, sender: String, required: &'static str },
    /// Funds came with a message that takes none, or the wrong funds with one that takes some.
    InvalidFunds { action: &'static str, reason: String },
    /// A field of a message is outside its bounds.
    InvalidField { field: String, reason: String },
    NodeNotFound { node_id: u64 },
    /// The node's status does not allow this.
    InvalidNodeStatus { node_id: u64, status: &'static str, action: &'static str },
    EmptyBatch,
    BatchTooLarge { size: usize, max: usize },
    /// A record of a batch is refused; `index` is its position in the batch.
    RecordRefused { index: usize, node_id: u64, interval_start: u64, reason: String },
    /// The (node, interval) is already recorded with different content.
    ConflictingRecord { index: usize, node_id: u64, interval_start: u64 },
    EpochNotSettled { epoch: u64, settles_at_s: u64 },
    NothingToClaim { node_id: u64, epoch: u64 },
    MigrationRefused { reason: String },
}

impl From<StdError> for ContractError {
    fn from(error: StdError) -> Self {
        ContractError::Std(error)
    }
}

impl ContractError {
    pub fn invalid_field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ContractError::InvalidField { field: field.into(), reason: reason.into() }
    }
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContractError::Std(error) => write!(f, "{}", error),
            ContractError::Unauthorized { action, sender, required } => {
                write!(f, "unauthorized: {} may only be called by {} (sender {})", action, required, sender)
            }
            ContractError::InvalidFunds { action, reason } => write!(f, "invalid funds for {}: {}", action, reason),
            ContractError::InvalidField { field, reason } => write!(f, "invalid {}: {}", field, reason),
            ContractError::NodeNotFound { node_id } => write!(f, "node {} not found", node_id),
            ContractError::InvalidNodeStatus { node_id, status, action } => {
                write!(f, "node {} is {}: cannot {}", node_id, status, action)
            }
            ContractError::EmptyBatch => write!(f, "record batch is empty"),
            ContractError::BatchTooLarge { size, max } => write!(f, "record batch of {} records exceeds the limit of {}", size, max),
            ContractError::RecordRefused { index, node_id, interval_start, reason } => write!(
                f,
                "record {} (node {}, interval {}) refused: {}",
                index, node_id, interval_start, reason
            ),
            ContractError::ConflictingRecord { index, node_id, interval_start } => write!(
                f,
                "record {} (node {}, interval {}) conflicts with the record already stored for that interval",
                index, node_id, interval_start
            ),
            ContractError::EpochNotSettled { epoch, settles_at_s } => {
                write!(f, "epoch {} is not settled yet: claims open at {} s", epoch, settles_at_s)
            }
            ContractError::NothingToClaim { node_id, epoch } => write!(f, "node {} has nothing to claim for epoch {}", node_id, epoch),
            ContractError::MigrationRefused { reason } => write!(f, "migration refused: {}", reason),
        }
    }
}
