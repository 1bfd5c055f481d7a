//! Hash commands: HSET and its family, reads, counters, HRANDFIELD and
//! HSCAN.

use std::cell::Cell;

use super::{Ctx, int_arg, is, lookup_read, typed};
use crate::db::{Db, Slot, Ttl, Value};
use crate::errors;
use crate::resp::{Args, Reply};
use crate::server::Stats;
use crate::types::hash::{Hash, Limits};
use crate::util::glob::glob_match;
use crate::util::longdouble::{IncrFloatError, LongDouble, incr_by_float};
use crate::util::num::parse_i64;

fn limits(ctx: &Ctx) -> Limits {
    let c = &ctx.shared.config;
    Limits {
        max_entries: c.hash_max_listpack_entries,
        max_value: c.hash_max_listpack_value,
    }
}

/// The hash under `key` for a read-only command, counting hits and
/// misses: Err(()) after writing WRONGTYPE.
fn read_hash<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    stats: &mut Stats,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut Hash>, ()> {
    typed(out, lookup_read(db, stats, key, now), Value::hash_mut)
}

/// The hash under `key` for writing, created empty when missing (the
/// caller stores at least one field or deletes it again). Err(()) after
/// writing WRONGTYPE.
fn write_hash<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    key: &[u8],
    now: u64,
) -> Result<&'d mut Hash, ()> {
    if db.lookup(key, now).is_none() {
        db.set(key, Value::Hash(Box::default()), Ttl::Clear, now);
    }
    match db.lookup(key, now) {
        Some(Slot {
            value: Value::Hash(h),
            ..
        }) => Ok(h),
        _ => {
            out.raw(errors::WRONGTYPE);
            Err(())
        }
    }
}

/// HSET key field value [field value ...] (and HMSET, which replies OK)
fn hset_generic(ctx: &mut Ctx, args: Args, name: &str) {
    if args.len() % 2 == 1 {
        return errors::wrong_arity(&mut ctx.out, name);
    }
    let lim = limits(ctx);
    let (out, db, _, now) = ctx.split();
    let Ok(h) = write_hash(out, db, args.get(1), now) else {
        return;
    };
    let mut created = 0;
    for i in (2..args.len()).step_by(2) {
        created += h.set(args.get(i), args.get(i + 1), lim) as i64;
    }
    if name == "hmset" {
        out.ok();
    } else {
        out.int(created);
    }
}

/// HSET key field value [field value ...]
pub fn hset(ctx: &mut Ctx, args: Args) {
    hset_generic(ctx, args, "hset");
}

/// HMSET key field value [field value ...]
pub fn hmset(ctx: &mut Ctx, args: Args) {
    hset_generic(ctx, args, "hmset");
}

/// HSETNX key field value
pub fn hsetnx(ctx: &mut Ctx, args: Args) {
    let lim = limits(ctx);
    let (out, db, _, now) = ctx.split();
    let Ok(h) = write_hash(out, db, args.get(1), now) else {
        return;
    };
    if h.contains(args.get(2)) {
        out.int(0);
    } else {
        h.set(args.get(2), args.get(3), lim);
        out.int(1);
    }
}

/// HGET key field
pub fn hget(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    match read_hash(out, db, stats, args.get(1), now) {
        Ok(Some(h)) => match h.get(args.get(2)) {
            Some(v) => out.bulk(v),
            None => out.null(),
        },
        Ok(None) => out.null(),
        Err(()) => {}
    }
}

/// HMGET key field [field ...]
pub fn hmget(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    let Ok(h) = read_hash(out, db, stats, args.get(1), now) else {
        return;
    };
    out.array(args.len() - 2);
    for f in args.iter().skip(2) {
        match h.as_ref().and_then(|h| h.get(f)) {
            Some(v) => out.bulk(v),
            None => out.null(),
        }
    }
}

/// HGETALL / HKEYS / HVALS
fn getall_generic(ctx: &mut Ctx, args: Args, keys: bool, vals: bool) {
    let (out, db, stats, now) = ctx.split();
    let Ok(found) = read_hash(out, db, stats, args.get(1), now) else {
        return;
    };
    let Some(h) = found else {
        return if keys && vals {
            out.map(0)
        } else {
            out.array(0)
        };
    };
    if keys && vals {
        out.map(h.len());
    } else {
        out.array(h.len());
    }
    h.for_each(|f, v| {
        if keys {
            out.bulk(f);
        }
        if vals {
            out.bulk(v);
        }
    });
}

/// HGETALL key
pub fn hgetall(ctx: &mut Ctx, args: Args) {
    getall_generic(ctx, args, true, true);
}

/// HKEYS key
pub fn hkeys(ctx: &mut Ctx, args: Args) {
    getall_generic(ctx, args, true, false);
}

/// HVALS key
pub fn hvals(ctx: &mut Ctx, args: Args) {
    getall_generic(ctx, args, false, true);
}

