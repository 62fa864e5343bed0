//! Voting power for governance (DAO DAO's voting-module queries): the rated power of an owner's active nodes,
//! kept as a history by height so that a snapshot taken at a proposal's start can never change afterwards.

use crate::msg::VotingPowerResponse;
use crate::state::{POWER_HISTORY, TOTAL_POWER_HISTORY};
use gridcoop_vm::{Addr, Bound, Env, Order, StdResult, Storage, Uint128};

fn latest_at(iter: &mut dyn Iterator<Item = StdResult<(u64, Uint128)>>) -> StdResult<Uint128> {
    Ok(iter.next().transpose()?.map(|(_, power)| power).unwrap_or_else(Uint128::zero))
}

/// Power at the start of block `height` (None: now, including this block's changes).
pub fn power_at(storage: &dyn Storage, owner: &Addr, height: Option<u64>) -> StdResult<Uint128> {
    let max = height.map(Bound::inclusive);
    latest_at(&mut *POWER_HISTORY.prefix(owner).range(storage, None, max, Order::Descending))
}

pub fn total_power_at(storage: &dyn Storage, height: Option<u64>) -> StdResult<Uint128> {
    let max = height.map(Bound::inclusive);
    latest_at(&mut *TOTAL_POWER_HISTORY.range(storage, None, max, Order::Descending))
}

/// Adds (or with `increase` false, removes) `rated_power_w` to the owner's and the total power, effective from
/// the next block.
pub fn change_power(storage: &mut dyn Storage, env: &Env, owner: &Addr, rated_power_w: u64, increase: bool) -> StdResult<()> {
    let effective_height = env.block.height + 1;
    let delta = Uint128::from(rated_power_w);
    let apply = |current: Uint128| if increase { current.checked_add(delta) } else { current.checked_sub(delta) };
    let owner_power = apply(power_at(storage, owner, None)?)?;
    POWER_HISTORY.save(storage, (owner, effective_height), &owner_power)?;
    let total = apply(total_power_at(storage, None)?)?;
    TOTAL_POWER_HISTORY.save(storage, effective_height, &total)?;
    Ok(())
}

pub fn voting_power_response(power: Uint128, height: Option<u64>, env: &Env) -> VotingPowerResponse {
    VotingPowerResponse { power, height: height.unwrap_or(env.block.height) }
}
