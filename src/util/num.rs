//! Number parsing and formatting with Redis's exact acceptance rules:
//! `string2ll` for integers, `string2d` for doubles, plus a stack itoa.
//!
//! Also home to the pieces shared with `longdouble`: a scanner for the
//! subset of C `strtod` syntax that Redis ends up accepting, and binary
//! round-to-nearest-even packing for arbitrary precisions.

/// Parse a signed 64-bit integer with Redis's `string2ll` rules: optional
/// `-`, no `+`, no whitespace, no leading zeros (only "0" itself may start
/// with `0`, so "-0" is rejected), at most 20 bytes, no overflow.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if neg {
        // Negating in i128 keeps i64::MIN representable without a special case.
        i64::try_from(-i128::from(v)).ok()
    } else {
        i64::try_from(v).ok()
    }
}

/// Longest decimal rendering of an i64 ("-9223372036854775808").
pub const I64_MAX_LEN: usize = 20;

/// Format `v` in decimal into `buf` and return the written tail of it.
pub fn write_i64(buf: &mut [u8; I64_MAX_LEN], v: i64) -> &[u8] {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut n = v.unsigned_abs();
    let mut pos = I64_MAX_LEN;
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        pos -= 2;
        buf[pos..pos + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        pos -= 2;
        buf[pos..pos + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        pos -= 1;
        buf[pos] = b'0' + n as u8;
    }
    if v < 0 {
        pos -= 1;
        buf[pos] = b'-';
    }
    &buf[pos..]
}

/// Parse a double the way Redis's `string2d` / `getDoubleFromObject` do:
/// the whole input must be one C `strtod` number (decimal, hex float such as
/// `0x1.8p3`, or `inf`/`infinity` in any case with optional sign). Rejected:
/// empty input, leading whitespace, trailing bytes, any NaN, finite
/// spellings that overflow to infinity, and non-zero spellings that
/// underflow to zero.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    match scan_strtod(s)? {
        Scanned::Inf { neg } => Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        Scanned::Dec(d) => {
            // The scanner has already enforced C syntax and it is a subset of
            // what Rust's correctly rounded parser takes, so only the range
            // errors that strtod reports via ERANGE are left to check.
            let text = std::str::from_utf8(s).ok()?;
            let v: f64 = text.parse().ok()?;
            if v.is_infinite() || (v == 0.0 && d.has_nonzero_digit()) {
                None
            } else {
                Some(v)
            }
        }
        Scanned::Hex(h) => {
            let (m, e, sticky) = h.to_bits()?;
            if m == 0 {
                return Some(if h.neg { -0.0 } else { 0.0 });
            }
            let (mant, exp) = round_bits(m, e, sticky, 53, -1074);
            if mant == 0 || exp > 971 {
                return None;
            }
            let bits = if mant < 1 << 52 {
                mant as u64
            } else {
                (((exp + 1075) as u64) << 52) | (mant as u64 & ((1 << 52) - 1))
            };
            let v = f64::from_bits(bits);
            Some(if h.neg { -v } else { v })
        }
    }
}

/// A decimal number as written: `int`.`frac` e `exp`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DecimalParts<'a> {
    pub neg: bool,
    pub int: &'a [u8],
    pub frac: &'a [u8],
    /// Written exponent, saturated far outside any finite range.
    pub exp: i64,
}

impl DecimalParts<'_> {
    pub fn has_nonzero_digit(&self) -> bool {
        self.int.iter().chain(self.frac).any(|&b| b != b'0')
    }
}

/// A hex float as written: 0x `int`.`frac` p `exp`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HexParts<'a> {
    pub neg: bool,
    pub int: &'a [u8],
    pub frac: &'a [u8],
    /// Binary exponent, saturated like `DecimalParts::exp`.
    pub exp: i64,
}

impl HexParts<'_> {
    /// Value as `(m + f) * 2^e` where `f` in [0,1) is non-zero iff the
    /// flag is set. Once set, `m >= 2^124`, enough bits for any rounding we
    /// do. `None` never happens for scanner output; it keeps callers simple.
    pub fn to_bits(self) -> Option<(u128, i64, bool)> {
        let mut m: u128 = 0;
        let mut e = self.exp;
        let mut sticky = false;
        for &b in self.int {
            let d = u128::from(hex_val(b)?);
            if m < 1 << 124 {
                m = m << 4 | d;
            } else {
                e = e.saturating_add(4);
                sticky |= d != 0;
            }
        }
        for &b in self.frac {
            let d = u128::from(hex_val(b)?);
            if m < 1 << 124 {
                m = m << 4 | d;
                e = e.saturating_sub(4);
            } else {
                sticky |= d != 0;
            }
        }
        Some((m, e, sticky))
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Scanned<'a> {
    Inf { neg: bool },
    Dec(DecimalParts<'a>),
    Hex(HexParts<'a>),
}

/// Exponents are clamped here; anything this large is over/underflow for
/// every format we handle, whatever the mantissa's digit count.
const EXP_CLAMP: i64 = 1 << 40;

/// Recognise an input that C `strtod`/`strtold` would consume completely,
/// given that Redis rejects leading whitespace. NaN spellings yield `None`
/// because Redis rejects them anyway.
pub(crate) fn scan_strtod(s: &[u8]) -> Option<Scanned<'_>> {
    let (neg, body) = match s.first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        return Some(Scanned::Inf { neg });
    }
    if body.len() > 2
        && body[0] == b'0'
        && (body[1] | 0x20) == b'x'
        && let Some(h) = scan_hex(neg, &body[2..])
    {
        return Some(Scanned::Hex(h));
    }
    let int_len = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let int = &body[..int_len];
    let mut rest = &body[int_len..];
    let mut frac: &[u8] = &[];
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        frac = &tail[..n];
        rest = &tail[n..];
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let exp = match rest {
        [] => 0,
        [b'e' | b'E', tail @ ..] => scan_exponent(tail)?,
        _ => return None,
    };
    Some(Scanned::Dec(DecimalParts {
        neg,
        int,
        frac,
        exp,
    }))
}

