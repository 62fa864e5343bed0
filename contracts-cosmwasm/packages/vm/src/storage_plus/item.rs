//! Item<T>: one value under one key (JSON, as cw-storage-plus; the key is the bare namespace).

use crate::errors::{StdError, StdResult};
use crate::json::{from_json, to_json_vec};
use crate::storage::Storage;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;

pub struct Item<T> {
    key: &'static str,
    marker: PhantomData<T>,
}

impl<T> Item<T> {
    pub const fn new(key: &'static str) -> Self {
        Item { key, marker: PhantomData }
    }
}

impl<T: Serialize + DeserializeOwned> Item<T> {
    pub fn save(&self, store: &mut dyn Storage, value: &T) -> StdResult<()> {
        store.set(self.key.as_bytes(), &to_json_vec(value)?);
        Ok(())
    }

    pub fn remove(&self, store: &mut dyn Storage) {
        store.remove(self.key.as_bytes());
    }

    pub fn load(&self, store: &dyn Storage) -> StdResult<T> {
        self.may_load(store)?.ok_or_else(|| StdError::not_found(self.key))
    }

    pub fn may_load(&self, store: &dyn Storage) -> StdResult<Option<T>> {
        store.get(self.key.as_bytes()).map(|bytes| from_json(&bytes)).transpose()
    }

    pub fn exists(&self, store: &dyn Storage) -> bool {
        store.get(self.key.as_bytes()).is_some()
    }

    /// Loads (must exist), applies `action`, saves and returns the result; nothing is written on error.
    pub fn update<A, E>(&self, store: &mut dyn Storage, action: A) -> Result<T, E>
    where
        A: FnOnce(T) -> Result<T, E>,
        E: From<StdError>,
    {
        let updated = action(self.load(store)?)?;
        self.save(store, &updated)?;
        Ok(updated)
    }
}
