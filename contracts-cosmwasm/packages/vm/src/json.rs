//! JSON helpers with cosmwasm-std's names; errors name the Rust type that failed.

use crate::binary::Binary;
use crate::errors::{StdError, StdResult};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::any::type_name;

pub fn from_json<T: DeserializeOwned>(value: impl AsRef<[u8]>) -> StdResult<T> {
    serde_json::from_slice(value.as_ref()).map_err(|e| StdError::parse_err(short_type_name::<T>(), e))
}

pub fn to_json_vec<T: Serialize + ?Sized>(data: &T) -> StdResult<Vec<u8>> {
    serde_json::to_vec(data).map_err(|e| StdError::serialize_err(short_type_name::<T>(), e))
}

pub fn to_json_string<T: Serialize + ?Sized>(data: &T) -> StdResult<String> {
    serde_json::to_string(data).map_err(|e| StdError::serialize_err(short_type_name::<T>(), e))
}

pub fn to_json_binary<T: Serialize + ?Sized>(data: &T) -> StdResult<Binary> {
    to_json_vec(data).map(Binary)
}

/// "registry::msg::ExecuteMsg" rather than a long generic path; enough to say which message failed.
pub(crate) fn short_type_name<T: ?Sized>() -> &'static str {
    type_name::<T>()
}
