//! The hard bounds of every input, checked before anything is stored.

use crate::error::ContractError;
use crate::msg::{KindMultipliers, RewardPolicy};

pub const MAX_BATCH_RECORDS: usize = 100;
/// Oracle keys per site (a site's controller and a key being rotated in); the same bound the flat list had.
pub const MAX_ORACLES_PER_SITE: u32 = 16;
/// Sites in one registry: a fleet of a thousand grid connections, each checked with a counter, never a scan.
pub const MAX_SITES: u64 = 1_000;
pub const MAX_RATED_POWER_W: u64 = 100_000_000;
pub const MAX_ENERGY_CAPACITY_WH: u64 = 1_000_000_000;
pub const MAX_METADATA_ENTRIES: usize = 16;
pub const MAX_METADATA_KEY_CHARS: usize = 32;
pub const MAX_METADATA_VALUE_BYTES: usize = 256;
pub const MAX_NOTE_BYTES: usize = 512;
pub const MAX_REASON_BYTES: usize = 256;
pub const MAX_ZONE_CHARS: usize = 32;
pub const MAX_ZONES: usize = 32;
pub const MAX_MULTIPLIER_BPS: u32 = 50_000;
pub const MIN_INTERVAL_S: u64 = 60;
pub const MAX_INTERVAL_S: u64 = 86_400;
pub const MAX_EPOCH_LENGTH_S: u64 = 366 * 86_400;
pub const MAX_SETTLEMENT_DELAY_S: u64 = 30 * 86_400;

/// Zone names as in the allocation policy: 1..=32 chars of [a-z0-9-].
pub fn check_zone(field: &str, zone: &str) -> Result<(), ContractError> {
    let shaped = !zone.is_empty()
        && zone.len() <= MAX_ZONE_CHARS
        && zone.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !shaped {
        return Err(ContractError::invalid_field(field, format!("'{}' must be 1..={} chars of [a-z0-9-]", zone, MAX_ZONE_CHARS)));
    }
    Ok(())
}

pub fn check_metadata(metadata: &[(String, String)]) -> Result<(), ContractError> {
    if metadata.len() > MAX_METADATA_ENTRIES {
        return Err(ContractError::invalid_field("metadata", format!("{} entries, at most {}", metadata.len(), MAX_METADATA_ENTRIES)));
    }
    for (index, (key, value)) in metadata.iter().enumerate() {
        let key_shaped = !key.is_empty()
            && key.len() <= MAX_METADATA_KEY_CHARS
            && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !key_shaped {
            return Err(ContractError::invalid_field(
                format!("metadata[{}].key", index),
                format!("'{}' must be 1..={} chars of [a-z0-9_-]", key, MAX_METADATA_KEY_CHARS),
            ));
        }
        if value.len() > MAX_METADATA_VALUE_BYTES {
            return Err(ContractError::invalid_field(
                format!("metadata[{}].value", index),
                format!("{} bytes, at most {}", value.len(), MAX_METADATA_VALUE_BYTES),
            ));
        }
        if metadata[..index].iter().any(|(earlier, _)| earlier == key) {
            return Err(ContractError::invalid_field(format!("metadata[{}].key", index), format!("'{}' appears twice", key)));
        }
    }
    Ok(())
}

pub fn check_text(field: &str, text: &str, max_bytes: usize) -> Result<(), ContractError> {
    if text.trim().is_empty() {
        return Err(ContractError::invalid_field(field, "must not be empty"));
    }
    if text.len() > max_bytes {
        return Err(ContractError::invalid_field(field, format!("{} bytes, at most {}", text.len(), max_bytes)));
    }
    Ok(())
}

pub fn check_range(field: &str, value: u64, min: u64, max: u64) -> Result<(), ContractError> {
    if value < min || value > max {
        return Err(ContractError::invalid_field(field, format!("{} is outside {}..={}", value, min, max)));
    }
    Ok(())
}

/// Native denominations: 3..=128 chars, a letter first, then [a-zA-Z0-9/:._-] (the SDK's rule).
pub fn check_denom(denom: &str) -> Result<(), ContractError> {
    let bytes = denom.as_bytes();
    let shaped = (3..=128).contains(&bytes.len())
        && bytes[0].is_ascii_alphabetic()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || b"/:._-".contains(b));
    if !shaped {
        return Err(ContractError::invalid_field("reward_denom", format!("'{}' is not a valid denomination", denom)));
    }
    Ok(())
}

/// 64 lower-case hex characters.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn check_reward_policy(kind_bps: &KindMultipliers, zone_bps: &[(String, u32)], flexibility_bps: u32) -> Result<(), ContractError> {
    check_range("flexibility_bps", flexibility_bps.into(), 0, MAX_MULTIPLIER_BPS.into())?;
    for (name, bps) in [("pv", kind_bps.pv), ("battery", kind_bps.battery), ("flexible_load", kind_bps.flexible_load)] {
        check_range(&format!("kind_bps.{}", name), bps.into(), 0, MAX_MULTIPLIER_BPS.into())?;
    }
    if zone_bps.len() > MAX_ZONES {
        return Err(ContractError::invalid_field("zone_bps", format!("{} zones, at most {}", zone_bps.len(), MAX_ZONES)));
    }
    for (index, (zone, bps)) in zone_bps.iter().enumerate() {
        check_zone(&format!("zone_bps[{}]", index), zone)?;
        check_range(&format!("zone_bps[{}]", index), (*bps).into(), 0, MAX_MULTIPLIER_BPS.into())?;
        if zone_bps[..index].iter().any(|(earlier, _)| earlier == zone) {
            return Err(ContractError::invalid_field(format!("zone_bps[{}]", index), format!("zone '{}' appears twice", zone)));
        }
    }
    Ok(())
}

pub fn default_reward_policy() -> RewardPolicy {
    RewardPolicy {
        kind_bps: KindMultipliers { pv: 10_000, battery: 10_000, flexible_load: 10_000 },
        zone_bps: vec![],
        flexibility_bps: 10_000,
    }
}
