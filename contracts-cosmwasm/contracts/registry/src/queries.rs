//! Queries: pure reads of storage. Lists page with start_after + limit (10 by default, at most 30).

use crate::error::ContractError;
use crate::msg::{
    EnergyTotals, EpochResponse, MaintenanceLogResponse, Node, NodeEpochResponse, NodeKind, NodesResponse, OraclesResponse,
    OracleSiteResponse, OwnershipResponse, PlantTotalsResponse, RecordsResponse, CounterReading, SiteResponse, SitesResponse, RecordChainResponse, RecordLink, RewardPoliciesResponse, StoredRecord,
};
use crate::nodes::load_node;
use crate::rewards::{claimable, epoch_end_s, epoch_start_s, is_settled, settles_at_s};
use crate::sites::load_site;
use crate::state::{
    CONFIG, EPOCHS, MAINTENANCE_LOG, NODES, NODES_BY_OWNER, NODE_COUNTS, NODE_EPOCHS, NODE_TOTALS, ORACLE_SITES, PENDING_ADMIN,
    PLANT_TOTALS, RECORDS, REWARD_POLICY_HISTORY, SITES, SITE_ORACLES,
};
use gridcoop_vm::pagination::page_limit;
use gridcoop_vm::{Addr, Bound, Deps, Env, Order, StdResult};

