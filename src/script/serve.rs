//! Serving other clients while a script is busy (past
//! `busy-reply-threshold`), as Redis's `processEventsWhileBlocked`: the
//! Lua hook polls the reactor, answers `-BUSY` to every command except
//! SCRIPT KILL and SHUTDOWN NOSAVE, and writes the replies.
//!
//! The script runs inside a handler, deep inside the loop's borrows of
//! the running connection and of `Shared`. What serving needs besides
//! them, the reactor and the *other* connections, is lent here for the
//! duration of each batch by [`enter`], which hands the caller its own
//! connection and keeps raw pointers for the hook. Nothing else is
//! touched: no command runs (so `Shared` is never reached), the running
//! connection is skipped, and no connection is inserted into or removed
//! from the slab (its storage never moves); accepts and closes are
//! deferred to the loop, which picks them up with [`take_deferred`].
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::io::ErrorKind;
use std::marker::PhantomData;
use std::time::Duration;

use slab::Slab;

use super::busy;
use crate::cmd::multi;
use crate::conn::{ClientState, Conn, ReadBuf};
use crate::errors;
use crate::reactor::{Event, Flush, Reactor};
use crate::resp::{Args, Parsed};

/// Connections a busy server can accept before the slab would have to
/// grow (which would move the running connection): reserved by [`enter`].
const BUSY_ACCEPT_ROOM: usize = 16;

/// What the loop tells the busy hook about itself.
#[derive(Clone, Copy)]
pub struct LoopInfo {
    pub max_bulk: usize,
    pub maxclients: usize,
    pub tcp_keepalive: u64,
    pub now_ms: u64,
    pub protected_mode: bool,
    /// `requirepass` is set: new clients start unauthenticated.
    pub auth_required: bool,
}

/// What the hook needs, type-erased over the reactor.
#[derive(Clone, Copy)]
struct Lent {
    reactor: *mut (),
    conns: *mut (),
    next_client_id: *mut u64,
    current: usize,
    info: LoopInfo,
    serve: fn(Lent),
}

thread_local! {
    static LENT: Cell<Option<Lent>> = const { Cell::new(None) };
    static DEFERRED: RefCell<Deferred> = RefCell::new(Deferred::default());
}

/// Work the loop must do once the script has finished.
#[derive(Default)]
pub struct Deferred {
    /// Some listener had connections to accept.
    pub accept: bool,
    /// Connections that were served or had events meanwhile: the loop
    /// reads, flushes or closes them.
    pub ids: Vec<usize>,
    /// SHUTDOWN NOSAVE arrived.
    pub shutdown: bool,
    /// Connections accepted meanwhile (INFO's total_connections_received).
    pub accepted: u64,
    /// Their ids, for the loop to register them (CLIENT LIST).
    pub accepted_ids: Vec<usize>,
    /// Every connection was looked at once.
    swept: bool,
}

/// Ends the loan when the batch is over.
pub struct Loan<'a> {
    _borrows: PhantomData<&'a mut ()>,
}

impl Drop for Loan<'_> {
    fn drop(&mut self) {
        LENT.set(None);
    }
}

/// Lends the reactor and the connections to the busy hook for one batch
/// of connection `id`'s commands; returns that connection.
pub fn enter<'a, R: Reactor>(
    reactor: &'a mut R,
    conns: &'a mut Slab<Conn<R::Stream>>,
    next_client_id: &'a mut u64,
    id: usize,
    info: LoopInfo,
) -> (&'a mut Conn<R::Stream>, Loan<'a>) {
    // A no-op once the room exists: the slab keeps its capacity.
    conns.reserve(BUSY_ACCEPT_ROOM);
    let conns: *mut Slab<Conn<R::Stream>> = conns;
    // SAFETY: `conns` comes from a live `&'a mut` and `id` is a live key
    // (the caller indexed it just before); the returned borrow is of
    // element `id` only, which the hook never touches.
    let slab: &'a mut Slab<Conn<R::Stream>> = unsafe { &mut *conns };
    let conn = &mut slab[id];
    LENT.set(Some(Lent {
        reactor: (reactor as *mut R).cast(),
        conns: conns.cast(),
        next_client_id,
        current: id,
        info,
        serve: serve_lent::<R>,
    }));
    (
        conn,
        Loan {
            _borrows: PhantomData,
        },
    )
}

