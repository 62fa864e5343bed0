//! The cw2 convention: a contract records its name and version under "contract_info" so that a migration can
//! check what it is replacing.

use crate::errors::{StdError, StdResult};
use crate::storage::Storage;
use crate::storage_plus::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ContractVersion {
    pub contract: String,
    pub version: String,
}

pub const CONTRACT: Item<ContractVersion> = Item::new("contract_info");

pub fn set_contract_version(store: &mut dyn Storage, name: impl Into<String>, version: impl Into<String>) -> StdResult<()> {
    CONTRACT.save(store, &ContractVersion { contract: name.into(), version: version.into() })
}

pub fn get_contract_version(store: &dyn Storage) -> StdResult<ContractVersion> {
    CONTRACT.load(store)
}

/// "1.2.3" -> (1, 2, 3); pre-release and build suffixes are not used by GridCoop and are refused.
pub fn parse_version(version: &str) -> StdResult<(u64, u64, u64)> {
    let parts: Vec<&str> = version.split('.').collect();
    let number = |s: &str| s.parse::<u64>().map_err(|_| StdError::generic_err(format!("invalid version '{}'", version)));
    match parts.as_slice() {
        [major, minor, patch] => Ok((number(major)?, number(minor)?, number(patch)?)),
        _ => Err(StdError::generic_err(format!("invalid version '{}': expected major.minor.patch", version))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically_not_as_text() {
        assert!(parse_version("0.10.0").unwrap() > parse_version("0.9.9").unwrap());
        assert!(parse_version("1.0").is_err());
        assert!(parse_version("1.0.x").is_err());
    }
}
