//! Server and connection commands: PING, ECHO, QUIT, TIME, DEBUG,
//! SHUTDOWN, MONITOR, LASTSAVE, ROLE.

use std::time::Duration;

use super::{Ctx, is};
use crate::db::{Ttl, Value};
use crate::errors;
use crate::resp::Args;
use crate::util::num::parse_i64;

/// Checks a subcommand's arity the way Redis checks a command's, naming
/// it `parent|sub` in the error.
pub(crate) fn sub_arity(ctx: &mut Ctx, args: &Args, parent: &str, sub: &str, arity: i32) -> bool {
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
