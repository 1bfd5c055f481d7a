//! Conversions between Lua values and RESP, as Redis 7.0's
//! `redisProtocolToLuaType` and `luaReplyToRedisReply`.

use mlua::{Lua, Table, Value as LuaValue};

use crate::resp::Reply;

/// Nesting deeper than this is answered with an error instead of risking
/// the stack (Redis checks the Lua stack the same way).
const MAX_DEPTH: usize = 1000;

/// Parses one RESP reply from `buf` at `*pos` into a Lua value: statuses
/// become `{ok=...}`, errors `{err=...}`, a RESP2 null `false`, RESP3
/// types their table forms.
pub fn resp_to_lua(lua: &Lua, buf: &[u8], pos: &mut usize) -> mlua::Result<LuaValue> {
    let line_end = memchr::memchr(b'\r', &buf[*pos..])
        .map(|i| *pos + i)
        .ok_or_else(|| mlua::Error::runtime("truncated reply"))?;
    let kind = buf[*pos];
    let line = buf.get(*pos + 1..line_end).unwrap_or_default();
    *pos = line_end + 2;
    let num = || -> i64 {
        std::str::from_utf8(line)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    };
    Ok(match kind {
        b'+' => single(lua, "ok", lua.create_string(line)?)?,
        b'-' => single(lua, "err", lua.create_string(line)?)?,
        b':' => LuaValue::Number(num() as f64),
        b'$' | b'=' => {
            let n = num();
            if n < 0 {
                return Ok(LuaValue::Boolean(false));
            }
            let body = buf
                .get(*pos..*pos + n as usize)
                .ok_or_else(|| mlua::Error::runtime("truncated reply"))?;
            *pos += n as usize + 2;
            if kind == b'=' {
                let t = lua.create_table()?;
                t.raw_set("format", lua.create_string(&body[..3.min(body.len())])?)?;
                t.raw_set("string", lua.create_string(body.get(4..).unwrap_or(b""))?)?;
                single(lua, "verbatim_string", t)?
            } else {
                LuaValue::String(lua.create_string(body)?)
            }
        }
        b'*' => {
            let n = num();
            if n < 0 {
                return Ok(LuaValue::Boolean(false));
            }
            let t = lua.create_table_with_capacity(n as usize, 0)?;
            for i in 1..=n as usize {
                t.raw_set(i, resp_to_lua(lua, buf, pos)?)?;
            }
            LuaValue::Table(t)
        }
        b'%' | b'~' => {
            let n = num();
            let t = lua.create_table()?;
            for _ in 0..n {
                let k = resp_to_lua(lua, buf, pos)?;
                let v = if kind == b'%' {
                    resp_to_lua(lua, buf, pos)?
                } else {
                    LuaValue::Boolean(true)
                };
                t.raw_set(k, v)?;
            }
            single(lua, if kind == b'%' { "map" } else { "set" }, t)?
        }
        b'_' => LuaValue::Nil,
        b'#' => LuaValue::Boolean(line == b"t"),
        b',' => {
            let d = std::str::from_utf8(line)
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(0.0);
            single(lua, "double", d)?
        }
        b'(' => single(lua, "big_number", lua.create_string(line)?)?,
        _ => LuaValue::Nil,
    })
}

fn single(lua: &Lua, k: &str, v: impl mlua::IntoLua) -> mlua::Result<LuaValue> {
    let t = lua.create_table_with_capacity(0, 1)?;
    t.raw_set(k, v)?;
    Ok(LuaValue::Table(t))
}

/// Lua's number to Redis's integer reply: C's `(long long)` cast, which
/// gives i64::MIN for what does not fit (x86), not Rust's saturation.
pub fn lua_number_to_i64(n: f64) -> i64 {
    // 2^63: the first double beyond i64's range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&n) {
        // Also NaN, which no range contains.
        i64::MIN
    } else {
        n as i64
    }
}

/// Writes a Lua value as a reply. `script_resp` is the script's
/// `redis.setresp` version, which decides how booleans go out.
pub fn lua_to_resp(out: &mut Reply, v: &LuaValue, script_resp: u8) {
    lua_to_resp_depth(out, v, script_resp, 0);
}

fn lua_to_resp_depth(out: &mut Reply, v: &LuaValue, script_resp: u8, depth: usize) {
    if depth > MAX_DEPTH {
        return out.error(b"ERR reached lua stack limit");
    }
    match v {
        LuaValue::String(s) => out.bulk(&s.as_bytes()),
        LuaValue::Integer(i) => out.int(*i),
        LuaValue::Number(n) => out.int(lua_number_to_i64(*n)),
        LuaValue::Boolean(b) => {
            if script_resp == 2 {
                if *b { out.int(1) } else { out.null() }
            } else {
                out.boolean(*b)
            }
        }
        LuaValue::Table(t) => table_to_resp(out, t, script_resp, depth),
        _ => out.null(),
    }
}

