//! Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD,
//! SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF, their
//! STORE forms, and SSCAN.

use std::collections::HashSet;

use super::{Ctx, int_arg, is, lookup_read, typed};
use crate::db::{Db, Ttl, Value};
use crate::errors;
use crate::resp::{Args, Reply};
use crate::server::Stats;
use crate::types::set::{Member, Rng, Set};
use crate::util::glob::glob_match;
use crate::util::num::parse_i64;

/// The set under `key` for a write: Ok(None) when absent, Err after
/// replying WRONGTYPE.
fn set_mut<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut Set>, ()> {
    typed(out, db.lookup(key, now), Value::set_mut)
}

/// The set under `key` for a read (counts hits and misses).
fn set_read<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    stats: &mut Stats,
    key: &[u8],
    now: u64,
) -> Result<Option<&'d mut Set>, ()> {
    typed(out, lookup_read(db, stats, key, now), Value::set_mut)
}

/// Deletes `key` if its set is empty (Redis never keeps empty collections).
fn delete_if_empty(db: &mut Db, key: &[u8], now: u64) {
    if let Some(slot) = db.lookup(key, now)
        && let Value::Set(s) = &slot.value
        && s.is_empty()
    {
        db.delete(key, now);
    }
}

/// Replies with every member as a RESP3 set (an array in RESP2).
fn reply_members(out: &mut Reply, s: &Set) {
    out.set(s.len());
    s.for_each(|m| m.reply(out));
}

/// SADD key member [member ...]
pub fn sadd(ctx: &mut Ctx, args: Args) {
    let max = ctx.shared.config.set_max_intset_entries;
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let added = match set_mut(out, db, key, now) {
        Err(()) => return,
        Ok(Some(s)) => args.iter().skip(2).filter(|m| s.add(m, max)).count(),
        Ok(None) => {
            let mut s = Set::new_for(args.get(2));
            let n = args.iter().skip(2).filter(|m| s.add(m, max)).count();
            db.set(key, Value::Set(s), Ttl::Clear, now);
            n
        }
    };
    out.int(added as i64);
}

/// SREM key member [member ...]
pub fn srem(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let (out, db, _, now) = ctx.split();
    let removed = match set_mut(out, db, key, now) {
        Err(()) => return,
        Ok(None) => 0,
        Ok(Some(s)) => args.iter().skip(2).filter(|m| s.remove(m)).count(),
    };
    if removed > 0 {
        delete_if_empty(db, key, now);
    }
    out.int(removed as i64);
}

/// SMEMBERS key
pub fn smembers(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    match set_read(out, db, stats, args.get(1), now) {
        Err(()) => {}
        Ok(None) => out.set(0),
        Ok(Some(s)) => reply_members(out, s),
    }
}

/// SISMEMBER key member
pub fn sismember(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    match set_read(out, db, stats, args.get(1), now) {
        Err(()) => {}
        Ok(s) => out.int(i64::from(s.is_some_and(|s| s.contains(args.get(2))))),
    }
}

/// SMISMEMBER key member [member ...]
pub fn smismember(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    let Ok(s) = set_read(out, db, stats, args.get(1), now) else {
        return;
    };
    out.array(args.len() - 2);
    for m in args.iter().skip(2) {
        out.int(i64::from(s.as_ref().is_some_and(|s| s.contains(m))));
    }
}

/// SCARD key
pub fn scard(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    if let Ok(s) = set_read(out, db, stats, args.get(1), now) {
        out.int(s.map_or(0, |s| s.len()) as i64);
    }
}

/// SPOP key [count]
pub fn spop(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
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
    let (out, db, _, now) = ctx.split();
    let s = match set_mut(out, db, key, now) {
        Err(()) => return,
        Ok(None) => {
            return if count.is_some() {
                out.set(0)
            } else {
                out.null()
            };
        }
        Ok(Some(s)) => s,
    };
    let mut rng = Rng::default();
    match count {
        None => match s.pop(&mut rng) {
            Some(p) => p.as_member().reply(out),
            None => out.null(),
        },
        Some(0) => out.set(0),
        Some(n) if n >= s.len() => {
            reply_members(out, s);
            db.delete(key, now);
            return;
        }
        Some(n) => {
            out.set(n);
            for _ in 0..n {
                if let Some(p) = s.pop(&mut rng) {
                    p.as_member().reply(out);
                }
            }
        }
    }
    if s.is_empty() {
        db.delete(key, now);
    }
}

