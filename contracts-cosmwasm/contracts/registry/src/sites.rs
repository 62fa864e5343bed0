//! Sites: each grid connection of the fleet has its own controller and oracle keys, and each bound node belongs to
//! one site, so an oracle records only its own site's nodes. Every operation touches a bounded number of keys: a
//! site counts its oracles and nodes, a key knows its site, and a site's oracles list under the site's prefix.

use crate::error::ContractError;
use crate::limits::{check_zone, MAX_ORACLES_PER_SITE, MAX_SITES};
use crate::msg::{Config, Node};
use crate::state::{Site, ORACLE_SITES, SITES, SITE_COUNT, SITE_ORACLES};
use gridcoop_vm::{Addr, Api, StdResult, Storage};

/// Site ids read like zone names: 1..=32 chars of [a-z0-9-].
pub fn check_site_id(site: &str) -> Result<(), ContractError> {
    check_zone("site", site)
}

pub fn load_site(storage: &dyn Storage, site: &str) -> Result<Site, ContractError> {
    SITES.may_load(storage, site)?.ok_or_else(|| ContractError::SiteNotFound { site: site.to_string() })
}

pub fn create_site(storage: &mut dyn Storage, site: &str) -> Result<(), ContractError> {
    check_site_id(site)?;
    if SITES.has(storage, site) {
        return Err(ContractError::SiteExists { site: site.to_string() });
    }
    let count = SITE_COUNT.may_load(storage)?.unwrap_or(0);
    if count >= MAX_SITES {
        return Err(ContractError::TooManySites { max: MAX_SITES });
    }
    SITE_COUNT.save(storage, &(count + 1))?;
    SITES.save(storage, site, &Site::default())?;
    Ok(())
}

pub fn remove_site(storage: &mut dyn Storage, config: &Config, site: &str) -> Result<(), ContractError> {
    let existing = load_site(storage, site)?;
    let in_use = |reason: String| ContractError::SiteInUse { site: site.to_string(), reason };
    if site == config.default_site {
        return Err(in_use("it is the default site".to_string()));
    }
    if existing.nodes > 0 || existing.oracles > 0 {
        return Err(in_use(format!("it has {} nodes and {} oracles", existing.nodes, existing.oracles)));
    }
    SITES.remove(storage, site);
    let count = SITE_COUNT.may_load(storage)?.unwrap_or(1);
    SITE_COUNT.save(storage, &count.saturating_sub(1))?;
    Ok(())
}

/// Binds and unbinds oracle keys of one site. A key records for one site only; adding a key the site already has
/// is a no-op, so a resent message does no harm.
pub fn change_site_oracles(
    storage: &mut dyn Storage,
    api: &dyn Api,
    site_id: &str,
    add: &[String],
    remove: &[String],
) -> Result<Site, ContractError> {
    let mut site = load_site(storage, site_id)?;
    for address in remove {
        let oracle = api.addr_validate(address)?;
        if ORACLE_SITES.may_load(storage, &oracle)?.as_deref() != Some(site_id) {
            return Err(ContractError::OracleNotOfSite { oracle: oracle.to_string(), site: site_id.to_string() });
        }
        ORACLE_SITES.remove(storage, &oracle);
        SITE_ORACLES.remove(storage, (site_id, &oracle));
        site.oracles -= 1;
    }
    for address in add {
        let oracle = api.addr_validate(address)?;
        match ORACLE_SITES.may_load(storage, &oracle)? {
            Some(bound) if bound == site_id => continue,
            Some(bound) => return Err(ContractError::OracleOfOtherSite { oracle: oracle.to_string(), site: bound }),
            None => {}
        }
        ORACLE_SITES.save(storage, &oracle, &site_id.to_string())?;
        SITE_ORACLES.save(storage, (site_id, &oracle), &true)?;
        site.oracles += 1;
    }
    if site.oracles > MAX_ORACLES_PER_SITE {
        return Err(ContractError::invalid_field(
            "oracles",
            format!("{} oracles, at most {} per site", site.oracles, MAX_ORACLES_PER_SITE),
        ));
    }
    SITES.save(storage, site_id, &site)?;
    Ok(site)
}

/// The site a node belongs to: the one it was bound to, or the default site for a node approved before sites.
pub fn site_of<'a>(config: &'a Config, node: &'a Node) -> &'a str {
    node.site.as_deref().unwrap_or(&config.default_site)
}

/// Counts a node in (or out of) a site.
pub fn count_node(storage: &mut dyn Storage, site_id: &str, joins: bool) -> Result<(), ContractError> {
    let mut site = load_site(storage, site_id)?;
    site.nodes = if joins { site.nodes + 1 } else { site.nodes.saturating_sub(1) };
    SITES.save(storage, site_id, &site)?;
    Ok(())
}

/// The site an oracle key records for, if it is one.
pub fn oracle_site(storage: &dyn Storage, oracle: &Addr) -> StdResult<Option<String>> {
    ORACLE_SITES.may_load(storage, oracle)
}
