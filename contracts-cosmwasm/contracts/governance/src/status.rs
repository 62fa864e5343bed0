//! A proposal's status at a given time: settled ones keep their settlement; the others are decided from the tally,
//! the clock and the timelock, so a vote that ends or a timelock that runs out needs no transaction.

use gridcoop_vm::Timestamp;

use crate::decision::{decide, Decision};
use crate::msg::Status;
use crate::state::{Proposal, Settlement};

pub fn status_at(proposal: &Proposal, now: Timestamp) -> Status {
    match proposal.settlement {
        Some(Settlement::Executed { .. }) => return Status::Executed,
        Some(Settlement::Closed { .. }) => return Status::Closed,
        Some(Settlement::Vetoed { .. }) => return Status::Vetoed,
        None => {}
    }
    let tally = proposal.tally();
    match decide(&proposal.decision_input(&tally), now.nanos()) {
        Decision::Open => Status::Open,
        Decision::Rejected => Status::Rejected,
        Decision::Passed { passed_at_ns } => {
            let passed_at = Timestamp::from_nanos(passed_at_ns);
            let executable_from = executable_from(proposal, passed_at);
            if now < executable_from {
                Status::VetoTimelock { expires_at: executable_from }
            } else if now < execute_by(proposal, passed_at) {
                Status::Passed
            } else {
                Status::Expired
            }
        }
    }
}

/// When the proposal passed, if it has by `now` (whatever happened to it since, as long as it was not settled
/// before passing).
pub fn passed_at(proposal: &Proposal, now: Timestamp) -> Option<Timestamp> {
    let tally = proposal.tally();
    let now = match proposal.settlement {
        Some(Settlement::Executed { at }) | Some(Settlement::Vetoed { at }) => at,
        Some(Settlement::Closed { .. }) => return None,
        None => now,
    };
    match decide(&proposal.decision_input(&tally), now.nanos()) {
        Decision::Passed { passed_at_ns } => Some(Timestamp::from_nanos(passed_at_ns)),
        _ => None,
    }
}

pub fn executable_from(proposal: &Proposal, passed_at: Timestamp) -> Timestamp {
    passed_at.plus_seconds(proposal.timelock_seconds)
}

/// The end of the execution window: from then on the proposal is expired and can no longer take effect.
pub fn execute_by(proposal: &Proposal, passed_at: Timestamp) -> Timestamp {
    executable_from(proposal, passed_at).plus_seconds(proposal.execution_window_seconds)
}

/// The status as a word, for error messages.
pub fn status_name(status: &Status) -> String {
    match status {
        Status::Open => "open".to_string(),
        Status::Rejected => "rejected".to_string(),
        Status::VetoTimelock { expires_at } => format!("in its veto timelock until {}", expires_at),
        Status::Passed => "passed".to_string(),
        Status::Expired => "expired (not executed within its execution window)".to_string(),
        Status::Executed => "executed".to_string(),
        Status::Closed => "closed".to_string(),
        Status::Vetoed => "vetoed".to_string(),
    }
}
