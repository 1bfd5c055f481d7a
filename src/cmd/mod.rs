//! The command table and dispatch.
//!
//! One static row per command (name, arity, flags, key positions, handler)
//! serves dispatch now and COMMAND / COMMAND INFO later. Dispatch follows
//! Redis's `processCommand` order: unknown command, then arity, then the
//! handler; handlers never check arity themselves.

pub mod client;
pub mod command;
pub mod config;
pub mod connection;
pub mod expire;
pub mod hash;
pub mod info;
pub mod keys;
pub mod latency;
pub mod list;
pub mod memory;
pub mod meta;
pub mod multi;
pub mod object;
pub mod scripting;
pub mod server;
pub mod set;
pub mod slowlog;
pub mod string;
pub mod zset;

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::conn::ClientState;
use crate::db::Db;
use crate::errors;
use crate::observ::Observ;
use crate::resp::{Args, Reply};
use crate::server::Shared;
use meta::SUBCOMMANDS;

/// What a handler may touch: its reply, its client, the shared state.
pub struct Ctx<'a> {
    pub out: Reply<'a>,
    pub client: &'a mut ClientState,
    pub shared: &'a mut Shared,
}

impl Ctx<'_> {
    /// The client's selected database.
    #[inline]
    pub fn db(&mut self) -> &mut Db {
        &mut self.shared.dbs[self.client.db]
    }

    #[inline]
    pub fn now(&self) -> u64 {
        self.shared.now_ms
    }
}

pub type Handler = fn(&mut Ctx, Args);

/// Command flags, as Redis's (COMMAND INFO reports them by name).
pub mod flags {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 3;
    pub const NOSCRIPT: u32 = 1 << 4;
    pub const LOADING: u32 = 1 << 5;
    pub const STALE: u32 = 1 << 6;
    pub const FAST: u32 = 1 << 7;
    pub const NOAUTH: u32 = 1 << 8;
    /// Refused unless `enable-debug-command` allows the client (DEBUG).
    pub const PROTECTED: u32 = 1 << 9;
    // Reported by COMMAND INFO only (Redis's names, in its order).
    pub const PUBSUB: u32 = 1 << 10;
    pub const BLOCKING: u32 = 1 << 11;
    pub const SKIP_MONITOR: u32 = 1 << 12;
    pub const SKIP_SLOWLOG: u32 = 1 << 13;
    pub const MAY_REPLICATE: u32 = 1 << 14;
    pub const NO_MANDATORY_KEYS: u32 = 1 << 15;
    pub const NO_ASYNC_LOADING: u32 = 1 << 16;
    pub const NO_MULTI: u32 = 1 << 17;
    pub const MOVABLEKEYS: u32 = 1 << 18;
    pub const ALLOW_BUSY: u32 = 1 << 19;
}

pub struct Command {
    /// Lowercase name.
    pub name: &'static str,
    /// Redis's convention: N = exactly N words with the name, -N = at least N.
    pub arity: i32,
    pub flags: u32,
    pub first_key: i32,
    pub last_key: i32,
    pub step: i32,
    pub handler: Handler,
    /// The handler's path (`string::get`): COMMAND takes the group of a
    /// command without a `meta` row from its module.
    pub path: &'static str,
}

/// Builds a table row; keeps the table below one line per command.
macro_rules! row {
    ($name:literal, $arity:expr, $flags:expr, $first:expr, $last:expr, $step:expr, $h:path) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            first_key: $first,
            last_key: $last,
            step: $step,
            handler: $h,
            path: stringify!($h),
        }
    };
}

use flags::*;

