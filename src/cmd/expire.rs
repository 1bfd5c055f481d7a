//! Expiry commands: the EXPIRE family, TTL and its variants, PERSIST.

use super::{Ctx, int_arg, is, lookup_read};
use crate::errors;
use crate::resp::Args;

/// NX / XX / GT / LT of the EXPIRE family.
#[derive(Default)]
struct Cond {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_cond(ctx: &mut Ctx, args: &Args) -> Option<Cond> {
    let mut c = Cond::default();
    for a in args.iter().skip(3) {
        if is(a, "nx") {
            c.nx = true;
        } else if is(a, "xx") {
            c.xx = true;
        } else if is(a, "gt") {
            c.gt = true;
        } else if is(a, "lt") {
            c.lt = true;
        } else {
            errors::unsupported_option(&mut ctx.out, a);
            return None;
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        ctx.out.raw(errors::EXPIRE_OPTS_NX);
        return None;
    }
    if c.gt && c.lt {
        ctx.out.raw(errors::EXPIRE_OPTS_GT_LT);
        return None;
    }
    Some(c)
}

/// The shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT, as Redis's
/// `expireGenericCommand`: `base` is now for the relative forms and 0 for
/// the absolute ones; a deadline not in the future deletes the key.
fn expire_generic(ctx: &mut Ctx, args: Args, cmd: &str, relative: bool, seconds: bool) {
    let Some(cond) = parse_cond(ctx, &args) else {
        return;
    };
    let Some(mut when) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    let now = ctx.now();
    if seconds {
        match when.checked_mul(1000) {
            Some(ms) => when = ms,
            None => return errors::invalid_expire(&mut ctx.out, cmd),
        }
    }
    if relative {
        match when.checked_add(now as i64) {
            Some(w) => when = w,
            None => return errors::invalid_expire(&mut ctx.out, cmd),
        }
    }
    let key = args.get(1);
    let db = ctx.db();
    let Some(slot) = db.lookup(key, now) else {
        return ctx.out.int(0);
    };
    let current = slot.expire_at().map(|w| w as i64);
    let refused = (cond.nx && current.is_some())
        || (cond.xx && current.is_none())
        || (cond.gt && current.is_none_or(|c| when <= c))
        || (cond.lt && current.is_some_and(|c| when >= c));
    if refused {
        return ctx.out.int(0);
    }
    if when <= now as i64 {
        db.remove(key, now);
    } else {
        db.set_expire(key, when as u64);
    }
    ctx.out.int(1);
}

/// EXPIRE key seconds [NX | XX | GT | LT]
pub fn expire(ctx: &mut Ctx, args: Args) {
    expire_generic(ctx, args, "expire", true, true);
}

/// PEXPIRE key milliseconds [NX | XX | GT | LT]
pub fn pexpire(ctx: &mut Ctx, args: Args) {
    expire_generic(ctx, args, "pexpire", true, false);
}

/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
pub fn expireat(ctx: &mut Ctx, args: Args) {
    expire_generic(ctx, args, "expireat", false, true);
}

/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
pub fn pexpireat(ctx: &mut Ctx, args: Args) {
    expire_generic(ctx, args, "pexpireat", false, false);
}

/// The shared body of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a
/// missing key, -1 without a deadline.
fn ttl_generic(ctx: &mut Ctx, args: Args, ms: bool, absolute: bool) {
    let (out, db, stats, now) = ctx.split();
    let reply = match lookup_read(db, stats, args.get(1), now) {
        None => -2,
        Some(slot) => match slot.expire_at() {
            None => -1,
            Some(w) => {
                let t = if absolute {
                    w as i64
                } else {
                    (w as i64 - now as i64).max(0)
                };
                if ms { t } else { (t + 500) / 1000 }
            }
        },
    };
    out.int(reply);
}

/// TTL key
pub fn ttl(ctx: &mut Ctx, args: Args) {
    ttl_generic(ctx, args, false, false);
}

/// PTTL key
pub fn pttl(ctx: &mut Ctx, args: Args) {
    ttl_generic(ctx, args, true, false);
}

/// EXPIRETIME key
pub fn expiretime(ctx: &mut Ctx, args: Args) {
    ttl_generic(ctx, args, false, true);
}

/// PEXPIRETIME key
pub fn pexpiretime(ctx: &mut Ctx, args: Args) {
    ttl_generic(ctx, args, true, true);
}

/// PERSIST key
pub fn persist(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let now = ctx.now();
    let db = ctx.db();
    let had = db.lookup(key, now).and_then(|s| s.expire_at()).is_some();
    if had {
        db.set_expire(key, 0);
    }
    ctx.out.int(i64::from(had));
}
