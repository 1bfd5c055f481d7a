//! The native parts of the script API: `redis.sha1hex`, `error_reply`,
//! `status_reply`, `log`, `setresp`, and the `bit` and `cjson` libraries
//! Redis bundles (`bit` as LuaBitOp's 32-bit operations; `cjson` on
//! serde_json, `cmsgpack` as lua-cmsgpack, `struct` as struct.c).

use std::rc::Rc;

use mlua::{LightUserData, Lua, LuaString, MultiValue, Table, Value as LuaValue};

use super::RunState;

pub(super) fn install_redis_natives(
    lua: &Lua,
    redis: &Table,
    state: Rc<RunState>,
) -> mlua::Result<()> {
    redis.raw_set(
        "sha1hex",
        lua.create_function(|lua, args: MultiValue| {
            if args.len() != 1 {
                return Err(mlua::Error::runtime("wrong number of arguments"));
            }
            let s = match &args[0] {
                LuaValue::String(s) => s.as_bytes().to_vec(),
                LuaValue::Integer(i) => i.to_string().into_bytes(),
                LuaValue::Number(n) => {
                    let mut b = Vec::new();
                    super::convert::number_arg(*n, &mut b);
                    b
                }
                _ => Vec::new(),
            };
            lua.create_string(super::sha1_hex(&s))
        })?,
    )?;
    redis.raw_set(
        "error_reply",
        lua.create_function(|lua, args: MultiValue| {
            let Some(LuaValue::String(s)) = args.front().filter(|_| args.len() == 1) else {
                return Err(mlua::Error::runtime("wrong number or type of arguments"));
            };
            let s = s.as_bytes();
            let mut text = Vec::with_capacity(s.len() + 1);
            if s.first() != Some(&b'-') {
                text.push(b'-');
            }
            text.extend_from_slice(&s);
            super::error_table(lua, &text)
        })?,
    )?;
    redis.raw_set(
        "status_reply",
        lua.create_function(|lua, args: MultiValue| {
            let Some(LuaValue::String(s)) = args.front().filter(|_| args.len() == 1) else {
                return Err(mlua::Error::runtime("wrong number or type of arguments"));
            };
            let t = lua.create_table()?;
            t.raw_set("ok", s.clone())?;
            Ok(t)
        })?,
    )?;
    redis.raw_set(
        "log",
        lua.create_function(|_, args: MultiValue| {
            if args.len() < 2 {
                return Err(mlua::Error::runtime(
                    "redis.log() requires two arguments or more.",
                ));
            }
            let level = match &args[0] {
                LuaValue::Integer(i) => *i,
                LuaValue::Number(n) => *n as i64,
                _ => {
                    return Err(mlua::Error::runtime(
                        "First argument must be a number (log level).",
                    ));
                }
            };
            if !(0..=3).contains(&level) {
                return Err(mlua::Error::runtime("Invalid debug level."));
            }
            // Redis's default loglevel is notice: debug and verbose are dropped.
            if level >= 2 {
                let words: Vec<String> = args
                    .iter()
                    .skip(1)
                    .map(|v| match v {
                        LuaValue::String(s) => s.to_string_lossy(),
                        LuaValue::Integer(i) => i.to_string(),
                        LuaValue::Number(n) => n.to_string(),
                        _ => String::new(),
                    })
                    .collect();
                eprintln!("ferrite: script: {}", words.join(" "));
            }
            Ok(())
        })?,
    )?;
    redis.raw_set(
        "acl_check_cmd",
        lua.create_function(|_, args: MultiValue| {
            let name = match args.front() {
                Some(LuaValue::String(s)) => s.as_bytes().to_vec(),
                _ => {
                    return Err(mlua::Error::runtime(
                        "Please specify at least one argument for this redis lib call",
                    ));
                }
            };
            // No ACLs: every known command is allowed.
            if crate::cmd::table().lookup(&name).is_none() {
                return Err(mlua::Error::runtime(
                    "Invalid command passed to redis.acl_check_cmd()",
                ));
            }
            Ok(true)
        })?,
    )?;
    redis.raw_set(
        "setresp",
        lua.create_function(move |_, args: MultiValue| {
            if args.len() != 1 {
                return Err(mlua::Error::runtime(
                    "redis.setresp() requires one argument.",
                ));
            }
            let v = match &args[0] {
                LuaValue::Integer(i) => *i,
                LuaValue::Number(n) => *n as i64,
                _ => 0,
            };
            if v != 2 && v != 3 {
                return Err(mlua::Error::runtime("RESP version must be 2 or 3."));
            }
            state.resp.set(v as u8);
            Ok(())
        })?,
    )?;
    Ok(())
}

/// Redis's `redisLrand48` (the 48-bit `lrand48` generator), which its
/// Lua's `math.random` uses: same seed, same sequence as redis-server.
struct Rand48(std::cell::Cell<u64>);

