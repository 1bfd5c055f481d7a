//! Sorted set commands: ZADD, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD,
//! ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK, the ZRANGE family and ZRANGESTORE,
//! ZREMRANGEBY*, ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER, ZUNION, ZINTER,
//! ZDIFF and their STORE forms, ZINTERCARD and ZSCAN.
//!
//! Every range is turned into a half-open interval of ascending ranks
//! (see `types::zset`), then emitted forwards or backwards.

use std::collections::HashMap;

use super::set::{distinct_indexes, rand_count, reply_scan, scan_opts};
use super::{Ctx, is, lookup_read, typed};
use crate::blocking;
use crate::db::{Db, Ttl, Value};
use crate::errors;
use crate::resp::{Args, Reply};
use crate::server::Stats;
use crate::types::set::{Rng, Set};
use crate::types::zset::{Added, LexRange, ScoreRange, ZLimits, ZSet};
use crate::util::float::{MAX_DOUBLE_CHARS, fmt_d2string, parse_score};
use crate::util::glob::glob_match;
use crate::util::num::parse_i64;

/// The sorted set under `key` for a write: Ok(None) when absent, Err
/// after replying WRONGTYPE.
fn zset_mut<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut ZSet>, ()> {
    typed(out, db.lookup(key, now), Value::zset_mut)
}

/// The sorted set under `key` for a read (counts hits and misses).
fn zset_read<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    stats: &mut Stats,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut ZSet>, ()> {
    typed(out, lookup_read(db, stats, key, now), Value::zset_mut)
}

fn delete_if_empty(db: &mut Db, key: &[u8], now: u64) {
    if let Some(slot) = db.lookup(key, now)
        && let Value::ZSet(z) = &slot.value
        && z.is_empty()
    {
        db.delete(key, now);
    }
}

/// Stores `z` under `dst` (replacing any value), or deletes `dst` when `z`
/// is empty, as the STORE commands do.
fn store(db: &mut Db, dst: &[u8], z: ZSet, now: u64) {
    db.delete(dst, now);
    if !z.is_empty() {
        db.set(dst, Value::ZSet(z), Ttl::Clear, now);
    }
}

/// ZADD's flags.
#[derive(Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
pub fn zadd(ctx: &mut Ctx, args: Args) {
    let mut f = AddFlags::default();
    let mut j = 2;
    while j < args.len() {
        let a = args.get(j);
        match () {
            _ if is(a, "nx") => f.nx = true,
            _ if is(a, "xx") => f.xx = true,
            _ if is(a, "gt") => f.gt = true,
            _ if is(a, "lt") => f.lt = true,
            _ if is(a, "ch") => f.ch = true,
            _ if is(a, "incr") => f.incr = true,
            _ => break,
        }
        j += 1;
    }
    let elements = args.len() - j;
    if elements == 0 || !elements.is_multiple_of(2) {
        return ctx.out.raw(errors::SYNTAX);
    }
    if f.nx && f.xx {
        return ctx.out.raw(errors::ZADD_XX_NX);
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return ctx.out.raw(errors::ZADD_GT_LT_NX);
    }
    if f.incr && elements > 2 {
        return ctx.out.raw(errors::ZADD_INCR_PAIR);
    }
    // Every score is checked before anything changes.
    for i in (j..args.len()).step_by(2) {
        if parse_score(args.get(i)).is_none() {
            return ctx.out.raw(errors::NOT_FLOAT);
        }
    }
    zadd_generic(ctx, &args, j, f);
}

/// Wakes clients blocked on `key` (BZPOPMIN...) once the command is over;
/// a wake-up that finds nothing to pop leaves them waiting.
fn signal(ctx: &mut Ctx, key: &[u8]) {
    let db = ctx.client.db;
    ctx.shared.blocking.signal_key_as_ready(db, key);
}

