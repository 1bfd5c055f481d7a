//! Server and connection commands: PING, ECHO, QUIT, TIME, DEBUG, CLIENT,
//! SHUTDOWN, MONITOR, LASTSAVE, ROLE.

use std::time::Duration;

use super::{Ctx, is};
use crate::db::{Ttl, Value};
use crate::errors;
use crate::resp::Args;
use crate::util::num::parse_i64;

/// Checks a subcommand's arity the way Redis checks a command's, naming
/// it `parent|sub` in the error.
fn sub_arity(ctx: &mut Ctx, args: &Args, parent: &str, sub: &str, arity: i32) -> bool {
    let argc = args.len() as i32;
    if (arity > 0 && argc != arity) || argc < -arity {
        errors::wrong_arity(&mut ctx.out, &format!("{parent}|{sub}"));
        return false;
    }
    true
}

/// PING [message]
pub fn ping(ctx: &mut Ctx, args: Args) {
    match args.len() {
        1 => ctx.out.raw(crate::resp::reply::PONG),
        2 => ctx.out.bulk(args.get(1)),
        _ => errors::wrong_arity(&mut ctx.out, "ping"),
    }
}

/// ECHO message
pub fn echo(ctx: &mut Ctx, args: Args) {
    ctx.out.bulk(args.get(1));
}

/// QUIT — replies OK, then the connection closes.
pub fn quit(ctx: &mut Ctx, _args: Args) {
    ctx.out.ok();
    ctx.client.close_after_reply = true;
}

/// TIME
pub fn time(ctx: &mut Ctx, _args: Args) {
    let us = ctx.shared.now_us;
    let mut b = itoa::Buffer::new();
    ctx.out.array(2);
    ctx.out.bulk(b.format(us / 1_000_000).as_bytes());
    ctx.out.bulk(b.format(us % 1_000_000).as_bytes());
}

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] — nothing to save: stops the
/// loop; the client sees the connection close, as with Redis.
pub fn shutdown(ctx: &mut Ctx, args: Args) {
    let (mut save, mut nosave, mut abort) = (false, false, false);
    for a in args.iter().skip(1) {
        if is(a, "save") {
            save = true;
        } else if is(a, "nosave") {
            nosave = true;
        } else if is(a, "abort") {
            abort = true;
        } else if !is(a, "now") && !is(a, "force") {
            return ctx.out.raw(errors::SYNTAX);
        }
    }
    if save && nosave || abort && args.len() > 2 {
        return ctx.out.raw(errors::SYNTAX);
    }
    if abort {
        // Shutdown is immediate here, so none is ever in progress.
        return ctx.out.raw(errors::NO_SHUTDOWN);
    }
    ctx.shared.shutdown = true;
    ctx.client.close_after_reply = true;
}

/// The `<CMD> HELP` reply: Redis's header line, `lines`, then HELP's own.
pub fn help(ctx: &mut Ctx, cmd: &str, lines: &[&str]) {
    ctx.out.array(lines.len() + 3);
    ctx.out.simple(
        format!("{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").as_bytes(),
    );
    for l in lines {
        ctx.out.simple(l.as_bytes());
    }
    ctx.out.simple(b"HELP");
    ctx.out.simple(b"    Prints this help.");
}

/// DEBUG SLEEP seconds | POPULATE count [prefix] [size] | HELP
pub fn debug(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "sleep") && args.len() == 3 {
        // As Redis: strtod without error checking; garbage sleeps 0.
        let secs: f64 = std::str::from_utf8(args.get(2))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0.0);
        // Too large for a Duration means "for ever", as in Redis.
        if secs > 0.0 {
            std::thread::sleep(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
        }
        ctx.out.ok();
    } else if is(sub, "populate") && (3..=5).contains(&args.len()) {
        populate(ctx, args);
    } else if is(sub, "help") {
        help(
            ctx,
            "DEBUG",
            &[
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>, or <prefix>:<num>.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
            ],
        );
    } else {
        errors::subcommand_syntax(&mut ctx.out, "DEBUG", sub);
    }
}