#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    // strings
    row!("get", 2, READONLY | FAST, 1, 1, 1, string::get),
    row!("set", -3, WRITE | DENYOOM, 1, 1, 1, string::set),
    row!("setnx", 3, WRITE | DENYOOM | FAST, 1, 1, 1, string::setnx),
    row!("setex", 4, WRITE | DENYOOM, 1, 1, 1, string::setex),
    row!("psetex", 4, WRITE | DENYOOM, 1, 1, 1, string::psetex),
    row!("getset", 3, WRITE | DENYOOM | FAST, 1, 1, 1, string::getset),
    row!("getdel", 2, WRITE | FAST, 1, 1, 1, string::getdel),
    row!("getex", -2, WRITE | FAST, 1, 1, 1, string::getex),
    row!("mget", -2, READONLY | FAST, 1, -1, 1, string::mget),
    row!("mset", -3, WRITE | DENYOOM, 1, -1, 2, string::mset),
    row!("msetnx", -3, WRITE | DENYOOM, 1, -1, 2, string::msetnx),
    row!("append", 3, WRITE | DENYOOM | FAST, 1, 1, 1, string::append),
    row!("strlen", 2, READONLY | FAST, 1, 1, 1, string::strlen),
    row!("getrange", 4, READONLY, 1, 1, 1, string::getrange),
    row!("substr", 4, READONLY, 1, 1, 1, string::getrange),
    row!("setrange", 4, WRITE | DENYOOM, 1, 1, 1, string::setrange),
    row!("incr", 2, WRITE | DENYOOM | FAST, 1, 1, 1, string::incr),
    row!("decr", 2, WRITE | DENYOOM | FAST, 1, 1, 1, string::decr),
    row!("incrby", 3, WRITE | DENYOOM | FAST, 1, 1, 1, string::incrby),
    row!("decrby", 3, WRITE | DENYOOM | FAST, 1, 1, 1, string::decrby),
    row!("incrbyfloat", 3, WRITE | DENYOOM | FAST, 1, 1, 1, string::incrbyfloat),
    row!("lcs", -3, READONLY, 1, 2, 1, string::lcs),
    // keys
    row!("del", -2, WRITE, 1, -1, 1, keys::del),
    row!("unlink", -2, WRITE | FAST, 1, -1, 1, keys::del),
    row!("exists", -2, READONLY | FAST, 1, -1, 1, keys::exists),
    row!("type", 2, READONLY | FAST, 1, 1, 1, keys::type_),
    row!("rename", 3, WRITE, 1, 2, 1, keys::rename),
    row!("renamenx", 3, WRITE | FAST, 1, 2, 1, keys::renamenx),
    row!("copy", -3, WRITE | DENYOOM, 1, 2, 1, keys::copy),
    row!("move", 3, WRITE | FAST, 1, 1, 1, keys::move_),
    row!("touch", -2, READONLY | FAST, 1, -1, 1, keys::touch),
    row!("randomkey", 1, READONLY, 0, 0, 0, keys::randomkey),
    row!("keys", 2, READONLY, 0, 0, 0, keys::keys),
    row!("scan", -2, READONLY, 0, 0, 0, keys::scan),
    row!("dbsize", 1, READONLY | FAST, 0, 0, 0, keys::dbsize),
    row!("select", 2, LOADING | STALE | FAST, 0, 0, 0, keys::select),
    row!("swapdb", 3, WRITE | FAST, 0, 0, 0, keys::swapdb),
    row!("flushdb", -1, WRITE, 0, 0, 0, keys::flushdb),
    row!("flushall", -1, WRITE, 0, 0, 0, keys::flushall),
    // expiry
    row!("expire", -3, WRITE | FAST, 1, 1, 1, expire::expire),
    row!("pexpire", -3, WRITE | FAST, 1, 1, 1, expire::pexpire),
    row!("expireat", -3, WRITE | FAST, 1, 1, 1, expire::expireat),
    row!("pexpireat", -3, WRITE | FAST, 1, 1, 1, expire::pexpireat),
    row!("ttl", 2, READONLY | FAST, 1, 1, 1, expire::ttl),
    row!("pttl", 2, READONLY | FAST, 1, 1, 1, expire::pttl),
    row!("expiretime", 2, READONLY | FAST, 1, 1, 1, expire::expiretime),
    row!("pexpiretime", 2, READONLY | FAST, 1, 1, 1, expire::pexpiretime),
    row!("persist", 2, WRITE | FAST, 1, 1, 1, expire::persist),
    // sets
    row!("sadd", -3, WRITE | DENYOOM | FAST, 1, 1, 1, set::sadd),
    row!("srem", -3, WRITE | FAST, 1, 1, 1, set::srem),
    row!("smembers", 2, READONLY, 1, 1, 1, set::smembers),
    row!("sismember", 3, READONLY | FAST, 1, 1, 1, set::sismember),
    row!("smismember", -3, READONLY | FAST, 1, 1, 1, set::smismember),
    row!("scard", 2, READONLY | FAST, 1, 1, 1, set::scard),
    row!("spop", -2, WRITE | FAST, 1, 1, 1, set::spop),
    row!("srandmember", -2, READONLY, 1, 1, 1, set::srandmember),
    row!("smove", 4, WRITE | FAST, 1, 2, 1, set::smove),
    row!("sinter", -2, READONLY, 1, -1, 1, set::sinter),
    row!("sintercard", -3, READONLY | MOVABLEKEYS, 0, 0, 0, set::sintercard),
    row!("sunion", -2, READONLY, 1, -1, 1, set::sunion),
    row!("sdiff", -2, READONLY, 1, -1, 1, set::sdiff),
    row!("sinterstore", -3, WRITE | DENYOOM, 1, -1, 1, set::sinterstore),
    row!("sunionstore", -3, WRITE | DENYOOM, 1, -1, 1, set::sunionstore),
    row!("sdiffstore", -3, WRITE | DENYOOM, 1, -1, 1, set::sdiffstore),
    row!("sscan", -3, READONLY, 1, 1, 1, set::sscan),
    // sorted sets
    row!("zadd", -4, WRITE | DENYOOM | FAST, 1, 1, 1, zset::zadd),
    row!("zincrby", 4, WRITE | DENYOOM | FAST, 1, 1, 1, zset::zincrby),
    row!("zrem", -3, WRITE | FAST, 1, 1, 1, zset::zrem),
    row!("zscore", 3, READONLY | FAST, 1, 1, 1, zset::zscore),
    row!("zmscore", -3, READONLY | FAST, 1, 1, 1, zset::zmscore),
    row!("zcard", 2, READONLY | FAST, 1, 1, 1, zset::zcard),
    row!("zcount", 4, READONLY | FAST, 1, 1, 1, zset::zcount),
    row!("zlexcount", 4, READONLY | FAST, 1, 1, 1, zset::zlexcount),
    row!("zrank", 3, READONLY | FAST, 1, 1, 1, zset::zrank),
    row!("zrevrank", 3, READONLY | FAST, 1, 1, 1, zset::zrevrank),
    row!("zrange", -4, READONLY, 1, 1, 1, zset::zrange),
    row!("zrangestore", -5, WRITE | DENYOOM, 1, 2, 1, zset::zrangestore),
    row!("zrangebyscore", -4, READONLY, 1, 1, 1, zset::zrangebyscore),
    row!("zrevrangebyscore", -4, READONLY, 1, 1, 1, zset::zrevrangebyscore),
    row!("zrangebylex", -4, READONLY, 1, 1, 1, zset::zrangebylex),
    row!("zrevrangebylex", -4, READONLY, 1, 1, 1, zset::zrevrangebylex),
    row!("zrevrange", -4, READONLY, 1, 1, 1, zset::zrevrange),
    row!("zremrangebyrank", 4, WRITE, 1, 1, 1, zset::zremrangebyrank),
    row!("zremrangebyscore", 4, WRITE, 1, 1, 1, zset::zremrangebyscore),
    row!("zremrangebylex", 4, WRITE, 1, 1, 1, zset::zremrangebylex),
    row!("zpopmin", -2, WRITE | FAST, 1, 1, 1, zset::zpopmin),
    row!("zpopmax", -2, WRITE | FAST, 1, 1, 1, zset::zpopmax),
    row!("zmpop", -4, WRITE | MOVABLEKEYS, 0, 0, 0, zset::zmpop),
    row!("zrandmember", -2, READONLY, 1, 1, 1, zset::zrandmember),
    row!("zunion", -3, READONLY | MOVABLEKEYS, 0, 0, 0, zset::zunion),
    row!("zinter", -3, READONLY | MOVABLEKEYS, 0, 0, 0, zset::zinter),
    row!("zdiff", -3, READONLY | MOVABLEKEYS, 0, 0, 0, zset::zdiff),
    row!("zunionstore", -4, WRITE | DENYOOM | MOVABLEKEYS, 1, 1, 1, zset::zunionstore),
    row!("zinterstore", -4, WRITE | DENYOOM | MOVABLEKEYS, 1, 1, 1, zset::zinterstore),
    row!("zdiffstore", -4, WRITE | DENYOOM | MOVABLEKEYS, 1, 1, 1, zset::zdiffstore),
    row!("zintercard", -3, READONLY | MOVABLEKEYS, 0, 0, 0, zset::zintercard),
    row!("zscan", -3, READONLY, 1, 1, 1, zset::zscan),
    // lists
    row!("lpush", -3, WRITE | DENYOOM | FAST, 1, 1, 1, list::lpush),
    row!("rpush", -3, WRITE | DENYOOM | FAST, 1, 1, 1, list::rpush),
    row!("lpushx", -3, WRITE | DENYOOM | FAST, 1, 1, 1, list::lpushx),
    row!("rpushx", -3, WRITE | DENYOOM | FAST, 1, 1, 1, list::rpushx),
    row!("lpop", -2, WRITE | FAST, 1, 1, 1, list::lpop),
    row!("rpop", -2, WRITE | FAST, 1, 1, 1, list::rpop),
    row!("llen", 2, READONLY | FAST, 1, 1, 1, list::llen),
    row!("lrange", 4, READONLY, 1, 1, 1, list::lrange),
    row!("lindex", 3, READONLY, 1, 1, 1, list::lindex),
    row!("lset", 4, WRITE | DENYOOM, 1, 1, 1, list::lset),
    row!("linsert", 5, WRITE | DENYOOM, 1, 1, 1, list::linsert),
    row!("lrem", 4, WRITE, 1, 1, 1, list::lrem),
    row!("ltrim", 4, WRITE, 1, 1, 1, list::ltrim),
    row!("lpos", -3, READONLY, 1, 1, 1, list::lpos),
    row!("lmove", 5, WRITE | DENYOOM, 1, 2, 1, list::lmove),
    row!("rpoplpush", 3, WRITE | DENYOOM, 1, 2, 1, list::rpoplpush),
    row!("lmpop", -4, WRITE | MOVABLEKEYS, 0, 0, 0, list::lmpop),
    row!("blpop", -3, WRITE | BLOCKING | NOSCRIPT, 1, -2, 1, list::blpop),
    row!("brpop", -3, WRITE | BLOCKING | NOSCRIPT, 1, -2, 1, list::brpop),
    row!("blmove", 6, WRITE | DENYOOM | BLOCKING | NOSCRIPT, 1, 2, 1, list::blmove),
    row!("brpoplpush", 4, WRITE | DENYOOM | BLOCKING | NOSCRIPT, 1, 2, 1, list::brpoplpush),
    row!("blmpop", -5, WRITE | BLOCKING | MOVABLEKEYS, 0, 0, 0, list::blmpop),
    row!("bzpopmin", -3, WRITE | FAST | BLOCKING | NOSCRIPT, 1, -2, 1, zset::bzpopmin),
    row!("bzpopmax", -3, WRITE | FAST | BLOCKING | NOSCRIPT, 1, -2, 1, zset::bzpopmax),
    row!("bzmpop", -5, WRITE | BLOCKING | MOVABLEKEYS, 0, 0, 0, zset::bzmpop),
    // hashes
    row!("hset", -4, WRITE | DENYOOM | FAST, 1, 1, 1, hash::hset),
    row!("hmset", -4, WRITE | DENYOOM | FAST, 1, 1, 1, hash::hmset),
    row!("hsetnx", 4, WRITE | DENYOOM | FAST, 1, 1, 1, hash::hsetnx),
    row!("hget", 3, READONLY | FAST, 1, 1, 1, hash::hget),
    row!("hmget", -3, READONLY | FAST, 1, 1, 1, hash::hmget),
    row!("hgetall", 2, READONLY, 1, 1, 1, hash::hgetall),
    row!("hkeys", 2, READONLY, 1, 1, 1, hash::hkeys),
    row!("hvals", 2, READONLY, 1, 1, 1, hash::hvals),
    row!("hdel", -3, WRITE | FAST, 1, 1, 1, hash::hdel),
    row!("hexists", 3, READONLY | FAST, 1, 1, 1, hash::hexists),
    row!("hlen", 2, READONLY | FAST, 1, 1, 1, hash::hlen),
    row!("hstrlen", 3, READONLY | FAST, 1, 1, 1, hash::hstrlen),
    row!("hincrby", 4, WRITE | DENYOOM | FAST, 1, 1, 1, hash::hincrby),
    row!("hincrbyfloat", 4, WRITE | DENYOOM | FAST, 1, 1, 1, hash::hincrbyfloat),
    row!("hrandfield", -2, READONLY, 1, 1, 1, hash::hrandfield),
    row!("hscan", -3, READONLY, 1, 1, 1, hash::hscan),
    row!("object", -2, READONLY, 0, 0, 0, object::object),
    // server and connection
    row!("ping", -1, FAST, 0, 0, 0, server::ping),
    row!("echo", 2, LOADING | STALE | FAST, 0, 0, 0, server::echo),
    row!("quit", -1, NOSCRIPT | LOADING | STALE | FAST | NOAUTH | ALLOW_BUSY, 0, 0, 0, server::quit),
    row!("hello", -1, NOSCRIPT | LOADING | STALE | FAST | NOAUTH | ALLOW_BUSY, 0, 0, 0, connection::hello),
    row!("auth", -2, NOSCRIPT | LOADING | STALE | FAST | NOAUTH | ALLOW_BUSY, 0, 0, 0, connection::auth),
    row!("reset", 1, NOSCRIPT | LOADING | STALE | FAST | NOAUTH | ALLOW_BUSY, 0, 0, 0, connection::reset),
    row!("command", -1, LOADING | STALE, 0, 0, 0, command::command),
    row!("time", 1, FAST | LOADING | STALE, 0, 0, 0, server::time),
    row!("config", -2, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, config::config),
    row!("debug", -2, ADMIN | NOSCRIPT | LOADING | STALE | PROTECTED, 0, 0, 0, server::debug),
    row!("client", -2, NOSCRIPT | LOADING | STALE, 0, 0, 0, client::client),
    row!("info", -1, LOADING | STALE, 0, 0, 0, info::info),
    // transactions
    row!("multi", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, 0, 0, 0, multi::multi),
    row!("exec", 1, NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG, 0, 0, 0, multi::exec),
    row!("discard", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, 0, 0, 0, multi::discard),
    row!("watch", -2, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, 1, -1, 1, multi::watch),
    row!("unwatch", 1, NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY, 0, 0, 0, multi::unwatch),
    // scripting
    row!("eval", -3, NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLEKEYS, 0, 0, 0, scripting::eval),
    row!("evalsha", -3, NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLEKEYS, 0, 0, 0, scripting::evalsha),
    row!("eval_ro", -3, READONLY | NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLEKEYS, 0, 0, 0, scripting::eval_ro),
    row!("evalsha_ro", -3, READONLY | NOSCRIPT | STALE | SKIP_MONITOR | NO_MANDATORY_KEYS | MOVABLEKEYS, 0, 0, 0, scripting::evalsha_ro),
    row!("script", -2, 0, 0, 0, 0, scripting::script),
    row!("shutdown", -1, ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY, 0, 0, 0, server::shutdown),
    // observability
    row!("slowlog", -2, ADMIN | LOADING | STALE, 0, 0, 0, slowlog::slowlog),
    row!("latency", -2, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, latency::latency),
    row!("monitor", 1, ADMIN | NOSCRIPT | LOADING | STALE, 0, 0, 0, server::monitor),
    row!("memory", -2, 0, 0, 0, 0, memory::memory),
    row!("lastsave", 1, LOADING | STALE | FAST, 0, 0, 0, server::lastsave),
    row!("role", 1, NOSCRIPT | LOADING | STALE | FAST, 0, 0, 0, server::role),
];

