//! The reward policy in force and every version before it: a stored record names the version it was weighed with,
//! so anyone can recompute its reward weight from the chain alone.

use crate::msg::{RewardPolicy, RewardPolicyEntry};
use crate::state::{REWARD_POLICY, REWARD_POLICY_HISTORY, REWARD_POLICY_VERSION};
use gridcoop_vm::{StdResult, Storage};

/// Puts `policy` in force as the next version, set in block `height`; returns its version.
pub fn put_in_force(storage: &mut dyn Storage, policy: RewardPolicy, height: u64) -> StdResult<u64> {
    let version = match REWARD_POLICY_VERSION.may_load(storage)? {
        Some(current) => current.checked_add(1).ok_or_else(|| gridcoop_vm::StdError::overflow("add", current, 1u64))?,
        None => 1,
    };
    REWARD_POLICY_HISTORY.save(storage, version, &RewardPolicyEntry { version, since_height: height, policy: policy.clone() })?;
    REWARD_POLICY_VERSION.save(storage, &version)?;
    REWARD_POLICY.save(storage, &policy)?;
    Ok(version)
}

/// The version in force (1 for a registry instantiated before versions were kept).
pub fn version_in_force(storage: &dyn Storage) -> StdResult<u64> {
    Ok(REWARD_POLICY_VERSION.may_load(storage)?.unwrap_or(1))
}
