//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, the queue of a
//! client in MULTI, and the in-place-write check that keeps WATCH precise.
//!
//! A queued command is stored once: its arguments are appended to one
//! byte buffer and remembered as ranges, so EXEC hands handlers the same
//! borrowed [`Args`] the parser gives them, with no per-argument `Vec`.

use super::{Command, Ctx, Handler};
use crate::conn::ClientState;
use crate::db::{Db, Value};
use crate::errors;
use crate::resp::Args;

/// A client's transaction state: present while it is in MULTI or watches
/// keys, absent otherwise (so plain clients pay one `Option`).
#[derive(Default)]
pub struct Tx {
    pub in_multi: bool,
    /// A command was refused while queueing: EXEC answers EXECABORT.
    pub aborted: bool,
    /// Arguments of every queued command, back to back.
    buf: Vec<u8>,
    /// `(start, end)` of each argument in `buf`.
    ranges: Vec<(usize, usize)>,
    /// Each queued command and its slice of `ranges`.
    cmds: Vec<(&'static Command, usize, usize)>,
    /// `(db, key)` of each WATCHed key.
    watched: Vec<(usize, Vec<u8>)>,
}

impl Tx {
    fn queue(&mut self, cmd: &'static Command, args: &Args) {
        let first = self.ranges.len();
        let bytes: usize = args.iter().map(<[u8]>::len).sum();
        self.buf.reserve(bytes);
        for a in args.iter() {
            let s = self.buf.len();
            self.buf.extend_from_slice(a);
            self.ranges.push((s, self.buf.len()));
        }
        self.cmds.push((cmd, first, self.ranges.len()));
    }

