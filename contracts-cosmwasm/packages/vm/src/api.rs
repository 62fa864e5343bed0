//! The Api trait: address validation by the chain (bech32 with the chain's prefix) and debug output.

use crate::addr::Addr;
use crate::errors::StdResult;

pub trait Api {
    fn addr_validate(&self, human: &str) -> StdResult<Addr>;
    fn debug(&self, message: &str);
}