/// HDEL key field [field ...]
pub fn hdel(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let h = match db.lookup(key, now) {
        None => return out.int(0),
        Some(Slot {
            value: Value::Hash(h),
            ..
        }) => h,
        Some(_) => return out.raw(errors::WRONGTYPE),
    };
    let mut n = 0;
    for f in args.iter().skip(2) {
        n += h.remove(f) as i64;
        if h.is_empty() {
            break;
        }
    }
    if h.is_empty() {
        db.remove(key, now);
    }
    out.int(n);
}

/// HEXISTS key field
pub fn hexists(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    if let Ok(h) = read_hash(out, db, stats, args.get(1), now) {
        out.int(h.is_some_and(|h| h.contains(args.get(2))) as i64);
    }
}

/// HLEN key
pub fn hlen(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    if let Ok(h) = read_hash(out, db, stats, args.get(1), now) {
        out.int(h.map_or(0, |h| h.len()) as i64);
    }
}

/// HSTRLEN key field
pub fn hstrlen(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    if let Ok(h) = read_hash(out, db, stats, args.get(1), now) {
        let n = h.and_then(|h| h.get(args.get(2))).map_or(0, <[u8]>::len);
        out.int(n as i64);
    }
}

/// HINCRBY key field increment
pub fn hincrby(ctx: &mut Ctx, args: Args) {
    let Some(by) = int_arg(&mut ctx.out, args.get(3)) else {
        return;
    };
    let lim = limits(ctx);
    let key = args.get(1);
    let field = args.get(2);
    let (out, db, _, now) = ctx.split();
    let Ok(h) = write_hash(out, db, key, now) else {
        return;
    };
    let cur = match h.get(field) {
        None => 0,
        Some(v) => match parse_i64(v) {
            Some(i) => i,
            None => return bail(out, db, key, now, errors::HASH_NOT_INTEGER),
        },
    };
    let Some(new) = cur.checked_add(by) else {
        return bail(out, db, key, now, errors::OVERFLOW);
    };
    h.set(field, itoa::Buffer::new().format(new).as_bytes(), lim);
    out.int(new);
}

/// Writes an error and deletes the hash if this command created it empty.
fn bail(out: &mut Reply, db: &mut Db, key: &[u8], now: u64, err: &[u8]) {
    if let Some(Slot {
        value: Value::Hash(h),
        ..
    }) = db.lookup(key, now)
        && h.is_empty()
    {
        db.remove(key, now);
    }
    out.raw(err);
}

/// HINCRBYFLOAT key field increment, in 80-bit extended precision as
/// Redis's `long double`.
pub fn hincrbyfloat(ctx: &mut Ctx, args: Args) {
    let incr = args.get(3);
    match LongDouble::parse(incr) {
        None => return ctx.out.raw(errors::NOT_FLOAT),
        Some(v) if !v.is_finite() => return ctx.out.raw(errors::NAN_OR_INFINITY),
        Some(_) => {}
    }
    let lim = limits(ctx);
    let key = args.get(1);
    let field = args.get(2);
    let (out, db, _, now) = ctx.split();
    let Ok(h) = write_hash(out, db, key, now) else {
        return;
    };
    let result = incr_by_float(h.get(field).unwrap_or(b"0"), incr);
    match result {
        Ok(s) => {
            h.set(field, &s, lim);
            out.bulk(&s);
        }
        Err(IncrFloatError::InvalidCurrent) => bail(out, db, key, now, errors::HASH_NOT_FLOAT),
        Err(IncrFloatError::InvalidIncrement) => bail(out, db, key, now, errors::NOT_FLOAT),
        Err(IncrFloatError::NanOrInfinity) => bail(out, db, key, now, errors::INCR_NAN_INF),
    }
}

thread_local! {
    /// xorshift state for HRANDFIELD picks.
    static RNG: Cell<u64> = Cell::new(ahash::RandomState::new().hash_one(0x4a5b_u64) | 1);
}

fn next_rand() -> u64 {
    RNG.with(|r| {
        let mut x = r.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        r.set(x);
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    })
}

/// HRANDFIELD key [count [WITHVALUES]]
pub fn hrandfield(ctx: &mut Ctx, args: Args) {
    if args.len() >= 3 {
        let count = match parse_i64(args.get(2)) {
            None => return ctx.out.raw(errors::NOT_INTEGER),
            Some(i64::MIN) => return ctx.out.raw(errors::LPOS_RANK_RANGE),
            Some(c) => c,
        };
        let withvalues = match args.len() {
            3 => false,
            4 if is(args.get(3), "withvalues") => true,
            _ => return ctx.out.raw(errors::SYNTAX),
        };
        if withvalues && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
            return ctx.out.raw(errors::VALUE_OUT_OF_RANGE);
        }
        return hrandfield_count(ctx, args.get(1), count, withvalues);
    }
    let (out, db, stats, now) = ctx.split();
    match read_hash(out, db, stats, args.get(1), now) {
        Ok(Some(h)) => match h.random_pair(next_rand()) {
            Some((f, _)) => out.bulk(f),
            None => out.null(),
        },
        Ok(None) => out.null(),
        Err(()) => {}
    }
}

