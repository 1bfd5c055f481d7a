//! ferrite: a Redis-compatible, single-threaded in-memory server.

pub mod alloc;
pub mod blocking;
pub mod cmd;
pub mod config;
pub mod conn;
pub mod db;
pub mod errors;
pub mod reactor;
pub mod resp;
pub mod script;
pub mod server;
pub mod sys;
pub mod types;
pub mod util;