/// Longest command name looked up; longer names are unknown.
const MAX_NAME: usize = 32;

pub struct Table {
    /// Name to row index in `COMMANDS` (the row's statistics index) and
    /// whether it is a container (CONFIG, CLIENT, ...) whose subcommand
    /// names its `cmd=` in CLIENT LIST.
    by_name: HashMap<&'static [u8], (usize, bool), ahash::RandomState>,
    /// Per row, its range of `meta::SUBCOMMANDS` (empty unless a container).
    subs: Vec<(u16, u16)>,
}

impl Default for Table {
    fn default() -> Self {
        Self::new()
    }
}

/// The command table, built once (EXEC and scripts dispatch through it).
pub fn table() -> &'static Table {
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    TABLE.get_or_init(Table::new)
}

impl Table {
    pub fn new() -> Self {
        let by_name = COMMANDS
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_bytes(), (i, meta::is_container(c.name))))
            .collect();
        let subs = COMMANDS.iter().map(|c| sub_range(c.name)).collect();
        Table { by_name, subs }
    }

    /// Finds a command by name, case-insensitively, without allocating.
    #[inline]
    pub fn lookup(&self, name: &[u8]) -> Option<&'static Command> {
        self.lookup_entry(name).map(|(i, _)| &COMMANDS[i])
    }

    #[inline]
    fn lookup_entry(&self, name: &[u8]) -> Option<(usize, bool)> {
        if name.len() > MAX_NAME {
            return None;
        }
        let mut buf = [0u8; MAX_NAME];
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        self.by_name.get(&*lower).copied()
    }

    /// Whether a command named `name` waits out a CLIENT PAUSE of `mode`
    /// (unknown commands are answered at once, as Redis rejects them
    /// before it checks the pause).
    pub fn must_wait(&self, mode: crate::clients::PauseMode, name: &[u8]) -> bool {
        use crate::clients::PauseMode;
        match self.lookup(name) {
            None => false,
            Some(_) if mode == PauseMode::All => true,
            Some(c) => c.flags & (WRITE | MAY_REPLICATE) != 0,
        }
    }

    /// Runs one command; with CLIENT REPLY OFF or SKIP in force, whatever
    /// it wrote is dropped again.
    pub fn dispatch(&self, ctx: &mut Ctx, args: Args) {
        use crate::clients::reply::{OFF, SKIP, SKIP_NEXT};
        let mark = ctx.out.len();
        self.process_command(ctx, args);
        let r = ctx.client.reply;
        if r == 0 {
            return;
        }
        if r & (OFF | SKIP) != 0 {
            ctx.out.truncate(mark);
        }
        // Redis's resetClient: SKIP lasts one command; SKIP_NEXT becomes it.
        ctx.client.reply = (r & OFF) | if r & SKIP_NEXT != 0 { SKIP } else { 0 };
    }

    /// Redis's `processCommand` then `call`: existence, arity, protection
    /// and authentication checks, the handler, then statistics, the slow
    /// log, the latency monitor and MONITOR's feed. Every error reply
    /// written here or by the handler is counted.
    fn process_command(&self, ctx: &mut Ctx, args: Args) {
        let mark = ctx.out.len();
        let name = args.get(0);
        let Some((idx, container)) = self.lookup_entry(name) else {
            multi::flag_error(ctx.client);
            errors::unknown_command(&mut ctx.out, name, args.iter().skip(1));
            return count_errors(ctx, mark);
        };
        let cmd = &COMMANDS[idx];
        let argc = args.len() as i32;
        // A container's statistics go to its subcommand (COMMAND alone
        // runs as itself). An unknown subcommand is refused here, before
        // arity and authentication, as Redis's commandCheckExistence.
        let mut stat = idx;
        if container && argc >= 2 {
            let (first, end) = self.subs[idx];
            let sub = args.get(1);
            let skip = cmd.name.len() + 1;
            let Some(i) = SUBCOMMANDS[first as usize..end as usize]
                .iter()
                .position(|s| sub.eq_ignore_ascii_case(&s.name.as_bytes()[skip..]))
            else {
                ctx.client.last_cmd = cmd.name;
                multi::flag_error(ctx.client);
                errors::unknown_subcommand(&mut ctx.out, &cmd.name.to_ascii_uppercase(), sub);
                return count_errors(ctx, mark);
            };
            stat = COMMANDS.len() + first as usize + i;
        }
        // What CLIENT LIST shows as `cmd=`: the subcommand when known.
        ctx.client.last_cmd = Observ::stat_name(stat);
        if (cmd.arity > 0 && argc != cmd.arity) || argc < -cmd.arity {
            multi::flag_error(ctx.client);
            errors::wrong_arity(&mut ctx.out, cmd.name);
            return reject(ctx, idx, mark);
        }
        if let Some(sub) = stat.checked_sub(COMMANDS.len()).map(|s| &SUBCOMMANDS[s])
            && ((sub.arity > 0 && argc != sub.arity) || argc < -sub.arity)
        {
            multi::flag_error(ctx.client);
            errors::wrong_arity(&mut ctx.out, sub.name);
            return reject(ctx, stat, mark);
        }
        if cmd.flags & PROTECTED != 0 && !protected_allowed(ctx) {
            multi::flag_error(ctx.client);
            ctx.out.raw(errors::DEBUG_NOT_ALLOWED);
            return reject(ctx, stat, mark);
        }
        if !ctx.client.authenticated && cmd.flags & NOAUTH == 0 {
            multi::flag_error(ctx.client);
            ctx.out.raw(errors::NOAUTH);
            return reject(ctx, stat, mark);
        }
        if ctx.client.monitor && cmd.flags & (READONLY | WRITE) != 0 {
            multi::flag_error(ctx.client);
            ctx.out.raw(errors::REPLICA_KEYSPACE);
            return reject(ctx, stat, mark);
        }
        if multi::in_multi(ctx.client) {
            if cmd.flags & NO_MULTI != 0 {
                multi::flag_error(ctx.client);
                ctx.out.raw(errors::NOT_IN_MULTI);
                return reject(ctx, stat, mark);
            }
            if !multi::runs_in_multi(cmd) {
                return multi::queue(ctx, cmd, args);
            }
        }
        run_handler(ctx, cmd, args);
        // Counted after running, as Redis: INFO does not count itself.
        ctx.shared.stats.total_commands += 1;
        let failed = ctx.out.buffer().get(mark) == Some(&b'-');
        // A command that blocked counts as a call, but adds no histogram
        // sample and is not judged slow, as in Redis 7.0.
        let blocked = cmd.flags & BLOCKING != 0 && ctx.client.blocked;
        let obs = &mut ctx.shared.observ;
        let ns = obs.command_done(stat, failed, !blocked);
        if failed {
            obs.count_error(&ctx.out.buffer()[mark..]);
        }
        if !blocked && obs.is_slow(ns) {
            slow_command(ctx, cmd, args, ns);
        }
        if ctx.shared.monitors.active() && cmd.flags & ADMIN == 0 {
            let now_us = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_micros() as u64);
            let client = &*ctx.client;
            ctx.shared
                .monitors
                .feed(now_us, client.db, &client.addr, &args);
        }
    }
}