/// Parses a ZRANDMEMBER / SRANDMEMBER count: an integer in
/// `-i64::MAX..=i64::MAX`, with Redis's range error.
pub(crate) fn rand_count(out: &mut Reply, a: &[u8]) -> Option<i64> {
    let c = int_arg(out, a)?;
    if c == i64::MIN {
        out.raw(errors::LPOS_RANK_RANGE);
        return None;
    }
    Some(c)
}

/// Chooses `count` distinct indexes below `len` (count < len), as Redis's
/// SRANDMEMBER: a partial shuffle when most are wanted, else random draws
/// into a set, so the cost stays proportional to `count`.
pub(crate) fn distinct_indexes(rng: &mut Rng, len: usize, count: usize) -> Vec<usize> {
    if count * 3 > len {
        let mut all: Vec<usize> = (0..len).collect();
        for i in 0..count {
            let j = i + rng.below(len - i);
            all.swap(i, j);
        }
        all.truncate(count);
        all
    } else {
        let mut seen = HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let i = rng.below(len);
            if seen.insert(i) {
                out.push(i);
            }
        }
        out
    }
}

/// SRANDMEMBER key [count]
pub fn srandmember(ctx: &mut Ctx, args: Args) {
    if args.len() > 3 {
        return ctx.out.raw(errors::SYNTAX);
    }
    let count = if args.len() == 3 {
        match rand_count(&mut ctx.out, args.get(2)) {
            Some(c) => Some(c),
            None => return,
        }
    } else {
        None
    };
    let (out, db, stats, now) = ctx.split();
    let s = match set_read(out, db, stats, args.get(1), now) {
        Err(()) => return,
        Ok(None) => {
            return if count.is_some() {
                out.array(0)
            } else {
                out.null()
            };
        }
        Ok(Some(s)) => s,
    };
    let mut rng = Rng::default();
    let Some(count) = count else {
        return match s.random(&mut rng) {
            Some(m) => m.reply(out),
            None => out.null(),
        };
    };
    if count < 0 {
        // With repetitions: one random draw per element.
        let n = count.unsigned_abs() as usize;
        out.array(n);
        for _ in 0..n {
            if let Some(m) = s.random(&mut rng) {
                m.reply(out);
            }
        }
        return;
    }
    let count = count as usize;
    if count >= s.len() {
        out.array(s.len());
        s.for_each(|m| m.reply(out));
        return;
    }
    if let Set::Ints(_) = s {
        // Small by construction: pick indexes of the sorted array.
        let mut all = Vec::with_capacity(s.len());
        s.for_each(|m| all.push(m));
        out.array(count);
        for i in distinct_indexes(&mut rng, all.len(), count) {
            all[i].reply(out);
        }
        return;
    }
    if count * 3 > s.len() {
        // Most of the set: copy it and drop random members, as Redis.
        let mut all = Vec::with_capacity(s.len());
        s.for_each(|m| all.push(m));
        out.array(count);
        for i in distinct_indexes(&mut rng, all.len(), count) {
            all[i].reply(out);
        }
        return;
    }
    let mut picked: HashSet<Vec<u8>> = HashSet::with_capacity(count);
    let mut tmp = itoa::Buffer::new();
    while picked.len() < count {
        if let Some(m) = s.random(&mut rng) {
            picked.insert(m.bytes(&mut tmp).to_vec());
        }
    }
    out.array(count);
    for m in &picked {
        out.bulk(m);
    }
}

/// SMOVE source destination member
pub fn smove(ctx: &mut Ctx, args: Args) {
    let max = ctx.shared.config.set_max_intset_entries;
    let (src, dst, member) = (args.get(1), args.get(2), args.get(3));
    let (out, db, _, now) = ctx.split();
    // Redis looks both keys up first; a missing source wins over a
    // wrong-typed destination.
    let src_kind = db
        .lookup(src, now)
        .map(|s| matches!(s.value, Value::Set(_)));
    let dst_kind = db
        .lookup(dst, now)
        .map(|s| matches!(s.value, Value::Set(_)));
    match (src_kind, dst_kind) {
        (None, _) => return out.int(0),
        (Some(false), _) | (_, Some(false)) => return out.raw(errors::WRONGTYPE),
        _ => {}
    }
    if src == dst {
        let has = matches!(set_mut(out, db, src, now), Ok(Some(s)) if s.contains(member));
        return out.int(i64::from(has));
    }
    let Ok(Some(s)) = set_mut(out, db, src, now) else {
        return out.int(0);
    };
    if !s.remove(member) {
        return out.int(0);
    }
    delete_if_empty(db, src, now);
    match set_mut(out, db, dst, now) {
        Ok(Some(d)) => {
            d.add(member, max);
        }
        _ => {
            let mut d = Set::new_for(member);
            d.add(member, max);
            db.set(dst, Value::Set(d), Ttl::Clear, now);
        }
    }
    out.int(1);
}