impl Rand48 {
    const MASK: u64 = (1 << 48) - 1;

    fn new() -> Self {
        Rand48(std::cell::Cell::new(0x1234_ABCD_330E))
    }

    fn seed(&self, seed: i32) {
        self.0
            .set(((u64::from(seed as u32)) << 16 | 0x330E) & Self::MASK);
    }

    fn next(&self) -> i32 {
        let x = (0x5_DEEC_E66D_u64
            .wrapping_mul(self.0.get())
            .wrapping_add(0xB))
            & Self::MASK;
        self.0.set(x);
        (x >> 17) as i32
    }
}

/// `math.random` and `math.randomseed` as Redis's patched lmathlib.
pub(super) fn install_random(lua: &Lua, math: &Table) -> mlua::Result<()> {
    let rng = Rc::new(Rand48::new());
    let r = rng.clone();
    math.raw_set(
        "random",
        lua.create_function(move |lua, args: MultiValue| {
            const MAX: f64 = i32::MAX as f64;
            let x = f64::from(r.next() % i32::MAX) / MAX;
            let int = |i: usize| -> mlua::Result<i64> {
                match args.get(i) {
                    Some(LuaValue::Integer(v)) => Ok(*v),
                    Some(LuaValue::Number(n)) => Ok(*n as i64),
                    _ => Err(lua_error(
                        lua,
                        &format!("bad argument #{} to 'random' (number expected)", i + 1),
                    )),
                }
            };
            let empty = |n: usize| {
                lua_error(
                    lua,
                    &format!("bad argument #{n} to 'random' (interval is empty)"),
                )
            };
            match args.len() {
                0 => Ok(x),
                1 => {
                    let u = int(0)?;
                    if u < 1 {
                        return Err(empty(1));
                    }
                    Ok((x * u as f64).floor() + 1.0)
                }
                2 => {
                    let (l, u) = (int(0)?, int(1)?);
                    if l > u {
                        return Err(empty(2));
                    }
                    Ok((x * (u - l + 1) as f64).floor() + l as f64)
                }
                _ => Err(lua_error(lua, "wrong number of arguments")),
            }
        })?,
    )?;
    math.raw_set(
        "randomseed",
        lua.create_function(move |_, seed: f64| {
            rng.seed(seed as i64 as i32);
            Ok(())
        })?,
    )?;
    Ok(())
}

/// `luaL_error`'s position prefix: `user_script:<line>: ` of the Lua
/// code that called the native function.
fn here(lua: &Lua) -> String {
    lua.inspect_stack(1, |d| {
        let src = d.source().short_src.map(|s| s.into_owned());
        match (src, d.current_line()) {
            (Some(src), Some(line)) => format!("{src}:{line}: "),
            _ => String::new(),
        }
    })
    .unwrap_or_default()
}

/// An error raised as `luaL_error` would: with the caller's position.
fn lua_error(lua: &Lua, msg: &str) -> mlua::Error {
    mlua::Error::runtime(format!("{}{msg}", here(lua)))
}

/// LuaBitOp's conversion: round to nearest (ties to even), wrap to i32.
fn tobit(n: f64) -> i32 {
    let r = n.round_ties_even();
    (r.rem_euclid(4_294_967_296.0) as u64 as u32) as i32
}

/// `luaL_checknumber` for argument `i` (0-based) of `bit.<name>`.
fn num(lua: &Lua, args: &MultiValue, i: usize, name: &str) -> mlua::Result<f64> {
    let got = match args.get(i) {
        Some(LuaValue::Integer(v)) => return Ok(*v as f64),
        Some(LuaValue::Number(n)) => return Ok(*n),
        Some(LuaValue::String(s)) => {
            if let Some(n) = s.to_str().ok().and_then(|s| s.trim().parse::<f64>().ok()) {
                return Ok(n);
            }
            "string"
        }
        Some(v) => v.type_name(),
        None => "no value",
    };
    Err(lua_error(
        lua,
        &format!(
            "bad argument #{} to '{name}' (number expected, got {got})",
            i + 1
        ),
    ))
}

