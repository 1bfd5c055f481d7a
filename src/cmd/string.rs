//! String commands: SET and its family, GET and its family, counters,
//! ranges and LCS.

use super::{Ctx, int_arg, is, lookup_read};
use crate::db::{Slot, Ttl, Value};
use crate::errors;
use crate::resp::{Args, Reply};
use crate::util::longdouble::{IncrFloatError, incr_by_float};
use crate::util::num::parse_i64;

/// Options of SET (and GETEX, which shares the parser), as Redis's
/// `parseExtendedStringArgumentsOrReply`.
#[derive(Default, Clone, Copy)]
struct SetOpts<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    /// The expire argument and its kind.
    expire: Option<(&'a [u8], ExpireKind)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpireKind {
    Ex,
    Px,
    ExAt,
    PxAt,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OptsFor {
    Set,
    GetEx,
}

/// Parses options from `args[from..]`. Conflicts are syntax errors; a
/// repeated option is not (the last expire value wins), as in Redis.
fn parse_set_opts<'a>(
    args: &Args<'a>,
    from: usize,
    kind: OptsFor,
    out: &mut Reply,
) -> Option<SetOpts<'a>> {
    let mut o = SetOpts::default();
    let set = kind == OptsFor::Set;
    let mut j = from;
    while j < args.len() {
        let a = args.get(j);
        let next = (j + 1 < args.len()).then(|| args.get(j + 1));
        let has_expire = o.expire.is_some();
        let expire_kind = o.expire.map(|(_, k)| k);
        if set && is(a, "nx") && !o.xx {
            o.nx = true;
        } else if set && is(a, "xx") && !o.nx {
            o.xx = true;
        } else if set && is(a, "get") {
            o.get = true;
        } else if set && is(a, "keepttl") && !o.persist && !has_expire {
            o.keepttl = true;
        } else if !set && is(a, "persist") && !o.keepttl && !has_expire {
            o.persist = true;
        } else if let Some(k) = expire_keyword(a)
            && !o.keepttl
            && !o.persist
            && (expire_kind.is_none() || expire_kind == Some(k))
            && let Some(v) = next
        {
            o.expire = Some((v, k));
            j += 1;
        } else {
            out.raw(errors::SYNTAX);
            return None;
        }
        j += 1;
    }
    Some(o)
}

fn expire_keyword(a: &[u8]) -> Option<ExpireKind> {
    if is(a, "ex") {
        Some(ExpireKind::Ex)
    } else if is(a, "px") {
        Some(ExpireKind::Px)
    } else if is(a, "exat") {
        Some(ExpireKind::ExAt)
    } else if is(a, "pxat") {
        Some(ExpireKind::PxAt)
    } else {
        None
    }
}

/// The absolute deadline for an expire argument, or Redis's error:
/// not an integer, or zero / negative / overflowing once in milliseconds.
fn expire_deadline(
    out: &mut Reply,
    cmd: &str,
    v: &[u8],
    kind: ExpireKind,
    now: u64,
) -> Option<u64> {
    let n = int_arg(out, v)?;
    let seconds = matches!(kind, ExpireKind::Ex | ExpireKind::ExAt);
    let ms = if n <= 0 {
        None
    } else if seconds {
        n.checked_mul(1000)
    } else {
        Some(n)
    };
    let when = match (ms, kind) {
        (Some(ms), ExpireKind::Ex | ExpireKind::Px) => ms.checked_add(now as i64),
        (ms, _) => ms,
    };
    match when {
        Some(w) if w > 0 => Some(w as u64),
        _ => {
            errors::invalid_expire(out, cmd);
            None
        }
    }
}

/// Writes the string value of `slot` as a bulk reply.
#[inline]
fn reply_string(out: &mut Reply, v: &Value) {
    match v {
        Value::Int(i) => out.bulk_i64(*i),
        Value::Small { len, buf } => out.bulk(&buf[..*len as usize]),
        Value::Raw(r) => out.bulk(r),
        Value::Emb(b) => out.bulk(b),
        // Callers check `is_string` first.
        _ => out.raw(errors::WRONGTYPE),
    }
}

