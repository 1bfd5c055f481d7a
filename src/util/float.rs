//! Doubles as Redis 7.0 reads and writes them: scores, bounds, weights.
//!
//! Parsing: a score argument follows `getDoubleFromObject` (see
//! [`parse_f64`]); a range bound follows `zslParseRange`, which calls C's
//! `strtod` and only rejects trailing bytes and NaN, so it also takes
//! leading blanks and out-of-range spellings (`1e400` is `inf`).
//!
//! Formatting: `%.17g`, with `inf` / `-inf` spelled out, written into a
//! stack buffer so replies never allocate.

use std::fmt::Write;

use crate::util::num::parse_f64;

/// Longest `%.17g` rendering: sign, 17 digits, point, `e-308`.
pub const MAX_DOUBLE_CHARS: usize = 32;

/// A score, increment or weight: `string2d` rules, NaN rejected.
#[inline]
pub fn parse_score(s: &[u8]) -> Option<f64> {
    parse_f64(s)
}

/// A `ZRANGEBYSCORE` bound value (without its `(`): `strtod` rules.
pub fn parse_bound_value(s: &[u8]) -> Option<f64> {
    let start = s
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .unwrap_or(s.len());
    let t = &s[start..];
    if let Some(v) = parse_f64(t) {
        return Some(v);
    }
    // What string2d refuses but strtod takes: a leading `+`, and finite
    // spellings that overflow to infinity or underflow to zero.
    let text = std::str::from_utf8(t).ok()?;
    let v: f64 = text.parse().ok()?;
    let lower = text.to_ascii_lowercase();
    // Rust also accepts `nan`, which Redis refuses.
    (!v.is_nan() && !lower.contains("nan")).then_some(v)
}

/// A cursor over a stack buffer for `write!`.
struct Cursor<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Write for Cursor<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Formats `v` as C's `%.17g` (`inf`, `-inf`, `nan` spelled as glibc).
pub fn fmt_double(v: f64, out: &mut [u8; MAX_DOUBLE_CHARS]) -> &[u8] {
    if v.is_nan() {
        out[..3].copy_from_slice(b"nan");
        return &out[..3];
    }
    if v.is_infinite() {
        let s: &[u8] = if v > 0.0 { b"inf" } else { b"-inf" };
        out[..s.len()].copy_from_slice(s);
        return &out[..s.len()];
    }
    // Integers below 10^17 print as themselves under %.17g.
    if v == v.trunc() && v.abs() < 1e17 && !(v == 0.0 && v.is_sign_negative()) {
        let mut b = itoa::Buffer::new();
        let s = b.format(v as i64).as_bytes();
        out[..s.len()].copy_from_slice(s);
        return &out[..s.len()];
    }
    // 17 significant digits, correctly rounded as glibc's printf.
    let mut sci = [0u8; MAX_DOUBLE_CHARS];
    let mut c = Cursor {
        buf: &mut sci,
        len: 0,
    };
    // Cannot fail: "-d.16digits e-324" is 25 bytes.
    let _ = write!(c, "{:.16e}", v);
    let len = c.len;
    let s = &sci[..len];
    let neg = s[0] == b'-';
    let body = if neg { &s[1..] } else { s };
    let e_pos = body.iter().position(|&b| b == b'e').unwrap_or(body.len());
    let mut digits = [0u8; 17];
    let mut nd = 0;
    for &b in &body[..e_pos] {
        if b.is_ascii_digit() && nd < 17 {
            digits[nd] = b;
            nd += 1;
        }
    }
    let exp: i32 = std::str::from_utf8(&body[e_pos + 1..])
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    // %g drops trailing zeros of the significand.
    while nd > 1 && digits[nd - 1] == b'0' {
        nd -= 1;
    }
    let mut n = 0;
    let mut push = |b: u8, out: &mut [u8; MAX_DOUBLE_CHARS]| {
        out[n] = b;
        n += 1;
    };
    if neg {
        push(b'-', out);
    }
    if (-4..17).contains(&exp) {
        if exp < 0 {
            push(b'0', out);
            push(b'.', out);
            for _ in 0..(-exp - 1) {
                push(b'0', out);
            }
            for &d in &digits[..nd] {
                push(d, out);
            }
        } else {
            let int_digits = exp as usize + 1;
            // Trimming only lowered `nd`: the digits past it are still '0'.
            for &d in &digits[..int_digits] {
                push(d, out);
            }
            if nd > int_digits {
                push(b'.', out);
                for &d in &digits[int_digits..nd] {
                    push(d, out);
                }
            }
        }
    } else {
        push(digits[0], out);
        if nd > 1 {
            push(b'.', out);
            for &d in &digits[1..nd] {
                push(d, out);
            }
        }
        push(b'e', out);
        push(if exp < 0 { b'-' } else { b'+' }, out);
        let a = exp.unsigned_abs();
        if a >= 100 {
            push(b'0' + (a / 100) as u8, out);
        }
        push(b'0' + (a / 10 % 10) as u8, out);
        push(b'0' + (a % 10) as u8, out);
    }
    &out[..n]
}

