//! Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP; the
//! same machinery serves any later blocking pop), in the shape of Redis's
//! `blocked.c`:
//!
//! * A handler that finds nothing to pop calls [`block`]: its command (the
//!   arguments, copied) and keys are recorded, and the connection runs
//!   nothing more — pipelined commands wait in its read buffer — until it
//!   is served, times out or disconnects.
//! * A write that creates or extends a key somebody waits for calls
//!   [`Blocking::signal_key_as_ready`]: the key joins the ready list.
//! * After each top-level command the server calls
//!   [`handle_clients_blocked_on_keys`], which re-runs the waiting commands,
//!   first blocked first, as Redis 7 re-executes them. A command that
//!   still finds nothing (the key was emptied, or now holds another type)
//!   keeps its place in the queue. Writes made inside MULTI/EXEC or a
//!   script therefore wake clients once EXEC or the script is over.
//! * Deadlines sit in an ordered set: [`handle_timeouts`] (before each
//!   sleep) answers the overdue ones, and the loop never sleeps past the
//!   next deadline, so sub-second timeouts are kept to the millisecond
//!   without scanning clients.

//!
//! Adding a blocking command (BZPOPMIN, BZMPOP, ...): parse the timeout
//! with [`parse_timeout`]; try the non-blocking work; if there is nothing,
//! call [`block`] with the keys and the handler itself. While
//! [`Blocking::serving`] is true, treat a key of another type as empty so
//! the client keeps waiting. Every write that creates or grows a key of
//! that type calls [`Blocking::signal_key_as_ready`]. The timeout reply is
//! the null array for every kind, as in Redis. MULTI/EXEC and scripts set
//! [`Blocking::deny_blocking`] while they run commands.

use std::collections::{BTreeSet, HashMap, VecDeque};

use slab::Slab;

use crate::cmd::{Ctx, Handler};
use crate::conn::Conn;
use crate::resp::{Args, Reply};
use crate::server::Shared;

type Map<K, V> = HashMap<K, V, ahash::RandomState>;

/// A blocked command: enough to run it again.
struct Blocked {
    db: usize,
    keys: Vec<Vec<u8>>,
    /// Unix ms after which the client gets the timeout reply; 0 = never.
    deadline: u64,
    handler: Handler,
    /// The arguments, copied out of the read buffer they arrived in.
    argv: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

/// The clients blocked on one key.
#[derive(Default)]
struct Waiters {
    queue: VecDeque<usize>,
    /// Already in the ready list: one entry per key however many writes.
    ready: bool,
}

#[derive(Default)]
pub struct Blocking {
    /// Per database: key → connections blocked on it, in arrival order.
    by_key: Vec<Map<Vec<u8>, Waiters>>,
    /// Blocked connections by connection id.
    clients: Map<usize, Blocked>,
    /// `(deadline, connection)` of the clients with a timeout.
    timeouts: BTreeSet<(u64, usize)>,
    /// Keys written since the last serving pass, without repeats.
    ready: Vec<(usize, Vec<u8>)>,
    /// What the handler that just ran asked for; the server registers it
    /// under the connection's id after dispatch.
    request: Option<Blocked>,
    /// A blocked command is being re-run.
    serving: bool,
    /// Set while commands run inside MULTI/EXEC or a script: a blocking
    /// command then answers at once as on timeout, as in Redis.
    pub deny_blocking: bool,
}

impl Blocking {
    /// True while a blocked command is re-run to serve it: a key of the
    /// wrong type then counts as empty (the client keeps waiting, as in
    /// Redis 7.0) instead of answering WRONGTYPE.
    #[inline]
    pub fn serving(&self) -> bool {
        self.serving
    }

    /// Number of blocked clients (INFO `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.clients.len()
    }

    /// Called by every write that creates or extends a key a blocking
    /// command may wait for. Costs one branch when nobody is blocked.
    #[inline]
    pub fn signal_key_as_ready(&mut self, db: usize, key: &[u8]) {
        if self.clients.is_empty() {
            return;
        }
        if let Some(w) = self.by_key.get_mut(db).and_then(|m| m.get_mut(key))
            && !w.ready
        {
            w.ready = true;
            self.ready.push((db, key.to_vec()));
        }
    }

