//! Prefix: the keys of a Map under a common leading part, ranged in key order.

use super::bound::Bound;
use super::keys::PrimaryKey;
use super::layout::{joined_parts, prefix_upper_bound};
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
        let prefix = &self.storage_prefix;
        // Bounds are passed to the store as "key" / "just past every key starting with key" rather than as
        // "key || 0x00", and the exact edge is applied here. cw-simulate's store compares a key equal to its
        // bound's prefix as equal, so "key || 0x00" bounds would include an excluded start and drop an included end.
        let (start, excluded_start) = match min {
            Some(Bound::Inclusive(k)) => ([prefix.as_slice(), &joined_parts(&k.key())].concat(), None),
            Some(Bound::Exclusive(k)) => {
                let key = [prefix.as_slice(), &joined_parts(&k.key())].concat();
                (key.clone(), Some(key))
            }
            None => (prefix.clone(), None),
        };
        let (end, included_end) = match max {
            Some(Bound::Exclusive(k)) => (Some([prefix.as_slice(), &joined_parts(&k.key())].concat()), None),
            Some(Bound::Inclusive(k)) => {
                let key = [prefix.as_slice(), &joined_parts(&k.key())].concat();
                (prefix_upper_bound(&key), Some(key))
            }
            None => (prefix_upper_bound(prefix), None),
        };
        let strip = prefix.len();
        Box::new(
            store
                .range(Some(&start), end.as_deref(), order)
                .filter(move |(k, _)| {
                    excluded_start.as_ref().map_or(true, |s| k != s) && included_end.as_ref().map_or(true, |e| k <= e)
                })
                .map(move |(k, v)| (k[strip..].to_vec(), v)),
        )
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