/// GET's core: replies the value or null; false (after WRONGTYPE) when
/// the key holds another type.
fn get_generic(ctx: &mut Ctx, key: &[u8]) -> bool {
    let (out, db, stats, now) = ctx.split();
    match lookup_read(db, stats, key, now) {
        None => out.null(),
        Some(slot) if !slot.value.is_string() => {
            out.raw(errors::WRONGTYPE);
            return false;
        }
        Some(slot) => reply_string(out, &slot.value),
    }
    true
}

/// GET key
pub fn get(ctx: &mut Ctx, args: Args) {
    get_generic(ctx, args.get(1));
}

/// The shared body of SET, SETNX, SETEX and PSETEX.
fn set_generic(
    ctx: &mut Ctx,
    cmd: &str,
    key: &[u8],
    val: &[u8],
    o: SetOpts,
    on_ok: &[u8],
    on_abort: Option<&[u8]>,
) {
    let now = ctx.now();
    let deadline = match o.expire {
        Some((v, kind)) => match expire_deadline(&mut ctx.out, cmd, v, kind, now) {
            Some(w) => Some(w),
            None => return,
        },
        None => None,
    };
    if o.get && !get_generic(ctx, key) {
        return;
    }
    let found = ctx.db().lookup(key, now).is_some();
    if (o.nx && found) || (o.xx && !found) {
        if !o.get {
            match on_abort {
                Some(r) => ctx.out.raw(r),
                None => ctx.out.null(),
            }
        }
        return;
    }
    let db = ctx.db();
    match deadline {
        // A deadline already past leaves no key behind.
        Some(w) if w <= now => {
            db.remove(key, now);
        }
        Some(w) => db.set(key, Value::from_bytes(val), Ttl::At(w), now),
        None => db.set(
            key,
            Value::from_bytes(val),
            if o.keepttl { Ttl::Keep } else { Ttl::Clear },
            now,
        ),
    }
    if !o.get {
        ctx.out.raw(on_ok);
    }
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
/// EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
pub fn set(ctx: &mut Ctx, args: Args) {
    let Some(o) = parse_set_opts(&args, 3, OptsFor::Set, &mut ctx.out) else {
        return;
    };
    set_generic(
        ctx,
        "set",
        args.get(1),
        args.get(2),
        o,
        crate::resp::reply::OK,
        None,
    );
}

/// SETNX key value
pub fn setnx(ctx: &mut Ctx, args: Args) {
    let o = SetOpts {
        nx: true,
        ..Default::default()
    };
    set_generic(
        ctx,
        "setnx",
        args.get(1),
        args.get(2),
        o,
        crate::resp::reply::ONE,
        Some(crate::resp::reply::ZERO),
    );
}

/// SETEX key seconds value
pub fn setex(ctx: &mut Ctx, args: Args) {
    let o = SetOpts {
        expire: Some((args.get(2), ExpireKind::Ex)),
        ..Default::default()
    };
    set_generic(
        ctx,
        "setex",
        args.get(1),
        args.get(3),
        o,
        crate::resp::reply::OK,
        None,
    );
}

/// PSETEX key milliseconds value
pub fn psetex(ctx: &mut Ctx, args: Args) {
    let o = SetOpts {
        expire: Some((args.get(2), ExpireKind::Px)),
        ..Default::default()
    };
    set_generic(
        ctx,
        "psetex",
        args.get(1),
        args.get(3),
        o,
        crate::resp::reply::OK,
        None,
    );
}

/// GETSET key value
pub fn getset(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    if !get_generic(ctx, key) {
        return;
    }
    let now = ctx.now();
    ctx.db()
        .set(key, Value::from_bytes(args.get(2)), Ttl::Clear, now);
}

/// GETDEL key
pub fn getdel(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let (out, db, stats, now) = ctx.split();
    match lookup_read(db, stats, key, now) {
        None => out.null(),
        Some(slot) if !slot.value.is_string() => out.raw(errors::WRONGTYPE),
        Some(slot) => {
            reply_string(out, &slot.value);
            db.remove(key, now);
        }
    }
}

/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | PERSIST]
pub fn getex(ctx: &mut Ctx, args: Args) {
    let Some(o) = parse_set_opts(&args, 2, OptsFor::GetEx, &mut ctx.out) else {
        return;
    };
    let key = args.get(1);
    let (out, db, stats, now) = ctx.split();
    // As Redis: the key and its type are checked before the expire value.
    let Some(slot) = lookup_read(db, stats, key, now) else {
        out.null();
        return;
    };
    if !slot.value.is_string() {
        out.raw(errors::WRONGTYPE);
        return;
    }
    let deadline = match o.expire {
        Some((v, kind)) => match expire_deadline(out, "getex", v, kind, now) {
            Some(w) => Some(w),
            None => return,
        },
        None => None,
    };
    reply_string(out, &slot.value);
    let had_ttl = slot.expire_at().is_some();
    match deadline {
        Some(w) if w <= now => {
            db.remove(key, now);
        }
        Some(w) => db.set_expire(key, w),
        None if o.persist && had_ttl => db.set_expire(key, 0),
        None => {}
    }
}

