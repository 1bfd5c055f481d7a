//! The collection types stored in values: their in-memory structures and
//! compact encodings, free of any protocol or command logic.

pub mod hash;
pub mod intset;
pub mod list;
pub mod set;
pub mod skiplist;
pub mod zpack;
pub mod zset;
