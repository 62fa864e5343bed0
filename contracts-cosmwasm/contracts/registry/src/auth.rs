//! Who may call what. Every execute calls one of these before touching anything.

use crate::error::ContractError;
use crate::msg::{Config, Node};
use crate::sites::oracle_site;
use gridcoop_vm::{must_pay_nothing, MessageInfo, Storage};

/// Refuses funds on messages that take none (they would be stuck in the contract).
pub fn no_funds(info: &MessageInfo, action: &'static str) -> Result<(), ContractError> {
    must_pay_nothing(&info.funds).map_err(|e| ContractError::InvalidFunds { action, reason: e.to_string() })
}

fn unauthorized(action: &'static str, info: &MessageInfo, required: &'static str) -> ContractError {
    ContractError::Unauthorized { action, sender: info.sender.to_string(), required }
}

pub fn only_admin(config: &Config, info: &MessageInfo, action: &'static str) -> Result<(), ContractError> {
    match &config.admin {
        None => Err(ContractError::NoAdmin { action }),
        Some(admin) if *admin == info.sender => Ok(()),
        Some(_) => Err(unauthorized(action, info, "the admin")),
    }
}

pub fn only_operator(config: &Config, info: &MessageInfo, action: &'static str) -> Result<(), ContractError> {
    if info.sender != config.operator {
        return Err(unauthorized(action, info, "the plant operator"));
    }
    Ok(())
}

pub fn only_operator_or_owner(config: &Config, node: &Node, info: &MessageInfo, action: &'static str) -> Result<(), ContractError> {
    if info.sender != config.operator && info.sender != node.owner {
        return Err(unauthorized(action, info, "the plant operator or the node's owner"));
    }
    Ok(())
}

pub fn only_owner(node: &Node, info: &MessageInfo, action: &'static str) -> Result<(), ContractError> {
    if info.sender != node.owner {
        return Err(unauthorized(action, info, "the node's owner"));
    }
    Ok(())
}

/// The site whose nodes the sender may record, or a refusal when the sender is no oracle.
pub fn only_oracle(storage: &dyn Storage, info: &MessageInfo, action: &'static str) -> Result<String, ContractError> {
    oracle_site(storage, &info.sender)?.ok_or_else(|| unauthorized(action, info, "an authorised oracle"))
}

pub fn only_governance(config: &Config, info: &MessageInfo, action: &'static str) -> Result<(), ContractError> {
    match &config.governance {
        Some(governance) if *governance == info.sender => Ok(()),
        _ => Err(unauthorized(action, info, "the governance contract")),
    }
}