pub(super) fn bit(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    type Unary = fn(i32) -> i32;
    let unary: [(&'static str, Unary); 3] = [
        ("tobit", |x| x),
        ("bnot", |x| !x),
        ("bswap", |x| (x as u32).swap_bytes() as i32),
    ];
    for (name, op) in unary {
        t.raw_set(
            name,
            lua.create_function(move |lua, args: MultiValue| {
                Ok(op(tobit(num(lua, &args, 0, name)?)))
            })?,
        )?;
    }
    type Fold = fn(i32, i32) -> i32;
    let folds: [(&'static str, Fold); 3] = [
        ("band", |a, b| a & b),
        ("bor", |a, b| a | b),
        ("bxor", |a, b| a ^ b),
    ];
    for (name, op) in folds {
        t.raw_set(
            name,
            lua.create_function(move |lua, args: MultiValue| {
                let mut acc = tobit(num(lua, &args, 0, name)?);
                for i in 1..args.len() {
                    acc = op(acc, tobit(num(lua, &args, i, name)?));
                }
                Ok(acc)
            })?,
        )?;
    }
    type Shift = fn(u32, u32) -> u32;
    let shifts: [(&'static str, Shift); 5] = [
        ("lshift", |a, n| a << (n & 31)),
        ("rshift", |a, n| a >> (n & 31)),
        ("arshift", |a, n| ((a as i32) >> (n & 31)) as u32),
        ("rol", |a, n| a.rotate_left(n & 31)),
        ("ror", |a, n| a.rotate_right(n & 31)),
    ];
    for (name, op) in shifts {
        t.raw_set(
            name,
            lua.create_function(move |lua, args: MultiValue| {
                let a = tobit(num(lua, &args, 0, name)?) as u32;
                let n = tobit(num(lua, &args, 1, name)?) as u32;
                Ok(op(a, n) as i32)
            })?,
        )?;
    }
    t.raw_set(
        "tohex",
        lua.create_function(|lua, args: MultiValue| {
            let x = tobit(num(lua, &args, 0, "tohex")?) as u32;
            let n = match args.get(1) {
                Some(LuaValue::Nil) | None => 8,
                Some(_) => tobit(num(lua, &args, 1, "tohex")?),
            };
            let upper = n < 0;
            let digits = n.unsigned_abs().min(8) as usize;
            let s = if upper {
                format!("{x:08X}")
            } else {
                format!("{x:08x}")
            };
            Ok(s[8 - digits..].to_string())
        })?,
    )?;
    Ok(t)
}

pub(super) fn cjson(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    let null = LuaValue::LightUserData(LightUserData(std::ptr::null_mut()));
    t.raw_set("null", null)?;
    t.raw_set(
        "encode",
        lua.create_function(|lua, v: LuaValue| {
            let mut out = String::new();
            encode(&v, &mut out, 0).map_err(|e| lua_error(lua, &super::error_text(&e)))?;
            Ok(out)
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| {
            let bytes = s.as_bytes();
            let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
                // cjson reports a 1-based character offset.
                let at = bytes
                    .split(|&b| b == b'\n')
                    .take(e.line().saturating_sub(1))
                    .map(|l| l.len() + 1)
                    .sum::<usize>()
                    + e.column().max(1);
                lua_error(
                    lua,
                    &format!("Expected value but found invalid token at character {at}"),
                )
            })?;
            decode(lua, &v)
        })?,
    )?;
    Ok(t)
}

/// cjson's depth limit.
const JSON_MAX_DEPTH: usize = 1000;

fn encode(v: &LuaValue, out: &mut String, depth: usize) -> mlua::Result<()> {
    use std::fmt::Write;
    if depth > JSON_MAX_DEPTH {
        return Err(mlua::Error::runtime(
            "Cannot serialise, excessive nesting (1001)",
        ));
    }
    match v {
        LuaValue::Nil => out.push_str("null"),
        LuaValue::LightUserData(p) if p.0.is_null() => out.push_str("null"),
        LuaValue::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        LuaValue::Integer(i) => out.push_str(&super::convert::format_g(*i as f64, 14)),
        LuaValue::Number(n) => {
            if n.is_nan() || n.is_infinite() {
                return Err(mlua::Error::runtime(
                    "Cannot serialise number: must not be NaN or Inf",
                ));
            }
            // cjson's default: `%.14g`.
            out.push_str(&super::convert::format_g(*n, 14));
        }
        LuaValue::String(s) => {
            out.push('"');
            for c in s.to_string_lossy().chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '/' => out.push_str("\\/"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                        let _ = write!(out, "\\u{:04x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        LuaValue::Table(t) => {
            let pairs: Vec<(LuaValue, LuaValue)> = t.pairs().collect::<mlua::Result<_>>()?;
            let mut max = 0usize;
            let array = pairs.iter().all(|(k, _)| match k {
                LuaValue::Integer(i) if *i >= 1 => {
                    max = max.max(*i as usize);
                    true
                }
                LuaValue::Number(n) if *n >= 1.0 && n.fract() == 0.0 => {
                    max = max.max(*n as usize);
                    true
                }
                _ => false,
            });
            if array && !pairs.is_empty() {
                if max > 10 && max > pairs.len() * 2 {
                    return Err(mlua::Error::runtime(
                        "Cannot serialise table: excessively sparse array",
                    ));
                }
                out.push('[');
                for i in 1..=max {
                    if i > 1 {
                        out.push(',');
                    }
                    encode(&t.raw_get::<LuaValue>(i)?, out, depth + 1)?;
                }
                out.push(']');
            } else {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    match k {
                        LuaValue::String(_) => encode(k, out, depth + 1)?,
                        LuaValue::Integer(_) | LuaValue::Number(_) => {
                            let mut inner = String::new();
                            encode(k, &mut inner, depth + 1)?;
                            out.push('"');
                            out.push_str(&inner);
                            out.push('"');
                        }
                        _ => {
                            return Err(mlua::Error::runtime(
                                "Cannot serialise table: table key must be a number or string",
                            ));
                        }
                    }
                    out.push(':');
                    encode(v, out, depth + 1)?;
                }
                out.push('}');
            }
        }
        other => {
            return Err(mlua::Error::runtime(format!(
                "Cannot serialise {}: type not supported",
                other.type_name()
            )));
        }
    }
    Ok(())
}

fn decode(lua: &Lua, v: &serde_json::Value) -> mlua::Result<LuaValue> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => LuaValue::LightUserData(LightUserData(std::ptr::null_mut())),
        J::Bool(b) => LuaValue::Boolean(*b),
        J::Number(n) => LuaValue::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => LuaValue::String(lua.create_string(s)?),
        J::Array(a) => {
            let t = lua.create_table_with_capacity(a.len(), 0)?;
            for (i, x) in a.iter().enumerate() {
                t.raw_set(i + 1, decode(lua, x)?)?;
            }
            LuaValue::Table(t)
        }
        J::Object(o) => {
            let t = lua.create_table_with_capacity(0, o.len())?;
            for (k, x) in o {
                t.raw_set(lua.create_string(k)?, decode(lua, x)?)?;
            }
            LuaValue::Table(t)
        }
    })
}

