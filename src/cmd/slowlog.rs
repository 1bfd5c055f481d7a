//! SLOWLOG GET [count] | LEN | RESET | HELP

use super::server::help;
use super::{Ctx, is};
use crate::errors;
use crate::resp::Args;
use crate::util::num::parse_i64;

/// Entries SLOWLOG GET returns without a count.
const DEFAULT_GET: usize = 10;

/// SLOWLOG GET [count] | LEN | RESET | HELP (dispatch has checked each
/// one's arity)
pub fn slowlog(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "get") {
        if args.len() > 3 {
            return errors::subcommand_syntax(&mut ctx.out, "SLOWLOG", sub);
        }
        let count = if args.len() == 3 {
            match parse_i64(args.get(2)).filter(|&n| n >= -1) {
                Some(-1) => usize::MAX,
                Some(n) => n as usize,
                None => return ctx.out.raw(errors::SLOWLOG_COUNT),
            }
        } else {
            DEFAULT_GET
        };
        let log = &ctx.shared.observ.slowlog;
        let out = &mut ctx.out;
        out.array(log.len().min(count));
        for e in log.iter().take(count) {
            out.array(6);
            out.int(e.id as i64);
            out.int(e.time as i64);
            out.int(e.duration_us as i64);
            out.array(e.args.len());
            for a in &e.args {
                out.bulk(a);
            }
            out.bulk(e.addr.as_bytes());
            out.bulk(&e.name);
        }
    } else if is(sub, "len") {
        ctx.out.int(ctx.shared.observ.slowlog.len() as i64);
    } else if is(sub, "reset") {
        ctx.shared.observ.slowlog.reset();
        ctx.out.ok();
    } else if is(sub, "help") {
        help(
            ctx,
            "SLOWLOG",
            &[
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "SLOWLOG", sub);
    }
}
