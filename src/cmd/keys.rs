//! Generic key commands and database selection: DEL, EXISTS, TYPE,
//! RENAME, COPY, MOVE, KEYS, SCAN, SELECT, SWAPDB, FLUSHDB, FLUSHALL, ...

use super::{Ctx, int_arg, is, lookup_read};
use crate::db::{Db, Slot};
use crate::errors;
use crate::resp::Args;
use crate::util::glob::glob_match;
use crate::util::num::parse_i64;

/// DEL key [key ...] (also UNLINK: either way a big value is freed on
/// the lazyfree thread)
pub fn del(ctx: &mut Ctx, args: Args) {
    let now = ctx.now();
    let db = ctx.db();
    let n = args.iter().skip(1).filter(|k| db.delete(k, now)).count();
    ctx.out.int(n as i64);
}

/// EXISTS key [key ...] — a key named twice counts twice.
pub fn exists(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    let n = args
        .iter()
        .skip(1)
        .filter(|k| lookup_read(db, stats, k, now).is_some())
        .count();
    out.int(n as i64);
}

/// TOUCH key [key ...]
pub fn touch(ctx: &mut Ctx, args: Args) {
    exists(ctx, args);
}

/// TYPE key
pub fn type_(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    let t = lookup_read(db, stats, args.get(1), now)
        .map(|s| s.value.type_name())
        .unwrap_or("none");
    out.simple(t.as_bytes());
}

/// RENAME key newkey
pub fn rename(ctx: &mut Ctx, args: Args) {
    rename_generic(ctx, args, false);
}

/// RENAMENX key newkey
pub fn renamenx(ctx: &mut Ctx, args: Args) {
    rename_generic(ctx, args, true);
}

fn rename_generic(ctx: &mut Ctx, args: Args, nx: bool) {
    let (src, dst) = (args.get(1), args.get(2));
    let now = ctx.now();
    let db = ctx.db();
    if db.lookup(src, now).is_none() {
        return ctx.out.raw(errors::NO_SUCH_KEY);
    }
    if src == dst {
        return if nx { ctx.out.int(0) } else { ctx.out.ok() };
    }
    if db.lookup(dst, now).is_some() {
        if nx {
            return ctx.out.int(0);
        }
        db.delete(dst, now);
    }
    if let Some(slot) = db.remove(src, now) {
        db.insert_slot(dst, slot);
    }
    let dbi = ctx.client.db;
    ctx.shared.blocking.signal_key_as_ready(dbi, dst);
    if nx { ctx.out.int(1) } else { ctx.out.ok() }
}

/// Parses a 32-bit integer argument as Redis's `getIntFromObjectOrReply`:
/// `not_int` for a non-integer, Redis's range error beyond 32 bits.
fn int32_arg(ctx: &mut Ctx, a: &[u8], not_int: &[u8]) -> Option<i64> {
    let Some(i) = parse_i64(a) else {
        ctx.out.raw(not_int);
        return None;
    };
    if i32::try_from(i).is_err() {
        ctx.out.raw(errors::NOT_INT32);
        return None;
    }
    Some(i)
}

/// Checks a database index against the configured count.
fn db_in_range(ctx: &mut Ctx, i: i64) -> Option<usize> {
    if i < 0 || i as usize >= ctx.shared.dbs.len() {
        ctx.out.raw(errors::DB_OUT_OF_RANGE);
        return None;
    }
    Some(i as usize)
}

/// A database index argument: 32-bit, then in range.
fn db_index(ctx: &mut Ctx, a: &[u8], not_int: &[u8]) -> Option<usize> {
    let i = int32_arg(ctx, a, not_int)?;
    db_in_range(ctx, i)
}

