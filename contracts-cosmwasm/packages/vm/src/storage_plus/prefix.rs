//! Prefix: the keys of a Map under a common leading part, ranged in key order.

use super::bound::Bound;
use super::keys::PrimaryKey;
use super::layout::prefix_upper_bound;
use crate::errors::StdResult;
use crate::json::from_json;
use crate::storage::{Order, Storage};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

pub struct Prefix<K: PrimaryKey, T> {
    storage_prefix: Vec<u8>,
    marker: PhantomData<(K, T)>,
}

impl<K: PrimaryKey, T: DeserializeOwned> Prefix<K, T> {
    pub(crate) fn new(storage_prefix: Vec<u8>) -> Self {
        Prefix { storage_prefix, marker: PhantomData }
    }

    fn raw_range<'c>(
        &self,
        store: &'c dyn Storage,
        min: Option<Bound<K>>,
        max: Option<Bound<K>>,
        order: Order,
    ) -> Box<dyn Iterator<Item = (Vec<u8>, Vec<u8>)> + 'c> {
        let start = match min {
            Some(bound) => bound.to_start(&self.storage_prefix),
            None => self.storage_prefix.clone(),
        };
        let end = match max {
            Some(bound) => Some(bound.to_end(&self.storage_prefix)),
            None => prefix_upper_bound(&self.storage_prefix),
        };
        let strip = self.storage_prefix.len();
        Box::new(store.range(Some(&start), end.as_deref(), order).map(move |(k, v)| (k[strip..].to_vec(), v)))
    }

    /// (key, value) pairs between the bounds; a value or key that cannot be decoded is an error item, not a panic.
    pub fn range<'c>(
        &self,
        store: &'c dyn Storage,
        min: Option<Bound<K>>,
        max: Option<Bound<K>>,
        order: Order,
    ) -> Box<dyn Iterator<Item = StdResult<(K::Output, T)>> + 'c>
    where
        T: 'c,
        K::Output: 'c,
    {
        Box::new(self.raw_range(store, min, max, order).map(|(k, v)| Ok((K::from_slice(&k)?, from_json::<T>(&v)?))))
    }

    pub fn keys<'c>(
        &self,
        store: &'c dyn Storage,
        min: Option<Bound<K>>,
        max: Option<Bound<K>>,
        order: Order,
    ) -> Box<dyn Iterator<Item = StdResult<K::Output>> + 'c>
    where
        K::Output: 'c,
    {
        Box::new(self.raw_range(store, min, max, order).map(|(k, _)| K::from_slice(&k)))
    }
}
