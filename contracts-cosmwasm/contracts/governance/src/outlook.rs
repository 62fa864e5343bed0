//! A proposal's outlook: whether its tally passes or fails, and from when that is decided.
//!
//! Only votes change a tally, so after each vote the whole future of an unsettled proposal's status is known: open
//! until `decided_at`; then, when it passes, in its veto timelock for `timelock_seconds`, passed (executable) for
//! `execution_window_seconds`, and expired after that; when it fails, rejected. This is what lets every status be
//! one range of one index (proposal_index.rs) instead of a scan over the proposals.

use gridcoop_vm::Timestamp;
use serde::{Deserialize, Serialize};

use crate::decision::{decide, early_reject_condition, Decision};
use crate::state::Proposal;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outlook {
    pub passes: bool,
    /// When the vote is decided: the pass time (DAO DAO's rules, see decision.rs) or the rejection time.
    pub decided_at: Timestamp,
}

/// The outlook after the proposal's latest vote (or its opening), cast at `last_vote_at`.
pub fn outlook_of(proposal: &Proposal, last_vote_at: Timestamp) -> Outlook {
    let tally = proposal.tally();
    let input = proposal.decision_input(&tally);
    // At the end of time every vote is decided; the pass time is when it passed (early or at expiry).
    match decide(&input, u64::MAX) {
        Decision::Passed { passed_at_ns } => Outlook { passes: true, decided_at: Timestamp::from_nanos(passed_at_ns) },
        _ => {
            // An early rejection holds from the vote that made the threshold unreachable, never before the minimum
            // voting period; otherwise the vote is rejected when it closes.
            let early = !proposal.allow_revoting
                && early_reject_condition(&tally, proposal.total_power.u128(), &proposal.threshold);
            let decided_at = if early {
                last_vote_at.max(proposal.min_voting_end).min(proposal.expiration)
            } else {
                proposal.expiration
            };
            Outlook { passes: false, decided_at }
        }
    }
}