/// COPY source destination [DB destination-db] [REPLACE]
pub fn copy(ctx: &mut Ctx, args: Args) {
    let (src, dst) = (args.get(1), args.get(2));
    let mut replace = false;
    let mut dst_db = ctx.client.db;
    let mut j = 3;
    while j < args.len() {
        let a = args.get(j);
        if is(a, "replace") {
            replace = true;
        } else if is(a, "db") && j + 1 < args.len() {
            let Some(d) = db_index(ctx, args.get(j + 1), errors::NOT_INTEGER) else {
                return;
            };
            dst_db = d;
            j += 1;
        } else {
            return ctx.out.raw(errors::SYNTAX);
        }
        j += 1;
    }
    let src_db = ctx.client.db;
    if src_db == dst_db && src == dst {
        return ctx.out.raw(errors::SAME_OBJECT);
    }
    let now = ctx.now();
    let (out, db, stats, _) = ctx.split();
    let Some(slot) = lookup_read(db, stats, src, now).map(|s| s.clone()) else {
        return out.int(0);
    };
    let target = &mut ctx.shared.dbs[dst_db];
    if target.lookup(dst, now).is_some() {
        if !replace {
            return ctx.out.int(0);
        }
        target.delete(dst, now);
    }
    target.insert_slot(dst, slot);
    ctx.shared.blocking.signal_key_as_ready(dst_db, dst);
    ctx.out.int(1);
}

/// MOVE key db
pub fn move_(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let Some(dst_db) = db_index(ctx, args.get(2), errors::NOT_INTEGER) else {
        return;
    };
    let src_db = ctx.client.db;
    if src_db == dst_db {
        return ctx.out.raw(errors::SAME_OBJECT);
    }
    let now = ctx.now();
    let dbs = &mut ctx.shared.dbs;
    if dbs[src_db].lookup(key, now).is_none() || dbs[dst_db].lookup(key, now).is_some() {
        return ctx.out.int(0);
    }
    if let Some(slot) = dbs[src_db].remove(key, now) {
        dbs[dst_db].insert_slot(key, slot);
    }
    ctx.shared.blocking.signal_key_as_ready(dst_db, key);
    ctx.out.int(1);
}

/// RANDOMKEY
pub fn randomkey(ctx: &mut Ctx, _args: Args) {
    let now = ctx.now();
    let db = ctx.db();
    // Expired keys met on the way are deleted and another is drawn; a
    // database of only expired keys ends empty, so this terminates.
    while let Some(key) = db.random_key() {
        if db.lookup(&key, now).is_some() {
            return ctx.out.bulk(&key);
        }
    }
    ctx.out.null();
}

