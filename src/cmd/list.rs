//! List commands: pushes and pops at both ends, indexes and ranges,
//! LINSERT/LREM/LTRIM/LPOS, moves between lists, and the blocking pops
//! (which wait through `blocking.rs`).

use super::{Ctx, int_arg, is, lookup_read, typed};
use crate::blocking;
use crate::db::{Db, Slot, Ttl, Value};
use crate::errors;
use crate::resp::{Args, Reply};
use crate::types::list::{End, Fill, List, norm_index, norm_range};
use crate::util::num::parse_i64;

/// What a key holds, for list commands.
enum Found<'a> {
    Missing,
    WrongType,
    List(&'a mut List),
}

fn find<'d>(db: &'d mut Db, key: &[u8], now: u64) -> Found<'d> {
    match db.lookup(key, now) {
        None => Found::Missing,
        Some(Slot {
            value: Value::List(l),
            ..
        }) => Found::List(l),
        Some(_) => Found::WrongType,
    }
}

/// Deletes `key` if its list is now empty, as Redis does after a pop.
fn delete_if_empty(db: &mut Db, key: &[u8], now: u64) {
    if let Found::List(l) = find(db, key, now)
        && l.is_empty()
    {
        db.remove(key, now);
    }
}

fn end_arg(a: &[u8]) -> Option<End> {
    if is(a, "left") {
        Some(End::Left)
    } else if is(a, "right") {
        Some(End::Right)
    } else {
        None
    }
}

/// Parses a count as Redis's `getPositiveLongFromObjectOrReply` with no
/// message of its own (LPOP/RPOP).
fn positive_count(out: &mut Reply, a: &[u8]) -> Option<usize> {
    match parse_i64(a) {
        Some(n) if n >= 0 => Some(n as usize),
        _ => {
            out.raw(errors::NOT_POSITIVE);
            None
        }
    }
}

/// The configured node fill (`list-max-listpack-size`).
fn fill(ctx: &Ctx) -> Fill {
    Fill(ctx.shared.config.list_max_listpack_size)
}

/// Pushes `elems` on `key` at `end`; creates the list unless `xx`
/// (LPUSHX/RPUSHX). Replies with the new length.
fn push_generic(ctx: &mut Ctx, args: Args, end: End, xx: bool) {
    let key = args.get(1);
    let fill = fill(ctx);
    let now = ctx.now();
    let dbi = ctx.client.db;
    let db = ctx.db();
    let len = match find(db, key, now) {
        Found::List(l) => {
            for v in args.iter().skip(2) {
                l.push_fill(end, v, fill);
            }
            l.len()
        }
        Found::WrongType => return ctx.out.raw(errors::WRONGTYPE),
        Found::Missing if xx => return ctx.out.int(0),
        Found::Missing => {
            let mut l = List::new();
            for v in args.iter().skip(2) {
                l.push_fill(end, v, fill);
            }
            let n = l.len();
            db.set(key, Value::List(Box::new(l)), Ttl::Clear, now);
            n
        }
    };
    ctx.shared.blocking.signal_key_as_ready(dbi, key);
    ctx.out.int(len as i64);
}

/// LPUSH key element [element ...]
pub fn lpush(ctx: &mut Ctx, args: Args) {
    push_generic(ctx, args, End::Left, false);
}

/// RPUSH key element [element ...]
pub fn rpush(ctx: &mut Ctx, args: Args) {
    push_generic(ctx, args, End::Right, false);
}

/// LPUSHX key element [element ...]
pub fn lpushx(ctx: &mut Ctx, args: Args) {
    push_generic(ctx, args, End::Left, true);
}

/// RPUSHX key element [element ...]
pub fn rpushx(ctx: &mut Ctx, args: Args) {
    push_generic(ctx, args, End::Right, true);
}