/// MGET key [key ...]
pub fn mget(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    out.array(args.len() - 1);
    for key in args.iter().skip(1) {
        match lookup_read(db, stats, key, now) {
            Some(slot) if slot.value.is_string() => reply_string(out, &slot.value),
            _ => out.null(),
        }
    }
}

/// MSET key value [key value ...]
pub fn mset(ctx: &mut Ctx, args: Args) {
    mset_generic(ctx, args, false);
}

/// MSETNX key value [key value ...]
pub fn msetnx(ctx: &mut Ctx, args: Args) {
    mset_generic(ctx, args, true);
}

fn mset_generic(ctx: &mut Ctx, args: Args, nx: bool) {
    if args.len().is_multiple_of(2) {
        errors::wrong_arity(&mut ctx.out, if nx { "msetnx" } else { "mset" });
        return;
    }
    let now = ctx.now();
    let db = ctx.db();
    if nx
        && (1..args.len())
            .step_by(2)
            .any(|i| db.lookup(args.get(i), now).is_some())
    {
        ctx.out.int(0);
        return;
    }
    for i in (1..args.len()).step_by(2) {
        db.set(
            args.get(i),
            Value::from_bytes(args.get(i + 1)),
            Ttl::Clear,
            now,
        );
    }
    if nx { ctx.out.int(1) } else { ctx.out.ok() }
}

/// Checks Redis's `checkStringLength`: a string may not outgrow
/// `proto-max-bulk-len`.
fn check_string_length(ctx: &mut Ctx, size: usize, append: usize) -> bool {
    let total = size as u128 + append as u128;
    if total > ctx.shared.config.proto_max_bulk_len as u128 {
        ctx.out.raw(errors::STRING_TOO_LONG);
        return false;
    }
    true
}

/// APPEND key value
pub fn append(ctx: &mut Ctx, args: Args) {
    let (key, val) = (args.get(1), args.get(2));
    let now = ctx.now();
    let cur_len = match ctx.db().lookup(key, now) {
        None => None,
        Some(slot) if !slot.value.is_string() => {
            ctx.out.raw(errors::WRONGTYPE);
            return;
        }
        Some(slot) => Some(slot.value.str_len()),
    };
    let Some(cur_len) = cur_len else {
        ctx.db().set(key, Value::from_bytes(val), Ttl::Clear, now);
        ctx.out.int(val.len() as i64);
        return;
    };
    if !check_string_length(ctx, cur_len, val.len()) {
        return;
    }
    let Some(slot) = ctx.db().lookup(key, now) else {
        return;
    };
    let raw = slot.value.make_raw();
    raw.extend_from_slice(val);
    let len = raw.len();
    ctx.out.int(len as i64);
}

/// STRLEN key
pub fn strlen(ctx: &mut Ctx, args: Args) {
    let (out, db, stats, now) = ctx.split();
    match lookup_read(db, stats, args.get(1), now) {
        None => out.int(0),
        Some(slot) if !slot.value.is_string() => out.raw(errors::WRONGTYPE),
        Some(slot) => out.int(slot.value.str_len() as i64),
    }
}

/// GETRANGE key start end (and its old name SUBSTR)
pub fn getrange(ctx: &mut Ctx, args: Args) {
    let Some(mut start) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    let Some(mut end) = int_arg(&mut ctx.out, args.get(3)) else {
        return;
    };
    let (out, db, stats, now) = ctx.split();
    let slot = match lookup_read(db, stats, args.get(1), now) {
        None => return out.bulk(b""),
        Some(s) if !s.value.is_string() => return out.raw(errors::WRONGTYPE),
        Some(s) => s,
    };
    let mut tmp = itoa::Buffer::new();
    let s = slot.value.as_bytes(&mut tmp);
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        return out.bulk(b"");
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0).min(len - 1);
    if start > end || len == 0 {
        out.bulk(b"");
    } else {
        out.bulk(&s[start as usize..=end as usize]);
    }
}

