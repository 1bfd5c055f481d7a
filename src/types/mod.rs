//! Collection types stored under keys, with their compact encodings.

pub mod intset;
pub mod set;
pub mod skiplist;
pub mod zpack;
pub mod zset;
