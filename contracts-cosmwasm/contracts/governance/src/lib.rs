//! GridCoop allocation-policy governance: members vote on the policy the controller applies, with the verified
//! capacity of the nodes they own (read from the registry, snapshotted when a proposal opens).

pub mod decision;
pub mod error;
pub mod policy;
pub mod tally;
pub mod threshold;