    /// Marks every key waited for in `db` as ready (SWAPDB): a key that
    /// does not exist is skipped when served.
    pub fn signal_db(&mut self, db: usize) {
        let Some(m) = self.by_key.get_mut(db) else {
            return;
        };
        for (k, w) in m.iter_mut() {
            if !w.ready {
                w.ready = true;
                self.ready.push((db, k.clone()));
            }
        }
    }

    /// Keys are ready and blocked clients must be served.
    #[inline]
    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// Registers the block the last handler asked for, under connection
    /// `conn`.
    pub fn register(&mut self, conn: usize) {
        let Some(b) = self.request.take() else {
            return;
        };
        if self.by_key.len() <= b.db {
            self.by_key.resize_with(b.db + 1, Map::default);
        }
        for k in &b.keys {
            let q = &mut self.by_key[b.db].entry(k.clone()).or_default().queue;
            // A key named twice (BLPOP k k 0) queues the client once.
            if q.back() != Some(&conn) {
                q.push_back(conn);
            }
        }
        if b.deadline != 0 {
            self.timeouts.insert((b.deadline, conn));
        }
        self.clients.insert(conn, b);
    }

    /// Forgets a blocked client (served, timed out or disconnected).
    pub fn remove_client(&mut self, conn: usize) {
        if let Some(b) = self.clients.remove(&conn) {
            self.forget(conn, &b);
        }
    }

    fn forget(&mut self, conn: usize, b: &Blocked) {
        if let Some(m) = self.by_key.get_mut(b.db) {
            for k in &b.keys {
                if let Some(w) = m.get_mut(k.as_slice()) {
                    w.queue.retain(|&c| c != conn);
                    if w.queue.is_empty() {
                        m.remove(k.as_slice());
                    }
                }
            }
        }
        if b.deadline != 0 {
            self.timeouts.remove(&(b.deadline, conn));
        }
    }

    /// The earliest deadline of a blocked client, Unix ms.
    pub fn next_deadline(&self) -> Option<u64> {
        self.timeouts.first().map(|&(d, _)| d)
    }
}

/// Redis's `getTimeoutFromObjectOrReply` for seconds: a `long double`
/// (decimal, hex or `inf`), times 1000, rounded up to whole ms, converted
/// as C converts (out of range becomes negative); then a deadline from
/// `now` (0 = wait forever). Writes Redis's error and gives None.
pub fn parse_timeout(out: &mut Reply, arg: &[u8], now: u64) -> Option<u64> {
    use crate::util::longdouble::LongDouble;
    let Some(v) = LongDouble::parse(arg) else {
        out.raw(crate::errors::TIMEOUT_NOT_FLOAT);
        return None;
    };
    let ms = (v.to_f64() * 1000.0).ceil();
    // x86's conversion of an out-of-range value gives i64::MIN.
    const LIMIT: f64 = 9.223_372_036_854_775e18;
    let ms = if (-LIMIT..LIMIT).contains(&ms) {
        ms as i64
    } else {
        i64::MIN
    };
    if ms < 0 {
        out.raw(crate::errors::TIMEOUT_NEGATIVE);
        return None;
    }
    if ms == 0 {
        return Some(0);
    }
    Some(now.saturating_add(ms as u64))
}

/// Blocks the running client on `keys` until `deadline` (Unix ms, 0 =
/// never); `handler` is the command to run again when a key is ready. Writes
/// nothing, except inside MULTI/EXEC or a script, where the timeout reply
/// is given at once.
pub fn block<'k>(
    ctx: &mut Ctx,
    args: &Args,
    keys: impl Iterator<Item = &'k [u8]>,
    deadline: u64,
    handler: Handler,
) {
    let b = &mut ctx.shared.blocking;
    if b.serving {
        // Re-run and still nothing: keep the place in the queue.
        ctx.client.blocked = true;
        return;
    }
    if b.deny_blocking {
        ctx.out.null_array();
        return;
    }
    let mut argv = Vec::with_capacity(args.iter().map(|a| a.len()).sum());
    let mut ranges = Vec::with_capacity(args.len());
    for a in args.iter() {
        ranges.push((argv.len(), argv.len() + a.len()));
        argv.extend_from_slice(a);
    }
    b.request = Some(Blocked {
        db: ctx.client.db,
        keys: keys.map(<[u8]>::to_vec).collect(),
        deadline,
        handler,
        argv,
        ranges,
    });
    ctx.client.blocked = true;
}