/// LPOP/RPOP key [count]
fn pop_generic(ctx: &mut Ctx, args: Args, end: End) {
    if args.len() > 3 {
        let name = if end == End::Left { "lpop" } else { "rpop" };
        return errors::wrong_arity(&mut ctx.out, name);
    }
    let count = if args.len() == 3 {
        match positive_count(&mut ctx.out, args.get(2)) {
            Some(c) => Some(c),
            None => return,
        }
    } else {
        None
    };
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let l = match find(db, key, now) {
        Found::Missing if count.is_some() => return out.null_array(),
        Found::Missing => return out.null(),
        Found::WrongType => return out.raw(errors::WRONGTYPE),
        Found::List(l) => l,
    };
    match count {
        None => {
            l.pop_with(end, |v| out.bulk(v));
        }
        Some(c) => {
            let n = c.min(l.len());
            out.array(n);
            for _ in 0..n {
                l.pop_with(end, |v| out.bulk(v));
            }
        }
    }
    delete_if_empty(db, key, now);
}

/// LPOP key [count]
pub fn lpop(ctx: &mut Ctx, args: Args) {
    pop_generic(ctx, args, End::Left);
}

/// RPOP key [count]
pub fn rpop(ctx: &mut Ctx, args: Args) {
    pop_generic(ctx, args, End::Right);
}

/// LLEN key
pub fn llen(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    match lookup_read(db, stats, args.get(1), now) {
        None => out.int(0),
        Some(Slot {
            value: Value::List(l),
            ..
        }) => out.int(l.len() as i64),
        Some(_) => out.raw(errors::WRONGTYPE),
    }
}

/// The list under `key` for a read-only command, counting hits and
/// misses: Err(()) after writing WRONGTYPE.
fn read_list<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    stats: &mut crate::server::Stats,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d List>, ()> {
    typed(out, lookup_read(db, stats, key, now), Value::list_mut).map(|l| l.map(|l| &*l))
}

/// LRANGE key start stop
pub fn lrange(ctx: &mut Ctx, args: Args) {
    let Some(start) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    let Some(stop) = int_arg(&mut ctx.out, args.get(3)) else {
        return;
    };
    let (out, db, stats, now) = ctx.split();
    let Ok(found) = read_list(out, db, stats, args.get(1), now) else {
        return;
    };
    let Some(l) = found else {
        return out.array(0);
    };
    match norm_range(start, stop, l.len()) {
        None => out.array(0),
        Some((s, e)) => {
            out.array(e - s + 1);
            for v in l.range(s, e) {
                out.bulk(v);
            }
        }
    }
}

/// LINDEX key index
pub fn lindex(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    let Ok(found) = read_list(out, db, stats, args.get(1), now) else {
        return;
    };
    let Some(l) = found else {
        return out.null();
    };
    let Some(i) = int_arg(out, args.get(2)) else {
        return;
    };
    match norm_index(i, l.len()).and_then(|i| l.get(i)) {
        Some(v) => out.bulk(v),
        None => out.null(),
    }
}

/// LSET key index element
pub fn lset(ctx: &mut Ctx, args: Args) {
    let (out, db, _, now) = ctx.split();
    let l = match find(db, args.get(1), now) {
        Found::Missing => return out.raw(errors::NO_SUCH_KEY),
        Found::WrongType => return out.raw(errors::WRONGTYPE),
        Found::List(l) => l,
    };
    let Some(i) = int_arg(out, args.get(2)) else {
        return;
    };
    match norm_index(i, l.len()) {
        Some(i) => {
            l.set(i, args.get(3));
            out.ok();
        }
        None => out.raw(errors::INDEX_OUT_OF_RANGE),
    }
}

/// LINSERT key BEFORE | AFTER pivot element
pub fn linsert(ctx: &mut Ctx, args: Args) {
    let after = match args.get(2) {
        a if is(a, "after") => true,
        a if is(a, "before") => false,
        _ => return ctx.out.raw(errors::SYNTAX),
    };
    let (out, db, _, now) = ctx.split();
    let l = match find(db, args.get(1), now) {
        Found::Missing => return out.int(0),
        Found::WrongType => return out.raw(errors::WRONGTYPE),
        Found::List(l) => l,
    };
    let pivot = args.get(3);
    let at = l.iter().position(|e| e == pivot);
    match at {
        Some(i) => {
            l.insert(if after { i + 1 } else { i }, args.get(4));
            out.int(l.len() as i64);
        }
        None => out.int(-1),
    }
}

