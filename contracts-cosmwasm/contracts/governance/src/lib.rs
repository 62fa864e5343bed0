//! GridCoop allocation-policy governance: members vote on the policy the controller applies, with the verified
//! capacity of the nodes they own (read from the registry, snapshotted when a proposal opens).

pub mod contract;
#[cfg(test)]
mod contract_tests;
pub mod decision;
pub mod error;
pub mod limits;
pub mod msg;
pub mod outlook;
pub mod policy;
pub mod proposal_index;
pub mod state;
pub mod status;
pub mod tally;
pub mod threshold;

gridcoop_vm::entry_points! {
    instantiate: crate::contract::instantiate,
    execute: crate::contract::execute,
    query: crate::contract::query,
    migrate: crate::contract::migrate,
}