/// ZADD's core from the first score at `j` (ZINCRBY is ZADD INCR).
fn zadd_generic(ctx: &mut Ctx, args: &Args, j: usize, f: AddFlags) {
    let limits = ctx.shared.config.zset_limits();
    let key = args.get(1);
    signal(ctx, key);
    let (out, db, _, now) = ctx.split();
    let z = match zset_mut(out, db, key, now) {
        Err(()) => return,
        Ok(Some(z)) => z,
        Ok(None) if f.xx => {
            return if f.incr { out.null() } else { out.int(0) };
        }
        Ok(None) => {
            db.set(key, Value::ZSet(ZSet::default()), Ttl::Clear, now);
            match zset_mut(out, db, key, now) {
                Ok(Some(z)) => z,
                _ => return,
            }
        }
    };
    // A new key whose members were all refused (or a NaN increment) must
    // not be left behind empty.
    let drop_if_empty = |db: &mut Db, empty: bool| {
        if empty {
            db.delete(key, now);
        }
    };
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut result = 0.0;
    let plain = !(f.nx || f.xx || f.gt || f.lt || f.incr);
    for i in (j..args.len()).step_by(2) {
        let score = parse_score(args.get(i)).unwrap_or(0.0);
        let m = args.get(i + 1);
        if plain {
            match z.set(m, score, limits) {
                Added::New => added += 1,
                Added::Updated => updated += 1,
                Added::Same => {}
            }
            continue;
        }
        match z.score(m) {
            Some(cur) => {
                if f.nx {
                    continue;
                }
                let new = if f.incr { cur + score } else { score };
                if new.is_nan() {
                    out.raw(errors::SCORE_NAN);
                    let empty = z.is_empty();
                    return drop_if_empty(db, empty);
                }
                if (f.lt && new >= cur) || (f.gt && new <= cur) {
                    continue;
                }
                if new != cur {
                    z.set(m, new, limits);
                    updated += 1;
                }
                processed += 1;
                result = new;
            }
            None => {
                if f.xx {
                    continue;
                }
                z.set(m, score, limits);
                added += 1;
                processed += 1;
                result = score;
            }
        }
    }
    let empty = z.is_empty();
    drop_if_empty(db, empty);
    if f.incr {
        if processed > 0 {
            out.double(result);
        } else {
            out.null();
        }
    } else {
        out.int(if f.ch { added + updated } else { added });
    }
}

/// ZINCRBY key increment member
pub fn zincrby(ctx: &mut Ctx, args: Args) {
    if parse_score(args.get(2)).is_none() {
        return ctx.out.raw(errors::NOT_FLOAT);
    }
    let f = AddFlags {
        incr: true,
        ..AddFlags::default()
    };
    zadd_generic(ctx, &args, 2, f);
}

/// ZREM key member [member ...]
pub fn zrem(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let n = match zset_mut(out, db, key, now) {
        Err(()) => return,
        Ok(None) => 0,
        Ok(Some(z)) => args.iter().skip(2).filter(|m| z.remove(m)).count(),
    };
    if n > 0 {
        delete_if_empty(db, key, now);
    }
    out.int(n as i64);
}

/// ZSCORE key member
pub fn zscore(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    match zset_read(out, db, stats, args.get(1), now) {
        Err(()) => {}
        Ok(z) => match z.and_then(|z| z.score(args.get(2))) {
            Some(s) => out.double(s),
            None => out.null(),
        },
    }
}

/// ZMSCORE key member [member ...]
pub fn zmscore(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    let Ok(z) = zset_read(out, db, stats, args.get(1), now) else {
        return;
    };
    out.array(args.len() - 2);
    for m in args.iter().skip(2) {
        match z.as_ref().and_then(|z| z.score(m)) {
            Some(s) => out.double(s),
            None => out.null(),
        }
    }
}

/// ZCARD key
pub fn zcard(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    if let Ok(z) = zset_read(out, db, stats, args.get(1), now) {
        out.int(z.map_or(0, |z| z.len()) as i64);
    }
}

/// ZCOUNT key min max
pub fn zcount(ctx: &mut Ctx, args: Args) {
    let Some(r) = ScoreRange::parse(args.get(2), args.get(3)) else {
        return ctx.out.raw(errors::MINMAX_NOT_FLOAT);
    };
    let (out, db, stats, now) = ctx.split();
    if let Ok(z) = zset_read(out, db, stats, args.get(1), now) {
        let (lo, hi) = z.map_or((0, 0), |z| z.score_span(&r));
        out.int((hi - lo) as i64);
    }
}

/// ZLEXCOUNT key min max
pub fn zlexcount(ctx: &mut Ctx, args: Args) {
    let Some(r) = LexRange::parse(args.get(2), args.get(3)) else {
        return ctx.out.raw(errors::MINMAX_NOT_LEX);
    };
    let (out, db, stats, now) = ctx.split();
    if let Ok(z) = zset_read(out, db, stats, args.get(1), now) {
        let (lo, hi) = z.map_or((0, 0), |z| z.lex_span(&r));
        out.int((hi - lo) as i64);
    }
}

fn rank_generic(ctx: &mut Ctx, args: Args, rev: bool) {
    let (out, db, stats, now) = ctx.split();
    let Ok(z) = zset_read(out, db, stats, args.get(1), now) else {
        return;
    };
    match z.and_then(|z| z.rank(args.get(2)).map(|r| (r, z.len()))) {
        Some((r, len)) => out.int(if rev { len - 1 - r } else { r } as i64),
        None => out.null(),
    }
}

/// ZRANK key member (WITHSCORE is Redis 7.2; 7.0.15 refuses it by arity)
pub fn zrank(ctx: &mut Ctx, args: Args) {
    rank_generic(ctx, args, false);
}

/// ZREVRANK key member
pub fn zrevrank(ctx: &mut Ctx, args: Args) {
    rank_generic(ctx, args, true);
}