/// Queues a connection whose client was just unblocked, so that its
/// reply is written and its pipelined commands run.
fn wake<S>(conn: &mut Conn<S>, id: usize, pending: &mut Vec<usize>) {
    if !conn.pending {
        conn.pending = true;
        pending.push(id);
    }
}

/// Serves the clients blocked on ready keys, as Redis's
/// `handleClientsBlockedOnKeys`: per key, in arrival order, until the key
/// is gone; repeated while serving makes further keys ready (BLMOVE).
pub fn handle_clients_blocked_on_keys<S>(
    shared: &mut Shared,
    conns: &mut Slab<Conn<S>>,
    pending: &mut Vec<usize>,
) {
    while !shared.blocking.ready.is_empty() {
        let ready = std::mem::take(&mut shared.blocking.ready);
        for (db, key) in ready {
            let waiting: Vec<usize> = match shared
                .blocking
                .by_key
                .get_mut(db)
                .and_then(|m| m.get_mut(&key))
            {
                Some(w) => {
                    w.ready = false;
                    w.queue.iter().copied().collect()
                }
                None => continue,
            };
            for id in waiting {
                let now = shared.now_ms;
                if shared.dbs[db].lookup(&key, now).is_none() {
                    break;
                }
                let Some(b) = shared.blocking.clients.remove(&id) else {
                    continue;
                };
                let Some(conn) = conns.get_mut(id) else {
                    shared.blocking.forget(id, &b);
                    continue;
                };
                conn.state.blocked = false;
                shared.blocking.serving = true;
                let start = shared.observ.timer.now();
                let mut ctx = Ctx {
                    out: Reply::new(&mut conn.wbuf, conn.state.proto),
                    client: &mut conn.state,
                    shared,
                };
                let args = Args::new(&b.argv, &b.ranges);
                // Through multi::run_blocked so that WATCH sees its writes.
                crate::cmd::multi::run_blocked(&mut ctx, b.handler, args);
                shared.blocking.serving = false;
                if !conn.state.blocked {
                    shared.observ.command_served(args.get(0), start);
                }
                if conn.state.blocked {
                    shared.blocking.clients.insert(id, b);
                } else {
                    shared.blocking.forget(id, &b);
                    wake(conn, id, pending);
                }
            }
        }
    }
}

/// Answers the clients whose deadline has passed with the timeout reply
/// (a null array, as Redis for list pops).
pub fn handle_timeouts<S>(
    shared: &mut Shared,
    conns: &mut Slab<Conn<S>>,
    pending: &mut Vec<usize>,
) {
    let now = shared.now_ms;
    while let Some(&(deadline, id)) = shared.blocking.timeouts.first() {
        if deadline >= now {
            break;
        }
        shared.blocking.remove_client(id);
        if let Some(conn) = conns.get_mut(id) {
            conn.state.blocked = false;
            Reply::new(&mut conn.wbuf, conn.state.proto).null_array();
            wake(conn, id, pending);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(arg: &str) -> Result<u64, String> {
        let mut buf = Vec::new();
        let r = parse_timeout(&mut Reply::new(&mut buf, 2), arg.as_bytes(), 1_000);
        r.ok_or_else(|| String::from_utf8_lossy(&buf).into_owned())
    }

    #[test]
    fn timeouts_parse_as_redis() {
        assert_eq!(timeout("0"), Ok(0));
        assert_eq!(timeout("-0"), Ok(0));
        assert_eq!(timeout("-0.0001"), Ok(0));
        assert_eq!(timeout("0.05"), Ok(1_050));
        assert_eq!(timeout("1e-10"), Ok(1_001));
        assert_eq!(timeout("0x10"), Ok(17_000));
        for neg in ["-1", "inf", "-inf", "1e30", "9223372036854775807"] {
            assert_eq!(
                timeout(neg),
                Err("-ERR timeout is negative\r\n".into()),
                "{neg}"
            );
        }
        for bad in ["abc", " 1", "nan", ""] {
            assert_eq!(
                timeout(bad),
                Err("-ERR timeout is not a float or out of range\r\n".into()),
                "{bad}"
            );
        }
    }
}