/// Called from the Lua hook while a script is busy.
pub fn serve_while_busy() {
    if let Some(lent) = LENT.get() {
        (lent.serve)(lent);
    }
}

/// What the loop must do after a busy script; empty (and free) otherwise.
pub fn take_deferred() -> Option<Deferred> {
    DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        if !d.swept && !d.accept && !d.shutdown && d.ids.is_empty() && d.accepted == 0 {
            return None;
        }
        let mut d = std::mem::take(&mut *d);
        d.ids.sort_unstable();
        d.ids.dedup();
        Some(d)
    })
}

fn serve_lent<R: Reactor>(lent: Lent) {
    // SAFETY: `lent` was made by `enter` from `&'a mut` borrows that are
    // still live (the loan is cleared when the batch ends, and the hook
    // only runs inside the batch, on this thread). Those borrows are not
    // used while the script runs: the loop thread is here, inside the
    // script. The running connection is skipped below, and the slab is
    // neither grown nor shrunk, so the caller's `&mut` to it stays valid.
    let reactor = unsafe { &mut *lent.reactor.cast::<R>() };
    let conns = unsafe { &mut *lent.conns.cast::<Slab<Conn<R::Stream>>>() };
    let next_client_id = unsafe { &mut *lent.next_client_id };
    let mut events = Vec::new();
    if reactor.poll(&mut events, Some(Duration::ZERO)).is_err() {
        return;
    }
    DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        // Every listener, not only those with an event: the loop may have
        // taken the event before the script began (edge-triggered).
        for n in 0..reactor.local_addrs().len() {
            for id in accept_some(reactor, conns, next_client_id, n, &lent.info, &mut d) {
                d.ids.push(id);
                if let Some(conn) = conns.get_mut(id) {
                    serve_one(reactor, id, conn, lent.info.max_bulk, &mut d);
                }
            }
        }
        // The first pass looks at every connection, for the same reason.
        let ready: Vec<usize> = if d.swept {
            events
                .iter()
                .filter_map(|ev| match *ev {
                    Event::Readable { id, .. } | Event::Writable(id) => Some(id),
                    Event::Accept(_) => None,
                })
                .collect()
        } else {
            d.swept = true;
            conns.iter().map(|(id, _)| id).collect()
        };
        for id in ready {
            d.ids.push(id);
            if id != lent.current
                && let Some(conn) = conns.get_mut(id)
            {
                serve_one(reactor, id, conn, lent.info.max_bulk, &mut d);
            }
        }
    });
}

/// Accepts what fits without growing the slab (the rest waits for the
/// loop: `accept` is set); returns the new connection ids.
fn accept_some<R: Reactor>(
    reactor: &mut R,
    conns: &mut Slab<Conn<R::Stream>>,
    next_client_id: &mut u64,
    n: usize,
    info: &LoopInfo,
    d: &mut Deferred,
) -> Vec<usize> {
    let mut fresh = Vec::new();
    loop {
        if conns.len() >= conns.capacity() || conns.len() >= info.maxclients {
            d.accept = true;
            return fresh;
        }
        let (mut sock, addr) = match reactor.accept(n) {
            Ok(Some(pair)) => pair,
            Ok(None) => return fresh,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => {
                d.accept = true;
                return fresh;
            }
        };
        d.accepted += 1;
        let pass: &[u8] = if info.auth_required { b"-" } else { b"" };
        if crate::clients::denied(info.protected_mode, pass, addr.ip()) {
            reactor.reject(&mut sock, crate::errors::DENIED);
            continue;
        }
        let entry = conns.vacant_entry();
        let id = entry.key();
        if reactor.register(&mut sock, id).is_err() {
            continue;
        }
        if let Some(fd) = R::raw_fd(&sock) {
            crate::sys::set_keepalive(fd, info.tcp_keepalive);
        }
        let mut state = crate::conn::ClientState::new(*next_client_id, addr, info.now_ms);
        *next_client_id += 1;
        state.fd = R::raw_fd(&sock).unwrap_or(-1);
        state.authenticated = !info.auth_required;
        entry.insert(Conn::new(sock, state));
        d.accepted_ids.push(id);
        fresh.push(id);
    }
}

