//! Timestamp: nanoseconds since the Unix epoch, a decimal string in JSON (as the chain's block time).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Copy, Clone, Default, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    pub const fn from_nanos(nanos: u64) -> Self {
        Timestamp(nanos)
    }
    pub const fn from_seconds(seconds: u64) -> Self {
        Timestamp(seconds * 1_000_000_000)
    }
    pub const fn nanos(&self) -> u64 {
        self.0
    }
    pub const fn seconds(&self) -> u64 {
        self.0 / 1_000_000_000
    }
    pub const fn plus_seconds(&self, seconds: u64) -> Self {
        Timestamp(self.0 + seconds * 1_000_000_000)
    }
    pub const fn plus_nanos(&self, nanos: u64) -> Self {
        Timestamp(self.0 + nanos)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Timestamp;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string of nanoseconds since the epoch")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::custom(format!("invalid timestamp '{}'", v)));
        }
        v.parse::<u64>().map(Timestamp).map_err(|e| E::custom(format!("invalid timestamp '{}': {}", v, e)))
    }
}
