//! Oracles record closed metering intervals. Each (node, interval) is recorded once: an identical resubmission
//! is a reported no-op (the controller's outbox may resend after a crash), a different one is refused. A batch
//! is all or nothing: any refused record fails the whole message and nothing of it is stored.

use crate::auth::{no_funds, only_oracle};
use crate::error::ContractError;
use crate::limits::{is_sha256_hex, MAX_BATCH_RECORDS};
use crate::msg::{Config, EnergyTotals, IntervalRecord, Node, NodeStatus, RewardPolicy, StoredRecord};
use crate::nodes::load_node;
use crate::rewards::{epoch_of, reward_weight, settles_at_s};
use crate::state::{CONFIG, EPOCHS, NODE_EPOCHS, NODE_TOTALS, PLANT_TOTALS, RECORDS, REWARD_POLICY};
use gridcoop_vm::{Bound, DepsMut, Env, MessageInfo, Order, Response, StdError, StdResult, Storage};

pub fn record_intervals(deps: DepsMut, env: Env, info: MessageInfo, records: Vec<IntervalRecord>) -> Result<Response, ContractError> {
    only_oracle(deps.storage, &info, "record_intervals")?;
    no_funds(&info, "record_intervals")?;
    if records.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    if records.len() > MAX_BATCH_RECORDS {
        return Err(ContractError::BatchTooLarge { size: records.len(), max: MAX_BATCH_RECORDS });
    }
    let config = CONFIG.load(deps.storage)?;
    let policy = REWARD_POLICY.load(deps.storage)?;
    let mut recorded = 0u64;
    let mut late_for_rewards = 0u64;
    let mut duplicates: Vec<String> = vec![];
    for (index, record) in records.into_iter().enumerate() {
        let refuse = |reason: String| ContractError::RecordRefused {
            index,
            node_id: record.node_id,
            interval_start: record.interval_start,
            reason,
        };
        let node = load_node(deps.storage, record.node_id).map_err(|_| refuse("node not found".to_string()))?;
        // Idempotency first: a resend of what is stored stays a no-op even if the node was suspended since.
        if let Some(existing) = RECORDS.may_load(deps.storage, (record.node_id, record.interval_start))? {
            if existing.record == record {
                duplicates.push(format!("{}@{}", record.node_id, record.interval_start));
                continue;
            }
            return Err(ContractError::ConflictingRecord { index, node_id: record.node_id, interval_start: record.interval_start });
        }
        check_record(&config, &env, &node, &record).map_err(refuse)?;
        check_counters(deps.storage, &record).map_err(|e| match e {
            CounterCheck::Backwards(reason) => refuse(reason),
            CounterCheck::Storage(error) => ContractError::Std(error),
        })?;
        let counts_for_rewards = env.block.time.seconds() < settles_at_s(&config, epoch_of(&config, record.interval_start));
        add_to_totals(deps.storage, &config, &policy, &node, &record, counts_for_rewards)?;
        let stored = StoredRecord { record, oracle: info.sender.clone(), recorded_at_height: env.block.height, counts_for_rewards };
        RECORDS.save(deps.storage, (stored.record.node_id, stored.record.interval_start), &stored)?;
        recorded += 1;
        if !counts_for_rewards {
            late_for_rewards += 1;
        }
    }
    Ok(Response::new()
        .add_attribute("action", "record_intervals")
        .add_attribute("recorded", recorded)
        .add_attribute("duplicates", duplicates.len())
        .add_attribute("duplicate_intervals", duplicates.join(","))
        .add_attribute("late_for_rewards", late_for_rewards))
}