    fn clear_queue(&mut self) {
        self.in_multi = false;
        self.aborted = false;
        self.buf = Vec::new();
        self.ranges = Vec::new();
        self.cmds = Vec::new();
    }
}

/// True while the client is queueing a transaction.
#[inline]
pub fn in_multi(client: &ClientState) -> bool {
    client.tx.as_ref().is_some_and(|t| t.in_multi)
}

/// True while the client watches keys.
pub fn watches(client: &ClientState) -> bool {
    client.tx.as_ref().is_some_and(|t| !t.watched.is_empty())
}

/// Marks the transaction as failed after a command was refused while
/// queueing (Redis's `flagTransaction`).
#[inline]
pub fn flag_error(client: &mut ClientState) {
    if let Some(tx) = client.tx.as_mut().filter(|t| t.in_multi) {
        tx.aborted = true;
    }
}

/// Commands that run at once inside MULTI instead of being queued.
pub fn runs_in_multi(cmd: &Command) -> bool {
    matches!(
        cmd.name,
        "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
    )
}

/// Queues a command of a client in MULTI and answers `+QUEUED`.
pub fn queue(ctx: &mut Ctx, cmd: &'static Command, args: Args) {
    if let Some(tx) = ctx.client.tx.as_mut() {
        tx.queue(cmd, &args);
    }
    ctx.out.raw(b"+QUEUED\r\n");
}

/// Drops every watch of the client (UNWATCH, EXEC, DISCARD, disconnect).
pub fn unwatch_all(client: &mut ClientState, dbs: &mut [Db]) {
    let id = client.id;
    if let Some(tx) = client.tx.as_mut() {
        drop_watches(id, &mut tx.watched, dbs);
        if !tx.in_multi {
            client.tx = None;
        }
    }
}

fn drop_watches(id: u64, watched: &mut Vec<(usize, Vec<u8>)>, dbs: &mut [Db]) {
    for (db, key) in watched.drain(..) {
        if let Some(d) = dbs.get_mut(db) {
            d.unwatch(&key, id);
        }
    }
}

/// Leaves any transaction and drops every watch (RESET).
pub fn discard_all(client: &mut ClientState, dbs: &mut [Db]) {
    unwatch_all(client, dbs);
    client.tx = None;
}

/// MULTI
pub fn multi(ctx: &mut Ctx, _args: Args) {
    if in_multi(ctx.client) {
        return ctx.out.raw(errors::MULTI_NESTED);
    }
    ctx.client.tx.get_or_insert_with(Default::default).in_multi = true;
    ctx.out.ok();
}

/// DISCARD
pub fn discard(ctx: &mut Ctx, _args: Args) {
    if !in_multi(ctx.client) {
        return ctx.out.raw(errors::DISCARD_WITHOUT_MULTI);
    }
    if let Some(tx) = ctx.client.tx.as_mut() {
        tx.clear_queue();
    }
    unwatch_all(ctx.client, &mut ctx.shared.dbs);
    ctx.out.ok();
}

/// WATCH key [key ...]
pub fn watch(ctx: &mut Ctx, args: Args) {
    if in_multi(ctx.client) {
        return ctx.out.raw(errors::WATCH_IN_MULTI);
    }
    let (id, db, now) = (ctx.client.id, ctx.client.db, ctx.now());
    let tx = ctx.client.tx.get_or_insert_with(Default::default);
    for key in args.iter().skip(1) {
        if ctx.shared.dbs[db].watch(key, id, now) {
            tx.watched.push((db, key.to_vec()));
        }
    }
    ctx.out.ok();
}

/// UNWATCH
pub fn unwatch(ctx: &mut Ctx, _args: Args) {
    unwatch_all(ctx.client, &mut ctx.shared.dbs);
    ctx.out.ok();
}

/// EXEC
pub fn exec(ctx: &mut Ctx, _args: Args) {
    if !in_multi(ctx.client) {
        return ctx.out.raw(errors::EXEC_WITHOUT_MULTI);
    }
    let Some(mut tx) = ctx.client.tx.take() else {
        return;
    };
    let id = ctx.client.id;
    let now = ctx.now();
    let broken = tx
        .watched
        .iter()
        .any(|(db, key)| ctx.shared.dbs[*db].watch_broken(key, id, now));
    // Watches end here whatever happens (the client's state is gone with
    // `take` above): a transaction cannot be invalidated by its own writes.
    drop_watches(id, &mut tx.watched, &mut ctx.shared.dbs);
    if tx.aborted {
        return ctx.out.raw(errors::EXECABORT);
    }
    if broken {
        return ctx.out.null_array();
    }
    ctx.out.array(tx.cmds.len());
    // Blocking commands answer at once inside a transaction, as Redis.
    let deny = std::mem::replace(&mut ctx.shared.blocking.deny_blocking, true);
    for &(cmd, first, end) in &tx.cmds {
        let args = Args::new(&tx.buf, &tx.ranges[first..end]);
        super::call(ctx, cmd, args);
    }
    ctx.shared.blocking.deny_blocking = deny;
}

/// What a watched key held before a write command, to tell afterwards
/// whether the command changed it in place (through `Db::lookup`, which
/// the keyspace cannot see).
enum Before {
    Absent,
    /// A string (compared by content) and its deadline.
    Str(Value, Option<u64>),
    /// Another type: assumed changed when the command succeeds.
    Other,
}

/// Commands whose `:0` (LINSERT: `:-1`) reply means nothing changed.
const NOOP_ON_ZERO: &[&str] = &[
    "hdel",
    "hsetnx",
    "linsert",
    "lrem",
    "sadd",
    "smove",
    "srem",
    "zrem",
    "zremrangebylex",
    "zremrangebyrank",
    "zremrangebyscore",
];

/// Strings longer than this are not copied for the comparison: a write
/// command that succeeds on them counts as a change.
const SNAPSHOT_MAX: usize = 4096;

/// Runs a write command while some key of the client's database is
/// watched: creations, deletions and deadline changes are signalled by
/// the keyspace itself; an in-place change of a watched key is signalled
/// here. A command that fails (error reply) changed nothing.
pub fn call_watched(ctx: &mut Ctx, cmd: &'static Command, args: Args) {
    // Movable keys (LMPOP, ZMPOP...: no fixed positions in the table):
    // every argument that names a watched key is looked at.
    if cmd.first_key <= 0 {
        watched_call(ctx, cmd.handler, cmd.name, args, 1..args.len());
    } else {
        let positions = key_positions(cmd, args.len());
        watched_call(ctx, cmd.handler, cmd.name, args, positions);
    }
}

/// Re-runs a blocked command (`blocking.rs`) so that WATCH sees what it
/// changes, as any other write: every argument may name a key.
pub fn run_blocked(ctx: &mut Ctx, handler: Handler, args: Args) {
    if ctx.shared.dbs[ctx.client.db].has_watched() {
        watched_call(ctx, handler, "", args, 1..args.len());
    } else {
        handler(ctx, args);
    }
}

fn watched_call(
    ctx: &mut Ctx,
    handler: Handler,
    name: &str,
    args: Args,
    positions: impl Iterator<Item = usize>,
) {
    let dbi = ctx.client.db;
    let now = ctx.now();
    let mut before: Vec<(usize, Before)> = Vec::new();
    {
        let db = &mut ctx.shared.dbs[dbi];
        for i in positions {
            let key = args.get(i);
            if !db.is_watched(key) {
                continue;
            }
            let b = match db.peek(key, now) {
                None => Before::Absent,
                Some(s) if s.value.is_string() && s.value.str_len() <= SNAPSHOT_MAX => {
                    Before::Str(s.value.clone(), s.expire_at())
                }
                Some(_) => Before::Other,
            };
            before.push((i, b));
        }
    }
    let start = ctx.out.buffer().len();
    handler(ctx, args);
    let reply = &ctx.out.buffer()[start..];
    // No reply: the command did not complete (a blocked client still
    // waiting). An error: it changed nothing.
    if before.is_empty() || reply.is_empty() || reply[0] == b'-' {
        return;
    }
    // Counted no-ops: these commands change nothing when they answer 0
    // (or -1), and Redis does not touch the key then.
    let noop = (reply == b":0\r\n" || reply == b":-1\r\n") && NOOP_ON_ZERO.contains(&name);
    let db = &mut ctx.shared.dbs[dbi];
    for (i, b) in before {
        let key = args.get(i);
        let changed = match (b, db.peek(key, now)) {
            (Before::Other, Some(_)) => !noop,
            (Before::Str(v, when), Some(s)) => {
                let mut t1 = itoa::Buffer::new();
                let mut t2 = itoa::Buffer::new();
                s.expire_at() != when
                    || !s.value.is_string()
                    || s.value.as_bytes(&mut t1) != v.as_bytes(&mut t2)
            }
            // Creation and deletion went through the keyspace.
            _ => false,
        };
        if changed {
            db.signal_modified(key);
        }
    }
}

/// The argument indexes holding keys, from the table's first/last/step.
pub fn key_positions(cmd: &Command, argc: usize) -> impl Iterator<Item = usize> {
    let argc = argc as i32;
    let first = cmd.first_key;
    let last = if cmd.last_key < 0 {
        argc + cmd.last_key
    } else {
        cmd.last_key.min(argc - 1)
    };
    let step = cmd.step.max(1) as usize;
    let range = if first > 0 && last >= first {
        first as usize..last as usize + 1
    } else {
        0..0
    };
    range.step_by(step)
}