/// LREM key count element
pub fn lrem(ctx: &mut Ctx, args: Args) {
    let Some(count) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let l = match find(db, key, now) {
        Found::Missing => return out.int(0),
        Found::WrongType => return out.raw(errors::WRONGTYPE),
        Found::List(l) => l,
    };
    let removed = l.remove_matching(args.get(3), count);
    delete_if_empty(db, key, now);
    out.int(removed as i64);
}

/// LTRIM key start stop
pub fn ltrim(ctx: &mut Ctx, args: Args) {
    let Some(start) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    let Some(stop) = int_arg(&mut ctx.out, args.get(3)) else {
        return;
    };
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let l = match find(db, key, now) {
        Found::Missing => return out.ok(),
        Found::WrongType => return out.raw(errors::WRONGTYPE),
        Found::List(l) => l,
    };
    match norm_range(start, stop, l.len()) {
        Some((s, e)) => l.trim(s, e),
        None => l.trim(1, 0),
    }
    delete_if_empty(db, key, now);
    out.ok();
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
pub fn lpos(ctx: &mut Ctx, args: Args) {
    let mut rank: i64 = 1;
    let mut count: Option<i64> = None;
    let mut maxlen: i64 = 0;
    let mut j = 3;
    while j < args.len() {
        let opt = args.get(j);
        if j + 1 >= args.len() {
            return ctx.out.raw(errors::SYNTAX);
        }
        let v = args.get(j + 1);
        if is(opt, "rank") {
            let Some(r) = int_arg(&mut ctx.out, v) else {
                return;
            };
            if r == 0 {
                return ctx.out.raw(errors::LPOS_RANK_ZERO);
            }
            rank = r;
        } else if is(opt, "count") {
            match parse_i64(v) {
                Some(c) if c >= 0 => count = Some(c),
                Some(_) => return ctx.out.raw(errors::LPOS_COUNT_NEGATIVE),
                None => return ctx.out.raw(errors::NOT_INTEGER),
            }
        } else if is(opt, "maxlen") {
            match parse_i64(v) {
                Some(m) if m >= 0 => maxlen = m,
                Some(_) => return ctx.out.raw(errors::LPOS_MAXLEN_NEGATIVE),
                None => return ctx.out.raw(errors::NOT_INTEGER),
            }
        } else {
            return ctx.out.raw(errors::SYNTAX);
        }
        j += 2;
    }
    let (out, db, stats, now) = ctx.split();
    let Ok(found) = read_list(out, db, stats, args.get(1), now) else {
        return;
    };
    let Some(l) = found else {
        return if count.is_some() {
            out.array(0)
        } else {
            out.null()
        };
    };
    // As Redis: a negative rank searches from the tail; the comparison is
    // done on the (possibly overflowed) negated rank, as in C.
    let from_tail = rank < 0;
    let rank = if from_tail { rank.wrapping_neg() } else { rank };
    let want = match count {
        Some(0) => usize::MAX,
        Some(c) => c as usize,
        None => 1,
    };
    let len = l.len();
    let limit = if maxlen == 0 {
        len
    } else {
        (maxlen as usize).min(len)
    };
    let mut hits: Vec<i64> = Vec::new();
    let ele = args.get(2);
    let mut matches: i64 = 0;
    let mut visit = |i: usize, e: &[u8]| -> bool {
        if e == ele {
            matches += 1;
            if matches >= rank {
                hits.push(i as i64);
                if hits.len() >= want {
                    return false;
                }
            }
        }
        true
    };
    if from_tail {
        for (n, e) in l.iter().rev().take(limit).enumerate() {
            if !visit(len - 1 - n, e) {
                break;
            }
        }
    } else {
        for (i, e) in l.iter().take(limit).enumerate() {
            if !visit(i, e) {
                break;
            }
        }
    }
    match count {
        Some(_) => {
            out.array(hits.len());
            for h in hits {
                out.int(h);
            }
        }
        None => match hits.first() {
            Some(&h) => out.int(h),
            None => out.null(),
        },
    }
}

/// Moves one element from `src`'s `from` end to `dst`'s `to` end;
/// replies with it, or null when `src` is missing. Returns false when
/// nothing was moved (the caller may block).
fn move_generic(ctx: &mut Ctx, src: &[u8], dst: &[u8], from: End, to: End) -> bool {
    let now = ctx.now();
    let dbi = ctx.client.db;
    let serving = ctx.shared.blocking.serving();
    let fill = fill(ctx);
    let (out, db, _, _) = ctx.split();
    match find(db, src, now) {
        Found::Missing => return false,
        Found::WrongType if serving => return false,
        Found::WrongType => {
            out.raw(errors::WRONGTYPE);
            return true;
        }
        Found::List(_) => {}
    }
    if let Found::WrongType = find(db, dst, now) {
        out.raw(errors::WRONGTYPE);
        return true;
    }
    let Found::List(l) = find(db, src, now) else {
        return false;
    };
    let Some(v) = l.pop(from) else {
        return false;
    };
    out.bulk(&v);
    match find(db, dst, now) {
        Found::List(d) => d.push_fill(to, &v, fill),
        _ => {
            let mut d = List::new();
            d.push_fill(to, &v, fill);
            // Same key (a rotation) cannot reach here: src exists.
            db.set(dst, Value::List(Box::new(d)), Ttl::Clear, now);
        }
    }
    delete_if_empty(db, src, now);
    ctx.shared.blocking.signal_key_as_ready(dbi, dst);
    true
}

/// LMOVE source destination LEFT | RIGHT LEFT | RIGHT
pub fn lmove(ctx: &mut Ctx, args: Args) {
    let (Some(from), Some(to)) = (end_arg(args.get(3)), end_arg(args.get(4))) else {
        return ctx.out.raw(errors::SYNTAX);
    };
    if !move_generic(ctx, args.get(1), args.get(2), from, to) {
        ctx.out.null();
    }
}

/// RPOPLPUSH source destination
pub fn rpoplpush(ctx: &mut Ctx, args: Args) {
    if !move_generic(ctx, args.get(1), args.get(2), End::Right, End::Left) {
        ctx.out.null();
    }
}

/// BLMOVE source destination LEFT | RIGHT LEFT | RIGHT timeout
pub fn blmove(ctx: &mut Ctx, args: Args) {
    let (Some(from), Some(to)) = (end_arg(args.get(3)), end_arg(args.get(4))) else {
        return ctx.out.raw(errors::SYNTAX);
    };
    blocking_move(ctx, args, from, to, 5, blmove);
}

/// BRPOPLPUSH source destination timeout
pub fn brpoplpush(ctx: &mut Ctx, args: Args) {
    blocking_move(ctx, args, End::Right, End::Left, 3, brpoplpush);
}

fn blocking_move(
    ctx: &mut Ctx,
    args: Args,
    from: End,
    to: End,
    timeout_at: usize,
    handler: super::Handler,
) {
    let now = ctx.now();
    let Some(deadline) = blocking::parse_timeout(&mut ctx.out, args.get(timeout_at), now) else {
        return;
    };
    if !move_generic(ctx, args.get(1), args.get(2), from, to) {
        blocking::block(ctx, &args, std::iter::once(args.get(1)), deadline, handler);
    }
}

/// Pops from the first non-empty list among `keys`: up to `count`
/// elements (`None`: one, replied as `[key, element]`; `Some`: replied as
/// `[key, [elements]]`). Returns false when all are empty or missing
/// (nothing written). WRONGTYPE stops at the first key of another type,
/// unless a blocked command is being served.
fn pop_first<'k>(
    ctx: &mut Ctx,
    keys: impl Iterator<Item = &'k [u8]>,
    end: End,
    count: Option<usize>,
) -> bool {
    let serving = ctx.shared.blocking.serving();
    let (out, db, _, now) = ctx.split();
    for key in keys {
        let l = match find(db, key, now) {
            Found::Missing => continue,
            Found::WrongType if serving => continue,
            Found::WrongType => {
                out.raw(errors::WRONGTYPE);
                return true;
            }
            Found::List(l) => l,
        };
        out.array(2);
        out.bulk(key);
        match count {
            None => {
                l.pop_with(end, |v| out.bulk(v));
            }
            Some(c) => {
                let n = c.min(l.len());
                out.array(n);
                for _ in 0..n {
                    l.pop_with(end, |v| out.bulk(v));
                }
            }
        }
        delete_if_empty(db, key, now);
        return true;
    }
    false
}

