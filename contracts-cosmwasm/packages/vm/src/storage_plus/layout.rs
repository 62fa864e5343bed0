//! Byte layout of storage keys (cw-storage-plus compatible).

use crate::errors::{StdError, StdResult};

/// `len(part) as u16 BE || part`; parts longer than u16::MAX cannot be length-prefixed (cw-storage-plus panics too).
pub(crate) fn length_prefixed(part: &[u8]) -> Vec<u8> {
    assert!(part.len() <= u16::MAX as usize, "storage key part longer than 65535 bytes");
    let mut out = Vec::with_capacity(part.len() + 2);
    out.extend_from_slice(&(part.len() as u16).to_be_bytes());
    out.extend_from_slice(part);
    out
}

/// namespace and all `prefix_parts` length-prefixed: the common start of every key under them.
pub(crate) fn nested_prefix(namespace: &[u8], prefix_parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = length_prefixed(namespace);
    for part in prefix_parts {
        out.extend_from_slice(&length_prefixed(part));
    }
    out
}

/// Key parts as stored after a prefix: all but the last length-prefixed, the last raw.
pub(crate) fn joined_parts(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some((last, init)) = parts.split_last() {
        for part in init {
            out.extend_from_slice(&length_prefixed(part));
        }
        out.extend_from_slice(last);
    }
    out
}

/// Splits a length-prefixed part off the front of `raw`.
pub(crate) fn split_length_prefixed(raw: &[u8]) -> StdResult<(&[u8], &[u8])> {
    if raw.len() < 2 {
        return Err(StdError::generic_err("storage key too short for a length prefix"));
    }
    let len = u16::from_be_bytes([raw[0], raw[1]]) as usize;
    if raw.len() < 2 + len {
        return Err(StdError::generic_err("storage key shorter than its length prefix says"));
    }
    Ok((&raw[2..2 + len], &raw[2 + len..]))
}

/// The smallest byte string greater than every string starting with `prefix` (None when there is none).
pub(crate) fn prefix_upper_bound(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last < u8::MAX {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}
