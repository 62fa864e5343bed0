//! Threshold and quorum arithmetic with DAO DAO's semantics, exact (no rounding anywhere).
//!
//! - A percentage is in basis points (1..=10,000) or "majority", which means strictly more than half.
//! - `Percent` passes when `votes / options >= bps / 10,000`; `Majority` when `votes / options > 1/2`.
//! - Zero options never pass (an all-abstain vote, or no power at all, decides nothing in favour).
//!
//! Products are compared in 256 bits so that no power total, however large, can overflow.

use serde::{Deserialize, Serialize};

pub const BPS_PER_WHOLE: u32 = 10_000;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PercentageThreshold {
    /// Strictly more than half.
    Majority {},
    /// At least this share, in basis points (1..=10,000).
    PercentBps(u32),
}

/// Threshold (share of non-abstain votes that must be yes) and quorum (share of the total power at the snapshot that
/// must have voted, abstain included).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ThresholdQuorum {
    pub threshold: PercentageThreshold,
    pub quorum: PercentageThreshold,
}

impl PercentageThreshold {
    pub fn is_valid(&self) -> bool {
        match self {
            PercentageThreshold::Majority {} => true,
            PercentageThreshold::PercentBps(bps) => (1..=BPS_PER_WHOLE).contains(bps),
        }
    }
}

/// Whether `votes` out of `options` reach the threshold.
pub fn does_vote_count_pass(votes: u128, options: u128, threshold: PercentageThreshold) -> bool {
    if options == 0 {
        return false;
    }
    match threshold {
        PercentageThreshold::Majority {} => wide_mul(votes, 2) > wide_mul(options, 1),
        PercentageThreshold::PercentBps(bps) => wide_mul(votes, BPS_PER_WHOLE) >= wide_mul(options, bps),
    }
}

/// Whether `no_votes` out of `options` make it impossible for the remaining options to reach the threshold.
pub fn does_vote_count_fail(no_votes: u128, options: u128, threshold: PercentageThreshold) -> bool {
    if options == 0 {
        return true;
    }
    match threshold {
        // yes can be at most options - no; 2 (options - no) > options fails exactly when 2 no >= options.
        PercentageThreshold::Majority {} => wide_mul(no_votes, 2) >= wide_mul(options, 1),
        // (options - no) * 10,000 < options * bps  <=>  no * 10,000 > options * (10,000 - bps)
        PercentageThreshold::PercentBps(bps) => {
            wide_mul(no_votes, BPS_PER_WHOLE) > wide_mul(options, BPS_PER_WHOLE.saturating_sub(bps))
        }
    }
}