/// BLPOP / BRPOP key [key ...] timeout
fn bpop_generic(ctx: &mut Ctx, args: Args, end: End, handler: super::Handler) {
    let now = ctx.now();
    let last = args.len() - 1;
    let Some(deadline) = blocking::parse_timeout(&mut ctx.out, args.get(last), now) else {
        return;
    };
    let keys = || (1..last).map(|i| args.get(i));
    if !pop_first(ctx, keys(), end, None) {
        blocking::block(ctx, &args, keys(), deadline, handler);
    }
}

/// BLPOP key [key ...] timeout
pub fn blpop(ctx: &mut Ctx, args: Args) {
    bpop_generic(ctx, args, End::Left, blpop);
}

/// BRPOP key [key ...] timeout
pub fn brpop(ctx: &mut Ctx, args: Args) {
    bpop_generic(ctx, args, End::Right, brpop);
}

/// The parsed tail of LMPOP / BLMPOP: `numkeys key [key ...] LEFT | RIGHT
/// [COUNT count]` starting at `at`. Writes Redis's error and gives None.
fn parse_mpop(out: &mut Reply, args: &Args, at: usize) -> Option<(usize, End, usize)> {
    let numkeys = match parse_i64(args.get(at)) {
        Some(n) if n > 0 => n as usize,
        _ => {
            out.raw(errors::NUMKEYS_NOT_POSITIVE);
            return None;
        }
    };
    let where_at = at.saturating_add(numkeys).saturating_add(1);
    if where_at >= args.len() {
        out.raw(errors::SYNTAX);
        return None;
    }
    let Some(end) = end_arg(args.get(where_at)) else {
        out.raw(errors::SYNTAX);
        return None;
    };
    let mut count = None;
    let mut j = where_at + 1;
    while j < args.len() {
        if is(args.get(j), "count") && j + 1 < args.len() && count.is_none() {
            match parse_i64(args.get(j + 1)) {
                Some(c) if c > 0 => count = Some(c as usize),
                _ => {
                    out.raw(errors::COUNT_NOT_POSITIVE);
                    return None;
                }
            }
            j += 2;
        } else {
            out.raw(errors::SYNTAX);
            return None;
        }
    }
    Some((numkeys, end, count.unwrap_or(1)))
}

/// LMPOP numkeys key [key ...] LEFT | RIGHT [COUNT count]
pub fn lmpop(ctx: &mut Ctx, args: Args) {
    let Some((numkeys, end, count)) = parse_mpop(&mut ctx.out, &args, 1) else {
        return;
    };
    let keys = (2..2 + numkeys).map(|i| args.get(i));
    if !pop_first(ctx, keys, end, Some(count)) {
        ctx.out.null_array();
    }
}

/// BLMPOP timeout numkeys key [key ...] LEFT | RIGHT [COUNT count]
pub fn blmpop(ctx: &mut Ctx, args: Args) {
    let now = ctx.now();
    let Some(deadline) = blocking::parse_timeout(&mut ctx.out, args.get(1), now) else {
        return;
    };
    let Some((numkeys, end, count)) = parse_mpop(&mut ctx.out, &args, 2) else {
        return;
    };
    let keys = || (3..3 + numkeys).map(|i| args.get(i));
    if !pop_first(ctx, keys(), end, Some(count)) {
        blocking::block(ctx, &args, keys(), deadline, blmpop);
    }
}
