//! Administration: sites and their oracle keys, the operator address and the first wiring of the governance
//! pointer (admin), and the reward multipliers (the governance contract, when a policy takes effect).

use crate::auth::{no_funds, only_admin, only_governance};
use crate::error::ContractError;
use crate::limits::check_reward_policy;
use crate::msg::{neutral_bps, KindMultipliers, RewardPolicy};
use crate::policy_history::put_in_force;
use crate::sites::{change_site_oracles, create_site, remove_site};
use crate::state::CONFIG;
use gridcoop_vm::{DepsMut, Env, MessageInfo, Response};

/// The default site's oracle keys (the single-site deployment's message, kept for its clients).
pub fn update_oracles(deps: DepsMut, info: MessageInfo, add: Vec<String>, remove: Vec<String>) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    only_admin(&config, &info, "update_oracles")?;
    no_funds(&info, "update_oracles")?;
    let site = change_site_oracles(deps.storage, deps.api, &config.default_site, &add, &remove)?;
    Ok(Response::new()
        .add_attribute("action", "update_oracles")
        .add_attribute("site", config.default_site)
        .add_attribute("added", add.len())
        .add_attribute("removed", remove.len())
        .add_attribute("oracles", site.oracles))
}

pub fn add_site(deps: DepsMut, info: MessageInfo, site: String, oracles: Vec<String>) -> Result<Response, ContractError> {
    only_admin(&CONFIG.load(deps.storage)?, &info, "add_site")?;
    no_funds(&info, "add_site")?;
    create_site(deps.storage, &site)?;
    let stored = change_site_oracles(deps.storage, deps.api, &site, &oracles, &[])?;
    Ok(Response::new().add_attribute("action", "add_site").add_attribute("site", site).add_attribute("oracles", stored.oracles))
}

pub fn update_site_oracles(
    deps: DepsMut,
    info: MessageInfo,
    site: String,
    add: Vec<String>,
    remove: Vec<String>,
) -> Result<Response, ContractError> {
    only_admin(&CONFIG.load(deps.storage)?, &info, "update_site_oracles")?;
    no_funds(&info, "update_site_oracles")?;
    let stored = change_site_oracles(deps.storage, deps.api, &site, &add, &remove)?;
    Ok(Response::new()
        .add_attribute("action", "update_site_oracles")
        .add_attribute("site", site)
        .add_attribute("oracles", stored.oracles))
}

pub fn delete_site(deps: DepsMut, info: MessageInfo, site: String) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    only_admin(&config, &info, "remove_site")?;
    no_funds(&info, "remove_site")?;
    remove_site(deps.storage, &config, &site)?;
    Ok(Response::new().add_attribute("action", "remove_site").add_attribute("site", site))
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
    if admin.is_some() {
        return Err(ContractError::AdminTransferIsTwoStep);
    }
    if let Some(operator) = operator {
        config.operator = deps.api.addr_validate(&operator)?;
    }
    if let Some(governance) = governance {
        // The admin wires the pointer once, at deployment; moving it afterwards is the members' decision.
        if let Some(current) = &config.governance {
            return Err(ContractError::GovernanceLocked { governance: current.to_string() });
        }
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