/// Looks up every key as a set (None for a missing one) without holding
/// a mutable borrow: the first pass expires and type-checks, the second
/// borrows. None after replying WRONGTYPE.
fn gather<'d>(
    out: &mut Reply,
    db: &'d mut Db,
    stats: &mut Stats,
    keys: &[&[u8]],
    now: u64,
) -> Option<Vec<Option<&'d Set>>> {
    for k in keys {
        if let Some(slot) = lookup_read(db, stats, k, now)
            && !matches!(slot.value, Value::Set(_))
        {
            out.raw(errors::WRONGTYPE);
            return None;
        }
    }
    let db: &'d Db = db;
    Some(
        keys.iter()
            .map(|k| match db.dict().get(k).map(|s| &s.value) {
                Some(Value::Set(s)) => Some(s),
                _ => None,
            })
            .collect(),
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Inter,
    Union,
    Diff,
}

/// The members of the intersection, at most `limit` of them.
fn inter<'s>(sets: &[Option<&'s Set>], limit: usize) -> Vec<Member<'s>> {
    let mut present: Vec<&Set> = Vec::with_capacity(sets.len());
    for s in sets {
        match s {
            Some(s) => present.push(s),
            None => return Vec::new(),
        }
    }
    present.sort_by_key(|s| s.len());
    let mut found = Vec::new();
    let (first, rest) = present.split_first().expect("at least one key");
    first.for_each(|m| {
        if found.len() < limit && rest.iter().all(|s| s.contains_member(m)) {
            found.push(m);
        }
    });
    found
}

/// The result of `op` as a new set.
fn compute(sets: &[Option<&Set>], op: Op, max: usize) -> Set {
    let mut tmp = itoa::Buffer::new();
    let mut result = Set::default();
    match op {
        Op::Inter => {
            for m in inter(sets, usize::MAX) {
                result.add(m.bytes(&mut tmp), max);
            }
        }
        Op::Union => {
            for s in sets.iter().flatten() {
                s.for_each(|m| {
                    result.add(m.bytes(&mut tmp), max);
                });
            }
        }
        Op::Diff => {
            if let Some(Some(first)) = sets.first() {
                first.for_each(|m| {
                    if !sets[1..].iter().flatten().any(|s| s.contains_member(m)) {
                        result.add(m.bytes(&mut tmp), max);
                    }
                });
            }
        }
    }
    result
}

fn setop(ctx: &mut Ctx, args: Args, op: Op, store: bool) {
    let max = ctx.shared.config.set_max_intset_entries;
    let first = if store { 2 } else { 1 };
    let keys: Vec<&[u8]> = args.iter().skip(first).collect();
    let (out, db, stats, now) = ctx.split();
    let Some(sets) = gather(out, db, stats, &keys, now) else {
        return;
    };
    if !store {
        if op == Op::Inter {
            let found = inter(&sets, usize::MAX);
            out.set(found.len());
            for m in found {
                m.reply(out);
            }
        } else {
            reply_members(out, &compute(&sets, op, max));
        }
        return;
    }
    let result = compute(&sets, op, max);
    let dst = args.get(1);
    let n = result.len();
    db.delete(dst, now);
    if n > 0 {
        db.set(dst, Value::Set(result), Ttl::Clear, now);
    }
    out.int(n as i64);
}

/// SINTER key [key ...]
pub fn sinter(ctx: &mut Ctx, args: Args) {
    setop(ctx, args, Op::Inter, false);
}

/// SUNION key [key ...]
pub fn sunion(ctx: &mut Ctx, args: Args) {
    setop(ctx, args, Op::Union, false);
}

/// SDIFF key [key ...]
pub fn sdiff(ctx: &mut Ctx, args: Args) {
    setop(ctx, args, Op::Diff, false);
}

/// SINTERSTORE destination key [key ...]
pub fn sinterstore(ctx: &mut Ctx, args: Args) {
    setop(ctx, args, Op::Inter, true);
}

/// SUNIONSTORE destination key [key ...]
pub fn sunionstore(ctx: &mut Ctx, args: Args) {
    setop(ctx, args, Op::Union, true);
}

/// SDIFFSTORE destination key [key ...]
pub fn sdiffstore(ctx: &mut Ctx, args: Args) {
    setop(ctx, args, Op::Diff, true);
}