/// Redis's rank-range normalisation (negative indexes count from the
/// end): the ascending ranks `[lo, hi)` that `start..=end` selects.
fn rank_span(start: i64, end: i64, len: usize, rev: bool) -> (usize, usize) {
    let len_i = len as i64;
    let mut start = if start < 0 { len_i + start } else { start };
    let mut end = if end < 0 { len_i + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len_i {
        return (0, 0);
    }
    if end >= len_i {
        end = len_i - 1;
    }
    let (s, e) = (start as usize, end as usize);
    if rev {
        (len - 1 - e, len - s)
    } else {
        (s, e + 1)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeBy {
    Auto,
    Rank,
    Score,
    Lex,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Auto,
    Forward,
    Reverse,
}

/// Applies LIMIT offset count to ranks `[lo, hi)` read forwards or
/// backwards; a negative offset selects nothing, a negative count all.
fn apply_limit(lo: usize, hi: usize, rev: bool, offset: i64, count: i64) -> (usize, usize) {
    let total = hi - lo;
    if offset < 0 || offset as usize >= total {
        return (lo, lo);
    }
    let skip = offset as usize;
    let n = if count < 0 {
        total - skip
    } else {
        (count as usize).min(total - skip)
    };
    if rev {
        (hi - skip - n, hi - skip)
    } else {
        (lo + skip, lo + skip + n)
    }
}

/// Writes a range reply: members, or (member, score) pairs.
fn reply_range(out: &mut Reply, z: &ZSet, lo: usize, hi: usize, rev: bool, withscores: bool) {
    if withscores {
        out.pairs(hi - lo);
        z.emit(lo, hi, rev, |m, s| {
            out.pair();
            out.bulk(m);
            out.double(s);
        });
    } else {
        out.array(hi - lo);
        z.emit(lo, hi, rev, |m, _| out.bulk(m));
    }
}

/// The ZRANGE family: `first` is the index of the source key, `by` and
/// `dir` the range kind and direction a command fixes (Auto: options).
fn zrange_generic(ctx: &mut Ctx, args: Args, first: usize, mut by: RangeBy, mut dir: Dir) {
    let store = first == 2;
    if store {
        signal(ctx, args.get(1));
    }
    let mut withscores = false;
    let mut limit: Option<(i64, i64)> = None;
    let mut j = first + 3;
    while j < args.len() {
        let a = args.get(j);
        let left = args.len() - j - 1;
        if !store && is(a, "withscores") {
            withscores = true;
        } else if is(a, "limit") && left >= 2 {
            let (Some(o), Some(c)) = (parse_i64(args.get(j + 1)), parse_i64(args.get(j + 2)))
            else {
                return ctx.out.raw(errors::NOT_INTEGER);
            };
            limit = Some((o, c));
            j += 2;
        } else if dir == Dir::Auto && is(a, "rev") {
            dir = Dir::Reverse;
        } else if by == RangeBy::Auto && is(a, "bylex") {
            by = RangeBy::Lex;
        } else if by == RangeBy::Auto && is(a, "byscore") {
            by = RangeBy::Score;
        } else {
            return ctx.out.raw(errors::SYNTAX);
        }
        j += 1;
    }
    let rev = dir == Dir::Reverse;
    if by == RangeBy::Auto {
        by = RangeBy::Rank;
    }
    if limit.is_some() && by == RangeBy::Rank {
        return ctx.out.raw(errors::LIMIT_NEEDS_BY);
    }
    if withscores && by == RangeBy::Lex {
        return ctx.out.raw(errors::WITHSCORES_BYLEX);
    }
    // Score and lex ranges are written max first when reversed.
    let (mut min_a, mut max_a) = (args.get(first + 1), args.get(first + 2));
    if rev && by != RangeBy::Rank {
        std::mem::swap(&mut min_a, &mut max_a);
    }
    let mut ranks = (0i64, 0i64);
    let mut score = None;
    let mut lex = None;
    match by {
        RangeBy::Score => match ScoreRange::parse(min_a, max_a) {
            Some(r) => score = Some(r),
            None => return ctx.out.raw(errors::MINMAX_NOT_FLOAT),
        },
        RangeBy::Lex => match LexRange::parse(min_a, max_a) {
            Some(r) => lex = Some(r),
            None => return ctx.out.raw(errors::MINMAX_NOT_LEX),
        },
        _ => match (parse_i64(min_a), parse_i64(max_a)) {
            (Some(s), Some(e)) => ranks = (s, e),
            _ => return ctx.out.raw(errors::NOT_INTEGER),
        },
    }
    let limits = ctx.shared.config.zset_limits();
    let (out, db, stats, now) = ctx.split();
    let z = match zset_read(out, db, stats, args.get(first), now) {
        Err(()) => return,
        Ok(None) if store => {
            db.delete(args.get(1), now);
            return out.int(0);
        }
        Ok(None) => return out.array(0),
        Ok(Some(z)) => z,
    };
    let (lo, hi) = match (score, lex) {
        (Some(r), _) => z.score_span(&r),
        (_, Some(r)) => z.lex_span(&r),
        _ => rank_span(ranks.0, ranks.1, z.len(), rev),
    };
    let (lo, hi) = match limit {
        Some((o, c)) => apply_limit(lo, hi, rev, o, c),
        None => (lo, hi),
    };
    if !store {
        return reply_range(out, z, lo, hi, rev, withscores);
    }
    let mut result = ZSet::new();
    z.emit(lo, hi, rev, |m, s| {
        result.set(m, s, limits);
    });
    let n = result.len();
    store_result(db, args.get(1), result, limits, now);
    out.int(n as i64);
}

fn store_result(db: &mut Db, dst: &[u8], mut z: ZSet, limits: ZLimits, now: u64) {
    z.compact_if_small(limits);
    store(db, dst, z, now);
}

/// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
pub fn zrange(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 1, RangeBy::Auto, Dir::Auto);
}

/// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
pub fn zrangestore(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 2, RangeBy::Auto, Dir::Auto);
}

/// ZREVRANGE key start stop [WITHSCORES]
pub fn zrevrange(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 1, RangeBy::Rank, Dir::Reverse);
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
pub fn zrangebyscore(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 1, RangeBy::Score, Dir::Forward);
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
pub fn zrevrangebyscore(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 1, RangeBy::Score, Dir::Reverse);
}

