//! The registry's storage layout, all in one place.

use crate::msg::{Config, EnergyTotals, MaintenanceEntry, Node, RewardPolicy, RewardPolicyEntry, StoredRecord};
use gridcoop_vm::{Addr, Item, Map, Uint128};
use serde::{Deserialize, Serialize};

pub const CONFIG: Item<Config> = Item::new("config");
pub const REWARD_POLICY: Item<RewardPolicy> = Item::new("reward_policy");
/// The version of REWARD_POLICY (1 from instantiation; each set_reward_policy adds one) and every version ever in
/// force, so the weight of any stored record can be recomputed from the chain.
pub const REWARD_POLICY_VERSION: Item<u64> = Item::new("reward_policy_version");
pub const REWARD_POLICY_HISTORY: Map<u64, RewardPolicyEntry> = Map::new("reward_policy_history");
pub const NEXT_NODE_ID: Item<u64> = Item::new("next_node_id");

/// The admin proposed by propose_admin, until the new admin accepts or the admin cancels.
pub const PENDING_ADMIN: Item<Addr> = Item::new("pending_admin");

/// oracle key -> the site whose nodes it records (one key, one site; a site may have up to MAX_ORACLES_PER_SITE).
pub const ORACLE_SITES: Map<&Addr, String> = Map::new("oracle_sites");
/// (site, oracle): a site's oracles, so they list (and a site empties) without a scan of every oracle.
pub const SITE_ORACLES: Map<(&str, &Addr), bool> = Map::new("site_oracles");
pub const SITES: Map<&str, Site> = Map::new("sites");
/// How many sites exist, so the cap is checked without counting them.
pub const SITE_COUNT: Item<u64> = Item::new("site_count");
/// Before sites (version 0.1), oracles were a flat list; migrate binds them to the default site.
pub const LEGACY_ORACLES: Map<&Addr, bool> = Map::new("oracles");

/// A site: one grid connection with its own controller and oracle keys; each bound node belongs to one site.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub oracles: u32,
    /// Nodes bound to the site and not retired.
    pub nodes: u64,
}

pub const NODES: Map<u64, Node> = Map::new("nodes");
/// owner -> node ids, so an owner's nodes list without a scan.
pub const NODES_BY_OWNER: Map<(&Addr, u64), bool> = Map::new("nodes_by_owner");

/// (node, interval_start) -> the record; each (node, interval) exactly once.
pub const RECORDS: Map<(u64, u64), StoredRecord> = Map::new("records");
pub const NODE_TOTALS: Map<u64, EnergyTotals> = Map::new("node_totals");
pub const PLANT_TOTALS: Item<EnergyTotals> = Item::new("plant_totals");

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeEpoch {
    pub totals: EnergyTotals,
    pub reward_weight: Uint128,
    pub claimed: Uint128,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Epoch {
    pub totals: EnergyTotals,
    pub total_weight: Uint128,
    pub pool: Uint128,
    pub paid: Uint128,
}

/// (epoch, node) -> that node's output and rewards in the epoch.
pub const NODE_EPOCHS: Map<(u64, u64), NodeEpoch> = Map::new("node_epochs");
pub const EPOCHS: Map<u64, Epoch> = Map::new("epochs");

/// (node, seq) -> maintenance entry.
pub const MAINTENANCE_LOG: Map<(u64, u64), MaintenanceEntry> = Map::new("maintenance_log");

/// Voting power history: (owner, height) -> power from the start of block `height` on. A change made during
/// block h is written under h + 1, so what any height < current block sees can never change afterwards.
pub const POWER_HISTORY: Map<(&Addr, u64), Uint128> = Map::new("power_history");
pub const TOTAL_POWER_HISTORY: Map<u64, Uint128> = Map::new("total_power_history");

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeCounts {
    pub pending: u64,
    pub active: u64,
    pub suspended: u64,
    pub retired: u64,
    pub active_rated_power_w: u64,
}

pub const NODE_COUNTS: Item<NodeCounts> = Item::new("node_counts");
