//! Native stand-ins for the VM (cosmwasm-std's `testing` module): an in-memory sorted store, an address
//! validator with bech32-like rules, a querier answering bank balances and wasm smart queries from handlers.

use crate::addr::Addr;
use crate::api::Api;
use crate::binary::Binary;
use crate::coin::Coin;
use crate::deps::OwnedDeps;
use crate::env::{BlockInfo, ContractInfo, Env, MessageInfo};
use crate::errors::{StdError, StdResult};
use crate::json::{from_json, to_json_binary};
use crate::querier::{BalanceResponse, BankQuery, Querier, QueryRequest, WasmQuery};
use crate::storage::{Order, Record, Storage};
use crate::timestamp::Timestamp;
use crate::uint128::Uint128;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound as RangeBound;

pub const MOCK_CONTRACT_ADDR: &str = "cosmwasm1contract";

#[derive(Default, Debug, Clone)]
pub struct MockStorage {
    data: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl MockStorage {
    pub fn new() -> Self {
        MockStorage::default()
    }
}

impl Storage for MockStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.data.get(key).cloned()
    }

    fn range<'a>(&'a self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> Box<dyn Iterator<Item = Record> + 'a> {
        if let (Some(s), Some(e)) = (start, end) {
            if s >= e {
                return Box::new(std::iter::empty());
            }
        }
        let lower = start.map_or(RangeBound::Unbounded, |s| RangeBound::Included(s.to_vec()));
        let upper = end.map_or(RangeBound::Unbounded, |e| RangeBound::Excluded(e.to_vec()));
        let items = self.data.range((lower, upper)).map(|(k, v)| (k.clone(), v.clone()));
        match order {
            Order::Ascending => Box::new(items.collect::<Vec<_>>().into_iter()),
            Order::Descending => Box::new(items.rev().collect::<Vec<_>>().into_iter()),
        }
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.data.insert(key.to_vec(), value.to_vec());
    }

    fn remove(&mut self, key: &[u8]) {
        self.data.remove(key);
    }
}

/// Accepts what a bech32 address looks like (lower-case letters and digits, a '1' separator, 8..=90 chars);
/// refuses mixed or upper case, as the chain does.
#[derive(Default, Debug, Clone, Copy)]
pub struct MockApi;

impl MockApi {
    /// A valid-looking address for a test actor: `cosmwasm1` + the name.
    pub fn addr_make(&self, name: &str) -> Addr {
        Addr::unchecked(format!("cosmwasm1{}", name))
    }
}

impl Api for MockApi {
    fn addr_validate(&self, human: &str) -> StdResult<Addr> {
        let shaped = (8..=90).contains(&human.len())
            && human.contains('1')
            && human.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !shaped {
            return Err(StdError::generic_err(format!("invalid address '{}'", human)));
        }
        Ok(Addr::unchecked(human))
    }

    fn debug(&self, message: &str) {
        eprintln!("contract debug: {}", message);
    }
}

type WasmHandler = Box<dyn Fn(&str, &Binary) -> StdResult<Binary>>;

#[derive(Default)]
pub struct MockQuerier {
    balances: HashMap<String, Vec<Coin>>,
    wasm_handler: Option<WasmHandler>,
}

impl MockQuerier {
    pub fn new() -> Self {
        MockQuerier::default()
    }
    pub fn set_balance(&mut self, address: &str, balance: Vec<Coin>) {
        self.balances.insert(address.to_string(), balance);
    }
    /// Answers wasm smart queries: the handler gets the contract address and the query message JSON.
    pub fn set_wasm_handler(&mut self, handler: impl Fn(&str, &Binary) -> StdResult<Binary> + 'static) {
        self.wasm_handler = Some(Box::new(handler));
    }
}

impl Querier for MockQuerier {
    fn raw_query(&self, request: &[u8]) -> StdResult<Binary> {
        match from_json::<QueryRequest>(request)? {
            QueryRequest::Bank(BankQuery::Balance { address, denom }) => {
                let amount = self
                    .balances
                    .get(&address)
                    .and_then(|coins| coins.iter().find(|c| c.denom == denom))
                    .map(|c| c.amount)
                    .unwrap_or_else(Uint128::zero);
                to_json_binary(&BalanceResponse { amount: Coin { denom, amount } })
            }
            QueryRequest::Wasm(WasmQuery::Smart { contract_addr, msg }) => match &self.wasm_handler {
                Some(handler) => handler(&contract_addr, &msg),
                None => Err(StdError::generic_err(format!("no contract at {}", contract_addr))),
            },
        }
    }
}

pub type MockDeps = OwnedDeps<MockStorage, MockApi, MockQuerier>;

pub fn mock_dependencies() -> MockDeps {
    OwnedDeps { storage: MockStorage::new(), api: MockApi, querier: MockQuerier::new() }
}

/// Block 12_345 at 2019-10-23T02:16:59.879Z, like cosmwasm-std's mock_env.
pub fn mock_env() -> Env {
    Env {
        block: BlockInfo {
            height: 12_345,
            time: Timestamp::from_nanos(1_571_797_419_879_305_533),
            chain_id: "cosmos-testnet-14002".to_string(),
        },
        transaction: None,
        contract: ContractInfo { address: Addr::unchecked(MOCK_CONTRACT_ADDR) },
    }
}

pub fn message_info(sender: &Addr, funds: &[Coin]) -> MessageInfo {
    MessageInfo { sender: sender.clone(), funds: funds.to_vec() }
}

pub fn mock_info(sender: &str, funds: &[Coin]) -> MessageInfo {
    MessageInfo { sender: Addr::unchecked(sender), funds: funds.to_vec() }
}
