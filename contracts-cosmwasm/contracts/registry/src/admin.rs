//! Administration: the oracle list and the operator/governance addresses (admin), and the reward multipliers
//! (the governance contract, when a policy takes effect).

use crate::auth::{no_funds, only_admin, only_governance};
use crate::error::ContractError;
use crate::limits::{check_reward_policy, MAX_ORACLES};
use crate::msg::{neutral_bps, KindMultipliers, RewardPolicy};
use crate::policy_history::put_in_force;
use crate::state::{CONFIG, ORACLES};
use gridcoop_vm::{DepsMut, Env, MessageInfo, Order, Response};

pub fn update_oracles(deps: DepsMut, info: MessageInfo, add: Vec<String>, remove: Vec<String>) -> Result<Response, ContractError> {
    only_admin(&CONFIG.load(deps.storage)?, &info, "update_oracles")?;
    no_funds(&info, "update_oracles")?;
    for address in &remove {
        let oracle = deps.api.addr_validate(address)?;
        ORACLES.remove(deps.storage, &oracle);
    }
    for address in &add {
        let oracle = deps.api.addr_validate(address)?;
        ORACLES.save(deps.storage, &oracle, &true)?;
    }
    let count = ORACLES.keys(deps.storage, None, None, Order::Ascending).count();
    if count > MAX_ORACLES {
        return Err(ContractError::invalid_field("oracles", format!("{} oracles, at most {}", count, MAX_ORACLES)));
    }
    Ok(Response::new()
        .add_attribute("action", "update_oracles")
        .add_attribute("added", add.len())
        .add_attribute("removed", remove.len())
        .add_attribute("oracles", count))
}

pub fn update_config(
    deps: DepsMut,
    info: MessageInfo,
    admin: Option<String>,
    operator: Option<String>,
    governance: Option<String>,
) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    only_admin(&config, &info, "update_config")?;
    no_funds(&info, "update_config")?;
    if let Some(admin) = admin {
        config.admin = deps.api.addr_validate(&admin)?;
    }
    if let Some(operator) = operator {
        config.operator = deps.api.addr_validate(&operator)?;
    }
    if let Some(governance) = governance {
        config.governance = Some(deps.api.addr_validate(&governance)?);
    }
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "update_config"))
}

pub fn set_reward_policy(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    kind_bps: KindMultipliers,
    zone_bps: Vec<(String, u32)>,
    flexibility_bps: Option<u32>,
) -> Result<Response, ContractError> {
    only_governance(&CONFIG.load(deps.storage)?, &info, "set_reward_policy")?;
    no_funds(&info, "set_reward_policy")?;
    let flexibility_bps = flexibility_bps.unwrap_or_else(neutral_bps);
    check_reward_policy(&kind_bps, &zone_bps, flexibility_bps)?;
    let version = put_in_force(deps.storage, RewardPolicy { kind_bps, zone_bps, flexibility_bps }, env.block.height)?;
    Ok(Response::new().add_attribute("action", "set_reward_policy").add_attribute("policy_version", version))
}
