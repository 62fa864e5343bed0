//! GridCoop's node registry and output ledger: nodes and their lifecycle, interval records from the plant's
//! oracles, energy totals, per-epoch reward pools and claims, maintenance logs, and voting power for governance.

mod admin;
mod auth;
mod flexibility;
pub mod contract;
pub mod error;
pub mod limits;
mod maintenance;
pub mod msg;
mod nodes;
mod ownership;
mod policy_history;
mod queries;
mod recording;
mod rewards;
mod sites;
pub mod state;
mod voting_power;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod roles_tests;

gridcoop_vm::entry_points! {
    instantiate: crate::contract::instantiate,
    execute: crate::contract::execute,
    query: crate::contract::query,
    migrate: crate::contract::migrate,
}
