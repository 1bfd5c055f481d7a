//! The collection types stored in values: their in-memory structures,
//! free of any protocol or command logic.

pub mod hash;
pub mod list;
