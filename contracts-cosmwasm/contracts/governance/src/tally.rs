//! A proposal's running tally of voting power per option.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Yes,
    No,
    Abstain,
}

/// Voting power per option, in watts of verified capacity at the proposal's snapshot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub yes: u128,
    pub no: u128,
    pub abstain: u128,
}

impl Tally {
    /// All power that voted, abstain included (what quorum counts).
    pub fn total(&self) -> u128 {
        self.yes + self.no + self.abstain
    }

    pub fn add(&mut self, vote: Vote, power: u128) {
        *self.slot(vote) += power;
    }

    /// Takes back a vote being changed. A voter's power is fixed at the snapshot, so this never underflows.
    pub fn remove(&mut self, vote: Vote, power: u128) {
        *self.slot(vote) -= power;
    }

    fn slot(&mut self, vote: Vote) -> &mut u128 {
        match vote {
            Vote::Yes => &mut self.yes,
            Vote::No => &mut self.no,
            Vote::Abstain => &mut self.abstain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_vote_moves_its_power_to_the_new_option() {
        let mut tally = Tally::default();
        tally.add(Vote::Yes, 300);
        tally.add(Vote::Abstain, 50);
        tally.remove(Vote::Yes, 300);
        tally.add(Vote::No, 300);
        assert_eq!(tally, Tally { yes: 0, no: 300, abstain: 50 });
        assert_eq!(tally.total(), 350);
    }

    #[test]
    fn votes_serialise_in_snake_case() {
        assert_eq!(serde_json::to_string(&Vote::Abstain).unwrap(), "\"abstain\"");
        assert!(serde_json::from_str::<Vote>("\"veto\"").is_err());
    }
}
