//! Flexibility a flexible load delivered on the controller's request, checked against a baseline anyone can recompute
//! from the chain: the node's own records of the BASELINE_INTERVALS intervals before the request started.
//!
//! The baseline is their median energy_in (the lower middle value for a request down, the upper one for a request
//! up), not their mean: an owner who inflates consumption before a request (or deflates it before a request up)
//! moves the baseline only by changing more than half of those intervals, that is by really consuming that much
//! more for that long, so inflating the last hours before an expected request earns nothing.

use crate::msg::{Config, FlexDirection, FlexibilityClaim, IntervalRecord, Node, NodeKind};
use crate::recording::max_energy_wh;
use crate::state::RECORDS;
use gridcoop_vm::{Bound, Order, StdError, Storage};

pub const BASELINE_INTERVALS: u64 = 8;
/// A request lasts at most a day: its baseline must describe the node's normal behaviour around it.
pub const MAX_REQUEST_SPAN_S: u64 = 86_400;

pub enum FlexibilityCheck {
    Refused(String),
    Storage(StdError),
}

/// The baseline of a request starting at `request_start`: the median energy_in of the node's stored records of the
/// BASELINE_INTERVALS intervals before it (every one must be recorded).
pub fn baseline_wh(
    storage: &dyn Storage,
    config: &Config,
    node_id: u64,
    request_start: u64,
    direction: FlexDirection,
) -> Result<u64, FlexibilityCheck> {
    let window_s = BASELINE_INTERVALS * config.interval_s;
    let window_start = request_start
        .checked_sub(window_s)
        .ok_or_else(|| FlexibilityCheck::Refused("request_start leaves no room for a baseline".to_string()))?;
    let mut energies = RECORDS
        .prefix(node_id)
        .range(storage, Some(Bound::inclusive(window_start)), Some(Bound::exclusive(request_start)), Order::Ascending)
        .map(|item| item.map(|(_, stored)| stored.record.energy_in_wh))
        .collect::<Result<Vec<u64>, StdError>>()
        .map_err(FlexibilityCheck::Storage)?;
    if energies.len() as u64 != BASELINE_INTERVALS {
        return Err(FlexibilityCheck::Refused(format!(
            "the baseline needs the {} intervals from {} to {} recorded, {} are",
            BASELINE_INTERVALS,
            window_start,
            request_start,
            energies.len()
        )));
    }
    energies.sort_unstable();
    let middle = match direction {
        FlexDirection::Down => (energies.len() - 1) / 2,
        FlexDirection::Up => energies.len() / 2,
    };
    Ok(energies[middle])
}

/// Checks a record's flexibility claim and returns the delivered Wh to reward (0 without a claim).
pub fn check_flexibility(storage: &dyn Storage, config: &Config, node: &Node, record: &IntervalRecord) -> Result<u64, FlexibilityCheck> {
    let claim: &FlexibilityClaim = match &record.flexibility {
        Some(claim) => claim,
        None => return Ok(0),
    };
    let refuse = |reason: String| Err(FlexibilityCheck::Refused(reason));
    if node.kind != NodeKind::FlexibleLoad {
        return refuse(format!("flexibility is recorded for flexible loads only, node is {}", node.kind.as_str()));
    }
    if claim.request_start % config.interval_s != 0
        || claim.request_start > record.interval_start
        || record.interval_start - claim.request_start >= MAX_REQUEST_SPAN_S
    {
        return refuse(format!(
            "request_start {} must be aligned, at or before the interval and less than {} s before it",
            claim.request_start, MAX_REQUEST_SPAN_S
        ));
    }
    let baseline = baseline_wh(storage, config, node.id, claim.request_start, claim.direction)?;
    if claim.baseline_wh != baseline {
        return refuse(format!(
            "baseline_wh {} differs from the median {} of the node's {} intervals before the request at {}",
            claim.baseline_wh, baseline, BASELINE_INTERVALS, claim.request_start
        ));
    }
    let delivered = match claim.direction {
        FlexDirection::Down => baseline.saturating_sub(record.energy_in_wh),
        FlexDirection::Up => record.energy_in_wh.saturating_sub(baseline),
    };
    if claim.delivered_wh != delivered {
        return refuse(format!(
            "delivered_wh {} differs from {} (baseline {} Wh, energy_in_wh {})",
            claim.delivered_wh, delivered, baseline, record.energy_in_wh
        ));
    }
    if u128::from(delivered) > max_energy_wh(node.rated_power_w, record.interval_s) {
        return refuse(format!("delivered_wh {} exceeds rated power x interval", delivered));
    }
    Ok(delivered)
}