fn scan_hex(neg: bool, body: &[u8]) -> Option<HexParts<'_>> {
    let int_len = body.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let int = &body[..int_len];
    let mut rest = &body[int_len..];
    let mut frac: &[u8] = &[];
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        frac = &tail[..n];
        rest = &tail[n..];
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let exp = match rest {
        [] => 0,
        [b'p' | b'P', tail @ ..] => scan_exponent(tail)?,
        _ => return None,
    };
    Some(HexParts {
        neg,
        int,
        frac,
        exp,
    })
}

/// Optional sign then at least one decimal digit, to the end of input.
fn scan_exponent(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &b in digits {
        v = (v * 10 + i64::from(b - b'0')).min(EXP_CLAMP);
    }
    Some(if neg { -v } else { v })
}

/// Round the exact value `(m + f) * 2^e` (with `0 < f < 1` iff `sticky`) to
/// `prec` significant bits, round-half-even, with gradual underflow at
/// `emin` (the exponent of the smallest subnormal's unit). Returns
/// `(mant, exp)` with value `mant * 2^exp`, `mant < 2^prec`, and either
/// `mant >= 2^(prec-1)` or `exp == emin`; `mant == 0` means it rounded to
/// zero. Overflow is left for the caller to judge from `exp`.
///
/// Callers passing `sticky` must supply `m >= 2^prec`, so the sticky part
/// always lies strictly below the rounding position.
pub(crate) fn round_bits(m: u128, e: i64, sticky: bool, prec: u32, emin: i64) -> (u128, i64) {
    debug_assert!(prec < 127);
    debug_assert!(!sticky || m >> prec != 0);
    if m == 0 {
        return (0, emin);
    }
    let bits = i64::from(128 - m.leading_zeros());
    let q = (e + bits - i64::from(prec)).max(emin);
    let shift = q - e;
    if shift <= 0 {
        return (m << (-shift) as u32, q);
    }
    let (mut mant, rem, half) = if shift >= 129 {
        // Below half of the smallest unit: always rounds to zero.
        return (0, q);
    } else if shift == 128 {
        (0u128, m, 1u128 << 127)
    } else {
        let sh = shift as u32;
        (m >> sh, m & ((1u128 << sh) - 1), 1u128 << (sh - 1))
    };
    let up = rem > half || (rem == half && (sticky || mant & 1 == 1));
    let mut q = q;
    if up {
        mant += 1;
        if mant >> prec != 0 {
            mant >>= 1;
            q += 1;
        }
    }
    (mant, q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_i64_accepts_canonical_integers() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"7"), Some(7));
        assert_eq!(parse_i64(b"-7"), Some(-7));
        assert_eq!(parse_i64(b"1234567890"), Some(1_234_567_890));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"-9223372036854775807"), Some(i64::MIN + 1));
    }

    #[test]
    fn parse_i64_rejects_non_canonical_forms() {
        for bad in [
            &b""[..],
            b"-",
            b"+1",
            b" 1",
            b"1 ",
            b"01",
            b"00",
            b"-0",
            b"-01",
            b"1a",
            b"1.0",
            b"1e3",
            b"0x10",
            b"--1",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"18446744073709551616",
            b"99999999999999999999",
            b"1\0",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn parse_i64_length_cap() {
        // 21 bytes is rejected before any digit is looked at.
        assert_eq!(parse_i64(b"-00000000000000000001"), None);
        assert_eq!(parse_i64(b"100000000000000000000"), None);
    }

    #[test]
    fn write_i64_round_trips() {
        let mut buf = [0u8; I64_MAX_LEN];
        for v in [
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            101,
            12345,
            -987654321,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            assert_eq!(write_i64(&mut buf, v), v.to_string().as_bytes());
        }
        let mut x = 1u64;
        for _ in 0..10_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = x as i64 >> (x % 64);
            assert_eq!(write_i64(&mut buf, v), v.to_string().as_bytes());
            assert_eq!(parse_i64(write_i64(&mut buf, v)), Some(v));
        }
    }

    fn f(s: &str) -> Option<f64> {
        parse_f64(s.as_bytes())
    }

    #[test]
    fn parse_f64_plain_forms() {
        assert_eq!(f("0"), Some(0.0));
        assert_eq!(f("1.5"), Some(1.5));
        assert_eq!(f("-1.5"), Some(-1.5));
        assert_eq!(f("+1.5"), Some(1.5));
        assert_eq!(f("1."), Some(1.0));
        assert_eq!(f(".5"), Some(0.5));
        assert_eq!(f("-.5"), Some(-0.5));
        assert_eq!(f("1.e2"), Some(100.0));
        assert_eq!(f("5e3"), Some(5000.0));
        assert_eq!(f("5E+3"), Some(5000.0));
        assert_eq!(f("5e-3"), Some(0.005));
        assert_eq!(f("007"), Some(7.0));
        assert_eq!(f("0.1"), Some(0.1));
        assert_eq!(f("1.7976931348623157e308"), Some(f64::MAX));
        assert_eq!(
            f("4.9e-324"),
            Some(f64::from_bits(1)),
            "subnormals are accepted"
        );
        assert_eq!(
            f("0e999999999999999999999"),
            Some(0.0),
            "zero never underflows"
        );
        assert!(f("-0").unwrap().is_sign_negative());
    }

    #[test]
    fn parse_f64_infinities() {
        for s in [
            "inf",
            "+inf",
            "INF",
            "Inf",
            "infinity",
            "+Infinity",
            "INFINITY",
        ] {
            assert_eq!(f(s), Some(f64::INFINITY), "{s}");
        }
        for s in ["-inf", "-INF", "-infinity", "-InFiNiTy"] {
            assert_eq!(f(s), Some(f64::NEG_INFINITY), "{s}");
        }
        for s in ["infin", "infinityy", "in", "+-inf", "inf ", " inf"] {
            assert_eq!(f(s), None, "{s}");
        }
    }

    #[test]
    fn parse_f64_hex_floats() {
        assert_eq!(f("0x10"), Some(16.0));
        assert_eq!(f("0X1p4"), Some(16.0));
        assert_eq!(f("0x1.8p1"), Some(3.0));
        assert_eq!(f("-0x.8"), Some(-0.5));
        assert_eq!(f("0x1P-1074"), Some(f64::from_bits(1)));
        assert_eq!(f("0x1.8e"), Some(1.5546875), "`e` is a hex digit here");
        assert_eq!(f("0x1.fffffffffffff8p0"), Some(2.0), "ties to even upwards");
        assert_eq!(
            f("0x1.fffffffffffff7p0"),
            Some(f64::from_bits(0x3FFF_FFFF_FFFF_FFFF))
        );
        assert_eq!(
            f("0x1.00000000000008p0"),
            Some(1.0),
            "ties to even downwards"
        );
        assert_eq!(
            f("0x1.000000000000080000000000000000000001p0"),
            Some(1.0 + f64::EPSILON)
        );
        assert_eq!(f("0x1p1024"), None, "overflow");
        assert_eq!(f("0x1p-1076"), None, "underflow to zero");
        assert_eq!(
            f("0x1p-1075"),
            None,
            "exact half of the smallest subnormal ties to zero"
        );
        assert_eq!(f("0x1.0000001p-1075"), Some(f64::from_bits(1)));
        assert_eq!(f("0x0p99999"), Some(0.0));
        for s in ["0x", "0x.", "0xg", "0x1p", "0x1p+", "0x1.8q", "0x1 "] {
            assert_eq!(f(s), None, "{s}");
        }
    }

    #[test]
    fn parse_f64_rejections() {
        for s in [
            "", " 1", "1 ", "\t1", "\n1", "1\0", "abc", "1.0x", "1e", "1e+", "e5", ".", "-", "+",
            "--1", "1..2", "1e5.0", "nan", "NaN", "-nan", "nan(1)", "1e309", "-1e309", "1e-400",
            "1_000", "1,5",
        ] {
            assert_eq!(f(s), None, "{s:?}");
        }
    }

    #[test]
    fn round_bits_cases() {
        // 0b1011 to 3 bits: remainder exactly half, mantissa odd, rounds up.
        assert_eq!(round_bits(0b1011, 0, false, 3, -100), (0b110, 1));
        // 0b1001: tie, even mantissa stays.
        assert_eq!(round_bits(0b1001, 0, false, 3, -100), (0b100, 1));
        // Same but sticky breaks the tie upwards.
        assert_eq!(round_bits(0b1001, 0, true, 3, -100), (0b101, 1));
        // Carry out of the top renormalises.
        assert_eq!(round_bits(0b1111, 0, false, 3, -100), (0b100, 2));
        // Gradual underflow keeps fewer bits.
        assert_eq!(round_bits(0b1011, -8, false, 3, -6), (0b11, -6));
        assert_eq!(
            round_bits(1, -11, false, 3, -10),
            (0, -10),
            "half of min ties to 0"
        );
        assert_eq!(round_bits(3, -12, false, 3, -10), (1, -10));
    }
}
