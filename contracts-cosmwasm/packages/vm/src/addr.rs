//! Addr: a validated human-readable address. Only `Api::addr_validate` (or `Addr::unchecked` in tests and for
//! addresses the chain itself supplies, like `info.sender`) should create one.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(transparent)]
pub struct Addr(String);

impl Addr {
    pub fn unchecked(input: impl Into<String>) -> Addr {
        Addr(input.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Addr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<Addr> for String {
    fn from(addr: Addr) -> String {
        addr.0
    }
}

impl PartialEq<&str> for Addr {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}
