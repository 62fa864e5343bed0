//! The glue between the VM's exported functions and a contract's typed functions: read the Region arguments,
//! parse Env / MessageInfo / the message, call the contract, and answer {"ok": ...} or {"error": "..."}.
//! Contracts export their entry points with `gridcoop_vm::entry_points!` (see the macro below).

use crate::binary::Binary;
use crate::deps::DepsMut;
use crate::env::{Env, MessageInfo};
use crate::errors::StdError;
use crate::json::short_type_name;
use crate::response::Response;
use crate::Deps;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Display;

/// The envelope every entry point answers with.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum ContractResult<T: Serialize> {
    Ok(T),
    Error(String),
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| StdError::parse_err(short_type_name::<T>(), e).to_string())
}

fn answer<T: Serialize>(result: Result<T, String>) -> Vec<u8> {
    let envelope = match result {
        Ok(value) => ContractResult::Ok(value),
        Err(message) => ContractResult::Error(message),
    };
    serde_json::to_vec(&envelope).unwrap_or_else(|e| {
        serde_json::to_vec(&ContractResult::<()>::Error(format!("cannot serialise the result: {}", e))).unwrap_or_default()
    })
}

/// Parses Env and the message, calls the contract and wraps its answer (or the first error) in the envelope.
fn run<M: DeserializeOwned, T: Serialize, E: Display>(env: &[u8], msg: &[u8], call: impl FnOnce(Env, M) -> Result<T, E>) -> Vec<u8> {
    answer((|| {
        let env: Env = parse(env)?;
        let msg: M = parse(msg)?;
        call(env, msg).map_err(|e| e.to_string())
    })())
}

/// Pure functions over the raw argument bytes, so the native tests can drive the same glue the wasm uses.
pub fn run_instantiate<M: DeserializeOwned, E: Display>(
    function: &dyn Fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
    deps: DepsMut,
    env: &[u8],
    info: &[u8],
    msg: &[u8],
) -> Vec<u8> {
    match parse::<MessageInfo>(info) {
        Ok(info) => run(env, msg, |env, msg| function(deps, env, info, msg)),
        Err(error) => answer::<Response>(Err(error)),
    }
}

pub fn run_execute<M: DeserializeOwned, E: Display>(
    function: &dyn Fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
    deps: DepsMut,
    env: &[u8],
    info: &[u8],
    msg: &[u8],
) -> Vec<u8> {
    run_instantiate(function, deps, env, info, msg)
}

pub fn run_migrate<M: DeserializeOwned, E: Display>(
    function: &dyn Fn(DepsMut, Env, M) -> Result<Response, E>,
    deps: DepsMut,
    env: &[u8],
    msg: &[u8],
) -> Vec<u8> {
    run(env, msg, |env, msg| function(deps, env, msg))
}

pub fn run_query<M: DeserializeOwned, E: Display>(
    function: &dyn Fn(Deps, Env, M) -> Result<Binary, E>,
    deps: Deps,
    env: &[u8],
    msg: &[u8],
) -> Vec<u8> {
    run(env, msg, |env, msg| function(deps, env, msg))
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::*;
    use crate::deps::OwnedDeps;
    use crate::imports::{ExternalApi, ExternalQuerier, ExternalStorage};
    use crate::memory::{consume_region, release_buffer, Region};
    use crate::panic_hook::install_panic_hook;

    fn external_deps() -> OwnedDeps<ExternalStorage, ExternalApi, ExternalQuerier> {
        OwnedDeps { storage: ExternalStorage, api: ExternalApi, querier: ExternalQuerier }
    }

    unsafe fn take(pointer: u32) -> Vec<u8> {
        consume_region(pointer as *mut Region)
    }

    pub fn do_instantiate<M: DeserializeOwned, E: Display>(
        function: &dyn Fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
        env_ptr: u32,
        info_ptr: u32,
        msg_ptr: u32,
    ) -> u32 {
        install_panic_hook();
        let (env, info, msg) = unsafe { (take(env_ptr), take(info_ptr), take(msg_ptr)) };
        let mut deps = external_deps();
        release_buffer(run_instantiate(function, deps.as_mut(), &env, &info, &msg)) as u32
    }

    pub fn do_execute<M: DeserializeOwned, E: Display>(
        function: &dyn Fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>,
        env_ptr: u32,
        info_ptr: u32,
        msg_ptr: u32,
    ) -> u32 {
        do_instantiate(function, env_ptr, info_ptr, msg_ptr)
    }

    pub fn do_migrate<M: DeserializeOwned, E: Display>(
        function: &dyn Fn(DepsMut, Env, M) -> Result<Response, E>,
        env_ptr: u32,
        msg_ptr: u32,
    ) -> u32 {
        install_panic_hook();
        let (env, msg) = unsafe { (take(env_ptr), take(msg_ptr)) };
        let mut deps = external_deps();
        release_buffer(run_migrate(function, deps.as_mut(), &env, &msg)) as u32
    }

    pub fn do_query<M: DeserializeOwned, E: Display>(
        function: &dyn Fn(Deps, Env, M) -> Result<Binary, E>,
        env_ptr: u32,
        msg_ptr: u32,
    ) -> u32 {
        install_panic_hook();
        let (env, msg) = unsafe { (take(env_ptr), take(msg_ptr)) };
        let deps = external_deps();
        release_buffer(run_query(function, deps.as_ref(), &env, &msg)) as u32
    }
}

