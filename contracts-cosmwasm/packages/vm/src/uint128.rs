//! Uint128: a u128 that travels in JSON as a decimal string (JavaScript numbers cannot hold it).

use crate::errors::{StdError, StdResult};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Copy, Clone, Default, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uint128(u128);

impl Uint128 {
    pub const MAX: Uint128 = Uint128(u128::MAX);

    pub const fn new(value: u128) -> Self {
        Uint128(value)
    }
    pub const fn zero() -> Self {
        Uint128(0)
    }
    pub const fn u128(&self) -> u128 {
        self.0
    }
    pub const fn is_zero(&self) -> bool {
        self.0 == 0
    }
    pub fn checked_add(self, other: Self) -> StdResult<Self> {
        self.0.checked_add(other.0).map(Uint128).ok_or_else(|| StdError::overflow("add", self, other))
    }
    pub fn checked_sub(self, other: Self) -> StdResult<Self> {
        self.0.checked_sub(other.0).map(Uint128).ok_or_else(|| StdError::overflow("sub", self, other))
    }
    pub fn checked_mul(self, other: Self) -> StdResult<Self> {
        self.0.checked_mul(other.0).map(Uint128).ok_or_else(|| StdError::overflow("mul", self, other))
    }
    pub fn saturating_sub(self, other: Self) -> Self {
        Uint128(self.0.saturating_sub(other.0))
    }

    /// floor(self * numerator / denominator) with a 256-bit intermediate, so the product never overflows;
    /// like cosmwasm-std's checked_multiply_ratio. Rounding down is what keeps payouts within a pool.
    pub fn checked_multiply_ratio(self, numerator: impl Into<u128>, denominator: impl Into<u128>) -> StdResult<Self> {
        let (numerator, denominator) = (numerator.into(), denominator.into());
        if denominator == 0 {
            return Err(StdError::divide_by_zero(self));
        }
        let (high, low) = full_mul(self.0, numerator);
        let quotient = div_256_by_128(high, low, denominator).ok_or_else(|| StdError::overflow("multiply_ratio", self, numerator))?;
        Ok(Uint128(quotient))
    }
}

/// 128 x 128 -> 256 bit product as (high, low).
fn full_mul(a: u128, b: u128) -> (u128, u128) {
    let mask = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & mask);
    let (b_hi, b_lo) = (b >> 64, b & mask);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    let cross = (lo_lo >> 64) + (hi_lo & mask) + (lo_hi & mask);
    let low = (cross << 64) | (lo_lo & mask);
    let high = hi_hi + (hi_lo >> 64) + (lo_hi >> 64) + (cross >> 64);
    (high, low)
}

/// (high:low) / divisor by shift-and-subtract; None when the quotient does not fit in 128 bits.
fn div_256_by_128(high: u128, low: u128, divisor: u128) -> Option<u128> {
    if high >= divisor {
        return None;
    }
    let mut remainder = high;
    let mut quotient: u128 = 0;
    for bit in (0..128).rev() {
        let carry = remainder >> 127;
        remainder = (remainder << 1) | ((low >> bit) & 1);
        quotient <<= 1;
        if carry == 1 || remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1;
        }
    }
    Some(quotient)
}

impl From<u128> for Uint128 {
    fn from(value: u128) -> Self {
        Uint128(value)
    }
}
impl From<u64> for Uint128 {
    fn from(value: u64) -> Self {
        Uint128(value.into())
    }
}
impl From<Uint128> for u128 {
    fn from(value: Uint128) -> Self {
        value.0
    }
}

impl fmt::Display for Uint128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Uint128 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Uint128 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Uint128Visitor)
    }
}

struct Uint128Visitor;

impl<'de> Visitor<'de> for Uint128Visitor {
    type Value = Uint128;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string containing an unsigned 128-bit integer")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Uint128, E> {
        // u128::from_str accepts a leading '+'; the chain's Uint128 does not.
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(E::custom(format!("invalid Uint128 '{}'", v)));
        }
        v.parse::<u128>().map(Uint128).map_err(|e| E::custom(format!("invalid Uint128 '{}': {}", v, e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiply_ratio_rounds_down_and_survives_products_beyond_128_bits() {
        assert_eq!(Uint128::new(10).checked_multiply_ratio(1u128, 3u128).unwrap(), Uint128::new(3));
        let big = Uint128::new(u128::MAX / 2);
        assert_eq!(big.checked_multiply_ratio(6u128, 3u128).unwrap(), Uint128::new(u128::MAX - 1));
        assert_eq!(Uint128::MAX.checked_multiply_ratio(u128::MAX, u128::MAX).unwrap(), Uint128::MAX);
        assert!(Uint128::MAX.checked_multiply_ratio(2u128, 1u128).is_err());
        assert!(Uint128::new(1).checked_multiply_ratio(1u128, 0u128).is_err());
    }

    #[test]
    fn uint128_is_a_decimal_string_in_json() {
        let value: Uint128 = serde_json::from_str("\"340282366920938463463374607431768211455\"").unwrap();
        assert_eq!(value, Uint128::MAX);
        assert_eq!(serde_json::to_string(&Uint128::new(7)).unwrap(), "\"7\"");
        assert!(serde_json::from_str::<Uint128>("7").is_err());
        assert!(serde_json::from_str::<Uint128>("\"+7\"").is_err());
        assert!(serde_json::from_str::<Uint128>("\"340282366920938463463374607431768211456\"").is_err());
    }
}
