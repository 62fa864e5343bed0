//! Deps / DepsMut: what a contract function gets to work with (storage, api, querier), as in cosmwasm-std.

use crate::api::Api;
use crate::querier::{Querier, QuerierWrapper};
use crate::storage::Storage;

pub struct Deps<'a> {
    pub storage: &'a dyn Storage,
    pub api: &'a dyn Api,
    pub querier: QuerierWrapper<'a>,
}

pub struct DepsMut<'a> {
    pub storage: &'a mut dyn Storage,
    pub api: &'a dyn Api,
    pub querier: QuerierWrapper<'a>,
}

impl<'a> Clone for Deps<'a> {
    fn clone(&self) -> Self {
        Deps { storage: self.storage, api: self.api, querier: self.querier }
    }
}
impl<'a> Copy for Deps<'a> {}

impl<'a> DepsMut<'a> {
    pub fn as_ref(&'_ self) -> Deps<'_> {
        Deps { storage: self.storage, api: self.api, querier: self.querier }
    }
    pub fn branch(&'_ mut self) -> DepsMut<'_> {
        DepsMut { storage: self.storage, api: self.api, querier: self.querier }
    }
}

/// Owns the three parts; the entry-point glue and the mocks lend them out as Deps/DepsMut.
pub struct OwnedDeps<S: Storage, A: Api, Q: Querier> {
    pub storage: S,
    pub api: A,
    pub querier: Q,
}

impl<S: Storage, A: Api, Q: Querier> OwnedDeps<S, A, Q> {
    pub fn as_ref(&'_ self) -> Deps<'_> {
        Deps { storage: &self.storage, api: &self.api, querier: QuerierWrapper::new(&self.querier) }
    }
    pub fn as_mut(&'_ mut self) -> DepsMut<'_> {
        DepsMut { storage: &mut self.storage, api: &self.api, querier: QuerierWrapper::new(&self.querier) }
    }
}
