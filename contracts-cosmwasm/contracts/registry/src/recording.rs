//! Oracles record closed metering intervals. Each (node, interval) is recorded once: an identical resubmission
//! is a reported no-op (the controller's outbox may resend after a crash), a different one is refused. A batch
//! is all or nothing: any refused record fails the whole message and nothing of it is stored.

use crate::auth::{no_funds, only_oracle};
use crate::error::ContractError;
use crate::flexibility::{check_flexibility, FlexibilityCheck};
use crate::limits::{is_sha256_hex, MAX_BATCH_RECORDS};
use crate::msg::{Config, EnergyTotals, IntervalRecord, Node, NodeStatus, StoredRecord};
use crate::policy_history::version_in_force;
use crate::nodes::load_node;
use crate::sites::site_of;
use crate::rewards::{epoch_of, reward_weight, settles_at_s};
use crate::state::{Epoch, NodeEpoch, CONFIG, EPOCHS, NODE_EPOCHS, NODE_TOTALS, PLANT_TOTALS, RECORDS, REWARD_POLICY};
use gridcoop_vm::{Bound, DepsMut, Env, MessageInfo, Order, Response, StdError, StdResult, Storage, Uint128};

pub fn record_intervals(deps: DepsMut, env: Env, info: MessageInfo, records: Vec<IntervalRecord>) -> Result<Response, ContractError> {
    let oracle_site = only_oracle(deps.storage, &info, "record_intervals")?;
    no_funds(&info, "record_intervals")?;
    if records.is_empty() {
        return Err(ContractError::EmptyBatch);
    }
    if records.len() > MAX_BATCH_RECORDS {
        return Err(ContractError::BatchTooLarge { size: records.len(), max: MAX_BATCH_RECORDS });
    }
    let config = CONFIG.load(deps.storage)?;
    let policy = REWARD_POLICY.load(deps.storage)?;
    let policy_version = version_in_force(deps.storage)?;
    let mut totals = BatchTotals::default();
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
        let node = totals.node(deps.storage, record.node_id).map_err(|_| refuse("node not found".to_string()))?;
        // Before anything else: an oracle learns nothing about, and records nothing for, another site's nodes.
        let node_site = site_of(&config, &node);
        if node_site != oracle_site {
            return Err(ContractError::OracleNotForNode {
                index,
                node_id: record.node_id,
                interval_start: record.interval_start,
                node_site: node_site.to_string(),
                oracle_site,
            });
        }
        // Idempotency first: a resend of what is stored stays a no-op even if the node was suspended since.
        if let Some(existing) = RECORDS.may_load(deps.storage, (record.node_id, record.interval_start))? {
            if existing.record == record {
                duplicates.push(format!("{}@{}", record.node_id, record.interval_start));
                continue;
            }
            return Err(ContractError::ConflictingRecord { index, node_id: record.node_id, interval_start: record.interval_start });
        }
        check_record(&config, &env, &node, &record).map_err(refuse)?;
        check_counters(deps.storage, &node, &record).map_err(|e| match e {
            CounterCheck::Refused(reason) => refuse(reason),
            CounterCheck::Storage(error) => ContractError::Std(error),
        })?;
        let flexibility_wh = check_flexibility(deps.storage, &config, &node, &record).map_err(|e| match e {
            FlexibilityCheck::Refused(reason) => refuse(reason),
            FlexibilityCheck::Storage(error) => ContractError::Std(error),
        })?;
        let counts_for_rewards = env.block.time.seconds() < settles_at_s(&config, epoch_of(&config, record.interval_start));
        let reward_weight =
            if counts_for_rewards { reward_weight(&policy, &node, record.energy_out_wh, flexibility_wh)? } else { Default::default() };
        totals.add(deps.storage, &config, &node, &record, flexibility_wh, reward_weight)?;
        let stored = StoredRecord {
            record,
            oracle: info.sender.clone(),
            recorded_at_height: env.block.height,
            counts_for_rewards,
            policy_version,
            reward_weight,
        };
        RECORDS.save(deps.storage, (stored.record.node_id, stored.record.interval_start), &stored)?;
        recorded += 1;
        if !counts_for_rewards {
            late_for_rewards += 1;
        }
    }
    totals.save(deps.storage)?;
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
    let max_energy_wh = max_energy_wh(node.rated_power_w, record.interval_s);
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
    Refused(String),
    Storage(StdError),
}