/// lua-cmsgpack's nesting limit: deeper tables are packed as nil.
const MSGPACK_MAX_NESTING: usize = 16;

/// `cmsgpack`: pack, unpack, unpack_one, unpack_limit with lua-cmsgpack's
/// encodings (smallest integer form, float32 when exact, Lua strings as
/// `str`, tables with keys 1..n as arrays, others as maps).
pub(super) fn cmsgpack(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "pack",
        lua.create_function(|lua, args: MultiValue| {
            if args.is_empty() {
                return Err(lua_error(
                    lua,
                    "bad argument #0 to 'pack' (MessagePack pack needs input.)",
                ));
            }
            let mut out = Vec::new();
            for v in args.iter() {
                mp_encode(v, &mut out, 0)?;
            }
            lua.create_string(out)
        })?,
    )?;
    t.raw_set(
        "unpack",
        lua.create_function(|lua, data: LuaString| {
            let (_, vals) = mp_unpack(lua, &data.as_bytes(), 0, 0)
                .map_err(|e| lua_error(lua, &super::error_text(&e)))?;
            Ok(vals)
        })?,
    )?;
    t.raw_set(
        "unpack_one",
        lua.create_function(|lua, (data, offset): (LuaString, Option<i64>)| {
            unpack_limited(lua, &data.as_bytes(), 1, offset.unwrap_or(0))
                .map_err(|e| lua_error(lua, &super::error_text(&e)))
        })?,
    )?;
    t.raw_set(
        "unpack_limit",
        lua.create_function(
            |lua, (data, limit, offset): (LuaString, i64, Option<i64>)| {
                unpack_limited(
                    lua,
                    &data.as_bytes(),
                    limit.max(0) as usize,
                    offset.unwrap_or(0),
                )
            },
        )?,
    )?;
    Ok(t)
}

fn unpack_limited(lua: &Lua, data: &[u8], limit: usize, offset: i64) -> mlua::Result<MultiValue> {
    if offset < 0 || offset as usize > data.len() {
        return Err(mlua::Error::runtime(
            "Start offset greater than input length",
        ));
    }
    let (next, mut vals) = mp_unpack(lua, data, limit, offset as usize)?;
    let next = if next >= data.len() { -1 } else { next as i64 };
    vals.push_front(LuaValue::Integer(next));
    Ok(vals)
}

