//! Entry points: instantiate, execute and query dispatch to one function per message; migrate checks cw2.

use crate::admin::{add_site, delete_site, set_reward_policy, update_config, update_oracles, update_site_oracles};
use crate::ownership::{accept_admin, cancel_admin_transfer, propose_admin, renounce_admin, update_governance};
use crate::sites::{change_site_oracles, create_site};
use crate::auth::no_funds;
use crate::error::ContractError;
use crate::limits::{
    check_denom, check_range, check_reward_policy, default_reward_policy, MAX_EPOCH_LENGTH_S, MAX_INTERVAL_S,
    MAX_SETTLEMENT_DELAY_S, MIN_INTERVAL_S,
};
use crate::maintenance::log_maintenance;
use crate::msg::{default_site_name, Config, ExecuteMsg, InfoResponse, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::nodes::{approve_node, assign_node_site, load_node, register_node, resume_node, retire_node, suspend_node};
use crate::policy_history::put_in_force;
use crate::queries;
use crate::recording::record_intervals;
use crate::rewards::{claim_rewards, fund_epoch};
use crate::state::{CONFIG, LEGACY_ORACLES, REWARD_POLICY, SITES};
use crate::voting_power::{power_at, total_power_at, voting_power_response};
use gridcoop_vm::cw2::{get_contract_version, parse_version, set_contract_version};
use gridcoop_vm::{to_json_binary, Addr, Api, Binary, Storage, Deps, DepsMut, Env, MessageInfo, Order, Response, StdResult};

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
    let policy = msg.reward_policy.unwrap_or_else(default_reward_policy);
    check_reward_policy(&policy.kind_bps, &policy.zone_bps, policy.flexibility_bps)?;
    let admin = match msg.admin {
        Some(admin) => deps.api.addr_validate(&admin)?,
        None => info.sender.clone(),
    };
    let admin = Some(admin);
    let governance = msg.governance.map(|g| deps.api.addr_validate(&g)).transpose()?;
    let config = Config {
        admin,
        operator: deps.api.addr_validate(&msg.operator)?,
        governance,
        reward_denom: msg.reward_denom,
        interval_s: msg.interval_s,
        epoch_length_s: msg.epoch_length_s,
        settlement_delay_s: msg.settlement_delay_s,
        default_site: msg.default_site.unwrap_or_else(default_site_name),
    };
    create_site(deps.storage, &config.default_site)?;
    change_site_oracles(deps.storage, deps.api, &config.default_site, &msg.oracles, &[])?;
    for site in &msg.sites {
        create_site(deps.storage, &site.site)?;
        change_site_oracles(deps.storage, deps.api, &site.site, &site.oracles, &[])?;
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
        ExecuteMsg::ApproveNode { node_id, site } => approve_node(deps, env, info, node_id, site),
        ExecuteMsg::AssignNodeSite { node_id, site } => assign_node_site(deps, info, node_id, site),
        ExecuteMsg::SuspendNode { node_id, reason } => suspend_node(deps, env, info, node_id, reason),
        ExecuteMsg::ResumeNode { node_id } => resume_node(deps, env, info, node_id),
        ExecuteMsg::RetireNode { node_id } => retire_node(deps, env, info, node_id),
        ExecuteMsg::RecordIntervals { records } => record_intervals(deps, env, info, records),
        ExecuteMsg::FundEpoch { epoch } => fund_epoch(deps, env, info, epoch),
        ExecuteMsg::ClaimRewards { node_id, epoch } => claim_rewards(deps, env, info, node_id, epoch),
        ExecuteMsg::LogMaintenance { node_id, note } => log_maintenance(deps, env, info, node_id, note),
        ExecuteMsg::UpdateOracles { add, remove } => update_oracles(deps, info, add, remove),
        ExecuteMsg::AddSite { site, oracles } => add_site(deps, info, site, oracles),
        ExecuteMsg::UpdateSiteOracles { site, add, remove } => update_site_oracles(deps, info, site, add, remove),
        ExecuteMsg::RemoveSite { site } => delete_site(deps, info, site),
        ExecuteMsg::ProposeAdmin { new_admin } => propose_admin(deps, info, new_admin),
        ExecuteMsg::AcceptAdmin {} => accept_admin(deps, info),
        ExecuteMsg::CancelAdminTransfer {} => cancel_admin_transfer(deps, info),
        ExecuteMsg::RenounceAdmin {} => renounce_admin(deps, info),
        ExecuteMsg::UpdateGovernance { governance } => update_governance(deps, info, governance),
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
        QueryMsg::Ownership {} => to_json_binary(&queries::ownership(deps)?),
        QueryMsg::Site { site } => to_json_binary(&queries::site(deps, site)?),
        QueryMsg::Sites { start_after, limit } => to_json_binary(&queries::sites(deps, start_after, limit)?),
        QueryMsg::SiteOracles { site, start_after, limit } => {
            to_json_binary(&queries::site_oracles(deps, site, start_after, limit)?)
        }
        QueryMsg::OracleSite { address } => to_json_binary(&queries::oracle_site(deps, address)?),
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
    let bound = bind_legacy_oracles(deps.storage, deps.api)?;
    set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new()
        .add_attribute("action", "migrate")
        .add_attribute("legacy_oracles_bound", bound)
        .add_attribute("from_version", stored.version)
        .add_attribute("to_version", CONTRACT_VERSION))
}

/// From 0.1 (a flat list of at most 16 oracles, any of which recorded any node): the default site is created and
/// the old oracles become its keys, so the single-site deployment records on without a new message.
fn bind_legacy_oracles(storage: &mut dyn Storage, api: &dyn Api) -> Result<usize, ContractError> {
    let config = CONFIG.load(storage)?;
    if !SITES.has(storage, &config.default_site) {
        create_site(storage, &config.default_site)?;
    }
    let legacy: Vec<Addr> = LEGACY_ORACLES.keys(storage, None, None, Order::Ascending).collect::<StdResult<_>>()?;
    let addresses: Vec<String> = legacy.iter().map(|a| a.to_string()).collect();
    change_site_oracles(storage, api, &config.default_site, &addresses, &[])?;
    for oracle in &legacy {
        LEGACY_ORACLES.remove(storage, oracle);
    }
    Ok(legacy.len())
}
