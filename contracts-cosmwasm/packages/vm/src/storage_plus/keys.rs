//! PrimaryKey: how a Rust key becomes storage bytes and back, for the key types GridCoop uses.

use super::layout::split_length_prefixed;
use crate::addr::Addr;
use crate::errors::{StdError, StdResult};

pub trait PrimaryKey: Clone {
    /// What `Map::prefix` takes (the first part of a composite key; `()` for simple keys).
    type Prefix: Prefixer;
    /// The key type under a prefix (the rest of a composite key; the key itself for simple keys).
    type Suffix: PrimaryKey;
    /// What range queries give back for this key.
    type Output;
    fn key(&self) -> Vec<Vec<u8>>;
    fn from_slice(raw: &[u8]) -> StdResult<Self::Output>;
}

pub trait Prefixer {
    fn prefix(&self) -> Vec<Vec<u8>>;
}

impl Prefixer for () {
    fn prefix(&self) -> Vec<Vec<u8>> {
        vec![]
    }
}

fn utf8(raw: &[u8]) -> StdResult<String> {
    String::from_utf8(raw.to_vec()).map_err(StdError::invalid_utf8)
}

/// Keys stored as their UTF-8 bytes: string and address keys.
macro_rules! text_key {
    ($t:ty, $output:ty, $decode:expr) => {
        impl<'a> PrimaryKey for $t {
            type Prefix = ();
            type Suffix = Self;
            type Output = $output;
            fn key(&self) -> Vec<Vec<u8>> {
                let text: &str = self.as_ref();
                vec![text.as_bytes().to_vec()]
            }
            fn from_slice(raw: &[u8]) -> StdResult<$output> {
                utf8(raw).map($decode)
            }
        }
        impl<'a> Prefixer for $t {
            fn prefix(&self) -> Vec<Vec<u8>> {
                self.key()
            }
        }
    };
}
text_key!(&'a str, String, |text| text);
text_key!(String, String, |text| text);
text_key!(&'a Addr, Addr, Addr::unchecked);
text_key!(Addr, Addr, Addr::unchecked);

macro_rules! integer_key {
    ($t:ty) => {
        impl PrimaryKey for $t {
            type Prefix = ();
            type Suffix = Self;
            type Output = $t;
            fn key(&self) -> Vec<Vec<u8>> {
                vec![self.to_be_bytes().to_vec()]
            }
            fn from_slice(raw: &[u8]) -> StdResult<$t> {
                const SIZE: usize = std::mem::size_of::<$t>();
                if raw.len() != SIZE {
                    return Err(StdError::generic_err(format!(
                        "storage key of {} bytes cannot be a {}",
                        raw.len(),
                        stringify!($t)
                    )));
                }
                let mut bytes = [0u8; SIZE];
                bytes.copy_from_slice(raw);
                Ok(<$t>::from_be_bytes(bytes))
            }
        }
        impl Prefixer for $t {
            fn prefix(&self) -> Vec<Vec<u8>> {
                self.key()
            }
        }
    };
}
integer_key!(u8);
integer_key!(u16);
integer_key!(u32);
integer_key!(u64);

/// Composite keys of two simple keys (the first part must be a single key part).
impl<A: PrimaryKey + Prefixer, B: PrimaryKey> PrimaryKey for (A, B) {
    type Prefix = A;
    type Suffix = B;
    type Output = (A::Output, B::Output);
    fn key(&self) -> Vec<Vec<u8>> {
        let mut parts = self.0.key();
        parts.extend(self.1.key());
        parts
    }
    fn from_slice(raw: &[u8]) -> StdResult<Self::Output> {
        let (first, rest) = split_length_prefixed(raw)?;
        Ok((A::from_slice(first)?, B::from_slice(rest)?))
    }
}
impl<A: PrimaryKey + Prefixer, B: PrimaryKey + Prefixer> Prefixer for (A, B) {
    fn prefix(&self) -> Vec<Vec<u8>> {
        let mut parts = self.0.prefix();
        parts.extend(self.1.prefix());
        parts
    }
}