/// The checks that need only the record, its node and the block: shape, alignment, time, physics.
fn check_record(config: &Config, env: &Env, node: &Node, record: &IntervalRecord) -> Result<(), String> {
    match node.status {
        NodeStatus::Active => {}
        NodeStatus::Pending => return Err("node is pending: not bound to the plant yet".to_string()),
        status => return Err(format!("node is {}", status.as_str())),
    }
    if record.interval_s != config.interval_s {
        return Err(format!("interval_s {} differs from the configured {}", record.interval_s, config.interval_s));
    }
    if record.interval_start % config.interval_s != 0 {
        return Err(format!("interval_start is not aligned to {} s", config.interval_s));
    }
    let now_s = env.block.time.seconds();
    if record.interval_start.saturating_add(record.interval_s) > now_s {
        return Err(format!("interval ends after the block time {} s", now_s));
    }
    if !is_sha256_hex(&record.samples_hash) {
        return Err("samples_hash must be 64 lower-case hex characters (sha256)".to_string());
    }
    // Energy over an interval can never exceed rated power x duration: the first fraud a DePIN ledger must stop.
    // Counters count whole Wh, so an honest node at full power for the whole interval reads at most the bound
    // rounded up to a whole Wh (5 kW for 60 s is 83.3 Wh and may read 84): that is the limit, not a tolerance.
    let max_energy_wh = (u128::from(node.rated_power_w) * u128::from(record.interval_s) + 3599) / 3600;
    for (field, energy_wh) in [("energy_out_wh", record.energy_out_wh), ("energy_in_wh", record.energy_in_wh)] {
        if u128::from(energy_wh) > max_energy_wh {
            return Err(format!(
                "{} {} exceeds rated power {} W x {} s",
                field, energy_wh, node.rated_power_w, record.interval_s
            ));
        }
    }
    Ok(())
}

enum CounterCheck {
    Backwards(String),
    Storage(StdError),
}

/// Counters must not decrease from the nearest earlier interval to this one, nor from this one to the nearest
/// later interval already recorded (records may arrive out of order after an outage).
fn check_counters(storage: &dyn Storage, record: &IntervalRecord) -> Result<(), CounterCheck> {
    let records = RECORDS.prefix(record.node_id);
    let at = record.interval_start;
    let earlier = records.range(storage, None, Some(Bound::exclusive(at)), Order::Descending).next();
    let later = records.range(storage, Some(Bound::exclusive(at)), None, Order::Ascending).next();
    for (neighbour, is_earlier) in [(earlier, true), (later, false)] {
        let (start, stored) = match neighbour.transpose().map_err(CounterCheck::Storage)? {
            Some(found) => found,
            None => continue,
        };
        for (field, theirs, ours) in [
            ("counter_in_wh", stored.record.counter_in_wh, record.counter_in_wh),
            ("counter_out_wh", stored.record.counter_out_wh, record.counter_out_wh),
        ] {
            if is_earlier && ours < theirs {
                return Err(CounterCheck::Backwards(format!(
                    "{} {} is below {} recorded for the earlier interval {}",
                    field, ours, theirs, start
                )));
            }
            if !is_earlier && ours > theirs {
                return Err(CounterCheck::Backwards(format!(
                    "{} {} is above {} recorded for the later interval {}",
                    field, ours, theirs, start
                )));
            }
        }
    }
    Ok(())
}

fn add_energy(totals: &mut EnergyTotals, record: &IntervalRecord) -> StdResult<()> {
    let add = |a: u64, b: u64| a.checked_add(b).ok_or_else(|| StdError::overflow("add", a, b));
    totals.energy_in_wh = add(totals.energy_in_wh, record.energy_in_wh)?;
    totals.energy_out_wh = add(totals.energy_out_wh, record.energy_out_wh)?;
    totals.records = add(totals.records, 1)?;
    Ok(())
}

fn add_to_totals(
    storage: &mut dyn Storage,
    config: &Config,
    policy: &RewardPolicy,
    node: &Node,
    record: &IntervalRecord,
    counts_for_rewards: bool,
) -> StdResult<()> {
    let mut node_totals = NODE_TOTALS.may_load(storage, node.id)?.unwrap_or_default();
    add_energy(&mut node_totals, record)?;
    NODE_TOTALS.save(storage, node.id, &node_totals)?;
    let mut plant = PLANT_TOTALS.may_load(storage)?.unwrap_or_default();
    add_energy(&mut plant, record)?;
    PLANT_TOTALS.save(storage, &plant)?;

    let epoch = epoch_of(config, record.interval_start);
    let weight = if counts_for_rewards { reward_weight(policy, node, record.energy_out_wh)? } else { Default::default() };
    let mut node_epoch = NODE_EPOCHS.may_load(storage, (epoch, node.id))?.unwrap_or_default();
    add_energy(&mut node_epoch.totals, record)?;
    node_epoch.reward_weight = node_epoch.reward_weight.checked_add(weight)?;
    NODE_EPOCHS.save(storage, (epoch, node.id), &node_epoch)?;
    let mut epoch_state = EPOCHS.may_load(storage, epoch)?.unwrap_or_default();
    add_energy(&mut epoch_state.totals, record)?;
    epoch_state.total_weight = epoch_state.total_weight.checked_add(weight)?;
    EPOCHS.save(storage, epoch, &epoch_state)
}