/// SETRANGE key offset value
pub fn setrange(ctx: &mut Ctx, args: Args) {
    let (key, val) = (args.get(1), args.get(3));
    let Some(offset) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    if offset < 0 {
        ctx.out.raw(errors::OFFSET_OUT_OF_RANGE);
        return;
    }
    let offset = offset as usize;
    let now = ctx.now();
    let cur_len = match ctx.db().lookup(key, now) {
        None => None,
        Some(slot) if !slot.value.is_string() => {
            ctx.out.raw(errors::WRONGTYPE);
            return;
        }
        Some(slot) => Some(slot.value.str_len()),
    };
    if val.is_empty() {
        ctx.out.int(cur_len.unwrap_or(0) as i64);
        return;
    }
    if !check_string_length(ctx, offset, val.len()) {
        return;
    }
    if cur_len.is_none() {
        ctx.db().set(key, Value::Raw(Vec::new()), Ttl::Clear, now);
    }
    let Some(slot) = ctx.db().lookup(key, now) else {
        return;
    };
    let raw = slot.value.make_raw();
    if raw.len() < offset + val.len() {
        raw.resize(offset + val.len(), 0);
    }
    raw[offset..offset + val.len()].copy_from_slice(val);
    let len = raw.len();
    ctx.out.int(len as i64);
}

/// The shared body of INCR, DECR, INCRBY and DECRBY; the TTL is kept.
fn incr_generic(ctx: &mut Ctx, key: &[u8], by: i64) {
    let now = ctx.now();
    let (out, db, _, _) = ctx.split();
    let cur = match db.lookup(key, now) {
        None => 0,
        Some(slot) => match &slot.value {
            Value::Int(i) => *i,
            v if !v.is_string() => return out.raw(errors::WRONGTYPE),
            v => {
                let mut tmp = itoa::Buffer::new();
                match parse_i64(v.as_bytes(&mut tmp)) {
                    Some(i) => i,
                    None => return out.raw(errors::NOT_INTEGER),
                }
            }
        },
    };
    let Some(new) = cur.checked_add(by) else {
        return out.raw(errors::OVERFLOW);
    };
    match db.lookup(key, now) {
        Some(Slot { value, .. }) => *value = Value::Int(new),
        None => db.set(key, Value::Int(new), Ttl::Clear, now),
    }
    out.int(new);
}

/// INCR key
pub fn incr(ctx: &mut Ctx, args: Args) {
    incr_generic(ctx, args.get(1), 1);
}

/// DECR key
pub fn decr(ctx: &mut Ctx, args: Args) {
    incr_generic(ctx, args.get(1), -1);
}

/// INCRBY key increment
pub fn incrby(ctx: &mut Ctx, args: Args) {
    if let Some(by) = int_arg(&mut ctx.out, args.get(2)) {
        incr_generic(ctx, args.get(1), by);
    }
}

/// DECRBY key decrement
pub fn decrby(ctx: &mut Ctx, args: Args) {
    let Some(by) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    match by.checked_neg() {
        Some(neg) => incr_generic(ctx, args.get(1), neg),
        None => ctx.out.raw(errors::DECR_OVERFLOW),
    }
}