pub fn nodes(
    deps: Deps,
    owner: Option<String>,
    zone: Option<String>,
    kind: Option<NodeKind>,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<NodesResponse, ContractError> {
    let limit = page_limit(limit);
    let matches = |node: &Node| zone.as_ref().map_or(true, |z| *z == node.zone) && kind.map_or(true, |k| k == node.kind);
    let min = start_after.map(Bound::exclusive);
    let mut found = vec![];
    match owner {
        Some(owner) => {
            let owner: Addr = deps.api.addr_validate(&owner)?;
            for id in NODES_BY_OWNER.prefix(&owner).keys(deps.storage, min, None, Order::Ascending) {
                if found.len() >= limit {
                    break;
                }
                let node = load_node(deps.storage, id?)?;
                if matches(&node) {
                    found.push(node);
                }
            }
        }
        None => {
            for item in NODES.range(deps.storage, min, None, Order::Ascending) {
                if found.len() >= limit {
                    break;
                }
                let (_, node) = item?;
                if matches(&node) {
                    found.push(node);
                }
            }
        }
    }
    Ok(NodesResponse { nodes: found })
}

pub fn records(
    deps: Deps,
    node_id: u64,
    from_s: Option<u64>,
    to_s: Option<u64>,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<RecordsResponse, ContractError> {
    load_node(deps.storage, node_id)?;
    // start_after (a page cursor) wins over from_s when it is later.
    let min = match (from_s, start_after) {
        (Some(from), Some(after)) if after >= from => Some(Bound::exclusive(after)),
        (_, Some(after)) if from_s.is_none() => Some(Bound::exclusive(after)),
        (Some(from), _) => Some(Bound::inclusive(from)),
        (None, _) => None,
    };
    let max = to_s.map(Bound::exclusive);
    let records = RECORDS
        .prefix(node_id)
        .range(deps.storage, min, max, Order::Ascending)
        .take(page_limit(limit))
        .map(|item| item.map(|(_, record)| record))
        .collect::<StdResult<Vec<_>>>()?;
    Ok(RecordsResponse { records })
}

pub fn record_chain(
    deps: Deps,
    node_id: u64,
    from_s: Option<u64>,
    to_s: Option<u64>,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<RecordChainResponse, ContractError> {
    let page = records(deps, node_id, from_s, to_s, start_after, limit)?.records;
    let reading = |stored: &StoredRecord| CounterReading {
        interval_start: stored.record.interval_start,
        counter_in_wh: stored.record.counter_in_wh,
        counter_out_wh: stored.record.counter_out_wh,
    };
    // The first link's predecessor may lie before the page (or the range): one more read finds it.
    let mut previous = match page.first() {
        Some(first) => RECORDS
            .prefix(node_id)
            .range(deps.storage, None, Some(Bound::exclusive(first.record.interval_start)), Order::Descending)
            .next()
            .transpose()?
            .map(|(_, stored)| reading(&stored)),
        None => None,
    };
    let mut links = Vec::with_capacity(page.len());
    for stored in page {
        let next = Some(reading(&stored));
        links.push(RecordLink { stored, previous });
        previous = next;
    }
    Ok(RecordChainResponse { links })
}

pub fn reward_policies(deps: Deps, start_after: Option<u64>, limit: Option<u32>) -> Result<RewardPoliciesResponse, ContractError> {
    let policies = REWARD_POLICY_HISTORY
        .range(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
        .take(page_limit(limit))
        .map(|item| item.map(|(_, entry)| entry))
        .collect::<StdResult<Vec<_>>>()?;
    Ok(RewardPoliciesResponse { policies })
}

pub fn node_totals(deps: Deps, node_id: u64) -> Result<EnergyTotals, ContractError> {
    load_node(deps.storage, node_id)?;
    Ok(NODE_TOTALS.may_load(deps.storage, node_id)?.unwrap_or_default())
}

pub fn node_epoch(deps: Deps, env: &Env, node_id: u64, epoch: u64) -> Result<NodeEpochResponse, ContractError> {
    load_node(deps.storage, node_id)?;
    let config = CONFIG.load(deps.storage)?;
    let state = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    let node_epoch = NODE_EPOCHS.may_load(deps.storage, (epoch, node_id))?.unwrap_or_default();
    let claimable = if is_settled(&config, env, epoch) {
        claimable(state.pool, state.total_weight, &node_epoch)?
    } else {
        Default::default()
    };
    Ok(NodeEpochResponse {
        node_id,
        epoch,
        totals: node_epoch.totals,
        reward_weight: node_epoch.reward_weight,
        claimed: node_epoch.claimed,
        claimable,
    })
}

pub fn epoch(deps: Deps, env: &Env, epoch: u64) -> Result<EpochResponse, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let state = EPOCHS.may_load(deps.storage, epoch)?.unwrap_or_default();
    Ok(EpochResponse {
        epoch,
        start_s: epoch_start_s(&config, epoch),
        end_s: epoch_end_s(&config, epoch),
        settles_at_s: settles_at_s(&config, epoch),
        settled: is_settled(&config, env, epoch),
        totals: state.totals,
        total_weight: state.total_weight,
        pool: state.pool,
        paid: state.paid,
    })
}

pub fn plant_totals(deps: Deps) -> Result<PlantTotalsResponse, ContractError> {
    let counts = NODE_COUNTS.may_load(deps.storage)?.unwrap_or_default();
    Ok(PlantTotalsResponse {
        totals: PLANT_TOTALS.may_load(deps.storage)?.unwrap_or_default(),
        nodes_pending: counts.pending,
        nodes_active: counts.active,
        nodes_suspended: counts.suspended,
        nodes_retired: counts.retired,
        active_rated_power_w: counts.active_rated_power_w,
    })
}

pub fn oracles(deps: Deps, start_after: Option<String>, limit: Option<u32>) -> Result<OraclesResponse, ContractError> {
    let start = start_after.map(Addr::unchecked);
    let min = start.as_ref().map(Bound::exclusive);
    let oracles =
        ORACLE_SITES.keys(deps.storage, min, None, Order::Ascending).take(page_limit(limit)).collect::<StdResult<Vec<_>>>()?;
    Ok(OraclesResponse { oracles })
}

pub fn ownership(deps: Deps) -> Result<OwnershipResponse, ContractError> {
    Ok(OwnershipResponse { admin: CONFIG.load(deps.storage)?.admin, pending_admin: PENDING_ADMIN.may_load(deps.storage)? })
}

pub fn site(deps: Deps, site: String) -> Result<SiteResponse, ContractError> {
    let stored = load_site(deps.storage, &site)?;
    Ok(SiteResponse { site, oracles: stored.oracles, nodes: stored.nodes })
}

pub fn sites(deps: Deps, start_after: Option<String>, limit: Option<u32>) -> Result<SitesResponse, ContractError> {
    let min = start_after.as_deref().map(Bound::exclusive);
    let sites = SITES
        .range(deps.storage, min, None, Order::Ascending)
        .take(page_limit(limit))
        .map(|item| item.map(|(site, stored)| SiteResponse { site, oracles: stored.oracles, nodes: stored.nodes }))
        .collect::<StdResult<Vec<_>>>()?;
    Ok(SitesResponse { sites })
}

pub fn site_oracles(deps: Deps, site: String, start_after: Option<String>, limit: Option<u32>) -> Result<OraclesResponse, ContractError> {
    load_site(deps.storage, &site)?;
    let start = start_after.map(Addr::unchecked);
    let min = start.as_ref().map(Bound::exclusive);
    let oracles = SITE_ORACLES
        .prefix(site.as_str())
        .keys(deps.storage, min, None, Order::Ascending)
        .take(page_limit(limit))
        .collect::<StdResult<Vec<_>>>()?;
    Ok(OraclesResponse { oracles })
}

pub fn oracle_site(deps: Deps, address: String) -> Result<OracleSiteResponse, ContractError> {
    Ok(OracleSiteResponse { site: ORACLE_SITES.may_load(deps.storage, &Addr::unchecked(address))? })
}

pub fn maintenance_log(deps: Deps, node_id: u64, start_after: Option<u64>, limit: Option<u32>) -> Result<MaintenanceLogResponse, ContractError> {
    load_node(deps.storage, node_id)?;
    let entries = MAINTENANCE_LOG
        .prefix(node_id)
        .range(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
        .take(page_limit(limit))
        .map(|item| item.map(|(_, entry)| entry))
        .collect::<StdResult<Vec<_>>>()?;
    Ok(MaintenanceLogResponse { entries })
}
