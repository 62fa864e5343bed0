//! The host functions of interface_version_8 and the Storage/Api/Querier implementations over them.
//! Only compiled for wasm32; natively the `testing` mocks stand in.
#![cfg(target_arch = "wasm32")]

use crate::addr::Addr;
use crate::api::Api;
use crate::binary::Binary;
use crate::errors::{StdError, StdResult};
use crate::memory::{borrowed_region, consume_region, Region};
use crate::querier::Querier;
use crate::storage::{Order, Record, Storage};

extern "C" {
    fn db_read(key: u32) -> u32;
    fn db_write(key: u32, value: u32);
    fn db_remove(key: u32);
    fn db_scan(start_ptr: u32, end_ptr: u32, order: i32) -> u32;
    fn db_next(iterator_id: u32) -> u32;
    fn addr_validate(source_ptr: u32) -> u32;
    fn debug(source_ptr: u32);
    fn abort(source_ptr: u32);
    fn query_chain(request: u32) -> u32;
}

/// The longest address the chain's addr_validate accepts; checked first so we never hand it a huge buffer.
const MAX_ADDRESS_LENGTH: usize = 256;

fn region_ptr(region: &Region) -> u32 {
    region as *const Region as u32
}

pub(crate) fn abort_with(message: &str) {
    let region = borrowed_region(message.as_bytes());
    unsafe { abort(region_ptr(&region)) };
}

#[derive(Default)]
pub struct ExternalStorage;

impl Storage for ExternalStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let key_region = borrowed_region(key);
        let result = unsafe { db_read(region_ptr(&key_region)) };
        if result == 0 {
            return None;
        }
        Some(unsafe { consume_region(result as *mut Region) })
    }

    fn range<'a>(&'a self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> Box<dyn Iterator<Item = Record> + 'a> {
        let start_region = start.map(borrowed_region);
        let end_region = end.map(borrowed_region);
        let start_ptr = start_region.as_ref().map(|r| region_ptr(r)).unwrap_or(0);
        let end_ptr = end_region.as_ref().map(|r| region_ptr(r)).unwrap_or(0);
        // The VM gives an opaque handle (an iterator id on a chain, a region pointer in cw-simulate): we only pass it back.
        let iterator_id = unsafe { db_scan(start_ptr, end_ptr, order as i32) };
        Box::new(ExternalIterator { iterator_id, done: false })
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        let key_region = borrowed_region(key);
        let value_region = borrowed_region(value);
        unsafe { db_write(region_ptr(&key_region), region_ptr(&value_region)) };
    }

    fn remove(&mut self, key: &[u8]) {
        let key_region = borrowed_region(key);
        unsafe { db_remove(region_ptr(&key_region)) };
    }
}

struct ExternalIterator {
    iterator_id: u32,
    done: bool,
}

impl Iterator for ExternalIterator {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        let pointer = unsafe { db_next(self.iterator_id) };
        let data = unsafe { consume_region(pointer as *mut Region) };
        // Layout: key || keylen(u32 BE) || value || valuelen(u32 BE); an empty key marks the end.
        let (rest, value) = split_tail_section(&data);
        let (_, key) = split_tail_section(rest);
        if key.is_empty() {
            self.done = true;
            return None;
        }
        Some((key.to_vec(), value.to_vec()))
    }
}

fn split_tail_section(data: &[u8]) -> (&[u8], &[u8]) {
    let len_at = data.len() - 4;
    let len = u32::from_be_bytes([data[len_at], data[len_at + 1], data[len_at + 2], data[len_at + 3]]) as usize;
    let section_at = len_at - len;
    (&data[..section_at], &data[section_at..len_at])
}

#[derive(Default)]
pub struct ExternalApi;

impl Api for ExternalApi {
    fn addr_validate(&self, human: &str) -> StdResult<Addr> {
        if human.is_empty() {
            return Err(StdError::generic_err("invalid address: empty"));
        }
        if human.len() > MAX_ADDRESS_LENGTH {
            return Err(StdError::generic_err(format!("invalid address: longer than {} bytes", MAX_ADDRESS_LENGTH)));
        }
        let source = borrowed_region(human.as_bytes());
        let result = unsafe { addr_validate(region_ptr(&source)) };
        if result != 0 {
            let error = unsafe { consume_region(result as *mut Region) };
            return Err(StdError::generic_err(format!(
                "invalid address '{}': {}",
                human,
                String::from_utf8_lossy(&error)
            )));
        }
        Ok(Addr::unchecked(human))
    }

    fn debug(&self, message: &str) {
        let region = borrowed_region(message.as_bytes());
        unsafe { debug(region_ptr(&region)) };
    }
}

#[derive(Default)]
pub struct ExternalQuerier;

impl Querier for ExternalQuerier {
    fn raw_query(&self, request: &[u8]) -> StdResult<Binary> {
        let request_region = borrowed_region(request);
        let pointer = unsafe { query_chain(region_ptr(&request_region)) };
        let answer = unsafe { consume_region(pointer as *mut Region) };
        crate::querier::parse_query_envelope(&answer)
    }
}