/// Parses `numkeys key [key ...] [LIMIT limit]` (SINTERCARD, ZINTERCARD):
/// the keys and the limit (0 = none), or None after replying.
pub(crate) fn card_args<'a>(
    out: &mut Reply,
    args: &Args<'a>,
    zset: bool,
) -> Option<(Vec<&'a [u8]>, usize)> {
    // SINTERCARD reads numkeys as a positive count, ZINTERCARD as an
    // integer first: their errors for a non-integer differ.
    let numkeys = match parse_i64(args.get(1)) {
        Some(n) => n,
        None if zset => {
            out.raw(errors::NOT_INTEGER);
            return None;
        }
        None => 0,
    };
    if numkeys <= 0 {
        out.raw(if zset {
            errors::ZINTERCARD_NUMKEYS
        } else {
            errors::NUMKEYS_NOT_POSITIVE
        });
        return None;
    }
    let numkeys = numkeys as usize;
    if numkeys > args.len() - 2 {
        out.raw(if zset {
            errors::SYNTAX
        } else {
            errors::NUMKEYS_TOO_MANY
        });
        return None;
    }
    let keys: Vec<&[u8]> = (2..2 + numkeys).map(|i| args.get(i)).collect();
    let mut limit = 0usize;
    let mut j = 2 + numkeys;
    while j < args.len() {
        if is(args.get(j), "limit") && j + 1 < args.len() {
            let Some(l) = parse_i64(args.get(j + 1)).filter(|&l| l >= 0) else {
                out.raw(errors::LIMIT_NEGATIVE);
                return None;
            };
            limit = l as usize;
            j += 2;
        } else {
            out.raw(errors::SYNTAX);
            return None;
        }
    }
    Some((keys, limit))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
pub fn sintercard(ctx: &mut Ctx, args: Args) {
    let Some((keys, limit)) = card_args(&mut ctx.out, &args, false) else {
        return;
    };
    let (out, db, stats, now) = ctx.split();
    let Some(sets) = gather(out, db, stats, &keys, now) else {
        return;
    };
    let limit = if limit == 0 { usize::MAX } else { limit };
    out.int(inter(&sets, limit).len() as i64);
}

/// Parses `[MATCH pattern] [COUNT count]` from `args[from..]` (SSCAN,
/// ZSCAN): Redis's rules, COUNT below 1 is a syntax error.
pub(crate) fn scan_opts<'a>(
    out: &mut Reply,
    args: &Args<'a>,
    from: usize,
) -> Option<(Option<&'a [u8]>, usize)> {
    let mut pattern = None;
    let mut count = 10usize;
    let mut j = from;
    while j < args.len() {
        let a = args.get(j);
        if is(a, "count") && j + 1 < args.len() {
            let c = int_arg(out, args.get(j + 1))?;
            if c < 1 {
                out.raw(errors::SYNTAX);
                return None;
            }
            count = c as usize;
        } else if is(a, "match") && j + 1 < args.len() {
            let p = args.get(j + 1);
            pattern = (p != b"*").then_some(p);
        } else {
            out.raw(errors::SYNTAX);
            return None;
        }
        j += 2;
    }
    Some((pattern, count))
}

/// Writes a SCAN-family reply: the next cursor and the elements.
pub(crate) fn reply_scan(out: &mut Reply, cursor: u64, items: &[Vec<u8>]) {
    out.array(2);
    out.bulk(itoa::Buffer::new().format(cursor).as_bytes());
    out.array(items.len());
    for i in items {
        out.bulk(i);
    }
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]
pub fn sscan(ctx: &mut Ctx, args: Args) {
    let Some(mut cursor) = super::keys::parse_cursor(args.get(2)) else {
        return ctx.out.raw(errors::INVALID_CURSOR);
    };
    let (out, db, stats, now) = ctx.split();
    let s = match set_read(out, db, stats, args.get(1), now) {
        Err(()) => return,
        Ok(None) => return reply_scan(out, 0, &[]),
        Ok(Some(s)) => s,
    };
    let Some((pattern, count)) = scan_opts(out, &args, 3) else {
        return;
    };
    let mut items: Vec<Vec<u8>> = Vec::new();
    let mut tmp = itoa::Buffer::new();
    // As Redis: at most ten buckets visited per requested element.
    let mut budget = count.saturating_mul(10);
    loop {
        cursor = s.scan(cursor, |m| items.push(m.bytes(&mut tmp).to_vec()));
        budget -= 1;
        if cursor == 0 || budget == 0 || items.len() >= count {
            break;
        }
    }
    if let Some(p) = pattern {
        items.retain(|m| glob_match(p, m, false));
    }
    reply_scan(out, cursor, &items);
}
