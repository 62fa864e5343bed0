//! Node lifecycle: owners register, the operator approves (binds to the plant), suspends and resumes;
//! the operator or the owner retires. Voting power and plant counters follow every status change.

use crate::auth::{no_funds, only_operator, only_operator_or_owner};
use crate::error::ContractError;
use crate::limits::{check_metadata, check_range, check_text, check_zone, MAX_ENERGY_CAPACITY_WH, MAX_RATED_POWER_W, MAX_REASON_BYTES};
use crate::msg::{Node, NodeKind, NodeStatus};
use crate::sites::{check_site_id, count_node, site_of};
use crate::state::{NodeCounts, CONFIG, NEXT_NODE_ID, NODES, NODES_BY_OWNER, NODE_COUNTS};
use crate::voting_power::change_power;
use gridcoop_vm::{DepsMut, Env, MessageInfo, Response, StdResult, Storage};

pub fn load_node(storage: &dyn Storage, node_id: u64) -> Result<Node, ContractError> {
    NODES.may_load(storage, node_id)?.ok_or(ContractError::NodeNotFound { node_id })
}

fn count_of(counts: &mut NodeCounts, status: NodeStatus) -> &mut u64 {
    match status {
        NodeStatus::Pending => &mut counts.pending,
        NodeStatus::Active => &mut counts.active,
        NodeStatus::Suspended => &mut counts.suspended,
        NodeStatus::Retired => &mut counts.retired,
    }
}

/// Moves a node to `to`, keeping the counters and the voting-power history in step, and saves it.
fn set_status(storage: &mut dyn Storage, env: &Env, node: &mut Node, to: NodeStatus, reason: Option<String>) -> StdResult<()> {
    let from = node.status;
    let mut counts = NODE_COUNTS.may_load(storage)?.unwrap_or_default();
    *count_of(&mut counts, from) -= 1;
    *count_of(&mut counts, to) += 1;
    if from == NodeStatus::Active {
        counts.active_rated_power_w -= node.rated_power_w;
        change_power(storage, env, &node.owner, node.rated_power_w, false)?;
    }
    if to == NodeStatus::Active {
        counts.active_rated_power_w += node.rated_power_w;
        change_power(storage, env, &node.owner, node.rated_power_w, true)?;
    }
    NODE_COUNTS.save(storage, &counts)?;
    node.status = to;
    node.status_reason = reason;
    NODES.save(storage, node.id, node)
}

pub fn register_node(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    kind: NodeKind,
    rated_power_w: u64,
    energy_capacity_wh: Option<u64>,
    zone: String,
    metadata: Vec<(String, String)>,
) -> Result<Response, ContractError> {
    no_funds(&info, "register_node")?;
    check_range("rated_power_w", rated_power_w, 1, MAX_RATED_POWER_W)?;
    match (kind, energy_capacity_wh) {
        (NodeKind::Battery, Some(capacity)) => check_range("energy_capacity_wh", capacity, 1, MAX_ENERGY_CAPACITY_WH)?,
        (NodeKind::Battery, None) => return Err(ContractError::invalid_field("energy_capacity_wh", "required for a battery")),
        (_, Some(_)) => {
            return Err(ContractError::invalid_field("energy_capacity_wh", format!("only batteries have one, not {}", kind.as_str())))
        }
        (_, None) => {}
    }
    check_zone("zone", &zone)?;
    check_metadata(&metadata)?;

    let id = NEXT_NODE_ID.may_load(deps.storage)?.unwrap_or(1);
    NEXT_NODE_ID.save(deps.storage, &(id + 1))?;
    let node = Node {
        id,
        owner: info.sender.clone(),
        kind,
        rated_power_w,
        energy_capacity_wh,
        zone,
        metadata,
        status: NodeStatus::Pending,
        registered_at: env.block.time,
        status_reason: None,
        maintenance_entries: 0,
        site: None,
    };
    NODES.save(deps.storage, id, &node)?;
    NODES_BY_OWNER.save(deps.storage, (&node.owner, id), &true)?;
    let mut counts = NODE_COUNTS.may_load(deps.storage)?.unwrap_or_default();
    counts.pending += 1;
    NODE_COUNTS.save(deps.storage, &counts)?;
    Ok(Response::new()
        .add_attribute("action", "register_node")
        .add_attribute("node_id", id)
        .add_attribute("owner", &node.owner)
        .add_attribute("kind", node.kind.as_str()))
}

