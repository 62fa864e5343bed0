//! Bound: one end of a range, inclusive or exclusive.

use super::keys::PrimaryKey;

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
}
