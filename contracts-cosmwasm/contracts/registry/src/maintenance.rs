//! The maintenance log: the operator or a node's owner appends dated notes to the node's log.

use crate::auth::{no_funds, only_operator_or_owner};
use crate::error::ContractError;
use crate::limits::{check_text, MAX_NOTE_BYTES};
use crate::msg::MaintenanceEntry;
use crate::nodes::load_node;
use crate::state::{CONFIG, MAINTENANCE_LOG, NODES};
use gridcoop_vm::{DepsMut, Env, MessageInfo, Response};

pub fn log_maintenance(deps: DepsMut, env: Env, info: MessageInfo, node_id: u64, note: String) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let mut node = load_node(deps.storage, node_id)?;
    only_operator_or_owner(&config, &node, &info, "log_maintenance")?;
    no_funds(&info, "log_maintenance")?;
    check_text("note", &note, MAX_NOTE_BYTES)?;
    let seq = node.maintenance_entries + 1;
    let entry = MaintenanceEntry { seq, author: info.sender, at: env.block.time, note };
    MAINTENANCE_LOG.save(deps.storage, (node_id, seq), &entry)?;
    node.maintenance_entries = seq;
    NODES.save(deps.storage, node_id, &node)?;
    Ok(Response::new()
        .add_attribute("action", "log_maintenance")
        .add_attribute("node_id", node_id)
        .add_attribute("seq", seq))
}
