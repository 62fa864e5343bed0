//! GridCoop's VM-interface crate: what cosmwasm-std and cw-storage-plus would give a contract, reduced to what
//! GridCoop's contracts use, under the same names so that a later port to cosmwasm-std is a change of imports.
//! (cosmwasm-std cannot be built here: it is not packaged in Debian and needs a newer serde.)

mod addr;
mod api;
mod binary;
mod coin;
mod deps;
mod entry_points;
mod env;
mod errors;
mod imports;
mod json;
mod memory;
mod panic_hook;
mod querier;
mod response;
mod storage;
mod storage_plus;
mod timestamp;
mod uint128;

pub mod cw2;
pub mod pagination;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

pub use addr::Addr;
pub use api::Api;
pub use binary::Binary;
pub use coin::{coin, coins, must_pay_nothing, Coin};
pub use deps::{Deps, DepsMut, OwnedDeps};
pub use entry_points::{do_execute, do_instantiate, do_migrate, do_query, run_execute, run_instantiate, run_migrate, run_query};
pub use env::{BlockInfo, ContractInfo, Env, MessageInfo, TransactionInfo};
pub use errors::{StdError, StdResult};
pub use json::{from_json, to_json_binary, to_json_string, to_json_vec};
pub use memory::Region;
pub use querier::{BalanceResponse, BankQuery, Querier, QuerierWrapper, QueryRequest, WasmQuery};
pub use response::{Attribute, BankMsg, CosmosMsg, Event, ReplyOn, Response, SubMsg, WasmMsg};
pub use storage::{Order, Record, Storage};
pub use storage_plus::{Bound, Item, Map, Prefix, Prefixer, PrimaryKey};
pub use timestamp::Timestamp;
pub use uint128::Uint128;

#[cfg(target_arch = "wasm32")]
pub use imports::{ExternalApi, ExternalQuerier, ExternalStorage};