/// Runs a command a transaction queued or a script called, after its
/// checks (Redis's `call` for EXEC and `redis.call`): counts it, with
/// WATCH's in-place check as for a client's command.
pub fn call(ctx: &mut Ctx, cmd: &'static Command, args: Args) {
    run_handler(ctx, cmd, args);
    ctx.shared.stats.total_commands += 1;
}

/// The handler; while keys of the client's database are WATCHed, a write
/// command signals the in-place changes the keyspace cannot see.
#[inline]
fn run_handler(ctx: &mut Ctx, cmd: &'static Command, args: Args) {
    if cmd.flags & WRITE != 0 && ctx.shared.dbs[ctx.client.db].has_watched() {
        multi::call_watched(ctx, cmd, args);
    } else {
        (cmd.handler)(ctx, args);
    }
}

/// The rows of `meta::SUBCOMMANDS` under `parent` (contiguous there).
fn sub_range(parent: &str) -> (u16, u16) {
    let under = |d: &meta::Doc| {
        d.name.len() > parent.len()
            && d.name.starts_with(parent)
            && d.name.as_bytes()[parent.len()] == b'|'
    };
    match SUBCOMMANDS.iter().position(under) {
        Some(first) => {
            let n = SUBCOMMANDS[first..].iter().take_while(|d| under(d)).count();
            (first as u16, (first + n) as u16)
        }
        None => (0, 0),
    }
}