/// Reads what one client sent, answers its commands, writes the replies,
/// and hands the read buffer back to the reactor, as the loop does.
fn serve_one<R: Reactor>(
    reactor: &mut R,
    id: usize,
    conn: &mut Conn<R::Stream>,
    max_bulk: usize,
    deferred: &mut Deferred,
) {
    let mut spare_r = ReadBuf::default();
    if !conn.dead && !conn.peer_closed && !conn.state.blocked {
        let r = reactor.read(&mut conn.sock, id, &mut conn.rbuf, &mut spare_r, false);
        conn.peer_closed |= r.eof;
        conn.dead |= r.error;
    }
    // A client blocked in BLPOP &c runs nothing until served, busy or not.
    while !conn.state.close_after_reply && !conn.state.blocked {
        let data = conn.rbuf.data_mut();
        match conn.parser.parse(data, max_bulk) {
            Ok(Parsed::Command { consumed }) => {
                let args = Args::new(data, conn.parser.args());
                let (reply, close) = answer(&args, &mut conn.state, deferred);
                conn.wbuf.extend_from_slice(reply);
                conn.state.close_after_reply |= close;
                conn.rbuf.consume(consumed);
            }
            Ok(Parsed::Skip { consumed }) => conn.rbuf.consume(consumed),
            Ok(Parsed::Incomplete { .. }) => break,
            Err(e) => {
                e.write_reply(&mut conn.wbuf);
                conn.state.close_after_reply = true;
            }
        }
    }
    let mut spare_w = Vec::new();
    let mut sent = 0;
    if reactor.write(
        &mut conn.sock,
        id,
        &mut conn.wbuf,
        &mut conn.wpos,
        &mut spare_w,
        &mut sent,
    ) == Flush::Failed
    {
        conn.dead = true;
    }
    // Closing, dead or holding input it cannot run yet: the loop takes it
    // from here (the id is in `deferred.ids`), so no receive is armed.
    let queued = conn.dead
        || conn.peer_closed
        || conn.state.close_after_reply
        || (conn.state.blocked && !conn.rbuf.is_empty());
    reactor.park_input(&mut conn.sock, id, &mut conn.rbuf, &mut spare_r, queued);
}

/// The restricted dispatch of a busy server: the reply, and whether the
/// connection closes after it. Of Redis's `allow-busy` commands, those
/// that need no keyspace run; the others (WATCH, UNWATCH, DISCARD of a
/// client that watches) get BUSY like the rest, which also fails the
/// client's transaction if it is queueing one, as Redis's rejectCommand.
fn answer(args: &Args, client: &mut ClientState, deferred: &mut Deferred) -> (&'static [u8], bool) {
    let is = |i: usize, kw: &str| args.len() > i && args.get(i).eq_ignore_ascii_case(kw.as_bytes());
    if is(0, "quit") {
        return (crate::resp::reply::OK, true);
    }
    // Authentication comes before the busy check, as in Redis.
    if !client.authenticated {
        multi::flag_error(client);
        return (errors::NOAUTH, false);
    }
    if is(0, "script") && is(1, "kill") && args.len() == 2 {
        return (busy::request_kill(), false);
    }
    if is(0, "shutdown") && (1..args.len()).any(|i| is(i, "nosave")) {
        busy::force_kill();
        deferred.shutdown = true;
        return (b"", true);
    }
    if is(0, "multi") && args.len() == 1 {
        if multi::in_multi(client) {
            return (errors::MULTI_NESTED, false);
        }
        client.tx.get_or_insert_with(Default::default).in_multi = true;
        return (crate::resp::reply::OK, false);
    }
    if is(0, "discard") && args.len() == 1 && !multi::watches(client) {
        if !multi::in_multi(client) {
            return (errors::DISCARD_WITHOUT_MULTI, false);
        }
        client.tx = None;
        return (crate::resp::reply::OK, false);
    }
    multi::flag_error(client);
    (busy::BUSY, false)
}
