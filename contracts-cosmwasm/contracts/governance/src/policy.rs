//! The allocation policy the DAO governs, and its hard bounds.
//!
//! One JSON shape everywhere (this contract, the registry's rewards, the controller, the UI). The bounds are checked
//! here, at proposal time, so that a policy outside its valid ranges cannot even be put to a vote.

use serde::{Deserialize, Serialize};

use crate::error::PolicyError;

pub const MIN_BATTERY_RESERVE_PCT: u8 = 5;
pub const MAX_BATTERY_RESERVE_PCT: u8 = 80;
pub const MAX_MULTIPLIER_BPS: u32 = 50_000;
pub const MAX_ZONES: usize = 32;
pub const MAX_ZONE_NAME_CHARS: usize = 32;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AllocationPolicy {
    /// The state of charge the controller never discharges a battery below.
    pub battery_reserve_pct: u8,
    pub surplus_split: SurplusSplit,
    /// Share of the miners' power range the controller may modulate.
    pub miner_flexibility_pct: u8,
    pub reward_multipliers: RewardMultipliers,
}

/// Where surplus PV power goes; the three shares add up to exactly 100.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SurplusSplit {
    pub battery_pct: u8,
    pub miners_pct: u8,
    pub export_pct: u8,
}

/// Reward weights in basis points (10,000 = x1). Sent to the registry when a policy takes effect.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RewardMultipliers {
    pub kind_bps: KindMultipliers,
    /// (zone, bps) pairs; a zone not listed earns 10,000 bps.
    pub zone_bps: Vec<(String, u32)>,
    /// Weight of each Wh of flexibility a flexible load delivered on request (10,000 when absent).
    #[serde(default = "neutral_bps")]
    pub flexibility_bps: u32,
}