fn mp_len(out: &mut Vec<u8>, n: usize, fix: u8, fix_max: usize, b8: Option<u8>, b16: u8, b32: u8) {
    if n <= fix_max {
        out.push(fix | n as u8);
    } else if let Some(b8) = b8.filter(|_| n <= 0xff) {
        out.push(b8);
        out.push(n as u8);
    } else if n <= 0xffff {
        out.push(b16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(b32);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

fn mp_int(out: &mut Vec<u8>, n: i64) {
    if n >= 0 {
        let u = n as u64;
        if u <= 127 {
            out.push(u as u8);
        } else if u <= 0xff {
            out.extend_from_slice(&[0xcc, u as u8]);
        } else if u <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(u as u16).to_be_bytes());
        } else if u <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(u as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&u.to_be_bytes());
        }
    } else if n >= -32 {
        out.push(n as i8 as u8);
    } else if n >= -128 {
        out.extend_from_slice(&[0xd0, n as i8 as u8]);
    } else if n >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(n as i16).to_be_bytes());
    } else if n >= -2_147_483_648 {
        out.push(0xd2);
        out.extend_from_slice(&(n as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn mp_number(out: &mut Vec<u8>, d: f64) {
    // 2^63: what an i64 cannot hold.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if d.is_finite() && d.fract() == 0.0 && (-LIMIT..LIMIT).contains(&d) {
        return mp_int(out, d as i64);
    }
    let f = d as f32;
    if f as f64 == d || d.is_nan() && f.is_nan() {
        out.push(0xca);
        out.extend_from_slice(&f.to_be_bytes());
    } else {
        out.push(0xcb);
        out.extend_from_slice(&d.to_be_bytes());
    }
}

fn mp_encode(v: &LuaValue, out: &mut Vec<u8>, depth: usize) -> mlua::Result<()> {
    match v {
        LuaValue::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        LuaValue::Integer(i) => mp_int(out, *i),
        LuaValue::Number(n) => mp_number(out, *n),
        LuaValue::String(s) => {
            let b = s.as_bytes();
            mp_len(out, b.len(), 0xa0, 31, Some(0xd9), 0xda, 0xdb);
            out.extend_from_slice(&b);
        }
        LuaValue::Table(t) if depth < MSGPACK_MAX_NESTING => {
            let pairs: Vec<(LuaValue, LuaValue)> = t.pairs().collect::<mlua::Result<_>>()?;
            let mut max = 0.0f64;
            let array = pairs.iter().all(|(k, _)| {
                let n = match k {
                    LuaValue::Integer(i) => *i as f64,
                    LuaValue::Number(n) => *n,
                    _ => return false,
                };
                max = max.max(n);
                n > 0.0 && n.fract() == 0.0
            }) && max as usize == pairs.len();
            if array {
                mp_len(out, pairs.len(), 0x90, 15, None, 0xdc, 0xdd);
                for i in 1..=pairs.len() {
                    mp_encode(&t.raw_get::<LuaValue>(i)?, out, depth + 1)?;
                }
            } else {
                mp_len(out, pairs.len(), 0x80, 15, None, 0xde, 0xdf);
                for (k, v) in &pairs {
                    mp_encode(k, out, depth + 1)?;
                    mp_encode(v, out, depth + 1)?;
                }
            }
        }
        _ => out.push(0xc0),
    }
    Ok(())
}

/// Decodes up to `limit` objects (0 = all) from `data[offset..]`; returns
/// the offset after them and the values.
fn mp_unpack(
    lua: &Lua,
    data: &[u8],
    limit: usize,
    offset: usize,
) -> mlua::Result<(usize, MultiValue)> {
    let mut pos = offset;
    let mut vals = MultiValue::new();
    while pos < data.len() && (limit == 0 || vals.len() < limit) {
        vals.push_back(mp_decode(lua, data, &mut pos, 0)?);
    }
    Ok((pos, vals))
}

fn mp_take<'d>(data: &'d [u8], pos: &mut usize, n: usize) -> mlua::Result<&'d [u8]> {
    let end = pos
        .checked_add(n)
        .filter(|&e| e <= data.len())
        .ok_or_else(|| mlua::Error::runtime("Missing bytes in input."))?;
    let s = &data[*pos..end];
    *pos = end;
    Ok(s)
}

