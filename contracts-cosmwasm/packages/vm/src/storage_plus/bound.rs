//! Bound: one end of a range, inclusive or exclusive.

use super::keys::PrimaryKey;
use super::layout::joined_parts;

#[derive(Clone, Debug)]
pub enum Bound<K: PrimaryKey> {
    Inclusive(K),
    Exclusive(K),
}

impl<K: PrimaryKey> Bound<K> {
    pub fn inclusive(key: impl Into<K>) -> Self {
        Bound::Inclusive(key.into())
    }
    pub fn exclusive(key: impl Into<K>) -> Self {
        Bound::Exclusive(key.into())
    }

    /// Storage start for a lower bound (storage ranges include their start).
    pub(crate) fn to_start(&self, prefix: &[u8]) -> Vec<u8> {
        match self {
            Bound::Inclusive(k) => [prefix, &joined_parts(&k.key())].concat(),
            Bound::Exclusive(k) => [prefix, &joined_parts(&k.key()), &[0u8]].concat(),
        }
    }

    /// Storage end for an upper bound (storage ranges exclude their end).
    pub(crate) fn to_end(&self, prefix: &[u8]) -> Vec<u8> {
        match self {
            Bound::Inclusive(k) => [prefix, &joined_parts(&k.key()), &[0u8]].concat(),
            Bound::Exclusive(k) => [prefix, &joined_parts(&k.key())].concat(),
        }
    }
}