/// Redis's `d2string` (ZSCAN's scores): an integral value within the
/// 64-bit range prints as an integer, anything else as `%.17g`.
pub fn fmt_d2string(v: f64, out: &mut [u8; MAX_DOUBLE_CHARS]) -> &[u8] {
    // 2^63: the first double past i64::MAX.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if v == v.trunc() && v > -LIMIT && v < LIMIT && v != 0.0 {
        let mut b = itoa::Buffer::new();
        let s = b.format(v as i64).as_bytes();
        out[..s.len()].copy_from_slice(s);
        return &out[..s.len()];
    }
    fmt_double(v, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64) -> String {
        let mut b = [0u8; MAX_DOUBLE_CHARS];
        String::from_utf8(fmt_double(v, &mut b).to_vec()).unwrap()
    }

    #[test]
    fn percent_17g() {
        assert_eq!(f(1.1), "1.1000000000000001");
        assert_eq!(f(1.5), "1.5");
        assert_eq!(f(2.0), "2");
        assert_eq!(f(-3.0), "-3");
        assert_eq!(f(0.0), "0");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(f64::INFINITY), "inf");
        assert_eq!(f(f64::NEG_INFINITY), "-inf");
        assert_eq!(f(1e17), "1e+17");
        assert_eq!(f(1e16), "10000000000000000");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(0.00001), "1.0000000000000001e-05");
        assert_eq!(f(1e-300), "1e-300");
        assert_eq!(f(123.456), "123.456");
        assert_eq!(f(-0.1), "-0.10000000000000001");
        assert_eq!(f(1.7976931348623157e308), "1.7976931348623157e+308");
        assert_eq!(f(3.0e20), "3e+20");
        assert_eq!(f(5e-324), "4.9406564584124654e-324");
    }

    #[test]
    fn d2string() {
        let mut b = [0u8; MAX_DOUBLE_CHARS];
        assert_eq!(fmt_d2string(1e17, &mut b), b"100000000000000000");
        assert_eq!(
            fmt_d2string(123456789012345678.0, &mut b),
            b"123456789012345680"
        );
        assert_eq!(fmt_d2string(1e19, &mut b), b"1e+19");
        assert_eq!(fmt_d2string(1.5, &mut b), b"1.5");
        assert_eq!(fmt_d2string(0.0, &mut b), b"0");
    }

    #[test]
    fn bounds_and_scores() {
        assert_eq!(parse_score(b"1.5"), Some(1.5));
        assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_score(b"nan"), None);
        assert_eq!(parse_score(b" 1"), None);
        assert_eq!(parse_bound_value(b" 1"), Some(1.0));
        assert_eq!(parse_bound_value(b"+inf"), Some(f64::INFINITY));
        assert_eq!(parse_bound_value(b"1e400"), Some(f64::INFINITY));
        assert_eq!(parse_bound_value(b"nan"), None);
        assert_eq!(parse_bound_value(b"x"), None);
        assert_eq!(parse_bound_value(b"1x"), None);
    }
}
