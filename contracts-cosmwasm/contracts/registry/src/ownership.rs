//! The admin role, moved in two steps as cw-ownable does: the admin proposes, the new admin accepts (so a typo
//! cannot hand the registry to an address nobody holds), the admin may cancel a proposal, and may renounce the role
//! for good. The governance pointer is not the admin's: once set, only the governance contract moves it.

use crate::auth::{no_funds, only_admin, only_governance};
use crate::error::ContractError;
use crate::state::{CONFIG, PENDING_ADMIN};
use gridcoop_vm::{DepsMut, MessageInfo, Response};

pub fn propose_admin(deps: DepsMut, info: MessageInfo, new_admin: String) -> Result<Response, ContractError> {
    only_admin(&CONFIG.load(deps.storage)?, &info, "propose_admin")?;
    no_funds(&info, "propose_admin")?;
    let proposed = deps.api.addr_validate(&new_admin)?;
    PENDING_ADMIN.save(deps.storage, &proposed)?;
    Ok(Response::new().add_attribute("action", "propose_admin").add_attribute("proposed_admin", proposed))
}

pub fn accept_admin(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    no_funds(&info, "accept_admin")?;
    let proposed = PENDING_ADMIN.may_load(deps.storage)?.ok_or(ContractError::NoAdminTransfer)?;
    if info.sender != proposed {
        return Err(ContractError::NotProposedAdmin { sender: info.sender.to_string(), proposed: proposed.to_string() });
    }
    let mut config = CONFIG.load(deps.storage)?;
    config.admin = Some(proposed.clone());
    CONFIG.save(deps.storage, &config)?;
    PENDING_ADMIN.remove(deps.storage);
    Ok(Response::new().add_attribute("action", "accept_admin").add_attribute("admin", proposed))
}

pub fn cancel_admin_transfer(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    only_admin(&CONFIG.load(deps.storage)?, &info, "cancel_admin_transfer")?;
    no_funds(&info, "cancel_admin_transfer")?;
    if !PENDING_ADMIN.exists(deps.storage) {
        return Err(ContractError::NoAdminTransfer);
    }
    PENDING_ADMIN.remove(deps.storage);
    Ok(Response::new().add_attribute("action", "cancel_admin_transfer"))
}

pub fn renounce_admin(deps: DepsMut, info: MessageInfo) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    only_admin(&config, &info, "renounce_admin")?;
    no_funds(&info, "renounce_admin")?;
    config.admin = None;
    CONFIG.save(deps.storage, &config)?;
    PENDING_ADMIN.remove(deps.storage);
    Ok(Response::new().add_attribute("action", "renounce_admin"))
}

/// The governance contract hands the pointer to its successor (a governance upgrade voted by the members).
pub fn update_governance(deps: DepsMut, info: MessageInfo, governance: String) -> Result<Response, ContractError> {
    let mut config = CONFIG.load(deps.storage)?;
    only_governance(&config, &info, "update_governance")?;
    no_funds(&info, "update_governance")?;
    let successor = deps.api.addr_validate(&governance)?;
    config.governance = Some(successor.clone());
    CONFIG.save(deps.storage, &config)?;
    Ok(Response::new().add_attribute("action", "update_governance").add_attribute("governance", successor))
}
