//! The native parts of the script API: `redis.sha1hex`, `error_reply`,
//! `status_reply`, `log`, `setresp`, and the `bit` and `cjson` libraries
//! Redis bundles (`bit` as LuaBitOp's 32-bit operations; `cjson` on
//! serde_json). `cmsgpack` and `struct` are not provided.

use std::rc::Rc;

use mlua::{LightUserData, Lua, MultiValue, Table, Value as LuaValue, Variadic};

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

/// LuaBitOp's conversion: round to nearest (ties to even), wrap to i32.
fn tobit(n: f64) -> i32 {
    let r = n.round_ties_even();
    (r.rem_euclid(4_294_967_296.0) as u64 as u32) as i32
}

fn num(v: &LuaValue) -> mlua::Result<f64> {
    match v {
        LuaValue::Integer(i) => Ok(*i as f64),
        LuaValue::Number(n) => Ok(*n),
        LuaValue::String(s) => s
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| mlua::Error::runtime("bad argument (number expected)")),
        _ => Err(mlua::Error::runtime("bad argument (number expected)")),
    }
}

pub(super) fn bit(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "tobit",
        lua.create_function(|_, v: LuaValue| Ok(tobit(num(&v)?)))?,
    )?;
    t.raw_set(
        "bnot",
        lua.create_function(|_, v: LuaValue| Ok(!tobit(num(&v)?)))?,
    )?;
    type Fold = fn(i32, i32) -> i32;
    let folds: [(&str, Fold); 3] = [
        ("band", |a, b| a & b),
        ("bor", |a, b| a | b),
        ("bxor", |a, b| a ^ b),
    ];
    for (name, op) in folds {
        t.raw_set(
            name,
            lua.create_function(move |_, args: Variadic<LuaValue>| {
                let mut it = args.iter();
                let first = it
                    .next()
                    .ok_or_else(|| mlua::Error::runtime("bad argument #1 (number expected)"))?;
                let mut acc = tobit(num(first)?);
                for v in it {
                    acc = op(acc, tobit(num(v)?));
                }
                Ok(acc)
            })?,
        )?;
    }
    type Shift = fn(u32, u32) -> u32;
    let shifts: [(&str, Shift); 5] = [
        ("lshift", |a, n| a << (n & 31)),
        ("rshift", |a, n| a >> (n & 31)),
        ("arshift", |a, n| ((a as i32) >> (n & 31)) as u32),
        ("rol", |a, n| a.rotate_left(n & 31)),
        ("ror", |a, n| a.rotate_right(n & 31)),
    ];
    for (name, op) in shifts {
        t.raw_set(
            name,
            lua.create_function(move |_, (a, n): (LuaValue, LuaValue)| {
                Ok(op(tobit(num(&a)?) as u32, tobit(num(&n)?) as u32) as i32)
            })?,
        )?;
    }
    t.raw_set(
        "bswap",
        lua.create_function(|_, v: LuaValue| Ok((tobit(num(&v)?) as u32).swap_bytes() as i32))?,
    )?;
    t.raw_set(
        "tohex",
        lua.create_function(|_, (v, n): (LuaValue, Option<LuaValue>)| {
            let x = tobit(num(&v)?) as u32;
            let n = match n {
                Some(n) => tobit(num(&n)?),
                None => 8,
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
        lua.create_function(|_, v: LuaValue| {
            let mut out = String::new();
            encode(&v, &mut out, 0)?;
            Ok(out)
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| {
            let v: serde_json::Value = serde_json::from_slice(&s.as_bytes()).map_err(|e| {
                mlua::Error::runtime(format!("Expected value but found invalid token: {e}"))
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
        LuaValue::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        LuaValue::Number(n) => {
            if n.is_nan() || n.is_infinite() {
                return Err(mlua::Error::runtime(
                    "Cannot serialise number: must not be NaN or Inf",
                ));
            }
            // cjson's default precision is 14 significant digits.
            let s = format!("{:.13e}", n);
            let g: f64 = s.parse().unwrap_or(*n);
            if g.fract() == 0.0 && g.abs() < 1e14 {
                let _ = write!(out, "{}", g as i64);
            } else {
                let _ = write!(out, "{g}");
            }
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