/// DEBUG POPULATE count [prefix] [size], as Redis: keys `prefix:N` with
/// values `value:N`, zero-padded or cut to `size`; existing keys are kept.
fn populate(ctx: &mut Ctx, args: Args) {
    let Some(count) = parse_i64(args.get(2)).filter(|&n| n >= 0) else {
        return ctx.out.raw(errors::NOT_POSITIVE);
    };
    let size = if args.len() == 5 {
        match parse_i64(args.get(4)).filter(|&n| n >= 0) {
            Some(s) => Some(s as usize),
            None => return ctx.out.raw(errors::NOT_POSITIVE),
        }
    } else {
        None
    };
    let prefix: &[u8] = if args.len() >= 4 { args.get(3) } else { b"key" };
    let now = ctx.now();
    let db = ctx.db();
    let mut key = Vec::with_capacity(prefix.len() + 21);
    let mut val = Vec::with_capacity(32);
    let mut n = itoa::Buffer::new();
    for i in 0..count as u64 {
        key.clear();
        key.extend_from_slice(prefix);
        key.push(b':');
        key.extend_from_slice(n.format(i).as_bytes());
        // Redis formats into a 128-byte buffer: longer names are cut.
        key.truncate(127);
        if db.lookup(&key, now).is_some() {
            continue;
        }
        val.clear();
        val.extend_from_slice(b"value:");
        val.extend_from_slice(n.format(i).as_bytes());
        // Size 0 means no padding, as Redis.
        if let Some(size) = size.filter(|&s| s > 0) {
            val.resize(size, 0);
        }
        db.set(&key, Value::from_bytes_no_int(&val), Ttl::Clear, now);
    }
    ctx.out.ok();
}

/// CLIENT ID | SETNAME name | GETNAME | SETINFO attr value | HELP
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
    } else if is(sub, "setinfo") {
        if !sub_arity(ctx, &args, "client", "setinfo", 4) {
            return;
        }
        let (attr, value) = (args.get(2), args.get(3));
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
    } else if is(sub, "info") {
        if sub_arity(ctx, &args, "client", "info", 2) {
            let line = client_info_line(ctx);
            ctx.out.verbatim(line.as_bytes());
        }
    } else if is(sub, "help") {
        help(
            ctx,
            "CLIENT",
            &[
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "CLIENT", sub);
    }
}

/// Names and library attributes are printable ASCII without spaces.
fn valid_client_text(s: &[u8]) -> bool {
    s.iter().all(|&c| (b'!'..=b'~').contains(&c))
}

fn client_info_line(ctx: &Ctx) -> String {
    let c = &*ctx.client;
    let now = ctx.shared.now_ms;
    let text = |v: &Option<Vec<u8>>| {
        v.as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
            .into_owned()
    };
    format!(
        "id={} addr={} laddr=127.0.0.1:{} fd=0 name={} age={} idle={} flags=N db={} sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=client|info user=default redir=-1 resp={} lib-name={} lib-ver={}\n",
        c.id,
        c.addr,
        ctx.shared.port,
        text(&c.name),
        now.saturating_sub(c.created_ms) / 1000,
        now.saturating_sub(c.last_interaction_ms) / 1000,
        c.db,
        c.proto,
        text(&c.lib_name),
        text(&c.lib_ver),
    )
}

/// MONITOR — from now on the client receives every command the server
/// runs; a second MONITOR is ignored, as Redis ignores it.
pub fn monitor(ctx: &mut Ctx, _args: Args) {
    if ctx.client.monitor {
        return;
    }
    ctx.client.monitor = true;
    ctx.shared.monitors.start();
    ctx.out.ok();
}

/// LASTSAVE — ferrite never saves: the start time, which Redis also
/// counts as a save.
pub fn lastsave(ctx: &mut Ctx, _args: Args) {
    ctx.out.int(ctx.shared.observ.lastsave as i64);
}

/// ROLE — always a master without replicas: `master`, offset 0, no replicas.
pub fn role(ctx: &mut Ctx, _args: Args) {
    ctx.out.array(3);
    ctx.out.bulk(b"master");
    ctx.out.int(0);
    ctx.out.array(0);
}