fn neutral_bps() -> u32 {
    10_000
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KindMultipliers {
    pub pv: u32,
    pub battery: u32,
    pub flexible_load: u32,
}

impl AllocationPolicy {
    /// Checks every hard bound; the first violation is reported with the field that broke it.
    pub fn validate(&self) -> Result<(), PolicyError> {
        check_range(
            "battery_reserve_pct",
            self.battery_reserve_pct as u32,
            MIN_BATTERY_RESERVE_PCT as u32,
            MAX_BATTERY_RESERVE_PCT as u32,
        )?;
        let split = &self.surplus_split;
        check_range("surplus_split.battery_pct", split.battery_pct as u32, 0, 100)?;
        check_range("surplus_split.miners_pct", split.miners_pct as u32, 0, 100)?;
        check_range("surplus_split.export_pct", split.export_pct as u32, 0, 100)?;
        let sum_pct = split.battery_pct as u32 + split.miners_pct as u32 + split.export_pct as u32;
        if sum_pct != 100 {
            return Err(PolicyError::SurplusSplitSum { sum_pct });
        }
        check_range("miner_flexibility_pct", self.miner_flexibility_pct as u32, 0, 100)?;
        let kinds = &self.reward_multipliers.kind_bps;
        check_range("reward_multipliers.kind_bps.pv", kinds.pv, 0, MAX_MULTIPLIER_BPS)?;
        check_range("reward_multipliers.kind_bps.battery", kinds.battery, 0, MAX_MULTIPLIER_BPS)?;
        check_range("reward_multipliers.kind_bps.flexible_load", kinds.flexible_load, 0, MAX_MULTIPLIER_BPS)?;
        check_range("reward_multipliers.flexibility_bps", self.reward_multipliers.flexibility_bps, 0, MAX_MULTIPLIER_BPS)?;
        self.validate_zones()
    }

    fn validate_zones(&self) -> Result<(), PolicyError> {
        let zones = &self.reward_multipliers.zone_bps;
        if zones.len() > MAX_ZONES {
            return Err(PolicyError::TooManyZones { count: zones.len(), max: MAX_ZONES });
        }
        for (index, (zone, bps)) in zones.iter().enumerate() {
            if !is_valid_zone_name(zone) {
                return Err(PolicyError::InvalidZoneName { zone: zone.clone() });
            }
            if *bps > MAX_MULTIPLIER_BPS {
                return Err(PolicyError::OutOfRange {
                    field: format!("reward_multipliers.zone_bps[{}]", zone),
                    value: *bps as u64,
                    min: 0,
                    max: MAX_MULTIPLIER_BPS as u64,
                });
            }
            // A zone listed twice would make the multiplier depend on which entry a reader picks.
            if zones[..index].iter().any(|(earlier, _)| earlier == zone) {
                return Err(PolicyError::DuplicateZone { zone: zone.clone() });
            }
        }
        Ok(())
    }
}

/// Zone names are 1..=32 characters of [a-z0-9-], so they are safe as storage keys and in URLs.
pub fn is_valid_zone_name(zone: &str) -> bool {
    !zone.is_empty()
        && zone.len() <= MAX_ZONE_NAME_CHARS
        && zone.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_range(field: &str, value: u32, min: u32, max: u32) -> Result<(), PolicyError> {
    if value < min || value > max {
        return Err(PolicyError::OutOfRange {
            field: field.to_string(),
            value: value as u64,
            min: min as u64,
            max: max as u64,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn valid_policy() -> AllocationPolicy {
        AllocationPolicy {
            battery_reserve_pct: 20,
            surplus_split: SurplusSplit { battery_pct: 50, miners_pct: 30, export_pct: 20 },
            miner_flexibility_pct: 100,
            reward_multipliers: RewardMultipliers {
                kind_bps: KindMultipliers { pv: 10_000, battery: 10_000, flexible_load: 10_000 },
                zone_bps: vec![("zone-a".to_string(), 12_000)],
                flexibility_bps: 10_000,
            },
        }
    }

    #[test]
    fn the_shared_json_shape_parses_and_is_valid() {
        let json = r#"{ "battery_reserve_pct": 20,
            "surplus_split": { "battery_pct": 50, "miners_pct": 30, "export_pct": 20 },
            "miner_flexibility_pct": 100,
            "reward_multipliers": { "kind_bps": { "pv": 10000, "battery": 10000, "flexible_load": 10000 },
                                    "zone_bps": [["zone-a", 12000]] } }"#;
        let policy: AllocationPolicy = serde_json::from_str(json).unwrap();
        assert_eq!(policy, valid_policy());
        assert_eq!(policy.validate(), Ok(()));
    }

    #[test]
    fn battery_reserve_is_accepted_at_its_bounds_and_refused_past_them() {
        for (pct, ok) in [(4u8, false), (5, true), (80, true), (81, false)] {
            let mut policy = valid_policy();
            policy.battery_reserve_pct = pct;
            assert_eq!(policy.validate().is_ok(), ok, "battery_reserve_pct {}", pct);
        }
    }

    #[test]
    fn surplus_split_must_add_up_to_exactly_100() {
        let mut policy = valid_policy();
        policy.surplus_split = SurplusSplit { battery_pct: 100, miners_pct: 0, export_pct: 0 };
        assert_eq!(policy.validate(), Ok(()));
        policy.surplus_split = SurplusSplit { battery_pct: 50, miners_pct: 30, export_pct: 21 };
        assert_eq!(policy.validate(), Err(PolicyError::SurplusSplitSum { sum_pct: 101 }));
        policy.surplus_split = SurplusSplit { battery_pct: 50, miners_pct: 30, export_pct: 19 };
        assert_eq!(policy.validate(), Err(PolicyError::SurplusSplitSum { sum_pct: 99 }));
        policy.surplus_split = SurplusSplit { battery_pct: 101, miners_pct: 0, export_pct: 0 };
        assert!(matches!(policy.validate(), Err(PolicyError::OutOfRange { .. })));
    }

    #[test]
    fn miner_flexibility_is_refused_past_100() {
        let mut policy = valid_policy();
        policy.miner_flexibility_pct = 0;
        assert_eq!(policy.validate(), Ok(()));
        policy.miner_flexibility_pct = 101;
        assert!(
            matches!(policy.validate(), Err(PolicyError::OutOfRange { ref field, .. }) if field == "miner_flexibility_pct")
        );
    }

    #[test]
    fn multipliers_are_accepted_at_50000_bps_and_refused_past_it() {
        let mut policy = valid_policy();
        policy.reward_multipliers.kind_bps.flexible_load = 50_000;
        policy.reward_multipliers.zone_bps = vec![("z".to_string(), 50_000), ("zero".to_string(), 0)];
        assert_eq!(policy.validate(), Ok(()));
        policy.reward_multipliers.kind_bps.flexible_load = 50_001;
        assert!(policy.validate().is_err());
        policy.reward_multipliers.kind_bps.flexible_load = 10_000;
        policy.reward_multipliers.zone_bps[0].1 = 50_001;
        assert!(matches!(policy.validate(), Err(PolicyError::OutOfRange { .. })));
    }

    #[test]
    fn zones_are_limited_to_32_with_valid_unique_names() {
        let mut policy = valid_policy();
        policy.reward_multipliers.zone_bps = (0..32).map(|i| (format!("zone-{}", i), 10_000)).collect();
        assert_eq!(policy.validate(), Ok(()));
        policy.reward_multipliers.zone_bps.push(("zone-32".to_string(), 10_000));
        assert_eq!(policy.validate(), Err(PolicyError::TooManyZones { count: 33, max: 32 }));

        let name_32 = "a".repeat(32);
        let name_33 = "a".repeat(33);
        for (name, ok) in [
            (name_32.as_str(), true),
            (name_33.as_str(), false),
            ("", false),
            ("Zone-A", false),
            ("zone_a", false),
            ("zone a", false),
        ] {
            policy.reward_multipliers.zone_bps = vec![(name.to_string(), 10_000)];
            assert_eq!(policy.validate().is_ok(), ok, "zone name {:?}", name);
        }
        policy.reward_multipliers.zone_bps = vec![("zone-a".to_string(), 1), ("zone-a".to_string(), 2)];
        assert_eq!(policy.validate(), Err(PolicyError::DuplicateZone { zone: "zone-a".to_string() }));
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused_when_parsing() {
        let extra = r#"{ "battery_reserve_pct": 20, "surplus_split": { "battery_pct": 50, "miners_pct": 30, "export_pct": 20 },
            "miner_flexibility_pct": 100, "reward_multipliers": { "kind_bps": { "pv": 1, "battery": 1, "flexible_load": 1 }, "zone_bps": [] },
            "discharge_everything": true }"#;
        assert!(serde_json::from_str::<AllocationPolicy>(extra).is_err());
        let negative = extra
            .replace(r#", "discharge_everything": true"#, "")
            .replace("\"battery_reserve_pct\": 20", "\"battery_reserve_pct\": -1");
        assert!(serde_json::from_str::<AllocationPolicy>(&negative).is_err());
    }
}