/// Rated power x duration in whole Wh, rounded up: counters count whole Wh, so a node at full power for the whole
/// span may read the bound rounded up (5 kW for 60 s is 83.3 Wh and may read 84). That is the limit, not a tolerance.
pub fn max_energy_wh(rated_power_w: u64, duration_s: u64) -> u128 {
    (u128::from(rated_power_w) * u128::from(duration_s) + 3599) / 3600
}

/// A record's counters against its stored neighbours (records may arrive out of order after an outage, so both the
/// nearest earlier and the nearest later interval are checked):
/// - counters never go backwards;
/// - between adjacent intervals the later one's energy is exactly its counter minus the earlier one's counter (both
///   are whole Wh, so "within the counters' resolution" is equality): energy recorded with no counter movement behind
///   it, or a counter moved without the energy recorded, is refused;
/// - across a gap (intervals not recorded in between) the counter moves by at most rated power x the gap, and by at
///   least the later interval's own energy.
fn check_counters(storage: &dyn Storage, node: &Node, record: &IntervalRecord) -> Result<(), CounterCheck> {
    let records = RECORDS.prefix(record.node_id);
    let at = record.interval_start;
    let earlier = records.range(storage, None, Some(Bound::exclusive(at)), Order::Descending).next();
    let later = records.range(storage, Some(Bound::exclusive(at)), None, Order::Ascending).next();
    if let Some((_, stored)) = earlier.transpose().map_err(CounterCheck::Storage)? {
        check_link(node, &stored.record, record, true).map_err(CounterCheck::Refused)?;
    }
    if let Some((_, stored)) = later.transpose().map_err(CounterCheck::Storage)? {
        check_link(node, record, &stored.record, false).map_err(CounterCheck::Refused)?;
    }
    Ok(())
}

/// One link of a node's record chain: `before` ends where `after` continues. `new_is_after` says which of the two
/// is the record being stored, so the refusal speaks about it.
pub fn check_link(node: &Node, before: &IntervalRecord, after: &IntervalRecord, new_is_after: bool) -> Result<(), String> {
    let (stored, relation) = if new_is_after { (before, "earlier") } else { (after, "later") };
    let gap_s = after.interval_start.saturating_sub(before.interval_start);
    let adjacent = gap_s == before.interval_s;
    for (name, counter_before, counter_after, energy_after) in [
        ("in", before.counter_in_wh, after.counter_in_wh, after.energy_in_wh),
        ("out", before.counter_out_wh, after.counter_out_wh, after.energy_out_wh),
    ] {
        if counter_after < counter_before {
            let (ours, theirs) = if new_is_after { (counter_after, counter_before) } else { (counter_before, counter_after) };
            let side = if new_is_after { "below" } else { "above" };
            return Err(format!(
                "counter_{}_wh {} is {} {} recorded for the {} interval {}",
                name, ours, side, theirs, relation, stored.interval_start
            ));
        }
        let moved = counter_after - counter_before;
        if adjacent && energy_after != moved {
            return Err(format!(
                "energy_{}_wh {} of interval {} differs from its counter difference {} (counter_{}_wh {} - {} of interval {})",
                name, energy_after, after.interval_start, moved, name, counter_after, counter_before, before.interval_start
            ));
        }
        if !adjacent {
            let most = max_energy_wh(node.rated_power_w, gap_s);
            if u128::from(moved) > most {
                return Err(format!(
                    "counter_{}_wh moves {} Wh from interval {} to interval {}, more than rated power {} W x {} s ({} Wh)",
                    name, moved, before.interval_start, after.interval_start, node.rated_power_w, gap_s, most
                ));
            }
            if energy_after > moved {
                return Err(format!(
                    "energy_{}_wh {} of interval {} is more than its counter moved since interval {} ({} Wh)",
                    name, energy_after, after.interval_start, before.interval_start, moved
                ));
            }
        }
    }
    Ok(())
}

