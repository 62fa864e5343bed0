//! Coin: an amount of one native denomination, and the funds check every execute starts with.

use crate::errors::{StdError, StdResult};
use crate::uint128::Uint128;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Serialize, Deserialize, Clone, Default, Debug, PartialEq, Eq)]
pub struct Coin {
    pub denom: String,
    pub amount: Uint128,
}

impl Coin {
    pub fn new(amount: u128, denom: impl Into<String>) -> Self {
        Coin { denom: denom.into(), amount: Uint128::new(amount) }
    }
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

pub fn coin(amount: u128, denom: impl Into<String>) -> Coin {
    Coin::new(amount, denom)
}

pub fn coins(amount: u128, denom: impl Into<String>) -> Vec<Coin> {
    vec![coin(amount, denom)]
}

/// Refuses any attached funds (cw-utils' nonpayable): funds sent to a message that does not expect them would be
/// stuck in the contract.
pub fn must_pay_nothing(funds: &[Coin]) -> StdResult<()> {
    if funds.iter().any(|c| !c.amount.is_zero()) {
        let listed: Vec<String> = funds.iter().map(|c| c.to_string()).collect();
        return Err(StdError::generic_err(format!("this message does not accept funds (got {})", listed.join(","))));
    }
    Ok(())
}