fn table_to_resp(out: &mut Reply, t: &Table, script_resp: u8, depth: usize) {
    if let Ok(LuaValue::String(e)) = t.raw_get::<LuaValue>("err") {
        return out.error(&e.as_bytes());
    }
    if let Ok(LuaValue::String(s)) = t.raw_get::<LuaValue>("ok") {
        let s = s.as_bytes();
        let clean: Vec<u8> = s
            .iter()
            .map(|&c| if c == b'\r' || c == b'\n' { b' ' } else { c })
            .collect();
        return out.simple(&clean);
    }
    match t.raw_get::<LuaValue>("double") {
        Ok(LuaValue::Number(d)) => return out.double(d),
        Ok(LuaValue::Integer(i)) => return out.double(i as f64),
        _ => {}
    }
    if let Ok(LuaValue::String(s)) = t.raw_get::<LuaValue>("big_number") {
        return out.big_number(&s.as_bytes());
    }
    if let Ok(LuaValue::Table(m)) = t.raw_get::<LuaValue>("map") {
        let pairs: Vec<(LuaValue, LuaValue)> = m.pairs().filter_map(Result::ok).collect();
        out.map(pairs.len());
        for (k, v) in &pairs {
            lua_to_resp_depth(out, k, script_resp, depth + 1);
            lua_to_resp_depth(out, v, script_resp, depth + 1);
        }
        return;
    }
    if let Ok(LuaValue::Table(s)) = t.raw_get::<LuaValue>("set") {
        let keys: Vec<LuaValue> = s
            .pairs::<LuaValue, LuaValue>()
            .filter_map(|r| r.ok().map(|(k, _)| k))
            .collect();
        out.set(keys.len());
        for k in &keys {
            lua_to_resp_depth(out, k, script_resp, depth + 1);
        }
        return;
    }
    // An array: elements 1, 2, ... up to the first nil.
    let mut items = Vec::new();
    loop {
        match t.raw_get::<LuaValue>(items.len() + 1) {
            Ok(LuaValue::Nil) | Err(_) => break,
            Ok(v) => items.push(v),
        }
    }
    out.array(items.len());
    for v in &items {
        lua_to_resp_depth(out, v, script_resp, depth + 1);
    }
}

/// A number argument of `redis.call` as text: integral values as
/// integers, others in Lua's shortest form.
pub fn number_arg(n: f64, buf: &mut Vec<u8>) {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        buf.extend_from_slice(itoa::Buffer::new().format(n as i64).as_bytes());
    } else {
        buf.extend_from_slice(format_g17(n).as_bytes());
    }
}

/// C's `%.17g`, which Redis uses for doubles in RESP2 replies.
pub fn format_g17(x: f64) -> String {
    format_g(x, 17)
}

/// C's `%.<precision>g`.
pub fn format_g(x: f64, precision: usize) -> String {
    let p = precision.max(1) as i32;
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{:.*e}", (p - 1) as usize, x);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..p).contains(&exp) {
        let m = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, x)).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g17() {
        assert_eq!(format_g17(3.5), "3.5");
        assert_eq!(format_g17(0.1), "0.10000000000000001");
        assert_eq!(format_g17(1e20), "1e+20");
        assert_eq!(format_g17(-2.0), "-2");
        assert_eq!(format_g17(1.5e-7), "1.4999999999999999e-07");
        assert_eq!(format_g(123456789012345.0, 14), "1.2345678901234e+14");
        assert_eq!(format_g(1.234_567_890_123_45, 14), "1.2345678901235");
        assert_eq!(format_g(1e20, 14), "1e+20");
        assert_eq!(format_g(-0.0, 14), "-0");
    }

    #[test]
    fn resp3_replies_become_redis_tables() {
        let lua = Lua::new();
        let buf = b"%1\r\n$1\r\na\r\n:1\r\n~1\r\n$1\r\nm\r\n,2.5\r\n#t\r\n_\r\n(123\r\n";
        let mut pos = 0;
        let get = |pos: &mut usize| resp_to_lua(&lua, buf, pos).unwrap();
        let LuaValue::Table(m) = get(&mut pos) else {
            panic!("map")
        };
        let inner: Table = m.get("map").unwrap();
        assert_eq!(inner.get::<i64>("a").unwrap(), 1);
        let LuaValue::Table(s) = get(&mut pos) else {
            panic!("set")
        };
        let inner: Table = s.get("set").unwrap();
        assert!(inner.get::<bool>("m").unwrap());
        let LuaValue::Table(d) = get(&mut pos) else {
            panic!("double")
        };
        assert_eq!(d.get::<f64>("double").unwrap(), 2.5);
        assert!(matches!(get(&mut pos), LuaValue::Boolean(true)));
        assert!(matches!(get(&mut pos), LuaValue::Nil));
        let LuaValue::Table(b) = get(&mut pos) else {
            panic!("big")
        };
        assert_eq!(b.get::<String>("big_number").unwrap(), "123");
        assert_eq!(pos, buf.len());
    }

    #[test]
    fn lua_values_to_resp3() {
        let lua = Lua::new();
        let t = lua.create_table().unwrap();
        let m = lua.create_table().unwrap();
        m.set("k", "v").unwrap();
        t.set("map", m).unwrap();
        let mut out = Vec::new();
        lua_to_resp(&mut Reply::new(&mut out, 3), &LuaValue::Table(t), 3);
        assert_eq!(out, b"%1\r\n$1\r\nk\r\n$1\r\nv\r\n");
        let mut out = Vec::new();
        lua_to_resp(&mut Reply::new(&mut out, 3), &LuaValue::Boolean(false), 3);
        assert_eq!(out, b"#f\r\n");
        let mut out = Vec::new();
        lua_to_resp(&mut Reply::new(&mut out, 3), &LuaValue::Boolean(false), 2);
        assert_eq!(out, b"_\r\n");
    }

    #[test]
    fn casts_as_c() {
        assert_eq!(lua_number_to_i64(3.99), 3);
        assert_eq!(lua_number_to_i64(-3.99), -3);
        assert_eq!(lua_number_to_i64(1e20), i64::MIN);
    }
}