/// ZRANGEBYLEX key min max [LIMIT offset count]
pub fn zrangebylex(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 1, RangeBy::Lex, Dir::Forward);
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]
pub fn zrevrangebylex(ctx: &mut Ctx, args: Args) {
    zrange_generic(ctx, args, 1, RangeBy::Lex, Dir::Reverse);
}

fn zremrange_generic(ctx: &mut Ctx, args: Args, by: RangeBy) {
    let (a, b) = (args.get(2), args.get(3));
    let mut ranks = (0, 0);
    let mut score = None;
    let mut lex = None;
    match by {
        RangeBy::Score => match ScoreRange::parse(a, b) {
            Some(r) => score = Some(r),
            None => return ctx.out.raw(errors::MINMAX_NOT_FLOAT),
        },
        RangeBy::Lex => match LexRange::parse(a, b) {
            Some(r) => lex = Some(r),
            None => return ctx.out.raw(errors::MINMAX_NOT_LEX),
        },
        _ => match (parse_i64(a), parse_i64(b)) {
            (Some(s), Some(e)) => ranks = (s, e),
            _ => return ctx.out.raw(errors::NOT_INTEGER),
        },
    }
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let z = match zset_mut(out, db, key, now) {
        Err(()) => return,
        Ok(None) => return out.int(0),
        Ok(Some(z)) => z,
    };
    let (lo, hi) = match (score, lex) {
        (Some(r), _) => z.score_span(&r),
        (_, Some(r)) => z.lex_span(&r),
        _ => rank_span(ranks.0, ranks.1, z.len(), false),
    };
    let n = z.remove_ranks(lo, hi);
    delete_if_empty(db, key, now);
    out.int(n as i64);
}

/// ZREMRANGEBYRANK key start stop
pub fn zremrangebyrank(ctx: &mut Ctx, args: Args) {
    zremrange_generic(ctx, args, RangeBy::Rank);
}

/// ZREMRANGEBYSCORE key min max
pub fn zremrangebyscore(ctx: &mut Ctx, args: Args) {
    zremrange_generic(ctx, args, RangeBy::Score);
}

/// ZREMRANGEBYLEX key min max
pub fn zremrangebylex(ctx: &mut Ctx, args: Args) {
    zremrange_generic(ctx, args, RangeBy::Lex);
}

/// Pops up to `count` elements into the reply as [member, score]
/// pairs: `nested` forces the pair arrays in RESP2 too (ZMPOP).
fn pop_into(out: &mut Reply, z: &mut ZSet, min: bool, count: usize, nested: bool) {
    let n = count.min(z.len());
    if nested {
        out.array(n);
    } else {
        out.pairs(n);
    }
    for _ in 0..n {
        z.pop_with(min, |m, s| {
            if nested {
                out.array(2);
            } else {
                out.pair();
            }
            out.bulk(m);
            out.double(s);
        });
    }
}

fn zpop_generic(ctx: &mut Ctx, args: Args, min: bool) {
    if args.len() > 3 {
        return ctx.out.raw(errors::SYNTAX);
    }
    let count = if args.len() == 3 {
        match parse_i64(args.get(2)).filter(|&c| c >= 0) {
            Some(c) => Some(c as usize),
            None => return ctx.out.raw(errors::NOT_POSITIVE),
        }
    } else {
        None
    };
    if count == Some(0) {
        return ctx.out.array(0);
    }
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let z = match zset_mut(out, db, key, now) {
        Err(()) => return,
        Ok(None) => return out.array(0),
        Ok(Some(z)) => z,
    };
    match count {
        Some(c) => pop_into(out, z, min, c, false),
        None => {
            // One element: a flat [member, score] in both protocols.
            out.array(2);
            z.pop_with(min, |m, s| {
                out.bulk(m);
                out.double(s);
            });
        }
    }
    if z.is_empty() {
        db.delete(key, now);
    }
}