fn mp_be(data: &[u8], pos: &mut usize, n: usize) -> mlua::Result<u64> {
    Ok(mp_take(data, pos, n)?
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

fn mp_decode(lua: &Lua, data: &[u8], pos: &mut usize, depth: usize) -> mlua::Result<LuaValue> {
    if depth > 1000 {
        return Err(mlua::Error::runtime("Bad data format in input."));
    }
    let b = mp_take(data, pos, 1)?[0];
    let num = |n: f64| Ok(LuaValue::Number(n));
    let string = |lua: &Lua, pos: &mut usize, n: usize| -> mlua::Result<LuaValue> {
        Ok(LuaValue::String(lua.create_string(mp_take(data, pos, n)?)?))
    };
    match b {
        0x00..=0x7f => num(f64::from(b)),
        0xe0..=0xff => num(f64::from(b as i8)),
        0x80..=0x8f => mp_map(lua, data, pos, (b & 0x0f) as usize, depth),
        0x90..=0x9f => mp_array(lua, data, pos, (b & 0x0f) as usize, depth),
        0xa0..=0xbf => string(lua, pos, (b & 0x1f) as usize),
        0xc0 => Ok(LuaValue::Nil),
        0xc2 => Ok(LuaValue::Boolean(false)),
        0xc3 => Ok(LuaValue::Boolean(true)),
        0xc4 | 0xd9 => {
            let n = mp_be(data, pos, 1)? as usize;
            string(lua, pos, n)
        }
        0xc5 | 0xda => {
            let n = mp_be(data, pos, 2)? as usize;
            string(lua, pos, n)
        }
        0xc6 | 0xdb => {
            let n = mp_be(data, pos, 4)? as usize;
            string(lua, pos, n)
        }
        0xca => num(f64::from(f32::from_bits(mp_be(data, pos, 4)? as u32))),
        0xcb => num(f64::from_bits(mp_be(data, pos, 8)?)),
        0xcc => num(mp_be(data, pos, 1)? as f64),
        0xcd => num(mp_be(data, pos, 2)? as f64),
        0xce => num(mp_be(data, pos, 4)? as f64),
        0xcf => num(mp_be(data, pos, 8)? as f64),
        0xd0 => num(f64::from(mp_be(data, pos, 1)? as u8 as i8)),
        0xd1 => num(f64::from(mp_be(data, pos, 2)? as u16 as i16)),
        0xd2 => num(f64::from(mp_be(data, pos, 4)? as u32 as i32)),
        0xd3 => num(mp_be(data, pos, 8)? as i64 as f64),
        0xdc => {
            let n = mp_be(data, pos, 2)? as usize;
            mp_array(lua, data, pos, n, depth)
        }
        0xdd => {
            let n = mp_be(data, pos, 4)? as usize;
            mp_array(lua, data, pos, n, depth)
        }
        0xde => {
            let n = mp_be(data, pos, 2)? as usize;
            mp_map(lua, data, pos, n, depth)
        }
        0xdf => {
            let n = mp_be(data, pos, 4)? as usize;
            mp_map(lua, data, pos, n, depth)
        }
        _ => Err(mlua::Error::runtime("Bad data format in input.")),
    }
}

fn mp_array(
    lua: &Lua,
    data: &[u8],
    pos: &mut usize,
    n: usize,
    depth: usize,
) -> mlua::Result<LuaValue> {
    // Each element takes at least a byte: a count beyond the input is bad
    // data, not a reason to allocate.
    let t = lua.create_table_with_capacity(n.min(data.len() - *pos), 0)?;
    for i in 1..=n {
        t.raw_set(i, mp_decode(lua, data, pos, depth + 1)?)?;
    }
    Ok(LuaValue::Table(t))
}

fn mp_map(
    lua: &Lua,
    data: &[u8],
    pos: &mut usize,
    n: usize,
    depth: usize,
) -> mlua::Result<LuaValue> {
    let t = lua.create_table_with_capacity(0, n.min(data.len() - *pos))?;
    for _ in 0..n {
        let k = mp_decode(lua, data, pos, depth + 1)?;
        let v = mp_decode(lua, data, pos, depth + 1)?;
        if !matches!(k, LuaValue::Nil) {
            t.raw_set(k, v)?;
        }
    }
    Ok(LuaValue::Table(t))
}

/// Roberto Ierusalimschy's `struct` library as Redis bundles it:
/// `pack(fmt, ...)`, `unpack(fmt, s [, pos])`, `size(fmt)`.
pub(super) fn struct_lib(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "pack",
        lua.create_function(|lua, args: MultiValue| {
            let fmt = struct_fmt_arg(lua, &args, "pack")?;
            let out = struct_pack(lua, &fmt, &args)?;
            lua.create_string(out)
        })?,
    )?;
    t.raw_set(
        "unpack",
        lua.create_function(|lua, args: MultiValue| {
            let fmt = struct_fmt_arg(lua, &args, "unpack")?;
            let data = match args.get(1) {
                Some(LuaValue::String(s)) => s.as_bytes().to_vec(),
                _ => return Err(arg_error(lua, 2, "unpack", "string expected")),
            };
            let init = match args.get(2) {
                Some(LuaValue::Integer(i)) => *i,
                Some(LuaValue::Number(n)) => *n as i64,
                _ => 1,
            };
            if init < 1 {
                return Err(arg_error(lua, 3, "unpack", "offset must be 1 or greater"));
            }
            let start = usize::try_from(init - 1)
                .unwrap_or(usize::MAX)
                .min(data.len() + 1);
            struct_unpack(lua, &fmt, &data, start)
        })?,
    )?;
    t.raw_set(
        "size",
        lua.create_function(|lua, args: MultiValue| {
            let fmt = struct_fmt_arg(lua, &args, "size")?;
            let mut f = StructFmt::new(&fmt);
            let mut total = 0usize;
            while let Some((opt, size)) = f.next(lua, "size")? {
                if opt == b's' || (opt == b'c' && size == 0) {
                    let which = if opt == b's' { "s" } else { "c0" };
                    let msg = format!("option '{which}' has no fixed size");
                    return Err(arg_error(lua, 1, "size", &msg));
                }
                total += f.align(total, opt, size) + size;
            }
            Ok(total as i64)
        })?,
    )?;
    Ok(t)
}

fn arg_error(lua: &Lua, n: usize, fname: &str, msg: &str) -> mlua::Error {
    lua_error(lua, &format!("bad argument #{n} to '{fname}' ({msg})"))
}

fn struct_fmt_arg(lua: &Lua, args: &MultiValue, fname: &str) -> mlua::Result<Vec<u8>> {
    match args.front() {
        Some(LuaValue::String(s)) => Ok(s.as_bytes().to_vec()),
        _ => Err(arg_error(lua, 1, fname, "string expected")),
    }
}

/// Largest `i`/`I` size and default alignment limit, as struct.c.
const STRUCT_MAXINTSIZE: usize = 32;
const STRUCT_MAXALIGN: usize = 8;

struct StructFmt<'a> {
    fmt: &'a [u8],
    pos: usize,
    little: bool,
    maxalign: usize,
}

