//! Every way a governance message can be refused, with the context a caller needs to fix it.

use std::fmt;

/// A policy outside its hard bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    OutOfRange { field: String, value: u64, min: u64, max: u64 },
    SurplusSplitSum { sum_pct: u32 },
    TooManyZones { count: usize, max: usize },
    InvalidZoneName { zone: String },
    DuplicateZone { zone: String },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::OutOfRange { field, value, min, max } => write!(f, "policy {} = {} is outside {}..={}", field, value, min, max),
            PolicyError::SurplusSplitSum { sum_pct } => write!(f, "policy surplus_split adds up to {} %, must be exactly 100 %", sum_pct),
            PolicyError::TooManyZones { count, max } => write!(f, "policy lists {} zones, at most {} allowed", count, max),
            PolicyError::InvalidZoneName { zone } => write!(f, "policy zone name {:?} must be 1..=32 characters of [a-z0-9-]", zone),
            PolicyError::DuplicateZone { zone } => write!(f, "policy lists zone {:?} more than once", zone),
        }
    }
}