/// One field (and value) of an HRANDFIELD reply: a pair is a 2-element
/// array in RESP3, two flat entries in RESP2.
fn reply_pair(out: &mut Reply, f: &[u8], v: &[u8], withvalues: bool) {
    if withvalues && out.proto() >= 3 {
        out.array(2);
    }
    out.bulk(f);
    if withvalues {
        out.bulk(v);
    }
}

fn hrandfield_count(ctx: &mut Ctx, key: &[u8], count: i64, withvalues: bool) {
    let (out, db, stats, now) = ctx.split();
    let Ok(found) = read_hash(out, db, stats, key, now) else {
        return;
    };
    let Some(h) = found else {
        return out.array(0);
    };
    let header = |out: &mut Reply, n: usize| {
        out.array(if withvalues && out.proto() < 3 {
            n * 2
        } else {
            n
        });
    };
    if count < 0 || count == 1 {
        // Picks with repetition (or a single pick).
        let n = count.unsigned_abs() as usize;
        header(out, n);
        for _ in 0..n {
            if let Some((f, v)) = h.random_pair(next_rand()) {
                reply_pair(out, f, v, withvalues);
            }
        }
        return;
    }
    let count = count as usize;
    if count >= h.len() {
        header(out, h.len());
        h.for_each(|f, v| reply_pair(out, f, v, withvalues));
        return;
    }
    let len = h.len();
    if count * 3 <= len && matches!(h, Hash::Table(_)) {
        // Few of many (Redis's case 4): random picks until `count` are
        // distinct, O(count) rather than O(len).
        let mut picked: std::collections::HashSet<Vec<u8>, ahash::RandomState> = Default::default();
        let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(count);
        while pairs.len() < count {
            let Some((f, v)) = h.random_pair(next_rand()) else {
                break;
            };
            if picked.insert(f.to_vec()) {
                pairs.push((f.to_vec(), v.to_vec()));
            }
        }
        header(out, pairs.len());
        for (f, v) in &pairs {
            reply_pair(out, f, v, withvalues);
        }
        return;
    }
    // Distinct picks of a large share: choose `count` positions of the
    // iteration order by a partial Fisher-Yates (O(len), as Redis's
    // case 3 copies the whole hash).
    let mut idx: Vec<u32> = (0..len as u32).collect();
    for i in 0..count {
        let j = i + (next_rand() as usize) % (len - i);
        idx.swap(i, j);
    }
    let mut chosen = idx[..count].to_vec();
    chosen.sort_unstable();
    header(out, count);
    let mut pos = 0u32;
    let mut next = 0;
    h.for_each(|f, v| {
        if next < chosen.len() && chosen[next] == pos {
            reply_pair(out, f, v, withvalues);
            next += 1;
        }
        pos += 1;
    });
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
pub fn hscan(ctx: &mut Ctx, args: Args) {
    let Some(mut cursor) = super::keys::parse_cursor(args.get(2)) else {
        return ctx.out.raw(errors::INVALID_CURSOR);
    };
    let (out, db, stats, now) = ctx.split();
    let Ok(found) = read_hash(out, db, stats, args.get(1), now) else {
        return;
    };
    let Some(h) = found else {
        out.array(2);
        out.bulk(b"0");
        return out.array(0);
    };
    let mut pattern: Option<&[u8]> = None;
    let mut count: i64 = 10;
    let mut j = 3;
    while j < args.len() {
        let a = args.get(j);
        let has_value = j + 1 < args.len();
        if is(a, "count") && has_value {
            let Some(c) = int_arg(out, args.get(j + 1)) else {
                return;
            };
            if c < 1 {
                return out.raw(errors::SYNTAX);
            }
            count = c;
        } else if is(a, "match") && has_value {
            let p = args.get(j + 1);
            pattern = (p != b"*").then_some(p);
        } else {
            return out.raw(errors::SYNTAX);
        }
        j += 2;
    }
    let mut found: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut keep = |f: &[u8], v: &[u8]| {
        if pattern.is_none_or(|p| glob_match(p, f, false)) {
            found.push((f.to_vec(), v.to_vec()));
        }
    };
    if matches!(h, Hash::Pack(_)) {
        cursor = h.scan(cursor, &mut keep);
    } else {
        // As Redis: up to ten buckets per requested element.
        let mut budget = count.saturating_mul(10);
        let mut seen = 0i64;
        loop {
            cursor = h.scan(cursor, |f, v| {
                seen += 1;
                keep(f, v);
            });
            budget -= 1;
            if cursor == 0 || budget == 0 || seen >= count {
                break;
            }
        }
    }
    out.array(2);
    out.bulk(itoa::Buffer::new().format(cursor).as_bytes());
    out.array(found.len() * 2);
    for (f, v) in &found {
        out.bulk(f);
        out.bulk(v);
    }
}