/// Counts the error reply written since `mark`, if there is one.
fn count_errors(ctx: &mut Ctx, mark: usize) {
    let out = ctx.out.buffer();
    if out.get(mark) == Some(&b'-') {
        ctx.shared.observ.count_error(&out[mark..]);
    }
}

/// A command refused before running: Redis's `rejected_calls`.
fn reject(ctx: &mut Ctx, stat: usize, mark: usize) {
    ctx.shared.observ.cmds[stat].rejected += 1;
    count_errors(ctx, mark);
}

/// Past the slow threshold: the slow log and the latency monitor, each
/// with its own threshold, as Redis's `call` does.
#[cold]
fn slow_command(ctx: &mut Ctx, cmd: &Command, args: Args, ns: u64) {
    let config = &ctx.shared.config;
    // The time now, not the loop's cached one: the command may have run long.
    let now_secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let us = ns / 1000;
    let threshold = config.latency_monitor_threshold;
    if threshold > 0 && ns / 1_000_000 >= threshold {
        let event = if cmd.flags & FAST != 0 {
            "fast-command"
        } else {
            "command"
        };
        ctx.shared
            .observ
            .latency
            .add(event, ns / 1_000_000, now_secs);
    }
    let slower_than = config.slowlog_log_slower_than;
    if slower_than >= 0 && us >= slower_than as u64 {
        let max_len = config.slowlog_max_len.min(usize::MAX as u64) as usize;
        let name = args.get(0);
        let argv = (0..args.len()).map(|i| {
            if crate::monitor::redacted(name, &args, i) {
                b"(redacted)".as_slice()
            } else {
                args.get(i)
            }
        });
        let client = &*ctx.client;
        ctx.shared.observ.slowlog.push(
            argv,
            now_secs,
            us,
            client.addr.to_string(),
            client.name.clone().unwrap_or_default(),
            max_len,
        );
    }
}

