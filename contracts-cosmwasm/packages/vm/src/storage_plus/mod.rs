//! Typed storage (Item, Map, Prefix, Bound) with cw-storage-plus's key layout, so data written here reads back
//! under cw-storage-plus after a port: a namespace and every key part but the last carry a 2-byte big-endian
//! length prefix; integers are big-endian so byte order is numeric order.

mod bound;
mod item;
mod keys;
mod layout;
mod map;
mod prefix;

pub use bound::Bound;
pub use item::Item;
pub use keys::{Prefixer, PrimaryKey};
pub use map::Map;
pub use prefix::Prefix;