/// ZPOPMIN key [count]
pub fn zpopmin(ctx: &mut Ctx, args: Args) {
    zpop_generic(ctx, args, true);
}

/// ZPOPMAX key [count]
pub fn zpopmax(ctx: &mut Ctx, args: Args) {
    zpop_generic(ctx, args, false);
}

/// The tail of ZMPOP / BZMPOP from `at`: `numkeys key [key ...] MIN | MAX
/// [COUNT count]`. Writes Redis's error and gives None.
fn parse_mpop(out: &mut Reply, args: &Args, at: usize) -> Option<(usize, bool, usize)> {
    let Some(numkeys) = parse_i64(args.get(at)).filter(|&n| n >= 1) else {
        out.raw(errors::NUMKEYS_NOT_POSITIVE);
        return None;
    };
    let where_idx = (numkeys as u64).saturating_add(at as u64 + 1);
    if where_idx >= args.len() as u64 {
        out.raw(errors::SYNTAX);
        return None;
    }
    let where_idx = where_idx as usize;
    let min = match args.get(where_idx) {
        w if is(w, "min") => true,
        w if is(w, "max") => false,
        _ => {
            out.raw(errors::SYNTAX);
            return None;
        }
    };
    let mut count: Option<usize> = None;
    let mut j = where_idx + 1;
    while j < args.len() {
        if count.is_none() && is(args.get(j), "count") && j + 1 < args.len() {
            match parse_i64(args.get(j + 1)).filter(|&c| c >= 1) {
                Some(c) => count = Some(c as usize),
                None => {
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
    Some((numkeys as usize, min, count.unwrap_or(1)))
}

/// ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
pub fn zmpop(ctx: &mut Ctx, args: Args) {
    let Some((numkeys, min, count)) = parse_mpop(&mut ctx.out, &args, 1) else {
        return;
    };
    let keys = (2..2 + numkeys).map(|i| args.get(i));
    let served = pop_first_zset(ctx, keys, |out, db, key, now| {
        serve_bzmpop(out, db, key, min, count, now)
    });
    if served == Ok(false) {
        ctx.out.null_array();
    }
}

/// Pops from the first of `keys` holding a sorted set, writing the reply
/// with `serve`. Err after WRONGTYPE; Ok(false) when every key is empty. A
/// key of another type counts as empty while a blocked command is re-run,
/// so its client keeps waiting, as in Redis.
fn pop_first_zset<'k>(
    ctx: &mut Ctx,
    keys: impl Iterator<Item = &'k [u8]>,
    mut serve: impl FnMut(&mut Reply, &mut Db, &[u8], u64) -> bool,
) -> Result<bool, ()> {
    let serving = ctx.shared.blocking.serving();
    let (out, db, _, now) = ctx.split();
    for key in keys {
        if let Some(slot) = db.lookup(key, now)
            && !matches!(slot.value, Value::ZSet(_))
        {
            if serving {
                continue;
            }
            out.raw(errors::WRONGTYPE);
            return Err(());
        }
        if serve(out, db, key, now) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn bzpop_generic(ctx: &mut Ctx, args: Args, min: bool, handler: super::Handler) {
    let now = ctx.now();
    let last = args.len() - 1;
    let Some(deadline) = blocking::parse_timeout(&mut ctx.out, args.get(last), now) else {
        return;
    };
    let keys = || (1..last).map(|i| args.get(i));
    let served = pop_first_zset(ctx, keys(), |out, db, key, now| {
        serve_bzpop(out, db, key, min, now)
    });
    if served == Ok(false) {
        blocking::block(ctx, &args, keys(), deadline, handler);
    }
}

/// BZPOPMIN key [key ...] timeout
pub fn bzpopmin(ctx: &mut Ctx, args: Args) {
    bzpop_generic(ctx, args, true, bzpopmin);
}

/// BZPOPMAX key [key ...] timeout
pub fn bzpopmax(ctx: &mut Ctx, args: Args) {
    bzpop_generic(ctx, args, false, bzpopmax);
}

/// BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
pub fn bzmpop(ctx: &mut Ctx, args: Args) {
    let now = ctx.now();
    let Some(deadline) = blocking::parse_timeout(&mut ctx.out, args.get(1), now) else {
        return;
    };
    let Some((numkeys, min, count)) = parse_mpop(&mut ctx.out, &args, 2) else {
        return;
    };
    let keys = || (3..3 + numkeys).map(|i| args.get(i));
    let served = pop_first_zset(ctx, keys(), |out, db, key, now| {
        serve_bzmpop(out, db, key, min, count, now)
    });
    if served == Ok(false) {
        blocking::block(ctx, &args, keys(), deadline, bzmpop);
    }
}

/// ZRANDMEMBER key [count [WITHSCORES]]
pub fn zrandmember(ctx: &mut Ctx, args: Args) {
    let mut count = None;
    let mut withscores = false;
    if args.len() >= 3 {
        let Some(c) = rand_count(&mut ctx.out, args.get(2)) else {
            return;
        };
        if args.len() > 4 || (args.len() == 4 && !is(args.get(3), "withscores")) {
            return ctx.out.raw(errors::SYNTAX);
        }
        if args.len() == 4 {
            withscores = true;
            if !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&c) {
                return ctx.out.raw(errors::VALUE_OUT_OF_RANGE);
            }
        }
        count = Some(c);
    }
    let (out, db, stats, now) = ctx.split();
    let z = match zset_read(out, db, stats, args.get(1), now) {
        Err(()) => return,
        Ok(None) => {
            return if count.is_some() {
                out.array(0)
            } else {
                out.null()
            };
        }
        Ok(Some(z)) => z,
    };
    let z: &ZSet = z;
    let mut rng = Rng::default();
    // A listpack is decoded once, so each pick is O(1) rather than a walk.
    let packed: Option<Vec<(&[u8], f64)>> = match z {
        ZSet::Pack(p) => Some(p.iter().map(|e| (e.member, e.score)).collect()),
        ZSet::Skip(_) => None,
    };
    let one = |out: &mut Reply, rank: usize| {
        let mut write = |m: &[u8], s: f64| {
            if withscores {
                out.pair();
                out.bulk(m);
                out.double(s);
            } else {
                out.bulk(m);
            }
        };
        match &packed {
            Some(v) => write(v[rank].0, v[rank].1),
            None => z.at_rank(rank, write),
        }
    };
    let header = |out: &mut Reply, n: usize| {
        if withscores {
            out.pairs(n)
        } else {
            out.array(n)
        }
    };
    let Some(count) = count else {
        let r = z.random_rank(&mut rng);
        return z.at_rank(r, |m, _| out.bulk(m));
    };
    if count < 0 {
        let n = count.unsigned_abs() as usize;
        header(out, n);
        for _ in 0..n {
            let r = z.random_rank(&mut rng);
            one(out, r);
        }
        return;
    }
    let count = count as usize;
    if count >= z.len() {
        // The whole set, highest first as Redis lists a listpack here.
        header(out, z.len());
        for r in (0..z.len()).rev() {
            one(out, r);
        }
        return;
    }
    header(out, count);
    for r in distinct_indexes(&mut rng, z.len(), count) {
        one(out, r);
    }
}

/// An input of ZUNION / ZINTER / ZDIFF: a sorted set, or a plain set
/// whose members all score 1.
enum Src<'d> {
    Z(&'d ZSet),
    S(&'d Set),
}

impl Src<'_> {
    fn len(&self) -> usize {
        match self {
            Src::Z(z) => z.len(),
            Src::S(s) => s.len(),
        }
    }

    fn score(&self, m: &[u8]) -> Option<f64> {
        match self {
            Src::Z(z) => z.score(m),
            Src::S(s) => s.contains(m).then_some(1.0),
        }
    }

    fn for_each(&self, mut f: impl FnMut(&[u8], f64)) {
        match self {
            Src::Z(z) => z.for_each(f),
            Src::S(s) => {
                let mut tmp = itoa::Buffer::new();
                s.for_each(|m| f(m.bytes(&mut tmp), 1.0));
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ZOp {
    Union,
    Inter,
    Diff,
    InterCard,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// Combines two weighted scores; a NaN sum (inf + -inf) is 0, as Redis.
fn aggregate(agg: Aggregate, acc: f64, v: f64) -> f64 {
    match agg {
        Aggregate::Sum => {
            let s = acc + v;
            if s.is_nan() { 0.0 } else { s }
        }
        // As Redis: on a tie or a NaN the accumulated value stays.
        Aggregate::Min => {
            if v < acc {
                v
            } else {
                acc
            }
        }
        Aggregate::Max => {
            if v > acc {
                v
            } else {
                acc
            }
        }
    }
}

/// `weight * score`, with NaN (0 * inf) taken as 0, as Redis.
fn weighted(w: f64, s: f64) -> f64 {
    let v = w * s;
    if v.is_nan() { 0.0 } else { v }
}

/// ZUNION/ZINTER/ZDIFF[STORE] and ZINTERCARD: `nk` is the index of numkeys.
fn zsetop(ctx: &mut Ctx, args: Args, op: ZOp, nk: usize, name: &str) {
    let store = nk == 2;
    if store {
        signal(ctx, args.get(1));
    }
    let Some(numkeys) = parse_i64(args.get(nk)) else {
        return ctx.out.raw(errors::NOT_INTEGER);
    };
    if numkeys < 1 {
        return errors::zset_numkeys(&mut ctx.out, name);
    }
    if numkeys as u64 > (args.len() - nk - 1) as u64 {
        return ctx.out.raw(errors::SYNTAX);
    }
    let numkeys = numkeys as usize;
    let keys: Vec<&[u8]> = (nk + 1..nk + 1 + numkeys).map(|i| args.get(i)).collect();
    let limits = ctx.shared.config.zset_limits();
    let (out, db, stats, now) = ctx.split();
    // Types are checked before the options are read, as Redis.
    for k in &keys {
        if let Some(slot) = lookup_read(db, stats, k, now)
            && !matches!(slot.value, Value::ZSet(_) | Value::Set(_))
        {
            return out.raw(errors::WRONGTYPE);
        }
    }
    let mut weights = vec![1.0; numkeys];
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0usize;
    let mut j = nk + 1 + numkeys;
    while j < args.len() {
        let a = args.get(j);
        let left = args.len() - j;
        if op == ZOp::InterCard && left >= 2 && is(a, "limit") {
            match parse_i64(args.get(j + 1)).filter(|&l| l >= 0) {
                Some(l) => limit = l as usize,
                None => return out.raw(errors::LIMIT_NEGATIVE),
            }
            j += 2;
        } else if op != ZOp::Diff && op != ZOp::InterCard && left > numkeys && is(a, "weights") {
            for (i, w) in weights.iter_mut().enumerate() {
                match parse_score(args.get(j + 1 + i)) {
                    Some(v) => *w = v,
                    None => return out.raw(errors::WEIGHT_NOT_FLOAT),
                }
            }
            j += 1 + numkeys;
        } else if op != ZOp::Diff && op != ZOp::InterCard && left >= 2 && is(a, "aggregate") {
            agg = match args.get(j + 1) {
                x if is(x, "sum") => Aggregate::Sum,
                x if is(x, "min") => Aggregate::Min,
                x if is(x, "max") => Aggregate::Max,
                _ => return out.raw(errors::SYNTAX),
            };
            j += 2;
        } else if !store && op != ZOp::InterCard && is(a, "withscores") {
            withscores = true;
            j += 1;
        } else {
            return out.raw(errors::SYNTAX);
        }
    }
    let db_ref: &Db = db;
    let srcs: Vec<Option<(Src, f64)>> = keys
        .iter()
        .zip(&weights)
        .map(|(k, &w)| match db_ref.dict().get(k).map(|s| &s.value) {
            Some(Value::ZSet(z)) => Some((Src::Z(z), w)),
            Some(Value::Set(s)) => Some((Src::S(s), w)),
            _ => None,
        })
        .collect();
    let mut result = ZSet::new_skip();
    // Scores are accumulated in a map first: updating a sorted set per
    // input element would reorder it once per key.
    let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
    match op {
        ZOp::Union => {
            for (src, w) in srcs.iter().flatten() {
                src.for_each(|m, s| {
                    let v = weighted(*w, s);
                    acc.entry(m.to_vec())
                        .and_modify(|a| *a = aggregate(agg, *a, v))
                        .or_insert(v);
                });
            }
        }
        ZOp::Inter | ZOp::InterCard => {
            if srcs.iter().all(|s| s.is_some()) {
                let mut present: Vec<&(Src, f64)> = srcs.iter().flatten().collect();
                present.sort_by_key(|(s, _)| s.len());
                let (first, rest) = present.split_first().expect("numkeys >= 1");
                let max = if limit == 0 { usize::MAX } else { limit };
                first.0.for_each(|m, s| {
                    if acc.len() >= max && op == ZOp::InterCard {
                        return;
                    }
                    // Only the smallest input's product is cleared of NaN,
                    // as in Redis; a NaN from another makes a SUM 0.
                    let mut v = weighted(first.1, s);
                    for (o, w) in rest {
                        match o.score(m) {
                            Some(os) => v = aggregate(agg, v, *w * os),
                            None => return,
                        }
                    }
                    acc.insert(m.to_vec(), v);
                });
            }
        }
        ZOp::Diff => {
            if let Some(Some((first, _))) = srcs.first() {
                first.for_each(|m, s| {
                    if !srcs[1..]
                        .iter()
                        .flatten()
                        .any(|(o, _)| o.score(m).is_some())
                    {
                        acc.insert(m.to_vec(), s);
                    }
                });
            }
        }
    }
    if op == ZOp::InterCard {
        return out.int(acc.len() as i64);
    }
    for (m, s) in &acc {
        result.set(m, *s, limits);
    }
    if store {
        let n = result.len();
        store_result(db, args.get(1), result, limits, now);
        return out.int(n as i64);
    }
    reply_range(out, &result, 0, result.len(), false, withscores);
}

/// ZUNION numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub fn zunion(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::Union, 1, "zunion");
}

/// ZINTER numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub fn zinter(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::Inter, 1, "zinter");
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
pub fn zdiff(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::Diff, 1, "zdiff");
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]
pub fn zunionstore(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::Union, 2, "zunionstore");
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS ...] [AGGREGATE ...]
pub fn zinterstore(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::Inter, 2, "zinterstore");
}

/// ZDIFFSTORE destination numkeys key [key ...]
pub fn zdiffstore(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::Diff, 2, "zdiffstore");
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
pub fn zintercard(ctx: &mut Ctx, args: Args) {
    zsetop(ctx, args, ZOp::InterCard, 1, "zintercard");
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
pub fn zscan(ctx: &mut Ctx, args: Args) {
    let Some(mut cursor) = super::keys::parse_cursor(args.get(2)) else {
        return ctx.out.raw(errors::INVALID_CURSOR);
    };
    let (out, db, stats, now) = ctx.split();
    let z = match zset_read(out, db, stats, args.get(1), now) {
        Err(()) => return,
        Ok(None) => return reply_scan(out, 0, &[]),
        Ok(Some(z)) => z,
    };
    let Some((pattern, count)) = scan_opts(out, &args, 3) else {
        return;
    };
    let mut items: Vec<Vec<u8>> = Vec::new();
    let mut budget = count.saturating_mul(10);
    let mut buf = [0u8; MAX_DOUBLE_CHARS];
    loop {
        cursor = z.scan(cursor, |m, s| {
            if pattern.is_none_or(|p| glob_match(p, m, false)) {
                items.push(m.to_vec());
                items.push(fmt_d2string(s, &mut buf).to_vec());
            }
        });
        budget -= 1;
        if cursor == 0 || budget == 0 || items.len() / 2 >= count {
            break;
        }
    }
    reply_scan(out, cursor, &items);
}

/// For BZPOPMIN / BZPOPMAX once `key` may be served: pops its lowest
/// (`min`) or highest element and writes their reply, `[key, member,
/// score]`, deleting the key once empty. False (nothing written) when
/// `key` holds no sorted set.
pub fn serve_bzpop(out: &mut Reply, db: &mut Db, key: &[u8], min: bool, now: u64) -> bool {
    let Some(slot) = db.lookup(key, now) else {
        return false;
    };
    let Value::ZSet(z) = &mut slot.value else {
        return false;
    };
    if z.is_empty() {
        return false;
    }
    out.array(3);
    out.bulk(key);
    z.pop_with(min, |m, s| {
        out.bulk(m);
        out.double(s);
    });
    if z.is_empty() {
        db.delete(key, now);
    }
    true
}

/// For BZMPOP once `key` may be served: ZMPOP's reply, `[key, [[member,
/// score], ...]]`, with up to `count` elements. False (nothing written)
/// when `key` holds no sorted set.
pub fn serve_bzmpop(
    out: &mut Reply,
    db: &mut Db,
    key: &[u8],
    min: bool,
    count: usize,
    now: u64,
) -> bool {
    let Some(slot) = db.lookup(key, now) else {
        return false;
    };
    let Value::ZSet(z) = &mut slot.value else {
        return false;
    };
    if z.is_empty() {
        return false;
    }
    out.array(2);
    out.bulk(key);
    pop_into(out, z, min, count, true);
    if z.is_empty() {
        db.delete(key, now);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zdb(members: &[(&str, f64)]) -> Db {
        let mut db = Db::new();
        let mut z = ZSet::new();
        for (m, s) in members {
            z.set(m.as_bytes(), *s, ZLimits::default());
        }
        db.set(b"z", Value::ZSet(z), Ttl::Clear, 0);
        db
    }

    #[test]
    fn blocking_pops_serve_and_delete() {
        let mut db = zdb(&[("a", 1.0), ("b", 2.5)]);
        let mut buf = Vec::new();
        assert!(serve_bzpop(
            &mut Reply::new(&mut buf, 2),
            &mut db,
            b"z",
            false,
            0
        ));
        assert_eq!(buf, b"*3\r\n$1\r\nz\r\n$1\r\nb\r\n$3\r\n2.5\r\n");
        let mut buf = Vec::new();
        assert!(serve_bzmpop(
            &mut Reply::new(&mut buf, 3),
            &mut db,
            b"z",
            true,
            5,
            0
        ));
        assert_eq!(buf, b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
        assert!(db.lookup(b"z", 0).is_none(), "emptied key deleted");
        let mut buf = Vec::new();
        assert!(!serve_bzpop(
            &mut Reply::new(&mut buf, 2),
            &mut db,
            b"z",
            true,
            0
        ));
        db.set(b"s", Value::from_bytes(b"x"), Ttl::Clear, 0);
        assert!(!serve_bzpop(
            &mut Reply::new(&mut buf, 2),
            &mut db,
            b"s",
            true,
            0
        ));
        assert!(buf.is_empty());
    }
}
