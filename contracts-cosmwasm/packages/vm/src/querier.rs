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

/// The chain's answer to query_chain, SystemResult<ContractResult<Binary>>: {"ok":{"ok":"<base64>"}}; errors come
/// as {"ok":{"error"|"err": ".."}} (a contract's or module's error; cw-simulate says "err") or {"error": ..} (system).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn parse_query_envelope(answer: &[u8]) -> StdResult<Binary> {
    let value: serde_json::Value =
        serde_json::from_slice(answer).map_err(|e| StdError::parse_err("SystemResult<ContractResult<Binary>>", e))?;
    let system_ok = match value.get("ok") {
        Some(inner) => inner,
        None => return Err(StdError::generic_err(format!("querier system error: {}", value))),
    };
    if let Some(serde_json::Value::String(encoded)) = system_ok.get("ok") {
        return Binary::from_base64(encoded);
    }
    let message = system_ok.get("error").or_else(|| system_ok.get("err")).map(|m| match m {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    Err(StdError::generic_err(message.unwrap_or_else(|| format!("unexpected query answer: {}", system_ok))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MockQuerier;

    #[test]
    fn query_answers_unwrap_to_the_contract_bytes_or_a_readable_error() {
        assert_eq!(parse_query_envelope(br#"{"ok":{"ok":"eyJhIjoxfQ=="}}"#).unwrap().0, br#"{"a":1}"#.to_vec());
        let contract_error = parse_query_envelope(br#"{"ok":{"err":"node 4 not found"}}"#).unwrap_err();
        assert_eq!(contract_error, StdError::generic_err("node 4 not found"));
        assert!(parse_query_envelope(br#"{"error":{"no_such_contract":{"addr":"x"}}}"#).unwrap_err().to_string().contains("no_such_contract"));
        assert!(matches!(parse_query_envelope(b"not json"), Err(StdError::ParseErr { .. })));
    }

    #[test]
    fn querier_wrapper_reads_balances_and_smart_queries_and_names_the_failing_contract() {
        let mut querier = MockQuerier::new();
        querier.set_balance("cosmwasm1alice", vec![Coin::new(42, "ugrid")]);
        querier.set_wasm_handler(|contract, msg| {
            if contract == "cosmwasm1registry" {
                Ok(Binary(format!(r#"{{"echo":{}}}"#, String::from_utf8_lossy(msg)).into_bytes()))
            } else {
                Err(StdError::generic_err("no such contract"))
            }
        });
        let wrapper = QuerierWrapper::new(&querier);
        assert_eq!(wrapper.query_balance("cosmwasm1alice", "ugrid").unwrap(), Coin::new(42, "ugrid"));
        assert_eq!(wrapper.query_balance("cosmwasm1bob", "ugrid").unwrap(), Coin::new(0, "ugrid"));
        let answer: serde_json::Value = wrapper.query_wasm_smart("cosmwasm1registry", &serde_json::json!({"config": {}})).unwrap();
        assert_eq!(answer, serde_json::json!({"echo": {"config": {}}}));
        let error = wrapper.query_wasm_smart::<serde_json::Value>("cosmwasm1other", &serde_json::json!({})).unwrap_err();
        assert_eq!(error.to_string(), "Generic error: query to contract cosmwasm1other failed: no such contract");
    }
}