/// Redis's `allowProtectedAction`: `yes`, or `local` from a loopback peer.
fn protected_allowed(ctx: &Ctx) -> bool {
    use crate::config::DebugAccess;
    match ctx.shared.config.enable_debug_command {
        DebugAccess::Yes => true,
        DebugAccess::No => false,
        DebugAccess::Local => crate::clients::is_local(ctx.client.addr.ip()),
    }
}

/// Parses a strict integer argument, or writes Redis's error and gives None.
pub fn int_arg(out: &mut Reply, a: &[u8]) -> Option<i64> {
    let v = crate::util::num::parse_i64(a);
    if v.is_none() {
        out.raw(errors::NOT_INTEGER);
    }
    v
}

/// Case-insensitive comparison of an argument with a keyword.
#[inline]
pub fn is(a: &[u8], kw: &str) -> bool {
    a.eq_ignore_ascii_case(kw.as_bytes())
}

impl<'a> Ctx<'a> {
    /// The reply writer, the selected database, the statistics and the
    /// clock, borrowed apart so a handler can hold a value from the
    /// database while it writes the reply.
    #[inline]
    pub fn split(&mut self) -> (&mut Reply<'a>, &mut Db, &mut crate::server::Stats, u64) {
        let now = self.shared.now_ms;
        let shared = &mut *self.shared;
        (
            &mut self.out,
            &mut shared.dbs[self.client.db],
            &mut shared.stats,
            now,
        )
    }
}

/// A looked-up key's value as the type `pick` selects: Ok(None) when the
/// key is missing, Err(()) after replying WRONGTYPE when it holds another
/// type. The check every collection command makes, in one place.
pub(crate) fn typed<'d, T>(
    out: &mut Reply,
    slot: Option<&'d mut crate::db::Slot>,
    pick: fn(&mut crate::db::Value) -> Option<&mut T>,
) -> Result<Option<&'d mut T>, ()> {
    match slot {
        None => Ok(None),
        Some(slot) => match pick(&mut slot.value) {
            Some(v) => Ok(Some(v)),
            None => {
                out.raw(errors::WRONGTYPE);
                Err(())
            }
        },
    }
}

/// A read lookup that counts keyspace hits and misses, as Redis's
/// `lookupKeyRead`.
#[inline]
pub fn lookup_read<'d>(
    db: &'d mut Db,
    stats: &mut crate::server::Stats,
    key: &[u8],
    now: u64,
) -> Option<&'d mut crate::db::Slot> {
    let r = db.lookup(key, now);
    if r.is_some() {
        stats.keyspace_hits += 1;
    } else {
        stats.keyspace_misses += 1;
    }
    r
}
