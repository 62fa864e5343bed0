//! Rewards: each epoch has a pool in the reward denomination that anyone may fund. Once the epoch settles, a
//! node's share is pool x its weight / the epoch's total weight, rounded down; weights are recorded output x the
//! policy's kind and zone multipliers. Paying floor shares, tracked per node, means the sum paid never exceeds the
//! pool, even if the pool grows later, and the rounding dust stays in it.

use crate::auth::{no_funds, only_owner};
use crate::error::ContractError;
use crate::msg::{Config, Node, NodeStatus, RewardPolicy};
use crate::nodes::load_node;
use crate::state::{NodeEpoch, CONFIG, EPOCHS, NODE_EPOCHS};
use gridcoop_vm::{BankMsg, Coin, DepsMut, Env, MessageInfo, Response, StdResult, Uint128};

const NEUTRAL_BPS: u32 = 10_000;

pub fn epoch_of(config: &Config, interval_start_s: u64) -> u64 {
    interval_start_s / config.epoch_length_s
}

pub fn epoch_start_s(config: &Config, epoch: u64) -> u64 {
    epoch.saturating_mul(config.epoch_length_s)
}

pub fn epoch_end_s(config: &Config, epoch: u64) -> u64 {
    epoch.saturating_add(1).saturating_mul(config.epoch_length_s)
}

/// Records for an epoch count for its rewards until this time; claims open at it.
pub fn settles_at_s(config: &Config, epoch: u64) -> u64 {
    epoch_end_s(config, epoch).saturating_add(config.settlement_delay_s)
}

pub fn is_settled(config: &Config, env: &Env, epoch: u64) -> bool {
    env.block.time.seconds() >= settles_at_s(config, epoch)
}

/// energy_out_wh x kind_bps x zone_bps + flexibility_wh x flexibility_bps x zone_bps (an unknown zone counts 10,000).
pub fn reward_weight(policy: &RewardPolicy, node: &Node, energy_out_wh: u64, flexibility_wh: u64) -> StdResult<Uint128> {
    let kind_bps = match node.kind {
        crate::msg::NodeKind::Pv => policy.kind_bps.pv,
        crate::msg::NodeKind::Battery => policy.kind_bps.battery,
        crate::msg::NodeKind::FlexibleLoad => policy.kind_bps.flexible_load,
    };
    let zone_bps = policy.zone_bps.iter().find(|(zone, _)| *zone == node.zone).map(|(_, bps)| *bps).unwrap_or(NEUTRAL_BPS);
    let output = Uint128::from(energy_out_wh).checked_mul(Uint128::from(u64::from(kind_bps)))?;
    let flexibility = Uint128::from(flexibility_wh).checked_mul(Uint128::from(u64::from(policy.flexibility_bps)))?;
    output.checked_add(flexibility)?.checked_mul(Uint128::from(u64::from(zone_bps)))
}

/// floor(pool x weight / total) minus what was already paid to the node.
pub fn claimable(pool: Uint128, total_weight: Uint128, node_epoch: &NodeEpoch) -> StdResult<Uint128> {
    if total_weight.is_zero() {
        return Ok(Uint128::zero());
    }
    let entitled = pool.checked_multiply_ratio(node_epoch.reward_weight, total_weight)?;
    Ok(entitled.saturating_sub(node_epoch.claimed))
}

pub fn fund_epoch(deps: DepsMut, env: Env, info: MessageInfo, epoch: u64) -> Result<Response, ContractError> {
    // Anyone may fund; what must be checked is the funds themselves.
    let config = CONFIG.load(deps.storage)?;
    let amount = match info.funds.as_slice() {
        [Coin { denom, amount }] if *denom == config.reward_denom && !amount.is_zero() => *amount,
        _ => {
            return Err(ContractError::InvalidFunds {
                action: "fund_epoch",
                reason: format!("send exactly one non-zero coin of {}", config.reward_denom),
            })
        }
    };
    let mut state = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    if is_settled(&config, &env, epoch) && state.total_weight.is_zero() {
        return Err(ContractError::InvalidFunds {
            action: "fund_epoch",
            reason: format!("epoch {} is settled without recorded output: nobody could claim the funds", epoch),
        });
    }
    state.pool = state.pool.checked_add(amount)?;
    EPOCHS.save(deps.storage, epoch, &state)?;
    Ok(Response::new()
        .add_attribute("action", "fund_epoch")
        .add_attribute("epoch", epoch)
        .add_attribute("amount", amount)
        .add_attribute("pool", state.pool))
}

pub fn claim_rewards(deps: DepsMut, env: Env, info: MessageInfo, node_id: u64, epoch: u64) -> Result<Response, ContractError> {
    let node = load_node(deps.storage, node_id)?;
    only_owner(&node, &info, "claim_rewards")?;
    no_funds(&info, "claim_rewards")?;
    if node.status == NodeStatus::Suspended {
        return Err(ContractError::InvalidNodeStatus { node_id, status: node.status.as_str(), action: "claim_rewards" });
    }
    let config = CONFIG.load(deps.storage)?;
    if !is_settled(&config, &env, epoch) {
        return Err(ContractError::EpochNotSettled { epoch, settles_at_s: settles_at_s(&config, epoch) });
    }
    let mut state = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    let mut node_epoch = NODE_EPOCHS.may_load(deps.storage, (epoch, node_id))?.unwrap_or_default();
    let amount = claimable(state.pool, state.total_weight, &node_epoch)?;
    if amount.is_zero() {
        return Err(ContractError::NothingToClaim { node_id, epoch });
    }
    node_epoch.claimed = node_epoch.claimed.checked_add(amount)?;
    state.paid = state.paid.checked_add(amount)?;
    // Cannot happen with floor shares; checked anyway because paying out more than the pool is the one
    // failure a reward ledger must never have.
    if state.paid > state.pool {
        return Err(ContractError::Std(gridcoop_vm::StdError::generic_err(format!(
            "epoch {} would pay {} from a pool of {}",
            epoch, state.paid, state.pool
        ))));
    }
    NODE_EPOCHS.save(deps.storage, (epoch, node_id), &node_epoch)?;
    EPOCHS.save(deps.storage, epoch, &state)?;
    Ok(Response::new()
        .add_message(BankMsg::Send { to_address: node.owner.to_string(), amount: vec![Coin { denom: config.reward_denom, amount }] })
        .add_attribute("action", "claim_rewards")
        .add_attribute("node_id", node_id)
        .add_attribute("epoch", epoch)
        .add_attribute("amount", amount))
}
