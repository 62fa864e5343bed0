//! Queries to the chain (other contracts, bank balances) through the `query_chain` import.

use crate::binary::Binary;
use crate::coin::Coin;
use crate::errors::{StdError, StdResult};
use crate::json::{from_json, to_json_vec};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum QueryRequest {
    Bank(BankQuery),
    Wasm(WasmQuery),
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BankQuery {
    Balance { address: String, denom: String },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WasmQuery {
    Smart { contract_addr: String, msg: Binary },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct BalanceResponse {
    pub amount: Coin,
}

/// Answers a serialised QueryRequest with the JSON bytes of the answer, or the error the chain or contract gave.
pub trait Querier {
    fn raw_query(&self, request: &[u8]) -> StdResult<Binary>;
}

#[derive(Copy, Clone)]
pub struct QuerierWrapper<'a> {
    querier: &'a dyn Querier,
}

impl<'a> QuerierWrapper<'a> {
    pub fn new(querier: &'a dyn Querier) -> Self {
        QuerierWrapper { querier }
    }

    pub fn query<T: DeserializeOwned>(&self, request: &QueryRequest) -> StdResult<T> {
        let answer = self.querier.raw_query(&to_json_vec(request)?)?;
        from_json(answer.as_slice())
    }

    pub fn query_wasm_smart<T: DeserializeOwned>(&self, contract_addr: impl Into<String>, msg: &impl Serialize) -> StdResult<T> {
        let contract_addr = contract_addr.into();
        let request = QueryRequest::Wasm(WasmQuery::Smart { contract_addr: contract_addr.clone(), msg: Binary(to_json_vec(msg)?) });
        self.query(&request).map_err(|e| match e {
            StdError::GenericErr { msg } => StdError::generic_err(format!("query to contract {} failed: {}", contract_addr, msg)),
            other => other,
        })
    }

    pub fn query_balance(&self, address: impl Into<String>, denom: impl Into<String>) -> StdResult<Coin> {
        let request = QueryRequest::Bank(BankQuery::Balance { address: address.into(), denom: denom.into() });
        let answer: BalanceResponse = self.query(&request)?;
        Ok(answer.amount)
    }
}