impl<'a> StructFmt<'a> {
    fn new(fmt: &'a [u8]) -> Self {
        StructFmt {
            fmt,
            pos: 0,
            little: cfg!(target_endian = "little"),
            maxalign: 1,
        }
    }

    fn number(&mut self, default: usize) -> usize {
        let start = self.pos;
        let mut n = 0usize;
        while let Some(d) = self.fmt.get(self.pos).filter(|c| c.is_ascii_digit()) {
            n = n.saturating_mul(10).saturating_add((d - b'0') as usize);
            self.pos += 1;
        }
        if self.pos == start { default } else { n }
    }

    /// The next data option and its size, after applying control options.
    fn next(&mut self, lua: &Lua, fname: &str) -> mlua::Result<Option<(u8, usize)>> {
        while let Some(&opt) = self.fmt.get(self.pos) {
            self.pos += 1;
            let size = match opt {
                b'b' | b'B' | b'x' => 1,
                b'h' | b'H' => 2,
                b'l' | b'L' | b'T' | b'd' => 8,
                b'f' => 4,
                b'c' => self.number(1),
                b's' => 0,
                b'i' | b'I' => {
                    let n = self.number(4);
                    if n > STRUCT_MAXINTSIZE {
                        return Err(lua_error(
                            lua,
                            &format!(
                                "integral size {n} is larger than limit of {STRUCT_MAXINTSIZE}"
                            ),
                        ));
                    }
                    n
                }
                b' ' => continue,
                b'>' => {
                    self.little = false;
                    continue;
                }
                b'<' => {
                    self.little = true;
                    continue;
                }
                b'=' => {
                    self.little = cfg!(target_endian = "little");
                    continue;
                }
                b'!' => {
                    let a = self.number(STRUCT_MAXALIGN);
                    if !a.is_power_of_two() {
                        return Err(lua_error(
                            lua,
                            &format!("alignment {a} is not a power of 2"),
                        ));
                    }
                    self.maxalign = a;
                    continue;
                }
                other => {
                    let msg = format!("invalid format option '{}'", other as char);
                    return Err(arg_error(lua, 1, fname, &msg));
                }
            };
            return Ok(Some((opt, size)));
        }
        Ok(None)
    }

    /// Padding before an item of `size` at offset `len`.
    fn align(&self, len: usize, opt: u8, size: usize) -> usize {
        if size == 0 || opt == b'c' {
            return 0;
        }
        let size = size.min(self.maxalign);
        (size - (len & (size - 1))) & (size - 1)
    }
}

fn struct_pack(lua: &Lua, fmt: &[u8], args: &MultiValue) -> mlua::Result<Vec<u8>> {
    let mut f = StructFmt::new(fmt);
    let mut out = Vec::new();
    let mut arg = 1;
    while let Some((opt, size)) = f.next(lua, "pack")? {
        let pad = f.align(out.len(), opt, size);
        out.resize(out.len() + pad, 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = struct_number(lua, args, arg, "pack")?;
                arg += 1;
                let v: u64 = if n < 0.0 { n as i64 as u64 } else { n as u64 };
                let bytes: Vec<u8> = (0..size)
                    .map(|i| if i < 8 { (v >> (8 * i)) as u8 } else { 0 })
                    .collect();
                if f.little {
                    out.extend_from_slice(&bytes);
                } else {
                    out.extend(bytes.iter().rev());
                }
            }
            b'x' => out.push(0),
            b'f' | b'd' => {
                let n = struct_number(lua, args, arg, "pack")?;
                arg += 1;
                let bytes = if opt == b'f' {
                    let x = n as f32;
                    if f.little {
                        x.to_le_bytes().to_vec()
                    } else {
                        x.to_be_bytes().to_vec()
                    }
                } else if f.little {
                    n.to_le_bytes().to_vec()
                } else {
                    n.to_be_bytes().to_vec()
                };
                out.extend_from_slice(&bytes);
            }
            _ => {
                // 'c' and 's'
                let s = match args.get(arg) {
                    Some(LuaValue::String(s)) => s.as_bytes().to_vec(),
                    Some(LuaValue::Integer(i)) => i.to_string().into_bytes(),
                    Some(LuaValue::Number(n)) => n.to_string().into_bytes(),
                    Some(v) => {
                        let msg = format!("string expected, got {}", v.type_name());
                        return Err(arg_error(lua, arg + 1, "pack", &msg));
                    }
                    None => {
                        return Err(arg_error(lua, arg + 1, "pack", "string expected, got nil"));
                    }
                };
                arg += 1;
                let size = if size == 0 { s.len() } else { size };
                if s.len() < size {
                    return Err(arg_error(lua, arg + 1, "pack", "string too short"));
                }
                out.extend_from_slice(&s[..size]);
                if opt == b's' {
                    out.push(0);
                }
            }
        }
    }
    Ok(out)
}

