//! ferrite: a Redis-compatible, single-threaded in-memory server.

/// The Redis version ferrite answers as (HELLO, INFO), so clients that
/// pick features by version treat it as the Redis it replaces.
pub const REDIS_VERSION: &str = "7.0.15";

pub mod alloc;
pub mod blocking;
pub mod clients;
pub mod cmd;
pub mod config;
pub mod conn;
pub mod db;
pub mod errors;
pub mod monitor;
pub mod observ;
pub mod reactor;
pub mod resp;
pub mod script;
pub mod server;
pub mod sys;
pub mod types;
pub mod util;
