//! Map<K, T>: values of one type under keys in one namespace (JSON values, as cw-storage-plus).

use super::bound::Bound;
use super::keys::{Prefixer, PrimaryKey};
use super::layout::{joined_parts, nested_prefix};
use super::prefix::Prefix;
use crate::errors::{StdError, StdResult};
use crate::json::{from_json, to_json_vec};
use crate::storage::{Order, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;

pub struct Map<K, T> {
    namespace: &'static str,
    marker: PhantomData<(K, T)>,
}

impl<K, T> Map<K, T> {
    pub const fn new(namespace: &'static str) -> Self {
        Map { namespace, marker: PhantomData }
    }
    pub fn namespace(&self) -> &'static str {
        self.namespace
    }
}

impl<K: PrimaryKey, T: Serialize + DeserializeOwned> Map<K, T> {
    /// The full storage key: length-prefixed namespace, then the key parts (all but the last length-prefixed).
    pub fn storage_key(&self, key: &K) -> Vec<u8> {
        let mut out = nested_prefix(self.namespace.as_bytes(), &[]);
        out.extend_from_slice(&joined_parts(&key.key()));
        out
    }

    pub fn save(&self, store: &mut dyn Storage, key: K, value: &T) -> StdResult<()> {
        store.set(&self.storage_key(&key), &to_json_vec(value)?);
        Ok(())
    }

    pub fn remove(&self, store: &mut dyn Storage, key: K) {
        store.remove(&self.storage_key(&key));
    }

    pub fn load(&self, store: &dyn Storage, key: K) -> StdResult<T> {
        self.may_load(store, key)?.ok_or_else(|| StdError::not_found(format!("{} entry", self.namespace)))
    }

    pub fn may_load(&self, store: &dyn Storage, key: K) -> StdResult<Option<T>> {
        store.get(&self.storage_key(&key)).map(|bytes| from_json(&bytes)).transpose()
    }

    pub fn has(&self, store: &dyn Storage, key: K) -> bool {
        store.get(&self.storage_key(&key)).is_some()
    }

    /// Loads (None if absent), applies `action`, saves and returns the result; nothing is written on error.
    pub fn update<A, E>(&self, store: &mut dyn Storage, key: K, action: A) -> Result<T, E>
    where
        A: FnOnce(Option<T>) -> Result<T, E>,
        E: From<StdError>,
    {
        let current = self.may_load(store, key.clone())?;
        let updated = action(current)?;
        self.save(store, key, &updated)?;
        Ok(updated)
    }

    fn no_prefix(&self) -> Prefix<K, T> {
        Prefix::new(nested_prefix(self.namespace.as_bytes(), &[]))
    }

    pub fn prefix(&self, prefix: K::Prefix) -> Prefix<K::Suffix, T> {
        Prefix::new(nested_prefix(self.namespace.as_bytes(), &prefix.prefix()))
    }

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
        self.no_prefix().range(store, min, max, order)
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
        self.no_prefix().keys(store, min, max, order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MockStorage;

    const BALANCES: Map<&str, u64> = Map::new("balances");
    const RECORDS: Map<(u64, u64), String> = Map::new("records");

    #[test]
    fn keys_follow_the_cw_storage_plus_layout() {
        assert_eq!(BALANCES.storage_key(&"ab"), b"\x00\x08balancesab".to_vec());
        let key = RECORDS.storage_key(&(1, 2));
        let mut expected = b"\x00\x07records\x00\x08".to_vec();
        expected.extend_from_slice(&1u64.to_be_bytes());
        expected.extend_from_slice(&2u64.to_be_bytes());
        assert_eq!(key, expected);
    }

    #[test]
    fn ranges_respect_bounds_order_and_prefixes() {
        let mut store = MockStorage::new();
        for node in 1..=3u64 {
            for interval in [900u64, 1800, 2700] {
                RECORDS.save(&mut store, (node, interval), &format!("{}-{}", node, interval)).unwrap();
            }
        }
        let node2: Vec<(u64, String)> = RECORDS
            .prefix(2)
            .range(&store, Some(Bound::inclusive(1800u64)), None, Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        assert_eq!(node2, vec![(1800, "2-1800".to_string()), (2700, "2-2700".to_string())]);
        let descending: Vec<u64> = RECORDS
            .prefix(3)
            .keys(&store, None, Some(Bound::exclusive(2700u64)), Order::Descending)
            .collect::<StdResult<_>>()
            .unwrap();
        assert_eq!(descending, vec![1800, 900]);
        let all: Vec<(u64, u64)> = RECORDS
            .keys(&store, Some(Bound::exclusive((1u64, 2700u64))), Some(Bound::inclusive((2u64, 900u64))), Order::Ascending)
            .collect::<StdResult<_>>()
            .unwrap();
        assert_eq!(all, vec![(2, 900)]);
    }

    #[test]
    fn string_bounds_include_and_exclude_exactly_their_key() {
        let mut store = MockStorage::new();
        for key in ["a", "ab", "abc", "b"] {
            BALANCES.save(&mut store, key, &1).unwrap();
        }
        let keys = |min: Option<Bound<&str>>, max: Option<Bound<&str>>| -> Vec<String> {
            BALANCES.keys(&store, min, max, Order::Ascending).collect::<StdResult<_>>().unwrap()
        };
        assert_eq!(keys(None, Some(Bound::inclusive("ab"))), vec!["a", "ab"]);
        assert_eq!(keys(Some(Bound::exclusive("ab")), None), vec!["abc", "b"]);
        assert_eq!(keys(Some(Bound::exclusive("a")), Some(Bound::exclusive("b"))), vec!["ab", "abc"]);
    }

    #[test]
    fn update_writes_nothing_when_the_action_fails() {
        let mut store = MockStorage::new();
        BALANCES.save(&mut store, "a", &5).unwrap();
        let failed: Result<u64, StdError> = BALANCES.update(&mut store, "a", |_| Err(StdError::generic_err("no")));
        assert!(failed.is_err());
        assert_eq!(BALANCES.load(&store, "a").unwrap(), 5);
        assert!(matches!(BALANCES.load(&store, "b"), Err(StdError::NotFound { .. })));
    }
}
