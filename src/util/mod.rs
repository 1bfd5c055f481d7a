//! Small, dependency-free helpers whose byte-exact behaviour must match Redis.

pub mod float;
pub mod glob;
pub mod longdouble;
pub mod num;
