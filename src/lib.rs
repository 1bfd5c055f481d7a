//! ferrite: a Redis-compatible in-memory server.
