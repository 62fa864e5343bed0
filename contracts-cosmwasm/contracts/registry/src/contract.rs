//! Entry points: instantiate, execute and query dispatch to one function per message; migrate checks cw2.

use crate::admin::{set_reward_policy, update_config, update_oracles};
use crate::auth::no_funds;
use crate::error::ContractError;
use crate::limits::{
    check_denom, check_range, check_reward_policy, default_reward_policy, MAX_EPOCH_LENGTH_S, MAX_INTERVAL_S, MAX_ORACLES,
    MAX_SETTLEMENT_DELAY_S, MIN_INTERVAL_S,
};
use crate::maintenance::log_maintenance;
use crate::msg::{Config, ExecuteMsg, InfoResponse, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::nodes::{approve_node, load_node, register_node, resume_node, retire_node, suspend_node};
use crate::policy_history::put_in_force;
use crate::queries;
use crate::recording::record_intervals;
use crate::rewards::{claim_rewards, fund_epoch};
use crate::state::{CONFIG, ORACLES, REWARD_POLICY};
use crate::voting_power::{power_at, total_power_at, voting_power_response};
use gridcoop_vm::cw2::{get_contract_version, parse_version, set_contract_version};
use gridcoop_vm::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response};

pub const CONTRACT_NAME: &str = "crates.io:gridcoop-registry";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn instantiate(deps: DepsMut, env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    no_funds(&info, "instantiate")?;
    check_range("interval_s", msg.interval_s, MIN_INTERVAL_S, MAX_INTERVAL_S)?;
    check_range("epoch_length_s", msg.epoch_length_s, msg.interval_s, MAX_EPOCH_LENGTH_S)?;
    if msg.epoch_length_s % msg.interval_s != 0 {
        return Err(ContractError::invalid_field("epoch_length_s", format!("must be a multiple of interval_s {}", msg.interval_s)));
    }
    check_range("settlement_delay_s", msg.settlement_delay_s, 0, MAX_SETTLEMENT_DELAY_S)?;
    check_denom(&msg.reward_denom)?;
    if msg.oracles.len() > MAX_ORACLES {
        return Err(ContractError::invalid_field("oracles", format!("{} oracles, at most {}", msg.oracles.len(), MAX_ORACLES)));
    }
    let policy = msg.reward_policy.unwrap_or_else(default_reward_policy);
    check_reward_policy(&policy.kind_bps, &policy.zone_bps, policy.flexibility_bps)?;
    let admin = match msg.admin {
        Some(admin) => deps.api.addr_validate(&admin)?,
        None => info.sender.clone(),
    };
    let governance = msg.governance.map(|g| deps.api.addr_validate(&g)).transpose()?;
    let config = Config {
        admin,
        operator: deps.api.addr_validate(&msg.operator)?,
        governance,
        reward_denom: msg.reward_denom,
        interval_s: msg.interval_s,
        epoch_length_s: msg.epoch_length_s,
        settlement_delay_s: msg.settlement_delay_s,
    };
    for oracle in &msg.oracles {
        ORACLES.save(deps.storage, &deps.api.addr_validate(oracle)?, &true)?;
    }
    CONFIG.save(deps.storage, &config)?;
    put_in_force(deps.storage, policy, env.block.height)?;
    set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("contract", CONTRACT_NAME)
        .add_attribute("version", CONTRACT_VERSION))
}

pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::RegisterNode { kind, rated_power_w, energy_capacity_wh, zone, metadata } => {
            register_node(deps, env, info, kind, rated_power_w, energy_capacity_wh, zone, metadata)
        }
        ExecuteMsg::ApproveNode { node_id } => approve_node(deps, env, info, node_id),
        ExecuteMsg::SuspendNode { node_id, reason } => suspend_node(deps, env, info, node_id, reason),
        ExecuteMsg::ResumeNode { node_id } => resume_node(deps, env, info, node_id),
        ExecuteMsg::RetireNode { node_id } => retire_node(deps, env, info, node_id),
        ExecuteMsg::RecordIntervals { records } => record_intervals(deps, env, info, records),
        ExecuteMsg::FundEpoch { epoch } => fund_epoch(deps, env, info, epoch),
        ExecuteMsg::ClaimRewards { node_id, epoch } => claim_rewards(deps, env, info, node_id, epoch),
        ExecuteMsg::LogMaintenance { node_id, note } => log_maintenance(deps, env, info, node_id, note),
        ExecuteMsg::UpdateOracles { add, remove } => update_oracles(deps, info, add, remove),
        ExecuteMsg::UpdateConfig { admin, operator, governance } => update_config(deps, info, admin, operator, governance),
        ExecuteMsg::SetRewardPolicy { kind_bps, zone_bps, flexibility_bps } => {
            set_reward_policy(deps, env, info, kind_bps, zone_bps, flexibility_bps)
        }
    }
}

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> Result<Binary, ContractError> {
    let answer = match msg {
        QueryMsg::Config {} => to_json_binary(&CONFIG.load(deps.storage)?),
        QueryMsg::Info {} => {
            let version = get_contract_version(deps.storage)?;
            to_json_binary(&InfoResponse { contract: version.contract, version: version.version })
        }
        QueryMsg::RewardPolicy {} => to_json_binary(&REWARD_POLICY.load(deps.storage)?),
        QueryMsg::Node { node_id } => to_json_binary(&load_node(deps.storage, node_id)?),
        QueryMsg::Nodes { owner, zone, kind, start_after, limit } => {
            to_json_binary(&queries::nodes(deps, owner, zone, kind, start_after, limit)?)
        }
        QueryMsg::Records { node_id, from_s, to_s, start_after, limit } => {
            to_json_binary(&queries::records(deps, node_id, from_s, to_s, start_after, limit)?)
        }
        QueryMsg::RecordChain { node_id, from_s, to_s, start_after, limit } => {
            to_json_binary(&queries::record_chain(deps, node_id, from_s, to_s, start_after, limit)?)
        }
        QueryMsg::RewardPolicies { start_after, limit } => to_json_binary(&queries::reward_policies(deps, start_after, limit)?),
        QueryMsg::NodeTotals { node_id } => to_json_binary(&queries::node_totals(deps, node_id)?),
        QueryMsg::NodeEpoch { node_id, epoch } => to_json_binary(&queries::node_epoch(deps, &env, node_id, epoch)?),
        QueryMsg::Epoch { epoch } => to_json_binary(&queries::epoch(deps, &env, epoch)?),
        QueryMsg::PlantTotals {} => to_json_binary(&queries::plant_totals(deps)?),
        QueryMsg::Oracles { start_after, limit } => to_json_binary(&queries::oracles(deps, start_after, limit)?),
        QueryMsg::MaintenanceLog { node_id, start_after, limit } => {
            to_json_binary(&queries::maintenance_log(deps, node_id, start_after, limit)?)
        }
        QueryMsg::VotingPowerAtHeight { address, height } => {
            let owner = deps.api.addr_validate(&address)?;
            to_json_binary(&voting_power_response(power_at(deps.storage, &owner, height)?, height, &env))
        }
        QueryMsg::TotalPowerAtHeight { height } => {
            to_json_binary(&voting_power_response(total_power_at(deps.storage, height)?, height, &env))
        }
    };
    Ok(answer?)
}

/// Refuses to migrate from another contract or from a newer version of this one.
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let stored = get_contract_version(deps.storage)?;
    if stored.contract != CONTRACT_NAME {
        return Err(ContractError::MigrationRefused {
            reason: format!("stored contract is {}, not {}", stored.contract, CONTRACT_NAME),
        });
    }
    if parse_version(&stored.version)? > parse_version(CONTRACT_VERSION)? {
        return Err(ContractError::MigrationRefused {
            reason: format!("stored version {} is newer than {}", stored.version, CONTRACT_VERSION),
        });
    }
    set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", CONTRACT_VERSION))
}
