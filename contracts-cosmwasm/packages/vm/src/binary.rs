//! Binary: bytes that travel in JSON as standard base64 with padding (as cosmwasm-std's Binary).

use crate::errors::{StdError, StdResult};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Default, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary(pub Vec<u8>);

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Binary {
    pub fn new(data: Vec<u8>) -> Self {
        Binary(data)
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.0.clone()
    }

    pub fn to_base64(&self) -> String {
        let mut out = String::with_capacity((self.0.len() + 2) / 3 * 4);
        for chunk in self.0.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            out.push(ALPHABET[(n >> 18) as usize & 63] as char);
            out.push(ALPHABET[(n >> 12) as usize & 63] as char);
            out.push(if chunk.len() > 1 { ALPHABET[(n >> 6) as usize & 63] as char } else { '=' });
            out.push(if chunk.len() > 2 { ALPHABET[n as usize & 63] as char } else { '=' });
        }
        out
    }

    /// Strict standard base64 with padding; anything else is an InvalidBase64 error naming the problem.
    pub fn from_base64(encoded: &str) -> StdResult<Binary> {
        let bytes = encoded.as_bytes();
        if bytes.len() % 4 != 0 {
            return Err(StdError::invalid_base64(format!("length {} is not a multiple of 4", bytes.len())));
        }
        let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
        for (index, quad) in bytes.chunks(4).enumerate() {
            let last = index == bytes.len() / 4 - 1;
            let mut n: u32 = 0;
            let mut padding = 0;
            for (position, &c) in quad.iter().enumerate() {
                let value = match c {
                    b'A'..=b'Z' => c - b'A',
                    b'a'..=b'z' => c - b'a' + 26,
                    b'0'..=b'9' => c - b'0' + 52,
                    b'+' => 62,
                    b'/' => 63,
                    b'=' if last && position >= 2 => {
                        padding += 1;
                        0
                    }
                    _ => return Err(StdError::invalid_base64(format!("invalid character {:?}", c as char))),
                };
                if padding > 0 && c != b'=' {
                    return Err(StdError::invalid_base64("data after padding"));
                }
                n = (n << 6) | u32::from(value);
            }
            out.push((n >> 16) as u8);
            if padding < 2 {
                out.push((n >> 8) as u8);
            }
            if padding < 1 {
                out.push(n as u8);
            }
        }
        Ok(Binary(out))
    }
}

impl From<Vec<u8>> for Binary {
    fn from(data: Vec<u8>) -> Self {
        Binary(data)
    }
}

impl From<&[u8]> for Binary {
    fn from(data: &[u8]) -> Self {
        Binary(data.to_vec())
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::ops::Deref for Binary {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Base64Visitor)
    }
}

struct Base64Visitor;

impl<'de> Visitor<'de> for Base64Visitor {
    type Value = Binary;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a base64 encoded string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Binary, E> {
        Binary::from_base64(v).map_err(|e| E::custom(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_padding_length() {
        for len in 0..10u8 {
            let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(200)).collect();
            let encoded = Binary(data.clone()).to_base64();
            assert_eq!(Binary::from_base64(&encoded).unwrap().0, data);
        }
        assert_eq!(Binary(b"hello".to_vec()).to_base64(), "aGVsbG8=");
    }

    #[test]
    fn malformed_base64_is_refused_with_the_reason() {
        assert!(matches!(Binary::from_base64("abc"), Err(StdError::InvalidBase64 { .. })));
        assert!(matches!(Binary::from_base64("ab!d"), Err(StdError::InvalidBase64 { .. })));
        assert!(matches!(Binary::from_base64("a=bc"), Err(StdError::InvalidBase64 { .. })));
        assert!(matches!(Binary::from_base64("ab=c"), Err(StdError::InvalidBase64 { .. })));
    }
}