/// KEYS pattern
pub fn keys(ctx: &mut Ctx, args: Args) {
    let pattern = args.get(1);
    let all = pattern == b"*";
    let now = ctx.now();
    let mut found: Vec<Vec<u8>> = Vec::new();
    let db: &Db = &ctx.shared.dbs[ctx.client.db];
    db.dict().for_each(|k, s: &Slot| {
        if !s.is_expired(now) && (all || glob_match(pattern, k.as_bytes(), false)) {
            found.push(k.as_bytes().to_vec());
        }
    });
    ctx.out.array(found.len());
    for k in &found {
        ctx.out.bulk(k);
    }
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
pub fn scan(ctx: &mut Ctx, args: Args) {
    let Some(mut cursor) = parse_cursor(args.get(1)) else {
        return ctx.out.raw(errors::INVALID_CURSOR);
    };
    let mut pattern: Option<&[u8]> = None;
    let mut count: i64 = 10;
    let mut type_name: Option<&[u8]> = None;
    let mut j = 2;
    while j < args.len() {
        let a = args.get(j);
        let has_value = j + 1 < args.len();
        if is(a, "count") && has_value {
            let Some(c) = int_arg(&mut ctx.out, args.get(j + 1)) else {
                return;
            };
            if c < 1 {
                return ctx.out.raw(errors::SYNTAX);
            }
            count = c;
        } else if is(a, "match") && has_value {
            let p = args.get(j + 1);
            pattern = (p != b"*").then_some(p);
        } else if is(a, "type") && has_value {
            type_name = Some(args.get(j + 1));
        } else {
            return ctx.out.raw(errors::SYNTAX);
        }
        j += 2;
    }
    let now = ctx.now();
    let mut keys: Vec<Vec<u8>> = Vec::new();
    {
        let dict = ctx.shared.dbs[ctx.client.db].dict();
        // As Redis: up to ten buckets visited per requested element, so a
        // sparse table cannot make one call long.
        let mut budget = count.saturating_mul(10);
        loop {
            cursor = dict.scan(cursor, |k, s| {
                let keep = !s.is_expired(now)
                    && pattern.is_none_or(|p| glob_match(p, k.as_bytes(), false))
                    && type_name
                        .is_none_or(|t| t.eq_ignore_ascii_case(s.value.type_name().as_bytes()));
                if keep {
                    keys.push(k.as_bytes().to_vec());
                }
            });
            budget -= 1;
            if cursor == 0 || budget == 0 || keys.len() as i64 >= count {
                break;
            }
        }
    }
    let out = &mut ctx.out;
    out.array(2);
    out.bulk(itoa::Buffer::new().format(cursor).as_bytes());
    out.array(keys.len());
    for k in &keys {
        out.bulk(k);
    }
}

/// A SCAN cursor as C's `strtoull`, which Redis uses: empty is 0, an
/// optional sign (`-1` wraps to 2^64-1), no leading space, no trailing
/// bytes, no overflow.
pub(crate) fn parse_cursor(a: &[u8]) -> Option<u64> {
    let (neg, digits) = match a.first() {
        Some(b'-') => (true, &a[1..]),
        Some(b'+') => (false, &a[1..]),
        _ => (false, a),
    };
    if digits.is_empty() {
        return a.is_empty().then_some(0);
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// DBSIZE
pub fn dbsize(ctx: &mut Ctx, _args: Args) {
    let n = ctx.db().len();
    ctx.out.int(n as i64);
}

/// SELECT index
pub fn select(ctx: &mut Ctx, args: Args) {
    if let Some(i) = db_index(ctx, args.get(1), errors::NOT_INTEGER) {
        ctx.client.db = i;
        ctx.out.ok();
    }
}

/// SWAPDB index1 index2
pub fn swapdb(ctx: &mut Ctx, args: Args) {
    // Both indexes are parsed before either is range-checked, as Redis.
    let Some(a) = int32_arg(ctx, args.get(1), errors::INVALID_FIRST_DB) else {
        return;
    };
    let Some(b) = int32_arg(ctx, args.get(2), errors::INVALID_SECOND_DB) else {
        return;
    };
    let (Some(a), Some(b)) = (db_in_range(ctx, a), db_in_range(ctx, b)) else {
        return;
    };
    let now = ctx.now();
    Db::swap(&mut ctx.shared.dbs, a, b, now);
    // Clients blocked in either database now see other keys, as Redis's
    // scanDatabaseForReadyKeys after SWAPDB.
    ctx.shared.blocking.signal_db(a);
    ctx.shared.blocking.signal_db(b);
    ctx.out.ok();
}

/// Parses FLUSHDB / FLUSHALL's optional `ASYNC | SYNC`.
fn flush_mode_ok(ctx: &mut Ctx, args: &Args) -> bool {
    match args.len() {
        1 => true,
        2 if is(args.get(1), "async") || is(args.get(1), "sync") => true,
        _ => {
            ctx.out.raw(errors::SYNTAX);
            false
        }
    }
}

/// Empties database `i`, freeing the old contents on the lazyfree thread
/// in either mode: a large free would otherwise stall every client.
fn flush_db(ctx: &mut Ctx, i: usize) {
    let old = ctx.shared.dbs[i].take();
    if !old.is_empty() {
        ctx.shared.lazyfree.free(old);
    }
}

/// FLUSHDB [ASYNC | SYNC]
pub fn flushdb(ctx: &mut Ctx, args: Args) {
    if flush_mode_ok(ctx, &args) {
        flush_db(ctx, ctx.client.db);
        ctx.out.ok();
    }
}

/// FLUSHALL [ASYNC | SYNC]
pub fn flushall(ctx: &mut Ctx, args: Args) {
    if flush_mode_ok(ctx, &args) {
        for i in 0..ctx.shared.dbs.len() {
            flush_db(ctx, i);
        }
        ctx.out.ok();
    }
}