fn refuse(node: &Node, action: &'static str) -> ContractError {
    ContractError::InvalidNodeStatus { node_id: node.id, status: node.status.as_str(), action }
}

/// Binds a pending node to a site (the default site when none is named): from then on that site's oracle records it.
pub fn approve_node(deps: DepsMut, env: Env, info: MessageInfo, node_id: u64, site: Option<String>) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    only_operator(&config, &info, "approve_node")?;
    no_funds(&info, "approve_node")?;
    let mut node = load_node(deps.storage, node_id)?;
    if node.status != NodeStatus::Pending {
        return Err(refuse(&node, "approve_node"));
    }
    let site = site.unwrap_or(config.default_site);
    check_site_id(&site)?;
    count_node(deps.storage, &site, true)?;
    node.site = Some(site.clone());
    set_status(deps.storage, &env, &mut node, NodeStatus::Active, None)?;
    Ok(Response::new()
        .add_attribute("action", "approve_node")
        .add_attribute("node_id", node_id)
        .add_attribute("site", site))
}

/// Moves a bound node (active or suspended) to another site, e.g. when a home's devices get their own controller.
pub fn assign_node_site(deps: DepsMut, info: MessageInfo, node_id: u64, site: String) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    only_operator(&config, &info, "assign_node_site")?;
    no_funds(&info, "assign_node_site")?;
    let mut node = load_node(deps.storage, node_id)?;
    if node.status != NodeStatus::Active && node.status != NodeStatus::Suspended {
        return Err(refuse(&node, "assign_node_site"));
    }
    check_site_id(&site)?;
    let from = site_of(&config, &node).to_string();
    if from != site {
        count_node(deps.storage, &site, true)?;
        // a node approved before sites was never counted in the default site
        if node.site.is_some() {
            count_node(deps.storage, &from, false)?;
        }
    }
    node.site = Some(site.clone());
    NODES.save(deps.storage, node_id, &node)?;
    Ok(Response::new()
        .add_attribute("action", "assign_node_site")
        .add_attribute("node_id", node_id)
        .add_attribute("from_site", from)
        .add_attribute("site", site))
}

pub fn suspend_node(deps: DepsMut, env: Env, info: MessageInfo, node_id: u64, reason: String) -> Result<Response, ContractError> {
    only_operator(&CONFIG.load(deps.storage)?, &info, "suspend_node")?;
    no_funds(&info, "suspend_node")?;
    check_text("reason", &reason, MAX_REASON_BYTES)?;
    let mut node = load_node(deps.storage, node_id)?;
    if node.status != NodeStatus::Active {
        return Err(refuse(&node, "suspend_node"));
    }
    set_status(deps.storage, &env, &mut node, NodeStatus::Suspended, Some(reason.clone()))?;
    Ok(Response::new()
        .add_attribute("action", "suspend_node")
        .add_attribute("node_id", node_id)
        .add_attribute("reason", reason))
}

pub fn resume_node(deps: DepsMut, env: Env, info: MessageInfo, node_id: u64) -> Result<Response, ContractError> {
    only_operator(&CONFIG.load(deps.storage)?, &info, "resume_node")?;
    no_funds(&info, "resume_node")?;
    let mut node = load_node(deps.storage, node_id)?;
    if node.status != NodeStatus::Suspended {
        return Err(refuse(&node, "resume_node"));
    }
    set_status(deps.storage, &env, &mut node, NodeStatus::Active, None)?;
    Ok(Response::new().add_attribute("action", "resume_node").add_attribute("node_id", node_id))
}

pub fn retire_node(deps: DepsMut, env: Env, info: MessageInfo, node_id: u64) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut node = load_node(deps.storage, node_id)?;
    only_operator_or_owner(&config, &node, &info, "retire_node")?;
    no_funds(&info, "retire_node")?;
    if node.status == NodeStatus::Retired {
        return Err(refuse(&node, "retire_node"));
    }
    if let Some(site) = &node.site {
        count_node(deps.storage, site, false)?;
    }
    set_status(deps.storage, &env, &mut node, NodeStatus::Retired, None)?;
    Ok(Response::new()
        .add_attribute("action", "retire_node")
        .add_attribute("node_id", node_id)
        .add_attribute("by", info.sender))
}
