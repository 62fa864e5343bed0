//! Response and the messages a contract may emit, serialised exactly as interface_version_8 expects.

use crate::binary::Binary;
use crate::coin::Coin;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Event {
    #[serde(rename = "type")]
    pub ty: String,
    pub attributes: Vec<Attribute>,
}

impl Event {
    pub fn new(ty: impl Into<String>) -> Self {
        Event { ty: ty.into(), attributes: vec![] }
    }
    pub fn add_attribute(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.attributes.push(Attribute { key: key.into(), value: value.to_string() });
        self
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BankMsg {
    Send { to_address: String, amount: Vec<Coin> },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WasmMsg {
    Execute { contract_addr: String, msg: Binary, funds: Vec<Coin> },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CosmosMsg {
    Bank(BankMsg),
    Wasm(WasmMsg),
}

impl From<BankMsg> for CosmosMsg {
    fn from(msg: BankMsg) -> Self {
        CosmosMsg::Bank(msg)
    }
}
impl From<WasmMsg> for CosmosMsg {
    fn from(msg: WasmMsg) -> Self {
        CosmosMsg::Wasm(msg)
    }
}

/// Only `never` is used: GridCoop's contracts do not handle replies, so a failing message fails the transaction.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOn {
    Never,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SubMsg {
    pub id: u64,
    pub msg: CosmosMsg,
    pub gas_limit: Option<u64>,
    pub reply_on: ReplyOn,
}

impl SubMsg {
    pub fn new(msg: impl Into<CosmosMsg>) -> Self {
        SubMsg { id: 0, msg: msg.into(), gas_limit: None, reply_on: ReplyOn::Never }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub messages: Vec<SubMsg>,
    pub attributes: Vec<Attribute>,
    pub events: Vec<Event>,
    pub data: Option<Binary>,
}

impl Response {
    pub fn new() -> Self {
        Response::default()
    }
    pub fn add_attribute(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.attributes.push(Attribute { key: key.into(), value: value.to_string() });
        self
    }
    pub fn add_message(mut self, msg: impl Into<CosmosMsg>) -> Self {
        self.messages.push(SubMsg::new(msg));
        self
    }
    pub fn add_submessage(mut self, msg: SubMsg) -> Self {
        self.messages.push(msg);
        self
    }
    pub fn add_event(mut self, event: Event) -> Self {
        self.events.push(event);
        self
    }
    pub fn set_data(mut self, data: impl Into<Binary>) -> Self {
        self.data = Some(data.into());
        self
    }
}
