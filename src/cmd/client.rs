//! The CLIENT command: the connection's own identity and attributes, and
//! the other clients through the registry (`crate::clients`).
//!
//! As Redis 7.0.15, plus the two Redis 7.2 subcommands today's client
//! libraries send on connect: SETINFO (LIB-NAME / LIB-VER) and NO-TOUCH.
//! CLIENT LIST keeps 7.0.15's field line.

use std::fmt::Write as _;
use std::net::SocketAddr;

use super::server::{help, sub_arity};
use super::{Ctx, is};
use crate::clients::{PauseMode, reply};
use crate::errors;
use crate::resp::Args;
use crate::util::num::parse_i64;

/// CLIENT ID | INFO | LIST | KILL | SETNAME | GETNAME | SETINFO | NO-EVICT |
/// NO-TOUCH | REPLY |
/// PAUSE | UNPAUSE | GETREDIR | TRACKINGINFO | CACHING | HELP
///
/// Client-side caching (TRACKING) is not offered: GETREDIR, TRACKINGINFO
/// and CACHING answer as Redis does for a client without tracking.
pub fn client(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "id") {
        if sub_arity(ctx, &args, "client", "id", 2) {
            ctx.out.int(ctx.client.id as i64);
        }
    } else if is(sub, "setname") {
        if !sub_arity(ctx, &args, "client", "setname", 3) {
            return;
        }
        let name = args.get(2);
        if !valid_client_text(name) {
            return ctx.out.raw(errors::CLIENT_NAME_CHARS);
        }
        ctx.client.name = (!name.is_empty()).then(|| name.to_vec());
        ctx.out.ok();
    } else if is(sub, "getname") {
        if sub_arity(ctx, &args, "client", "getname", 2) {
            match &ctx.client.name {
                Some(n) => ctx.out.bulk(n),
                None => ctx.out.null(),
            }
        }
    } else if is(sub, "info") {
        if sub_arity(ctx, &args, "client", "info", 2) {
            let mut line = String::with_capacity(300);
            own_line(ctx, &mut line);
            ctx.out.verbatim(line.as_bytes());
        }
    } else if is(sub, "list") {
        if sub_arity(ctx, &args, "client", "list", -2) {
            list(ctx, &args);
        }
    } else if is(sub, "kill") {
        if sub_arity(ctx, &args, "client", "kill", -3) {
            kill(ctx, &args);
        }
    } else if is(sub, "setinfo") {
        if sub_arity(ctx, &args, "client", "setinfo", 4) {
            setinfo(ctx, args.get(2), args.get(3));
        }
    } else if is(sub, "no-touch") {
        if sub_arity(ctx, &args, "client", "no-touch", 3) {
            match on_off(args.get(2)) {
                Some(v) => {
                    ctx.client.no_touch = v;
                    ctx.out.ok();
                }
                None => ctx.out.raw(errors::SYNTAX),
            }
        }
    } else if is(sub, "no-evict") {
        if sub_arity(ctx, &args, "client", "no-evict", 3) {
            match on_off(args.get(2)) {
                Some(v) => {
                    ctx.client.no_evict = v;
                    ctx.out.ok();
                }
                None => ctx.out.raw(errors::SYNTAX),
            }
        }
    } else if is(sub, "reply") {
        if sub_arity(ctx, &args, "client", "reply", 3) {
            client_reply(ctx, args.get(2));
        }
    } else if is(sub, "pause") {
        if sub_arity(ctx, &args, "client", "pause", -3) {
            pause(ctx, &args);
        }
    } else if is(sub, "unpause") {
        if sub_arity(ctx, &args, "client", "unpause", 2) {
            ctx.shared.clients.unpause();
            ctx.out.ok();
        }
    } else if is(sub, "getredir") {
        // Tracking is never on, so nothing is redirected.
        if sub_arity(ctx, &args, "client", "getredir", 2) {
            ctx.out.int(-1);
        }
    } else if is(sub, "trackinginfo") {
        if sub_arity(ctx, &args, "client", "trackinginfo", 2) {
            ctx.out.map(3);
            ctx.out.bulk(b"flags");
            ctx.out.set(1);
            ctx.out.bulk(b"off");
            ctx.out.bulk(b"redirect");
            ctx.out.int(-1);
            ctx.out.bulk(b"prefixes");
            ctx.out.array(0);
        }
    } else if is(sub, "caching") {
        if sub_arity(ctx, &args, "client", "caching", 3) {
            ctx.out.raw(errors::CACHING_WITHOUT_TRACKING);
        }
    } else if is(sub, "help") {
        if sub_arity(ctx, &args, "client", "help", 2) {
            help(ctx, "CLIENT", HELP);
        }
    } else {
        errors::unknown_subcommand(&mut ctx.out, "CLIENT", sub);
    }
}