#[cfg(target_arch = "wasm32")]
pub use wasm::{do_execute, do_instantiate, do_migrate, do_query};

/// Natively there is no VM to call these; they exist so that `entry_points!` expands the same everywhere.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    pub fn do_instantiate<M, E>(_: &dyn Fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>, _: u32, _: u32, _: u32) -> u32 {
        unreachable!("entry points are only called by a wasm VM")
    }
    pub fn do_execute<M, E>(_: &dyn Fn(DepsMut, Env, MessageInfo, M) -> Result<Response, E>, _: u32, _: u32, _: u32) -> u32 {
        unreachable!("entry points are only called by a wasm VM")
    }
    pub fn do_migrate<M, E>(_: &dyn Fn(DepsMut, Env, M) -> Result<Response, E>, _: u32, _: u32) -> u32 {
        unreachable!("entry points are only called by a wasm VM")
    }
    pub fn do_query<M, E>(_: &dyn Fn(Deps, Env, M) -> Result<Binary, E>, _: u32, _: u32) -> u32 {
        unreachable!("entry points are only called by a wasm VM")
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{do_execute, do_instantiate, do_migrate, do_query};

/// Exports a contract's entry points under the names the VM calls (only when building for wasm32):
/// ```text
/// gridcoop_vm::entry_points! {
///     instantiate: crate::contract::instantiate,
///     execute: crate::contract::execute,
///     query: crate::contract::query,
///     migrate: crate::contract::migrate,
/// }
/// ```
#[macro_export]
macro_rules! entry_points {
    (instantiate: $instantiate:path, execute: $execute:path, query: $query:path, migrate: $migrate:path $(,)?) => {
        #[cfg(target_arch = "wasm32")]
        mod __gridcoop_vm_entry_points {
            #[no_mangle]
            extern "C" fn instantiate(env_ptr: u32, info_ptr: u32, msg_ptr: u32) -> u32 {
                $crate::do_instantiate(&$instantiate, env_ptr, info_ptr, msg_ptr)
            }
            #[no_mangle]
            extern "C" fn execute(env_ptr: u32, info_ptr: u32, msg_ptr: u32) -> u32 {
                $crate::do_execute(&$execute, env_ptr, info_ptr, msg_ptr)
            }
            #[no_mangle]
            extern "C" fn query(env_ptr: u32, msg_ptr: u32) -> u32 {
                $crate::do_query(&$query, env_ptr, msg_ptr)
            }
            #[no_mangle]
            extern "C" fn migrate(env_ptr: u32, msg_ptr: u32) -> u32 {
                $crate::do_migrate(&$migrate, env_ptr, msg_ptr)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::mock_dependencies;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    enum PingMsg {
        Ping { times: u8 },
    }

    fn ping(_: DepsMut, _: Env, _: MessageInfo, msg: PingMsg) -> Result<Response, StdError> {
        let PingMsg::Ping { times } = msg;
        Ok(Response::new().add_attribute("action", "ping").add_attribute("times", times))
    }

    const ENV: &[u8] = br#"{"block":{"height":1,"time":"1000000000","chain_id":"t"},"contract":{"address":"c"}}"#;
    const INFO: &[u8] = br#"{"sender":"s","funds":[]}"#;

    #[test]
    fn a_valid_message_answers_ok_with_the_response() {
        let mut deps = mock_dependencies();
        let out = run_execute(&ping, deps.as_mut(), ENV, INFO, br#"{"ping":{"times":3}}"#);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            r#"{"ok":{"messages":[],"attributes":[{"key":"action","value":"ping"},{"key":"times","value":"3"}],"events":[],"data":null}}"#
        );
    }

    #[test]
    fn malformed_json_answers_an_error_naming_the_message_type() {
        let mut deps = mock_dependencies();
        let out = String::from_utf8(run_execute(&ping, deps.as_mut(), ENV, INFO, b"{\"ping\":")).unwrap();
        assert!(out.starts_with(r#"{"error":"Error parsing into type "#), "{}", out);
        assert!(out.contains("PingMsg"), "{}", out);
        let out = String::from_utf8(run_execute(&ping, deps.as_mut(), ENV, INFO, br#"{"ping":{"times":300}}"#)).unwrap();
        assert!(out.starts_with(r#"{"error":"#), "{}", out);
    }
}
