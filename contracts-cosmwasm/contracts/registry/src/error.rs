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
    /// The admin renounced: nobody may do admin actions any more.
    NoAdmin { action: &'static str },
    /// accept_admin or cancel_admin_transfer with no transfer proposed.
    NoAdminTransfer,
    /// accept_admin by someone other than the proposed admin.
    NotProposedAdmin { sender: String, proposed: String },
    /// update_config cannot hand the admin role over in one step.
    AdminTransferIsTwoStep,
    /// The governance pointer is set: only the governance contract may move it (update_governance).
    GovernanceLocked { governance: String },
    SiteNotFound { site: String },
    SiteExists { site: String },
    TooManySites { max: u64 },
    /// A site with nodes or oracles cannot be removed (or it is the default site).
    SiteInUse { site: String, reason: String },
    /// The oracle key already records for another site (one key, one site).
    OracleOfOtherSite { oracle: String, site: String },
    /// Removing an oracle from a site it does not record for.
    OracleNotOfSite { oracle: String, site: String },
    /// An oracle records only the nodes of its own site.
    OracleNotForNode { index: usize, node_id: u64, interval_start: u64, node_site: String, oracle_site: String },
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
            ContractError::NoAdmin { action } => {
                write!(f, "no admin: the admin role was renounced, so nobody may {}", action)
            }
            ContractError::NoAdminTransfer => write!(f, "no admin transfer is pending"),
            ContractError::NotProposedAdmin { sender, proposed } => {
                write!(f, "only the proposed admin {} may accept the admin role, not {}", proposed, sender)
            }
            ContractError::AdminTransferIsTwoStep => write!(
                f,
                "the admin role moves in two steps: propose_admin by the admin, then accept_admin by the new admin"
            ),
            ContractError::GovernanceLocked { governance } => write!(
                f,
                "the governance pointer is set to {}: only that contract may change it (update_governance)",
                governance
            ),
            ContractError::SiteNotFound { site } => write!(f, "site {} not found", site),
            ContractError::SiteExists { site } => write!(f, "site {} already exists", site),
            ContractError::TooManySites { max } => write!(f, "the registry holds at most {} sites", max),
            ContractError::SiteInUse { site, reason } => write!(f, "site {} cannot be removed: {}", site, reason),
            ContractError::OracleOfOtherSite { oracle, site } => {
                write!(f, "oracle {} already records for site {}", oracle, site)
            }
            ContractError::OracleNotOfSite { oracle, site } => write!(f, "oracle {} does not record for site {}", oracle, site),
            ContractError::OracleNotForNode { index, node_id, interval_start, node_site, oracle_site } => write!(
                f,
                "record {} (node {}, interval {}) refused: the node belongs to site {}, the sender is the oracle of site {}",
                index, node_id, interval_start, node_site, oracle_site
            ),
        }
    }
}
