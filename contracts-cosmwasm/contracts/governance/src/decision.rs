//! When a vote is decided, and which way: DAO DAO's threshold-and-quorum rules.
//!
//! - Before expiry, a proposal passes early only when no remaining vote could stop it: quorum is met and the yes
//!   votes reach the threshold of all non-abstain power at the snapshot (every silent voter counted as a possible no).
//!   It is rejected early when the no votes already make the threshold unreachable.
//! - Nothing is decided early when revoting is allowed (a changed vote could undo it), nor before the minimum voting
//!   period ends (DAO DAO applies that to passing; we apply it to rejection too, so members always get that long).
//! - At expiry, quorum must be met and the yes votes must reach the threshold of the non-abstain votes cast.
//!
//! Without revoting, votes are only ever added, so an early pass can never be undone; the time the condition was first
//! met is recorded at that vote and the proposal counts as passed from max(that time, end of minimum period).

use crate::tally::Tally;
use crate::threshold::{does_vote_count_fail, does_vote_count_pass, ThresholdQuorum};

/// The times that bound a vote, in nanoseconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoteWindow {
    pub min_voting_end_ns: u64,
    pub expiration_ns: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Open,
    Rejected,
    Passed { passed_at_ns: u64 },
}

/// Whether the tally already guarantees a pass whatever the remaining power votes.
pub fn early_pass_condition(tally: &Tally, total_power: u128, rules: &ThresholdQuorum) -> bool {
    does_vote_count_pass(tally.total(), total_power, rules.quorum)
        && does_vote_count_pass(tally.yes, total_power - tally.abstain, rules.threshold)
}

/// Whether the tally already guarantees the threshold cannot be reached whatever the remaining power votes.
pub fn early_reject_condition(tally: &Tally, total_power: u128, rules: &ThresholdQuorum) -> bool {
    does_vote_count_fail(tally.no, total_power - tally.abstain, rules.threshold)
}

fn final_pass_condition(tally: &Tally, total_power: u128, rules: &ThresholdQuorum) -> bool {
    does_vote_count_pass(tally.total(), total_power, rules.quorum)
        && does_vote_count_pass(tally.yes, tally.total() - tally.abstain, rules.threshold)
}

pub struct DecisionInput<'a> {
    pub tally: &'a Tally,
    pub total_power: u128,
    pub rules: &'a ThresholdQuorum,
    pub allow_revoting: bool,
    pub window: VoteWindow,
    /// When a vote first made `early_pass_condition` true (recorded only without revoting).
    pub early_pass_met_at_ns: Option<u64>,
}