/// INCRBYFLOAT key increment, computed in 80-bit extended precision as
/// Redis's `long double`, so the digits match.
pub fn incrbyfloat(ctx: &mut Ctx, args: Args) {
    let key = args.get(1);
    let now = ctx.now();
    let (out, db, _, _) = ctx.split();
    let result = {
        let mut tmp = itoa::Buffer::new();
        let cur: &[u8] = match db.lookup(key, now) {
            None => b"0",
            Some(slot) if !slot.value.is_string() => return out.raw(errors::WRONGTYPE),
            Some(slot) => slot.value.as_bytes(&mut tmp),
        };
        incr_by_float(cur, args.get(2))
    };
    match result {
        Err(IncrFloatError::InvalidCurrent | IncrFloatError::InvalidIncrement) => {
            out.raw(errors::NOT_FLOAT)
        }
        Err(IncrFloatError::NanOrInfinity) => out.raw(errors::INCR_NAN_INF),
        Ok(s) => {
            match db.lookup(key, now) {
                Some(slot) => slot.value = Value::from_bytes_no_int(&s),
                None => db.set(key, Value::from_bytes_no_int(&s), Ttl::Clear, now),
            }
            out.bulk(&s);
        }
    }
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
pub fn lcs(ctx: &mut Ctx, args: Args) {
    let now = ctx.now();
    let (mut get_len, mut get_idx, mut with_match_len, mut min_match_len) =
        (false, false, false, 0i64);
    let (a, b) = {
        let db = ctx.db();
        let mut fetch = |key: &[u8]| -> Result<Vec<u8>, ()> {
            match db.lookup(key, now) {
                None => Ok(Vec::new()),
                Some(s) if !s.value.is_string() => Err(()),
                Some(s) => Ok(s.value.as_bytes(&mut itoa::Buffer::new()).to_vec()),
            }
        };
        match (fetch(args.get(1)), fetch(args.get(2))) {
            (Ok(a), Ok(b)) => (a, b),
            _ => {
                return ctx.out.raw(errors::LCS_NOT_STRINGS);
            }
        }
    };
    let mut j = 3;
    while j < args.len() {
        let opt = args.get(j);
        if is(opt, "idx") {
            get_idx = true;
        } else if is(opt, "len") {
            get_len = true;
        } else if is(opt, "withmatchlen") {
            with_match_len = true;
        } else if is(opt, "minmatchlen") && j + 1 < args.len() {
            let Some(v) = int_arg(&mut ctx.out, args.get(j + 1)) else {
                return;
            };
            min_match_len = v.max(0);
            j += 1;
        } else {
            return ctx.out.raw(errors::SYNTAX);
        }
        j += 1;
    }
    if get_idx && get_len {
        return ctx.out.raw(errors::LCS_IDX_AND_LEN);
    }
    let (alen, blen) = (a.len(), b.len());
    let cells = (alen as u128 + 1) * (blen as u128 + 1);
    if cells * 4 > ctx.shared.config.proto_max_bulk_len as u128 {
        return ctx.out.raw(errors::LCS_TOO_BIG);
    }
    // dp[i][j] = LCS length of a[..i] and b[..j].
    let w = blen + 1;
    let mut dp = vec![0u32; (alen + 1) * w];
    for i in 1..=alen {
        for j in 1..=blen {
            dp[i * w + j] = if a[i - 1] == b[j - 1] {
                dp[(i - 1) * w + j - 1] + 1
            } else {
                dp[(i - 1) * w + j].max(dp[i * w + j - 1])
            };
        }
    }
    let total = dp[alen * w + blen] as usize;
    if get_len {
        return ctx.out.int(total as i64);
    }
    // Walk back from the end, collecting the common string and, for IDX,
    // the ranges of contiguous matches (from the end, as Redis reports).
    let mut result = vec![0u8; total];
    let mut idx = total;
    let mut matches: Vec<[usize; 4]> = Vec::new();
    let (mut i, mut j) = (alen, blen);
    let none = alen;
    let (mut as_, mut ae, mut bs, mut be) = (none, 0, 0, 0);
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[idx - 1] = a[i - 1];
            if as_ == none {
                (as_, ae, bs, be) = (i - 1, i - 1, j - 1, j - 1);
            } else if as_ == i && bs == j {
                as_ -= 1;
                bs -= 1;
            } else {
                emit = true;
            }
            if as_ == 0 || bs == 0 {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if dp[(i - 1) * w + j] > dp[i * w + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if as_ != none {
                emit = true;
            }
        }
        if emit {
            let match_len = ae - as_ + 1;
            if min_match_len == 0 || match_len as i64 >= min_match_len {
                matches.push([as_, ae, bs, be]);
            }
            as_ = none;
        }
    }
    if !get_idx {
        return ctx.out.bulk(&result);
    }
    let out = &mut ctx.out;
    out.map(2);
    out.bulk(b"matches");
    out.array(matches.len());
    for [as_, ae, bs, be] in matches {
        out.array(2 + usize::from(with_match_len));
        out.array(2);
        out.int(as_ as i64);
        out.int(ae as i64);
        out.array(2);
        out.int(bs as i64);
        out.int(be as i64);
        if with_match_len {
            out.int((ae - as_ + 1) as i64);
        }
    }
    out.bulk(b"len");
    out.int(total as i64);
}
