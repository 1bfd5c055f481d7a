//! The wire protocol: the request parser and the reply writer.

pub mod parse;
pub mod reply;

pub use parse::{Args, ParseError, Parsed, Parser};
pub use reply::Reply;