const HELP: &[&str] = &[
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "NO-TOUCH (ON|OFF)",
    "    Will not touch LRU/LFU stats when this mode is on.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
];

/// CLIENT SETINFO LIB-NAME | LIB-VER value, with Redis 7.2's checks.
fn setinfo(ctx: &mut Ctx, attr: &[u8], value: &[u8]) {
    let which = if is(attr, "lib-name") {
        "lib-name"
    } else if is(attr, "lib-ver") {
        "lib-ver"
    } else {
        return errors::unrecognized_option(&mut ctx.out, attr);
    };
    if !valid_client_text(value) {
        return errors::bad_client_attr(&mut ctx.out, which);
    }
    let v = (!value.is_empty()).then(|| value.to_vec());
    if which == "lib-name" {
        ctx.client.lib_name = v;
    } else {
        ctx.client.lib_ver = v;
    }
    ctx.out.ok();
}

/// Names are printable ASCII without spaces.
pub(crate) fn valid_client_text(s: &[u8]) -> bool {
    s.iter().all(|&c| (b'!'..=b'~').contains(&c))
}

fn on_off(a: &[u8]) -> Option<bool> {
    if is(a, "on") {
        Some(true)
    } else if is(a, "off") {
        Some(false)
    } else {
        None
    }
}

/// CLIENT REPLY ON | OFF | SKIP: only ON answers; the dispatcher drops
/// the replies OFF and SKIP cover.
fn client_reply(ctx: &mut Ctx, mode: &[u8]) {
    let c = &mut *ctx.client;
    if is(mode, "on") {
        c.reply = 0;
        ctx.out.ok();
    } else if is(mode, "off") {
        c.reply |= reply::OFF;
    } else if is(mode, "skip") {
        if c.reply & reply::OFF == 0 {
            c.reply |= reply::SKIP_NEXT;
        }
    } else {
        ctx.out.raw(errors::SYNTAX);
    }
}

/// CLIENT PAUSE timeout [WRITE | ALL]
fn pause(ctx: &mut Ctx, args: &Args) {
    let Some(ms) = parse_i64(args.get(2)) else {
        return ctx.out.raw(errors::PAUSE_TIMEOUT_NOT_INT);
    };
    if ms < 0 {
        return ctx.out.raw(errors::TIMEOUT_NEGATIVE);
    }
    let mode = match args.len() {
        3 => PauseMode::All,
        4 if is(args.get(3), "write") => PauseMode::Write,
        4 if is(args.get(3), "all") => PauseMode::All,
        4 => return ctx.out.raw(errors::PAUSE_MODE),
        _ => return ctx.out.raw(errors::SYNTAX),
    };
    let until = ctx.shared.now_ms.saturating_add(ms as u64);
    ctx.shared.clients.pause(until, mode);
    ctx.out.ok();
}

/// Client types of TYPE filters. Every ferrite client is `normal` (no
/// replication, no subscriptions yet), but the other names are valid.
fn type_is_normal(t: &[u8]) -> Option<bool> {
    if is(t, "normal") {
        Some(true)
    } else if is(t, "master") || is(t, "replica") || is(t, "slave") || is(t, "pubsub") {
        Some(false)
    } else {
        None
    }
}

/// One client as CLIENT LIST and CLIENT INFO show it (Redis 7.0.15's
/// fields, in its order). Buffer sizes are not tracked per client and
/// show as 0.
#[allow(clippy::too_many_arguments)]
fn line(
    t: &mut String,
    id: u64,
    addr: SocketAddr,
    laddr: SocketAddr,
    fd: i32,
    name: Option<&[u8]>,
    age_s: u64,
    idle_s: u64,
    no_evict: bool,
    db: usize,
    cmd: &str,
    proto: u8,
) {
    let name = name.map(String::from_utf8_lossy).unwrap_or_default();
    let flags = if no_evict { "e" } else { "N" };
    // Writing to a String cannot fail.
    let _ = writeln!(
        t,
        "id={id} addr={addr} laddr={laddr} fd={fd} name={name} age={age_s} idle={idle_s} flags={flags} db={db} sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd={cmd} user=default redir=-1 resp={proto}"
    );
}

fn own_line(ctx: &Ctx, t: &mut String) {
    let c = &*ctx.client;
    let now = ctx.shared.now_ms;
    line(
        t,
        c.id,
        c.addr,
        c.laddr,
        c.fd,
        c.name.as_deref(),
        now.saturating_sub(c.created_ms) / 1000,
        now.saturating_sub(c.last_interaction_ms) / 1000,
        c.no_evict,
        c.db,
        c.last_cmd,
        c.proto,
    );
}

/// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]
fn list(ctx: &mut Ctx, args: &Args) {
    let mut want_normal = true;
    let mut ids: Option<Vec<u64>> = None;
    let mut i = 2;
    while i < args.len() {
        let more = args.len() - 1 - i;
        let opt = args.get(i);
        if is(opt, "type") && more >= 1 {
            match type_is_normal(args.get(i + 1)) {
                Some(n) => want_normal = n,
                None => return errors::unknown_client_type(&mut ctx.out, args.get(i + 1)),
            }
            i += 2;
        } else if is(opt, "id") && more >= 1 {
            let mut v = Vec::new();
            for a in args.iter().skip(i + 1) {
                match parse_i64(a).filter(|&n| n > 0) {
                    Some(n) => v.push(n as u64),
                    None => return ctx.out.raw(errors::INVALID_CLIENT_ID),
                }
            }
            ids = Some(v);
            i = args.len();
        } else {
            return ctx.out.raw(errors::SYNTAX);
        }
    }
    let mut text = String::new();
    if want_normal {
        let own = ctx.client.id;
        let now = ctx.shared.now_ms;
        for (_, e) in ctx.shared.clients.iter_by_id() {
            if ids.as_ref().is_some_and(|ids| !ids.contains(&e.id)) {
                continue;
            }
            if e.id == own {
                own_line(ctx, &mut text);
                continue;
            }
            line(
                &mut text,
                e.id,
                e.addr,
                e.laddr,
                e.fd,
                e.name.as_deref(),
                now.saturating_sub(e.created_ms) / 1000,
                now.saturating_sub(e.last_interaction_ms) / 1000,
                e.no_evict,
                e.db,
                e.last_cmd,
                e.proto,
            );
        }
    }
    ctx.out.verbatim(text.as_bytes());
}

/// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user]
/// [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no]
fn kill(ctx: &mut Ctx, args: &Args) {
    let old_form = args.len() == 3;
    let mut addr: Option<&[u8]> = None;
    let mut laddr: Option<&[u8]> = None;
    let mut id: Option<u64> = None;
    let mut normal: Option<bool> = None;
    let mut skipme = true;
    if old_form {
        addr = Some(args.get(2));
        skipme = false;
    } else {
        let mut i = 2;
        while i < args.len() {
            let (opt, more) = (args.get(i), args.len() - 1 - i >= 1);
            let val = if more { args.get(i + 1) } else { &b""[..] };
            if !more {
                return ctx.out.raw(errors::SYNTAX);
            } else if is(opt, "id") {
                match parse_i64(val).filter(|&n| n >= 1) {
                    Some(n) => id = Some(n as u64),
                    None => return ctx.out.raw(errors::CLIENT_ID_POSITIVE),
                }
            } else if is(opt, "type") {
                match type_is_normal(val) {
                    Some(n) => normal = Some(n),
                    None => return errors::unknown_client_type(&mut ctx.out, val),
                }
            } else if is(opt, "addr") {
                addr = Some(val);
            } else if is(opt, "laddr") {
                laddr = Some(val);
            } else if is(opt, "user") {
                if val != b"default" {
                    return errors::no_such_user(&mut ctx.out, val);
                }
            } else if is(opt, "skipme") {
                if is(val, "yes") {
                    skipme = true;
                } else if is(val, "no") {
                    skipme = false;
                } else {
                    return ctx.out.raw(errors::SYNTAX);
                }
            } else {
                return ctx.out.raw(errors::SYNTAX);
            }
            i += 2;
        }
    }
    let own = ctx.client.id;
    let mut victims = Vec::new();
    let mut buf = String::new();
    for (slot, e) in ctx.shared.clients.iter_by_id() {
        if normal == Some(false) || id.is_some_and(|i| i != e.id) {
            continue;
        }
        let mut matches_addr = |want: Option<&[u8]>, a: SocketAddr| {
            want.is_none_or(|w| {
                buf.clear();
                let _ = write!(buf, "{a}");
                buf.as_bytes() == w
            })
        };
        if !matches_addr(addr, e.addr) || !matches_addr(laddr, e.laddr) {
            continue;
        }
        if e.id == own && skipme {
            continue;
        }
        victims.push((slot, e.id));
    }
    let killed = victims.len();
    for (slot, vid) in victims {
        if vid == own {
            // Its own reply goes out first, then it closes.
            ctx.client.close_after_reply = true;
        } else {
            ctx.shared.clients.kill(slot, vid);
        }
    }
    if old_form {
        if killed == 0 {
            ctx.out.raw(errors::NO_SUCH_CLIENT);
        } else {
            ctx.out.ok();
        }
    } else {
        ctx.out.int(killed as i64);
    }
}