/// `a * m` as a (high, low) pair of u128, which compares like the 256-bit number it is.
fn wide_mul(a: u128, m: u32) -> (u128, u128) {
    const LOW_64: u128 = (1u128 << 64) - 1;
    let m = m as u128;
    let low_part = (a & LOW_64) * m; // < 2^96
    let high_part = (a >> 64) * m; // < 2^96, weighs 2^64
    let low = (high_part << 64).wrapping_add(low_part);
    let carry = if low < low_part { 1 } else { 0 };
    ((high_part >> 64) + carry, low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PercentageThreshold::{Majority, PercentBps};

    #[test]
    fn majority_means_strictly_more_than_half() {
        assert!(!does_vote_count_pass(50, 100, Majority {}));
        assert!(does_vote_count_pass(51, 100, Majority {}));
        assert!(!does_vote_count_pass(1, 2, Majority {}));
        assert!(does_vote_count_pass(2, 3, Majority {}));
        assert!(does_vote_count_pass(1, 1, Majority {}));
    }

    #[test]
    fn a_percent_threshold_passes_exactly_at_it_and_not_one_unit_below() {
        assert!(does_vote_count_pass(6_667, 10_000, PercentBps(6_667)));
        assert!(!does_vote_count_pass(6_666, 10_000, PercentBps(6_667)));
        // 2/3 of 3 at 66.67 % needs 3 * 0.6667 = 2.0001 votes: 2 is not enough.
        assert!(!does_vote_count_pass(2, 3, PercentBps(6_667)));
        assert!(does_vote_count_pass(2, 3, PercentBps(6_666)));
        assert!(does_vote_count_pass(50, 100, PercentBps(5_000)));
        assert!(does_vote_count_pass(100, 100, PercentBps(10_000)));
        assert!(!does_vote_count_pass(99, 100, PercentBps(10_000)));
    }

    #[test]
    fn zero_options_never_pass_and_always_fail() {
        assert!(!does_vote_count_pass(0, 0, Majority {}));
        assert!(!does_vote_count_pass(0, 0, PercentBps(1)));
        assert!(does_vote_count_fail(0, 0, Majority {}));
        assert!(does_vote_count_fail(0, 0, PercentBps(10_000)));
    }

    #[test]
    fn majority_fails_once_no_reaches_half() {
        assert!(!does_vote_count_fail(49, 100, Majority {}));
        assert!(does_vote_count_fail(50, 100, Majority {}));
        assert!(does_vote_count_fail(1, 2, Majority {}));
        assert!(!does_vote_count_fail(1, 3, Majority {}));
    }

    #[test]
    fn a_percent_threshold_fails_once_yes_can_no_longer_reach_it() {
        // 60 % of 100: fails once no > 40.
        assert!(!does_vote_count_fail(40, 100, PercentBps(6_000)));
        assert!(does_vote_count_fail(41, 100, PercentBps(6_000)));
        // 100 %: a single no vote decides.
        assert!(!does_vote_count_fail(0, 100, PercentBps(10_000)));
        assert!(does_vote_count_fail(1, 100, PercentBps(10_000)));
        // 0.01 %: only an all-no vote fails.
        assert!(!does_vote_count_fail(99, 100, PercentBps(1)));
        assert!(does_vote_count_fail(100, 100, PercentBps(1)));
    }

    #[test]
    fn pass_and_fail_agree_on_every_small_case() {
        // For every split of `options` into yes + no, "fail" is exactly "the remaining votes could not pass".
        for threshold in
            [Majority {}, PercentBps(1), PercentBps(3_333), PercentBps(5_000), PercentBps(6_667), PercentBps(10_000)]
        {
            for options in 0..=40u128 {
                for no in 0..=options {
                    let best_yes = options - no;
                    assert_eq!(
                        does_vote_count_fail(no, options, threshold),
                        !does_vote_count_pass(best_yes, options, threshold),
                        "{:?} options {} no {}",
                        threshold,
                        options,
                        no
                    );
                }
            }
        }
    }

    #[test]
    fn huge_power_totals_do_not_overflow() {
        let max = u128::MAX;
        assert!(does_vote_count_pass(max, max, PercentBps(10_000)));
        assert!(!does_vote_count_pass(max / 2, max, Majority {}));
        assert!(does_vote_count_pass(max / 2 + 1, max, Majority {}));
        assert!(does_vote_count_fail(max, max, Majority {}));
        assert!(!does_vote_count_fail(max / 2, max, Majority {}));
    }

    #[test]
    fn thresholds_serialise_as_snake_case_json() {
        assert_eq!(serde_json::to_string(&Majority {}).unwrap(), r#"{"majority":{}}"#);
        assert_eq!(serde_json::to_string(&PercentBps(6_000)).unwrap(), r#"{"percent_bps":6000}"#);
        let parsed: ThresholdQuorum =
            serde_json::from_str(r#"{"threshold":{"majority":{}},"quorum":{"percent_bps":2000}}"#).unwrap();
        assert_eq!(parsed, ThresholdQuorum { threshold: Majority {}, quorum: PercentBps(2_000) });
        assert!(!PercentBps(0).is_valid());
        assert!(PercentBps(1).is_valid());
        assert!(PercentBps(10_000).is_valid());
        assert!(!PercentBps(10_001).is_valid());
    }
}
