//! Bounded indexes of proposals by status. Unsettled proposals sit in PASSING or FAILING under (decided_at, id)
//! (their outlook, see outlook.rs); settled ones in SETTLED under (kind, id). With the timelock and the execution
//! window fixed in the configuration, each status is one range:
//!
//! | status | range |
//! |---|---|
//! | open | PASSING and FAILING with decided_at > now |
//! | rejected | FAILING with decided_at <= now |
//! | veto_timelock | PASSING with now - timelock < decided_at <= now |
//! | passed | PASSING with now - timelock - window < decided_at <= now - timelock |
//! | expired | PASSING with decided_at <= now - timelock - window |
//! | executed, closed, vetoed | SETTLED under its kind |
//!
//! so a page reads only the proposals it returns (open: at most twice the page), whatever the number of proposals.

use gridcoop_vm::{Bound, Order, StdResult, Storage, Timestamp};

use crate::msg::ProposalStatusFilter;
use crate::outlook::{outlook_of, Outlook};
use crate::state::{Config, PolicyInForce, Proposal, Settlement, FAILING, PASSING, SETTLED};

type Key = (u64, u64);

fn key(id: u64, outlook: &Outlook) -> Key {
    (outlook.decided_at.nanos(), id)
}

fn remove_outlook(storage: &mut dyn Storage, id: u64, outlook: Option<Outlook>) {
    if let Some(outlook) = outlook {
        let index = if outlook.passes { PASSING } else { FAILING };
        index.remove(storage, key(id, &outlook));
    }
}

/// Re-files an unsettled proposal after a vote (or its opening) at `now`; the caller saves the proposal.
pub fn refile(storage: &mut dyn Storage, id: u64, proposal: &mut Proposal, now: Timestamp) -> StdResult<()> {
    remove_outlook(storage, id, proposal.outlook);
    let outlook = outlook_of(proposal, now);
    let index = if outlook.passes { PASSING } else { FAILING };
    index.save(storage, key(id, &outlook), &())?;
    proposal.outlook = Some(outlook);
    Ok(())
}

/// Moves a proposal that was just settled to SETTLED. Its outlook stays stored, as a page cursor may name it.
pub fn file_settled(storage: &mut dyn Storage, id: u64, proposal: &Proposal, settlement: &Settlement) -> StdResult<()> {
    remove_outlook(storage, id, proposal.outlook);
    SETTLED.save(storage, (settlement.index_kind(), id), &())
}

/// The time-keyed range [after, until] (both exclusive / inclusive as in the table) of one index, as keys.
fn time_range(
    storage: &dyn Storage,
    index: gridcoop_vm::Map<Key, ()>,
    after_ns: Option<u64>,
    until_ns: Option<u64>,
    cursor: Option<Key>,
    limit: usize,
) -> StdResult<Vec<Key>> {
    // (t, u64::MAX) excludes every key at time t; a cursor continues after the last key of the previous page.
    let lower = match (after_ns.map(|t| (t, u64::MAX)), cursor) {
        (Some(a), Some(c)) => Some(a.max(c)),
        (a, c) => a.or(c),
    };
    let upper = until_ns.map(|t| Bound::inclusive((t, u64::MAX)));
    index.keys(storage, lower.map(Bound::exclusive), upper, Order::Ascending).take(limit).collect()
}

/// The ids of one page of proposals with `status` at `now`, after the proposal `start_after` (by its position in
/// that status's order), at most `limit`.
pub fn page_by_status(
    storage: &dyn Storage,
    config: &Config,
    status: ProposalStatusFilter,
    now: Timestamp,
    start_after: Option<(u64, Option<Outlook>)>,
    limit: usize,
) -> StdResult<Vec<u64>> {
    let settled_kind = match status {
        ProposalStatusFilter::Executed => Some(0u8),
        ProposalStatusFilter::Closed => Some(1),
        ProposalStatusFilter::Vetoed => Some(2),
        _ => None,
    };
    if let Some(kind) = settled_kind {
        let after = start_after.map(|(id, _)| Bound::exclusive(id));
        return SETTLED.prefix(kind).keys(storage, after, None, Order::Ascending).take(limit).collect();
    }
    let cursor = start_after.and_then(|(id, outlook)| outlook.map(|o| key(id, &o)));
    let now_ns = now.nanos();
    let timelock_ns = config.timelock_seconds.saturating_mul(1_000_000_000);
    let window_ns = config.execution_window_seconds.saturating_mul(1_000_000_000);
    let keys = match status {
        ProposalStatusFilter::Open => {
            let mut keys = time_range(storage, PASSING, Some(now_ns), None, cursor, limit)?;
            keys.extend(time_range(storage, FAILING, Some(now_ns), None, cursor, limit)?);
            keys.sort_unstable();
            keys.truncate(limit);
            keys
        }
        ProposalStatusFilter::Rejected => time_range(storage, FAILING, None, Some(now_ns), cursor, limit)?,
        ProposalStatusFilter::VetoTimelock => {
            time_range(storage, PASSING, now_ns.checked_sub(timelock_ns), Some(now_ns), cursor, limit)?
        }
        ProposalStatusFilter::Passed => match now_ns.checked_sub(timelock_ns) {
            Some(until) => time_range(storage, PASSING, until.checked_sub(window_ns), Some(until), cursor, limit)?,
            None => vec![],
        },
        _ => match now_ns.checked_sub(timelock_ns).and_then(|t| t.checked_sub(window_ns)) {
            Some(until) => time_range(storage, PASSING, None, Some(until), cursor, limit)?,
            None => vec![],
        },
    };
    Ok(keys.into_iter().map(|(_, id)| id).collect())
}

/// The oldest proposal that has passed at `now` and can still be executed: not expired, and not superseded by the
/// policy in force (it passed after the proposal that made that policy). One or two index reads.
pub fn next_executable(storage: &dyn Storage, config: &Config, in_force: &PolicyInForce, now: Timestamp) -> StdResult<Option<u64>> {
    let timelock_ns = config.timelock_seconds.saturating_mul(1_000_000_000);
    let window_ns = config.execution_window_seconds.saturating_mul(1_000_000_000);
    let not_expired = now.nanos().checked_sub(timelock_ns).and_then(|t| t.checked_sub(window_ns)).map(|t| (t, u64::MAX));
    let not_superseded = in_force.passed_at.zip(in_force.proposal_id).map(|(at, id)| (at.nanos(), id));
    let lower = match (not_expired, not_superseded) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let first = PASSING.keys(storage, lower.map(Bound::exclusive), None, Order::Ascending).next().transpose()?;
    Ok(first.filter(|(decided_at_ns, _)| *decided_at_ns <= now.nanos()).map(|(_, id)| id))
}

/// Whether executing this proposal (which passed at `passed_at`) would roll back the policy in force.
pub fn is_superseded(in_force: &PolicyInForce, id: u64, passed_at: Timestamp) -> bool {
    match (in_force.passed_at, in_force.proposal_id) {
        (Some(at), Some(in_force_id)) => (passed_at.nanos(), id) < (at.nanos(), in_force_id),
        _ => false,
    }
}