pub fn decide(input: &DecisionInput, now_ns: u64) -> Decision {
    let window = input.window;
    let early_passed_at =
        || input.early_pass_met_at_ns.unwrap_or(window.min_voting_end_ns).max(window.min_voting_end_ns);
    if now_ns >= window.expiration_ns {
        if !final_pass_condition(input.tally, input.total_power, input.rules) {
            return Decision::Rejected;
        }
        let passed_at_ns = if input.allow_revoting || input.early_pass_met_at_ns.is_none() {
            window.expiration_ns
        } else {
            early_passed_at().min(window.expiration_ns)
        };
        return Decision::Passed { passed_at_ns };
    }
    if input.allow_revoting || now_ns < window.min_voting_end_ns {
        return Decision::Open;
    }
    if early_pass_condition(input.tally, input.total_power, input.rules) {
        return Decision::Passed { passed_at_ns: early_passed_at() };
    }
    if early_reject_condition(input.tally, input.total_power, input.rules) {
        return Decision::Rejected;
    }
    Decision::Open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threshold::PercentageThreshold::{Majority, PercentBps};

    const MIN_END: u64 = 100;
    const EXPIRY: u64 = 1_000;

    fn input<'a>(
        tally: &'a Tally,
        total_power: u128,
        rules: &'a ThresholdQuorum,
        allow_revoting: bool,
        met_at: Option<u64>,
    ) -> DecisionInput<'a> {
        DecisionInput {
            tally,
            total_power,
            rules,
            allow_revoting,
            window: VoteWindow { min_voting_end_ns: MIN_END, expiration_ns: EXPIRY },
            early_pass_met_at_ns: met_at,
        }
    }

    fn majority_quorum_20() -> ThresholdQuorum {
        ThresholdQuorum { threshold: Majority {}, quorum: PercentBps(2_000) }
    }

    #[test]
    fn a_majority_of_all_power_passes_early_once_the_minimum_period_is_over() {
        let rules = majority_quorum_20();
        let tally = Tally { yes: 51, no: 0, abstain: 0 };
        let at = input(&tally, 100, &rules, false, Some(50));
        assert_eq!(decide(&at, 99), Decision::Open, "never before the minimum voting period");
        assert_eq!(decide(&at, 100), Decision::Passed { passed_at_ns: 100 });
        let later = input(&tally, 100, &rules, false, Some(400));
        assert_eq!(decide(&later, 500), Decision::Passed { passed_at_ns: 400 });
    }

    #[test]
    fn exactly_half_of_all_power_does_not_pass_early_under_majority() {
        let rules = majority_quorum_20();
        let tally = Tally { yes: 50, no: 0, abstain: 0 };
        assert_eq!(decide(&input(&tally, 100, &rules, false, None), 500), Decision::Open);
        // ... but it does pass at expiry, where only votes cast count (50 of 50 non-abstain).
        assert_eq!(decide(&input(&tally, 100, &rules, false, None), EXPIRY), Decision::Passed { passed_at_ns: EXPIRY });
    }

    #[test]
    fn abstain_counts_for_quorum_but_not_for_the_threshold() {
        let rules = ThresholdQuorum { threshold: Majority {}, quorum: PercentBps(3_000) };
        // 30 of 100 voted (quorum exactly met), 2 yes vs 1 no among non-abstain: passes at expiry.
        let tally = Tally { yes: 2, no: 1, abstain: 27 };
        assert_eq!(decide(&input(&tally, 100, &rules, false, None), EXPIRY), Decision::Passed { passed_at_ns: EXPIRY });
        // One unit of power less turnout: quorum missed, rejected.
        let short = Tally { yes: 2, no: 1, abstain: 26 };
        assert_eq!(decide(&input(&short, 100, &rules, false, None), EXPIRY), Decision::Rejected);
    }

    #[test]
    fn abstaining_power_lowers_the_bar_for_an_early_pass() {
        let rules = majority_quorum_20();
        // 40 abstain: 31 yes of the 60 remaining is a strict majority, whatever the last 29 do.
        let tally = Tally { yes: 31, no: 0, abstain: 40 };
        assert!(early_pass_condition(&tally, 100, &rules));
        let tally = Tally { yes: 30, no: 0, abstain: 40 };
        assert!(!early_pass_condition(&tally, 100, &rules));
    }

    #[test]
    fn quorum_at_and_just_below_its_percentage() {
        let rules = ThresholdQuorum { threshold: PercentBps(5_000), quorum: PercentBps(2_500) };
        let at_quorum = Tally { yes: 25, no: 0, abstain: 0 };
        let below = Tally { yes: 24, no: 0, abstain: 0 };
        assert_eq!(
            decide(&input(&at_quorum, 100, &rules, false, None), EXPIRY),
            Decision::Passed { passed_at_ns: EXPIRY }
        );
        assert_eq!(decide(&input(&below, 100, &rules, false, None), EXPIRY), Decision::Rejected);
    }

    #[test]
    fn a_majority_quorum_needs_strictly_more_than_half_the_power_to_vote() {
        let rules = ThresholdQuorum { threshold: PercentBps(1), quorum: Majority {} };
        let half = Tally { yes: 50, no: 0, abstain: 0 };
        let over = Tally { yes: 50, no: 0, abstain: 1 };
        assert_eq!(decide(&input(&half, 100, &rules, false, None), EXPIRY), Decision::Rejected);
        assert_eq!(decide(&input(&over, 100, &rules, false, None), EXPIRY), Decision::Passed { passed_at_ns: EXPIRY });
    }

    #[test]
    fn no_votes_at_half_of_all_power_reject_early_under_majority() {
        let rules = majority_quorum_20();
        assert_eq!(
            decide(&input(&Tally { yes: 0, no: 49, abstain: 0 }, 100, &rules, false, None), 500),
            Decision::Open
        );
        assert_eq!(
            decide(&input(&Tally { yes: 0, no: 50, abstain: 0 }, 100, &rules, false, None), 500),
            Decision::Rejected
        );
        assert_eq!(decide(&input(&Tally { yes: 0, no: 50, abstain: 0 }, 100, &rules, false, None), 99), Decision::Open);
    }

    #[test]
    fn with_revoting_nothing_is_decided_before_expiry() {
        let rules = majority_quorum_20();
        let all_yes = Tally { yes: 100, no: 0, abstain: 0 };
        let all_no = Tally { yes: 0, no: 100, abstain: 0 };
        assert_eq!(decide(&input(&all_yes, 100, &rules, true, None), EXPIRY - 1), Decision::Open);
        assert_eq!(decide(&input(&all_no, 100, &rules, true, None), EXPIRY - 1), Decision::Open);
        assert_eq!(
            decide(&input(&all_yes, 100, &rules, true, None), EXPIRY),
            Decision::Passed { passed_at_ns: EXPIRY }
        );
        assert_eq!(decide(&input(&all_no, 100, &rules, true, None), EXPIRY), Decision::Rejected);
    }

    #[test]
    fn everyone_abstaining_rejects() {
        let rules = majority_quorum_20();
        let tally = Tally { yes: 0, no: 0, abstain: 100 };
        assert_eq!(decide(&input(&tally, 100, &rules, false, None), 500), Decision::Rejected);
        assert_eq!(decide(&input(&tally, 100, &rules, true, None), EXPIRY), Decision::Rejected);
    }

    #[test]
    fn no_power_at_the_snapshot_can_never_pass() {
        let rules = majority_quorum_20();
        let tally = Tally::default();
        assert_eq!(decide(&input(&tally, 0, &rules, false, None), EXPIRY), Decision::Rejected);
    }

    #[test]
    fn a_unanimous_threshold_is_rejected_early_by_one_no_vote() {
        let rules = ThresholdQuorum { threshold: PercentBps(10_000), quorum: PercentBps(1) };
        assert_eq!(
            decide(&input(&Tally { yes: 99, no: 0, abstain: 0 }, 100, &rules, false, None), 500),
            Decision::Open
        );
        assert_eq!(
            decide(&input(&Tally { yes: 99, no: 1, abstain: 0 }, 100, &rules, false, None), 500),
            Decision::Rejected
        );
        assert_eq!(
            decide(&input(&Tally { yes: 99, no: 0, abstain: 1 }, 100, &rules, false, Some(300)), 500),
            Decision::Passed { passed_at_ns: 300 }
        );
    }
}
