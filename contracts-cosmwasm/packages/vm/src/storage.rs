//! The Storage trait: a sorted byte key-value store, as the chain gives each contract.

pub type Record = (Vec<u8>, Vec<u8>);

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Order {
    Ascending = 1,
    Descending = 2,
}

pub trait Storage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>>;
    /// Keys in [start, end) (either side open when None) in the given order.
    fn range<'a>(&'a self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> Box<dyn Iterator<Item = Record> + 'a>;
    fn set(&mut self, key: &[u8], value: &[u8]);
    fn remove(&mut self, key: &[u8]);
}