fn struct_number(lua: &Lua, args: &MultiValue, i: usize, fname: &str) -> mlua::Result<f64> {
    match args.get(i) {
        Some(LuaValue::Integer(v)) => Ok(*v as f64),
        Some(LuaValue::Number(n)) => Ok(*n),
        Some(LuaValue::String(s)) => s
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| arg_error(lua, i + 1, fname, "number expected, got string")),
        Some(v) => {
            let msg = format!("number expected, got {}", v.type_name());
            Err(arg_error(lua, i + 1, fname, &msg))
        }
        // struct.c reads past the arguments as nil.
        None => Err(arg_error(lua, i + 1, fname, "number expected, got nil")),
    }
}

fn struct_unpack(lua: &Lua, fmt: &[u8], data: &[u8], mut pos: usize) -> mlua::Result<MultiValue> {
    let mut f = StructFmt::new(fmt);
    let mut out = MultiValue::new();
    let short = || arg_error(lua, 2, "unpack", "data string too short");
    while let Some((opt, size)) = f.next(lua, "unpack")? {
        pos += f.align(pos, opt, size);
        if pos.checked_add(size).is_none_or(|end| end > data.len()) {
            return Err(short());
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let bytes = &data[pos..pos + size];
                let mut v: u64 = 0;
                for k in 0..size.min(8) {
                    let b = if f.little {
                        bytes[k]
                    } else {
                        bytes[size - 1 - k]
                    };
                    v |= u64::from(b) << (8 * k);
                }
                let n = if opt.is_ascii_lowercase() && size < 8 {
                    let shift = 64 - 8 * size as u32;
                    ((v << shift) as i64 >> shift) as f64
                } else if opt.is_ascii_lowercase() {
                    v as i64 as f64
                } else {
                    v as f64
                };
                out.push_back(LuaValue::Number(n));
            }
            b'x' => {}
            b'f' => {
                let b: [u8; 4] = data[pos..pos + 4].try_into().unwrap_or_default();
                let x = if f.little {
                    f32::from_le_bytes(b)
                } else {
                    f32::from_be_bytes(b)
                };
                out.push_back(LuaValue::Number(f64::from(x)));
            }
            b'd' => {
                let b: [u8; 8] = data[pos..pos + 8].try_into().unwrap_or_default();
                let x = if f.little {
                    f64::from_le_bytes(b)
                } else {
                    f64::from_be_bytes(b)
                };
                out.push_back(LuaValue::Number(x));
            }
            b'c' => {
                let mut size = size;
                if size == 0 {
                    size = match out.pop_back() {
                        Some(LuaValue::Number(n)) => n as usize,
                        Some(LuaValue::Integer(i)) => i as usize,
                        _ => return Err(lua_error(lua, "format 'c0' needs a previous size")),
                    };
                    if pos.checked_add(size).is_none_or(|end| end > data.len()) {
                        return Err(short());
                    }
                }
                out.push_back(LuaValue::String(lua.create_string(&data[pos..pos + size])?));
                pos += size;
                continue;
            }
            _ => {
                // 's': up to the next NUL.
                let Some(len) = data[pos..].iter().position(|&b| b == 0) else {
                    return Err(lua_error(lua, "unfinished string in data"));
                };
                out.push_back(LuaValue::String(lua.create_string(&data[pos..pos + len])?));
                pos += len + 1;
                continue;
            }
        }
        pos += size;
    }
    out.push_back(LuaValue::Integer(pos as i64 + 1));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::tobit;

    #[test]
    fn tobit_wraps_like_luabitop() {
        assert_eq!(tobit(0xffffffffu32 as f64), -1);
        assert_eq!(tobit(4294967296.0 + 5.0), 5);
        assert_eq!(tobit(-1.0), -1);
        assert_eq!(tobit(2.5), 2);
    }
}