fn add_energy(totals: &mut EnergyTotals, record: &IntervalRecord, flexibility_wh: u64) -> StdResult<()> {
    let add = |a: u64, b: u64| a.checked_add(b).ok_or_else(|| StdError::overflow("add", a, b));
    totals.energy_in_wh = add(totals.energy_in_wh, record.energy_in_wh)?;
    totals.energy_out_wh = add(totals.energy_out_wh, record.energy_out_wh)?;
    totals.flexibility_wh = add(totals.flexibility_wh, flexibility_wh)?;
    totals.records = add(totals.records, 1)?;
    Ok(())
}

/// The value under `key` in a batch's small list, loaded from storage (default when absent) the first time.
fn entry<K: PartialEq + Copy, V: Default>(
    list: &mut Vec<(K, V)>,
    key: K,
    load: impl FnOnce() -> StdResult<Option<V>>,
) -> StdResult<&mut V> {
    let index = match list.iter().position(|(k, _)| *k == key) {
        Some(index) => index,
        None => {
            list.push((key, load()?.unwrap_or_default()));
            list.len() - 1
        }
    };
    Ok(&mut list[index].1)
}

/// The totals a batch moves, read once and written once per batch (not once per record): a batch of 50 records
/// of 10 nodes in one epoch reads and writes 10 node totals, 10 node epochs, one epoch and the plant's totals instead
/// of 200 entries. Nodes are read once per batch too. Batches hold at most 100 records, so the linear lookups stay
/// small. Nothing is written if the batch fails (the whole message is refused).
#[derive(Default)]
struct BatchTotals {
    nodes: Vec<Node>,
    plant: Option<EnergyTotals>,
    node_totals: Vec<(u64, EnergyTotals)>,
    node_epochs: Vec<((u64, u64), NodeEpoch)>,
    epochs: Vec<(u64, Epoch)>,
}

impl BatchTotals {
    fn node(&mut self, storage: &dyn Storage, node_id: u64) -> Result<Node, ContractError> {
        if let Some(node) = self.nodes.iter().find(|n| n.id == node_id) {
            return Ok(node.clone());
        }
        let node = load_node(storage, node_id)?;
        self.nodes.push(node.clone());
        Ok(node)
    }

    fn add(
        &mut self,
        storage: &dyn Storage,
        config: &Config,
        node: &Node,
        record: &IntervalRecord,
        flexibility_wh: u64,
        weight: Uint128,
    ) -> StdResult<()> {
        let node_totals = entry(&mut self.node_totals, node.id, || NODE_TOTALS.may_load(storage, node.id))?;
        add_energy(node_totals, record, flexibility_wh)?;
        let plant = match &mut self.plant {
            Some(plant) => plant,
            empty => empty.insert(PLANT_TOTALS.may_load(storage)?.unwrap_or_default()),
        };
        add_energy(plant, record, flexibility_wh)?;

        let epoch = epoch_of(config, record.interval_start);
        let node_epoch = entry(&mut self.node_epochs, (epoch, node.id), || NODE_EPOCHS.may_load(storage, (epoch, node.id)))?;
        add_energy(&mut node_epoch.totals, record, flexibility_wh)?;
        node_epoch.reward_weight = node_epoch.reward_weight.checked_add(weight)?;
        let epoch_state = entry(&mut self.epochs, epoch, || EPOCHS.may_load(storage, epoch))?;
        add_energy(&mut epoch_state.totals, record, flexibility_wh)?;
        epoch_state.total_weight = epoch_state.total_weight.checked_add(weight)?;
        Ok(())
    }

    fn save(self, storage: &mut dyn Storage) -> StdResult<()> {
        for (id, totals) in &self.node_totals {
            NODE_TOTALS.save(storage, *id, totals)?;
        }
        if let Some(plant) = &self.plant {
            PLANT_TOTALS.save(storage, plant)?;
        }
        for (key, node_epoch) in &self.node_epochs {
            NODE_EPOCHS.save(storage, *key, node_epoch)?;
        }
        for (epoch, state) in &self.epochs {
            EPOCHS.save(storage, *epoch, state)?;
        }
        Ok(())
    }
}
