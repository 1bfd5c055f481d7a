//! Software x87 80-bit `long double` for INCRBYFLOAT / HINCRBYFLOAT: Redis
//! parses with `strtold`, adds once in extended precision and prints with
//! `%.17Lf`, so matching its bytes needs the same 64-bit-mantissa arithmetic
//! (f64 would print 10.5 + 0.1 as 10.59999999999999964 instead of 10.6).
//!
//! Every step is exact or correctly rounded (round-half-even), as glibc's
//! `strtold`, the FPU and glibc's `printf` are. Typical inputs go through
//! u128 fast paths; very long or extreme inputs fall back to a small bignum.

use super::num::{DecimalParts, Scanned, round_bits, scan_strtod};
use std::cmp::Ordering;

/// Significant bits of the x87 extended format (explicit integer bit).
const PREC: u32 = 64;
/// Exponent of the smallest subnormal's unit: 2^-16445.
const EMIN: i64 = -16445;
/// Largest `exp` with `mant < 2^64`: the maximum is (2^64-1) * 2^16320.
const EMAX: i64 = 16320;
/// Redis copies inputs into a buffer of this size and rejects longer ones.
pub const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;

/// A finite or infinite x87 extended value (NaN is never produced: Redis
/// rejects it at every entry point).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongDouble {
    neg: bool,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `mant * 2^exp`; `mant == 0` is zero. Normalised (`mant >= 2^63`)
    /// unless `exp == EMIN`, so equal values have equal representations.
    Finite {
        mant: u64,
        exp: i32,
    },
    Inf,
}

/// Why INCRBYFLOAT / HINCRBYFLOAT refused to produce a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncrFloatError {
    /// The stored value is not a float Redis would accept.
    InvalidCurrent,
    /// The increment argument is not a float Redis would accept.
    InvalidIncrement,
    /// The sum (or an input) is infinite, or the sum is NaN.
    NanOrInfinity,
}

impl IncrFloatError {
    /// Redis's error text for INCRBYFLOAT, without the "ERR " prefix.
    /// (HINCRBYFLOAT words an invalid stored value differently.)
    pub fn message(self) -> &'static str {
        match self {
            IncrFloatError::InvalidCurrent | IncrFloatError::InvalidIncrement => {
                "value is not a valid float"
            }
            IncrFloatError::NanOrInfinity => "increment would produce NaN or Infinity",
        }
    }
}

/// INCRBYFLOAT: the bytes Redis stores and replies with for
/// `current + incr`. A missing key behaves exactly like `current = b"0"`.
pub fn incr_by_float(current: &[u8], incr: &[u8]) -> Result<Vec<u8>, IncrFloatError> {
    let cur = LongDouble::parse(current).ok_or(IncrFloatError::InvalidCurrent)?;
    let inc = LongDouble::parse(incr).ok_or(IncrFloatError::InvalidIncrement)?;
    let sum = cur.checked_add(inc).ok_or(IncrFloatError::NanOrInfinity)?;
    let mut out = Vec::with_capacity(24);
    sum.write_human(&mut out);
    Ok(out)
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble {
        neg: false,
        kind: Kind::Finite {
            mant: 0,
            exp: EMIN as i32,
        },
    };

    /// Redis's `string2ld`: the whole input must be one `strtold` number
    /// (decimal, hex float, or `inf`/`infinity`), shorter than
    /// [`MAX_LONG_DOUBLE_CHARS`], with no leading whitespace. NaN, finite
    /// spellings that overflow, and non-zero spellings that underflow to
    /// zero are rejected; subnormal results are accepted.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_LONG_DOUBLE_CHARS {
            return None;
        }
        match scan_strtod(s)? {
            Scanned::Inf { neg } => Some(LongDouble {
                neg,
                kind: Kind::Inf,
            }),
            Scanned::Dec(d) => from_decimal(&d),
            Scanned::Hex(h) => {
                let (m, e, sticky) = h.to_bits()?;
                if m == 0 {
                    return Some(zero(h.neg));
                }
                finite_or_range_error(h.neg, m, e, sticky)
            }
        }
    }

    /// Exact conversion, as Redis does for integer-encoded strings.
    pub fn from_i64(v: i64) -> LongDouble {
        let a = v.unsigned_abs();
        if a == 0 {
            return LongDouble::ZERO;
        }
        let lz = a.leading_zeros();
        LongDouble {
            neg: v < 0,
            kind: Kind::Finite {
                mant: a << lz,
                exp: -(lz as i32),
            },
        }
    }

    /// The nearest f64, saturating to infinity or zero (blocking timeouts).
    pub fn to_f64(self) -> f64 {
        let v = match self.kind {
            Kind::Inf => f64::INFINITY,
            Kind::Finite { mant, exp } => {
                // Two steps, so a tiny value is not lost to a power of two
                // below f64's range before the mantissa is applied.
                let half = exp / 2;
                mant as f64 * 2f64.powi(half) * 2f64.powi(exp - half)
            }
        };
        if self.neg { -v } else { v }
    }

    pub fn is_finite(self) -> bool {
        matches!(self.kind, Kind::Finite { .. })
    }

    /// One x87 addition (round-half-even). `None` when the result would be
    /// infinite or NaN, which Redis refuses to store.
    pub fn checked_add(self, rhs: LongDouble) -> Option<LongDouble> {
        let (Kind::Finite { mant: ma, exp: ea }, Kind::Finite { mant: mb, exp: eb }) =
            (self.kind, rhs.kind)
        else {
            return None;
        };
        if mb == 0 {
            // IEEE: -0 + -0 is -0, any other zero sum of zeros is +0.
            return Some(if ma == 0 {
                zero(self.neg && rhs.neg)
            } else {
                self
            });
        }
        if ma == 0 {
            return Some(rhs);
        }
        let ((na, ma, ea), (nb, mb, eb)) = if ea >= eb {
            ((self.neg, ma, ea), (rhs.neg, mb, eb))
        } else {
            ((rhs.neg, mb, eb), (self.neg, ma, ea))
        };
        // 62 guard bits under the larger operand; whatever of the smaller one
        // falls off the end is folded into the lowest bit ("jamming"), which
        // then acts as the sticky bit for both addition and subtraction.
        let d = (ea - eb) as u32;
        let a = u128::from(ma) << 62;
        let b_full = u128::from(mb) << 62;
        let b = if d == 0 {
            b_full
        } else if d < 128 {
            (b_full >> d) | u128::from(b_full & ((1u128 << d) - 1) != 0)
        } else {
            1
        };
        let (neg, sum) = if na == nb {
            (na, a + b)
        } else if a >= b {
            (na, a - b)
        } else {
            (nb, b - a)
        };
        if sum == 0 {
            return Some(LongDouble::ZERO);
        }
        let (mant, exp) = round_bits(sum, i64::from(ea) - 62, false, PREC, EMIN);
        pack(neg, mant, exp)
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, then trailing
    /// fractional zeros and a bare `.` removed, and "-0" printed as "0".
    pub fn write_human(self, out: &mut Vec<u8>) {
        let (mant, exp) = match self.kind {
            Kind::Inf => {
                out.extend_from_slice(if self.neg { b"-inf" } else { b"inf" });
                return;
            }
            Kind::Finite { mant, exp } => (mant, i64::from(exp)),
        };
        if exp >= 0 {
            // An integer: every one of the 17 decimals is zero.
            if mant != 0 && self.neg {
                out.push(b'-');
            }
            if exp < 64 {
                write_u128(out, u128::from(mant) << exp);
            } else {
                let mut big = Big::from_u64(mant);
                big.shl(exp as usize);
                big.write_decimal(out);
            }
            return;
        }
        // value * 10^17 = mant * 10^17 / 2^sh, rounded half-even to an
        // integer: exactly glibc's rounding of the 17th decimal.
        const SCALE: u128 = 100_000_000_000_000_000;
        let sh = (-exp) as u32;
        let n = u128::from(mant) * SCALE;
        let scaled = if sh >= 128 {
            // n < 2^121 lies below half a unit, so it rounds to zero.
            0
        } else {
            let q = n >> sh;
            let rem = n & ((1u128 << sh) - 1);
            let half = 1u128 << (sh - 1);
            if rem > half || (rem == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        };
        if scaled == 0 {
            out.push(b'0');
            return;
        }
        if self.neg {
            out.push(b'-');
        }
        write_u128(out, scaled / SCALE);
        let mut frac = (scaled % SCALE) as u64;
        if frac != 0 {
            let mut digits = [b'0'; 17];
            for slot in digits.iter_mut().rev() {
                *slot = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            let used = 17 - digits.iter().rev().take_while(|&&b| b == b'0').count();
            out.push(b'.');
            out.extend_from_slice(&digits[..used]);
        }
    }
}

fn zero(neg: bool) -> LongDouble {
    LongDouble {
        neg,
        kind: Kind::Finite {
            mant: 0,
            exp: EMIN as i32,
        },
    }
}

/// Builds a finite result; `None` if it overflowed to infinity.
fn pack(neg: bool, mant: u128, exp: i64) -> Option<LongDouble> {
    if exp > EMAX {
        return None;
    }
    Some(LongDouble {
        neg,
        kind: Kind::Finite {
            mant: mant as u64,
            exp: exp as i32,
        },
    })
}

/// Rounds a non-zero parsed value; strtold's ERANGE cases Redis rejects are
/// overflow to infinity and underflow all the way to zero.
fn finite_or_range_error(neg: bool, m: u128, e: i64, sticky: bool) -> Option<LongDouble> {
    let (mant, exp) = round_bits(m, e, sticky, PREC, EMIN);
    if mant == 0 {
        return None;
    }
    pack(neg, mant, exp)
}

/// Correctly rounded decimal → extended conversion of a scanned literal.
fn from_decimal(d: &DecimalParts<'_>) -> Option<LongDouble> {
    let total = d.int.len() + d.frac.len();
    let digit = |i: usize| {
        if i < d.int.len() {
            d.int[i]
        } else {
            d.frac[i - d.int.len()]
        }
    };
    let Some(first) = (0..total).find(|&i| digit(i) != b'0') else {
        return Some(zero(d.neg));
    };
    let last = (0..total).rev().find(|&i| digit(i) != b'0')?;
    let n = (last - first + 1) as i64;
    // value = D * 10^e10 with D the n significant digits.
    let e10 = d.exp - d.frac.len() as i64 + (total - 1 - last) as i64;
    // 10^4933 exceeds the largest finite value (~1.19e4932), and anything
    // below 10^-4951 is under half the smallest subnormal (~3.6e-4951).
    if n - 1 + e10 > 4932 || n + e10 < -4951 {
        return None;
    }
    if n <= 19 && (-27..=27).contains(&e10) {
        let mut v: u64 = 0;
        for i in first..=last {
            v = v * 10 + u64::from(digit(i) - b'0');
        }
        return from_small(d.neg, v, e10 as i32);
    }
    let mut big = Big::from_decimal_digits((first..=last).map(digit));
    if e10 >= 0 {
        big.mul_pow5(e10 as u32);
        let bits = big.bit_len();
        let drop = bits.saturating_sub(128);
        let (top, sticky) = big.top_bits(drop);
        return finite_or_range_error(d.neg, top, e10 + drop as i64, sticky);
    }
    // D / 10^k = D / 5^k * 2^-k. Scale so the quotient has 126-127 bits,
    // comfortably more than the 65 needed to round to 64.
    let k = (-e10) as u32;
    let mut den = Big::from_u64(1);
    den.mul_pow5(k);
    let shift = den.bit_len() as i64 - big.bit_len() as i64 + 126;
    if shift >= 0 {
        big.shl(shift as usize);
    } else {
        den.shl((-shift) as usize);
    }
    let q = big.div_rem_small_quotient(&den);
    let sticky = !big.is_zero();
    finite_or_range_error(d.neg, q, -shift - i64::from(k), sticky)
}

/// `v * 10^e10` for `v < 10^19` and `|e10| <= 27`, where 5^27 < 2^63 keeps
/// everything inside u128 with a single rounding.
fn from_small(neg: bool, v: u64, e10: i32) -> Option<LongDouble> {
    let p5 = 5u128.pow(e10.unsigned_abs());
    if e10 >= 0 {
        return finite_or_range_error(neg, u128::from(v) * p5, i64::from(e10), false);
    }
    // Put v's top bit at bit 127 so the quotient keeps >= 65 bits.
    let lz = u128::from(v).leading_zeros();
    let num = u128::from(v) << lz;
    let (q, r) = (num / p5, num % p5);
    finite_or_range_error(neg, q, i64::from(e10) - i64::from(lz), r != 0)
}

fn write_u128(out: &mut Vec<u8>, mut v: u128) {
    let mut buf = [0u8; 40];
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[pos..]);
}

/// Minimal unsigned bignum (little-endian u64 limbs, no high zero limbs)
/// for the rare inputs the u128 paths cannot handle exactly.
#[derive(Clone, Debug)]
struct Big(Vec<u64>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big(vec![v]);
        b.trim();
        b
    }

    fn from_decimal_digits(digits: impl Iterator<Item = u8>) -> Big {
        let mut b = Big(Vec::new());
        let (mut chunk, mut len) = (0u64, 0u32);
        for c in digits {
            chunk = chunk * 10 + u64::from(c - b'0');
            len += 1;
            if len == 19 {
                b.mul_add_small(10u64.pow(19), chunk);
                (chunk, len) = (0, 0);
            }
        }
        if len > 0 {
            b.mul_add_small(10u64.pow(len), chunk);
        }
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bit_len(&self) -> usize {
        match self.0.last() {
            None => 0,
            Some(&top) => self.0.len() * 64 - top.leading_zeros() as usize,
        }
    }

    fn mul_add_small(&mut self, mul: u64, add: u64) {
        let mut carry = u128::from(add);
        for limb in &mut self.0 {
            let t = u128::from(*limb) * u128::from(mul) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
        if carry != 0 {
            self.0.push(carry as u64);
        }
        self.trim();
    }

    fn mul_pow5(&mut self, mut k: u32) {
        while k >= 27 {
            self.mul_add_small(5u64.pow(27), 0);
            k -= 27;
        }
        if k > 0 {
            self.mul_add_small(5u64.pow(k), 0);
        }
    }

    fn shl(&mut self, bits: usize) {
        if self.is_zero() {
            return;
        }
        let (limbs, rem) = (bits / 64, (bits % 64) as u32);
        if rem != 0 {
            let mut carry = 0u64;
            for limb in &mut self.0 {
                let next = *limb >> (64 - rem);
                *limb = (*limb << rem) | carry;
                carry = next;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn shr1(&mut self) {
        let mut carry = 0u64;
        for limb in self.0.iter_mut().rev() {
            let next = *limb << 63;
            *limb = (*limb >> 1) | carry;
            carry = next;
        }
        self.trim();
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `self -= other`, requiring `self >= other`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let o = other.0.get(i).copied().unwrap_or(0);
            let (v, b1) = limb.overflowing_sub(o);
            let (v, b2) = v.overflowing_sub(u64::from(borrow));
            *limb = v;
            borrow = b1 || b2;
        }
        debug_assert!(!borrow);
        self.trim();
    }

    /// The value shifted right by `drop` bits (which must leave at most 128)
    /// and whether any dropped bit was set.
    fn top_bits(&self, drop: usize) -> (u128, bool) {
        let bit = |i: usize| self.0.get(i / 64).is_some_and(|l| l >> (i % 64) & 1 == 1);
        let mut top = 0u128;
        for i in (drop..self.bit_len()).rev() {
            top = top << 1 | u128::from(bit(i));
        }
        let sticky = (0..drop / 64).any(|l| self.0.get(l).is_some_and(|&v| v != 0))
            || (drop / 64 * 64..drop).any(bit);
        (top, sticky)
    }

    /// Restoring division for a quotient known to be below 2^127; the
    /// remainder is left in `self`.
    fn div_rem_small_quotient(&mut self, den: &Big) -> u128 {
        let mut t = den.clone();
        t.shl(126);
        let mut q = 0u128;
        for i in (0..=126).rev() {
            if self.cmp(&t) != Ordering::Less {
                self.sub_assign(&t);
                q |= 1u128 << i;
            }
            t.shr1();
        }
        q
    }

    fn write_decimal(mut self, out: &mut Vec<u8>) {
        const CHUNK: u64 = 10_000_000_000_000_000_000;
        let mut chunks = Vec::new();
        while !self.is_zero() {
            let mut rem = 0u128;
            for limb in self.0.iter_mut().rev() {
                let cur = rem << 64 | u128::from(*limb);
                *limb = (cur / u128::from(CHUNK)) as u64;
                rem = cur % u128::from(CHUNK);
            }
            self.trim();
            chunks.push(rem as u64);
        }
        let mut iter = chunks.iter().rev();
        if let Some(&first) = iter.next() {
            write_u128(out, u128::from(first));
        }
        for &c in iter {
            let mut digits = [b'0'; 19];
            let mut c = c;
            for slot in digits.iter_mut().rev() {
                *slot = b'0' + (c % 10) as u8;
                c /= 10;
            }
            out.extend_from_slice(&digits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum Want {
        Is(&'static str),
        /// Either input rejected as "value is not a valid float".
        Bad,
        /// "increment would produce NaN or Infinity".
        Inf,
    }
    use Want::{Bad, Inf, Is};

    fn check(a: &str, b: &str, want: &Want) {
        let got = incr_by_float(a.as_bytes(), b.as_bytes());
        match want {
            Want::Is(s) => assert_eq!(
                got.as_deref().map(|v| std::str::from_utf8(v).unwrap()),
                Ok(*s),
                "{a:?} + {b:?}"
            ),
            Bad => {
                let expected = if LongDouble::parse(a.as_bytes()).is_none() {
                    IncrFloatError::InvalidCurrent
                } else {
                    IncrFloatError::InvalidIncrement
                };
                assert_eq!(got, Err(expected), "{a:?} + {b:?}");
            }
            Inf => assert_eq!(got, Err(IncrFloatError::NanOrInfinity), "{a:?} + {b:?}"),
        }
    }

    /// Every expected value below was produced by redis-server 7.0.15
    /// (x86-64, glibc) with `SET k <a>` then `INCRBYFLOAT k <b>`.
    #[rustfmt::skip]
    const REDIS_PAIRS: &[(&str, &str, Want)] = &[
        ("10.5", "0.1", Is("10.6")),
        ("3.0e3", "2.0e2", Is("3200")),
        ("5.0e3", "200", Is("5200")),
        ("0", "0.1", Is("0.1")),
        ("1", "-1", Is("0")),
        ("-1", "0.5", Is("-0.5")),
        ("-0", "0", Is("0")),
        ("0", "-0", Is("0")),
        ("-0.0", "-0.0", Is("0")),
        ("1e-20", "-1e-20", Is("0")),
        ("-1e-20", "0", Is("0")),
        ("-0.000000000000000004", "0", Is("0")),
        ("-0.000000000000000005", "0", Is("0")),
        ("-0.000000000000000006", "0", Is("-0.00000000000000001")),
        ("1.5", "-2", Is("-0.5")),
        ("100", "-100.25", Is("-0.25")),
        ("0.1", "0.2", Is("0.3")),
        ("1.1", "2.2", Is("3.3")),
        ("3", "0.3", Is("3.3")),
        ("1e300", "1", Is(concat!(
                "100000000000000000000899732407955919387052394427329074793826008232126564659618093575584915",
                "208375049719035037250861427483590359255618467298391309626052074864628732713564184365329408",
                "425510760601678972665293237003055138294762099454029477278188962060617926761162709741065056",
                "7187386105690089424915104006144",
            ))),
        ("1e4000", "1e4000", Is(concat!(
                "199999999999999999999309277461992475698649851670139152626030166660865238866126847109636432",
                "837310185597255289041462473470804352044347351846883442517639010559999228571648687095090037",
                "419164285814826022860293408900525216988869125506674846816451182924408815490053982942336366",
                "155511335471424129840726259267947375236521590763232240734493620559608378901437146676040391",
                "463687528159494754842011659268791626049494932116561421363245321907004982187219638633918842",
                "465077447247114414357357198639942339356470703506897728348718976549853368484490298631939302",
                "498568531146260145440073083632132756592974360526652468919293191988233773472248024340251962",
                "411149785774706688742369586911816540263208532686680722919432225881889985358601952903166338",
                "484841688880100925515786337085293979250750392096092964051176636266403981645496213570939333",
                "242125449940139923730584040932243958559300613260321072241113641217103419780421399969526093",
                "363337375966556986110890339172610914108725357362479261808396814415725901865958464663339786",
                "143709869360119270271121045478530496301290717260699023542313319712123433334164855123979246",
                "077237427094383627639227593435238779694090101478432378142885448996578316781679560759865609",
                "051191739310083987365122693005429376884943496472925573271348742654786130338866225702891377",
                "916356230425404686700464056198468786270743373715846285455433356946208049189062983669813855",
                "390766590324864858542108943519499131318997185197605145332468648633219735025172016326966416",
                "754557047047436377932966874018957059821179388670834102646902450480968693766502766458661703",
                "674433113442757307927169420701344283347212342390552105447095428948751218658175787103620821",
                "639579435246931151364615351480546045869210899375041635373136497599887527103278406007701918",
                "393773573418155219743753235868694343515207013028390759122063658202427297692745242045264085",
                "906585592407210724075226303891081063778684368186324928214773124077042779849848888080526844",
                "209992382817537118425559775573538957843056137099015701360294542510734794053139252239288028",
                "723758697716068412225734902696773308307313828182209280773893377986897596916458855267460794",
                "393772056208888798560742709377965491307072601188925123399573781311868416969120765487331344",
                "505990987053673015403211038162320234477606303527627816434881743823180296809328168440729265",
                "283658568695603623354939547974860848988262104309277682476031574534939354426691174490409422",
                "306717250328705665647876642810005195247415918143908362445206166620120604202099250233789178",
                "257389610420508602680947644562827011087887804203766537270775061663806591562992347854706506",
                "912145876080395792262144088794581106482138422526453420401334186340256718738513911893898202",
                "425839822660807049080588317908426612558491521364009417850735848702861582747655488806923920",
                "051879993673387063531073601086358432968471632795633284634329190790209135065306759965133290",
                "584017058780989377108385781955706065898928995045175837659095891175066774964703503474601463",
                "569325193678328740897781505657558337392559825795843671736993585823781482728110539772642094",
                "752264119183009472631992331851296859048797160663594047363995066133967244028030129588153984",
                "727930430393093231942646194747639478062837790960634263635439379317227200141116935825534251",
                "852229512256959492957972031710553324554778593782564252393622888198111779498879618558968639",
                "001965366929192984606113799570840598655848729729057934718500083895651750329469152487052789",
                "601802190145914700409209134512762919140446347955684180679974425099221217818332681897619671",
                "055010177633386986166955456690087766061742266837562082832244315766604136719623677910033310",
                "040400412811784216978048320063127232537463216724511326955005390251994935737203426536136620",
                "581753073206823294176176049080457633980987842791480335122923852888316416791815957941011038",
                "446698948120094777446640856881785706046688358119927623803432203376906328710669224718041721",
                "358718700101260029010443491635448861930767783999782574633586530906965579155761235240376140",
                "352050303737064111797518198214161586672100940202314769562109535011003000412597287156510868",
                "83913944380545459902413296552699802681344",
            ))),
        ("1.18973149535723176502e4932", "0", Is(concat!(
                "118973149535723176502126385303097020516906332229462420044032373389173700552297072261641029",
                "033652888285354569780749557731442744315367028843419812557385374367867359320070697326320191",
                "591828296152436552951064679108661431179063216977883889613478656060039914875343321145491116",
                "008867984515486651285234014977303760000912547939396622315138362241783854274391783813871780",
                "588948754057516822634765923557697480511372564902088485522249479139937758502601177354918009",
                "979622602685950855888360815984690023564513234659447638493985927645628457966177293040780660",
                "922910271504608538808795932778162298682754783076808004015069494230341172895777710033571401",
                "055977524212405734700738625166011082837911962300846927720096515350020847447079244384854591",
                "288672300061908512647211195136146752763351956292759795725027800298079590419313960302147099",
                "703527646744553092202267965628099149823208332964124103850923918473478612192169721054348428",
                "704835340811304257300221642134891734717423480071488075100206439051723424765600472176809648",
                "610799494341570347632064355862420744350442438056613601760883747816538902780957697597728686",
                "007148702828795556714140463261583262360276289631617397848425448686060994827086796804807870",
                "251185893083854658422304090880599629459458620190376604844679092600222541053077590106576067",
                "134720012584640695703025713896098375799892695455305236856075868317922311363951946885088077",
                "187210470520395758748001314313144425494391994017575316933939236688185618912993172910425292",
                "123683515992232205099800167710278403536014082929639811512287776813570604578934353545169653",
                "956125404884644716978689321167108722908808277835051822885764606221873970285165508372099234",
                "948333443522898475123275372663606621390228126470623407535207172405866507951821730346378263",
                "135339370677490195019784169044182473806316282858685774143258116536404021840272491339332094",
                "921949842244273042701987304453662035026238695780468200360144729199712309553005720614186697",
                "485284685618651483271597448120312194675168637934309618961510733006555242148519520176285859",
                "509105183947250286387163249416761380499631979144187025430270675849519200883791516940158174",
                "004671147787720145964446117520405945350476472180797576111172084627363927960033967047003761",
                "337450955318415007379641260504792325166135484129188421134082301547330475406707281876350361",
                "733290800595189632520707167390454777712968226520622565143991937680440029238090311243791261",
                "477625596469422198137514696707944687035800439250765945161837981185939204954403611491531078",
                "225107269148697980924094677214272701240437718740921675661363493890045123235166814608932240",
                "069799317601780533819184998193300841098599393876029260139091141452600372028487213241195542",
                "428210183120421610446740462163533690058366460659115629876474552506814500393294140413149540",
                "067760295100596225302282300363147382468105964844244132486457313743759509641616804802412935",
                "187620466813563687753281467553879887177183651289394719533506188500326760735438867336800207",
                "438784965701457609034985757124304510203873049485425670247933932280911052604153852899484920",
                "399109194612991249163328991799809438033787952209313146694614970593966415237594928589096048",
                "991612194498998638483702248667224914892467841020618336462741696957630763248023558797524525",
                "373703543388296086275342774001633343405508353704850737454481975472222897528108302089868263",
                "302028525992308416805453968791141829762998896457648276528750456285492426516521775079951625",
                "966922911497778896235667095662713848201819134832168799586365263762097828507009933729439678",
                "463987902491451422274252700636394232799848397673998715441855420156224415492665301451550468",
                "548925862027608576183712976335876121538256512963353814166394951655600026415918655485005705",
                "261143195291991880795452239464962763563017858089669222640623538289853586759599064700838568",
                "712381032959192649484625076899225841930548076362021508902214922052806984201835084058693849",
                "381549890944546197789302911357651677540623227829831403347327660395223160342282471752818181",
                "884430488092132193355086987339586127607367086665237555567580317149010847732009642431878007",
                "000879734603290627894355374356444885190719161645514115576193939969076741515640282654366402",
                "676009508752394550734155613586793306603174472092444651353236664764973540085196704077110364",
                "053815007348689179836404957060618953500508984091382686953509006678332447257871219660441528",
                "492484004185093281190896363417573989716659600075948780061916409485433875852065711654107226",
                "099628815012314437794400874930194474433078438899570184271000480830501217712356062289507626",
                "904285680004771889315808935851559386317665294808903126774702966254511086154895839508779675",
                "546413794489596052797520987481383976257859210575628440175934932416214833956535018919681138",
                "909184379573470326940634289008780584694035245347939808067427323629788710086717580253156130",
                "235606487870925986528841635097252953709111431720488774740553905400942537542411931794417513",
                "706468964386151771884986701034153254238591108962471088538580868883777725864856414593426212",
                "1086647588489260031762345960769508849149662444156604419552086811989770240",
            ))),
        ("1.18973149535723176502e4932", "1e4932", Inf),
        ("1e-4940", "0", Is("0")),
        ("3.6e-4951", "0", Is("0")),
        ("1e-4951", "0", Bad),
        ("1e-5000", "1", Bad),
        ("1e-17", "0", Is("0.00000000000000001")),
        ("5e-18", "0", Is("0")),
        ("1.5e-17", "0", Is("0.00000000000000002")),
        ("0.000003814697265625", "0", Is("0.00000381469726562")),
        ("0.000011444091796875", "0", Is("0.00001144409179688")),
        ("12345678901234567890", "1", Is("12345678901234567891")),
        ("123456789012345678901234567890", "0.5", Is("123456789012345678899921813504")),
        ("9223372036854775807", "1", Is("9223372036854775808")),
        ("-9223372036854775808", "-1", Is("-9223372036854775809")),
        ("18446744073709551615", "0", Is("18446744073709551615")),
        ("18446744073709551617", "0", Is("18446744073709551616")),
        ("0.12345678901234567890123", "0", Is("0.12345678901234568")),
        ("1.00000000000000000001", "0", Is("1")),
        ("2.5", "2.5", Is("5")),
        ("7", "3", Is("10")),
        ("007", "0.5", Is("7.5")),
        ("1.", "1", Is("2")),
        (".5", ".25", Is("0.75")),
        ("+1.5", "1", Is("2.5")),
        ("1E2", "1e-2", Is("100.01")),
        ("0x10", "0x1p-2", Is("16.25")),
        ("0x1.8p1", "0.5", Is("3.5")),
        ("inf", "1", Inf),
        ("1", "-inf", Inf),
        ("-inf", "inf", Inf),
        ("Infinity", "0", Inf),
        ("abc", "1", Bad),
        ("1", "abc", Bad),
        ("1.0x", "1", Bad),
        (" 1", "1", Bad),
        ("1", "1 ", Bad),
        ("nan", "1", Bad),
        ("1", "nan", Bad),
        ("", "1", Bad),
        ("1", "1e", Bad),
        ("1e99999", "1", Bad),
        ("0e99999", "1", Is("1")),
        ("1e-99999", "1", Bad),
        ("1.7976931348623157e308", "1.7976931348623157e308", Is(concat!(
                "359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737",
                "216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236",
                "326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382",
                "416235440319971852753604933726679072768",
            ))),
        ("3.14159265358979323846264338327950288", "0", Is("3.14159265358979324")),
        ("-12.75", "12.75", Is("0")),
        ("1e17", "0.5", Is("100000000000000000.5")),
        ("1e18", "0.5", Is("1000000000000000000.5")),
        ("1e19", "1.5", Is("10000000000000000002")),
        ("0.99999999999999999", "0", Is("0.99999999999999999")),
        ("0.999999999999999999", "0", Is("1")),
        ("123.456", "-0.456", Is("123")),
        ("1e-10", "1e10", Is("10000000000")),
        ("0x1p-16445", "0", Is("0")),
        ("0x1p-16446", "0", Bad),
        ("0x1.8p-16446", "0", Is("0")),
        ("1\u{0}1", "0", Bad),
        ("\t1", "0", Bad),
        ("1e+5", "0", Is("100000")),
        ("-.5e1", "0", Is("-5")),
        ("0x", "0", Bad),
        ("-0x1.fffffffffffffffep16383", "0", Is(concat!(
                "-11897314953572317650212638530309702051690633222946242004403237338917370055229707226164102",
                "903365288828535456978074955773144274431536702884341981255738537436786735932007069732632019",
                "159182829615243655295106467910866143117906321697788388961347865606003991487534332114549111",
                "600886798451548665128523401497730376000091254793939662231513836224178385427439178381387178",
                "058894875405751682263476592355769748051137256490208848552224947913993775850260117735491800",
                "997962260268595085588836081598469002356451323465944763849398592764562845796617729304078066",
                "092291027150460853880879593277816229868275478307680800401506949423034117289577771003357140",
                "105597752421240573470073862516601108283791196230084692772009651535002084744707924438485459",
                "128867230006190851264721119513614675276335195629275979572502780029807959041931396030214709",
                "970352764674455309220226796562809914982320833296412410385092391847347861219216972105434842",
                "870483534081130425730022164213489173471742348007148807510020643905172342476560047217680964",
                "861079949434157034763206435586242074435044243805661360176088374781653890278095769759772868",
                "600714870282879555671414046326158326236027628963161739784842544868606099482708679680480787",
                "025118589308385465842230409088059962945945862019037660484467909260022254105307759010657606",
                "713472001258464069570302571389609837579989269545530523685607586831792231136395194688508807",
                "718721047052039575874800131431314442549439199401757531693393923668818561891299317291042529",
                "212368351599223220509980016771027840353601408292963981151228777681357060457893435354516965",
                "395612540488464471697868932116710872290880827783505182288576460622187397028516550837209923",
                "494833344352289847512327537266360662139022812647062340753520717240586650795182173034637826",
                "313533937067749019501978416904418247380631628285868577414325811653640402184027249133933209",
                "492194984224427304270198730445366203502623869578046820036014472919971230955300572061418669",
                "748528468561865148327159744812031219467516863793430961896151073300655524214851952017628585",
                "950910518394725028638716324941676138049963197914418702543027067584951920088379151694015817",
                "400467114778772014596444611752040594535047647218079757611117208462736392796003396704700376",
                "133745095531841500737964126050479232516613548412918842113408230154733047540670728187635036",
                "173329080059518963252070716739045477771296822652062256514399193768044002923809031124379126",
                "147762559646942219813751469670794468703580043925076594516183798118593920495440361149153107",
                "822510726914869798092409467721427270124043771874092167566136349389004512323516681460893224",
                "006979931760178053381918499819330084109859939387602926013909114145260037202848721324119554",
                "242821018312042161044674046216353369005836646065911562987647455250681450039329414041314954",
                "006776029510059622530228230036314738246810596484424413248645731374375950964161680480241293",
                "518762046681356368775328146755387988717718365128939471953350618850032676073543886733680020",
                "743878496570145760903498575712430451020387304948542567024793393228091105260415385289948492",
                "039910919461299124916332899179980943803378795220931314669461497059396641523759492858909604",
                "899161219449899863848370224866722491489246784102061833646274169695763076324802355879752452",
                "537370354338829608627534277400163334340550835370485073745448197547222289752810830208986826",
                "330202852599230841680545396879114182976299889645764827652875045628549242651652177507995162",
                "596692291149777889623566709566271384820181913483216879958636526376209782850700993372943967",
                "846398790249145142227425270063639423279984839767399871544185542015622441549266530145155046",
                "854892586202760857618371297633587612153825651296335381416639495165560002641591865548500570",
                "526114319529199188079545223946496276356301785808966922264062353828985358675959906470083856",
                "871238103295919264948462507689922584193054807636202150890221492205280698420183508405869384",
                "938154989094454619778930291135765167754062322782983140334732766039522316034228247175281818",
                "188443048809213219335508698733958612760736708666523755556758031714901084773200964243187800",
                "700087973460329062789435537435644488519071916164551411557619393996907674151564028265436640",
                "267600950875239455073415561358679330660317447209244465135323666476497354008519670407711036",
                "405381500734868917983640495706061895350050898409138268695350900667833244725787121966044152",
                "849248400418509328119089636341757398971665960007594878006191640948543387585206571165410722",
                "609962881501231443779440087493019447443307843889957018427100048083050121771235606228950762",
                "690428568000477188931580893585155938631766529480890312677470296625451108615489583950877967",
                "554641379448959605279752098748138397625785921057562844017593493241621483395653501891968113",
                "890918437957347032694063428900878058469403524534793980806742732362978871008671758025315613",
                "023560648787092598652884163509725295370911143172048877474055390540094253754241193179441751",
                "370646896438615177188498670103415325423859110896247108853858086888377772586485641459342621",
                "21086647588489260031762345960769508849149662444156604419552086811989770240",
            ))),
        ("0x1p16384", "0", Bad),
        ("1", "0x1.0000000000000001p0", Is("2")),
        ("0x1.0000000000000001p0", "0", Is("1")),
        ("0x1.00000000000000008p0", "0", Is("1")),
        ("0x1.00000000000000018p0", "0", Is("1")),
        ("INF", "-INF", Inf),
        ("-1.5", "-0.000000000000000005", Is("-1.5")),
        ("2.5e-17", "0", Is("0.00000000000000002")),
        ("3.5e-17", "0", Is("0.00000000000000004")),
        ("1180591620717411303424", "0", Is("1180591620717411303424")),
        ("0.000000000000000000000000000001", "1e30", Is("1000000000000000000024696061952")),
        ("1e4932", "-1e4932", Is("0")),
    ];

    #[test]
    fn matches_redis_on_hand_picked_pairs() {
        for (a, b, want) in REDIS_PAIRS {
            check(a, b, want);
        }
    }

    #[test]
    fn chains_match_redis() {
        // INCRBYFLOAT c 0.1, ten times from a missing key.
        let mut cur = b"0".to_vec();
        let mut seen = Vec::new();
        for _ in 0..10 {
            cur = incr_by_float(&cur, b"0.1").unwrap();
            seen.push(String::from_utf8(cur.clone()).unwrap());
        }
        assert_eq!(
            seen,
            [
                "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"
            ]
        );

        // SET c2 10.5, then INCRBYFLOAT c2 -0.7 twenty times.
        let mut cur = b"10.5".to_vec();
        let mut seen = Vec::new();
        for _ in 0..20 {
            cur = incr_by_float(&cur, b"-0.7").unwrap();
            seen.push(String::from_utf8(cur.clone()).unwrap());
        }
        let want = [
            "9.8", "9.1", "8.4", "7.7", "7", "6.3", "5.6", "4.9", "4.2", "3.5", "2.8", "2.1",
            "1.4", "0.7", "0", "-0.7", "-1.4", "-2.1", "-2.8", "-3.5",
        ];
        assert_eq!(seen, want);
    }

    #[test]
    fn input_length_limit_matches_redis() {
        // Redis rejects inputs of 5120 bytes or more.
        let ok = format!("0.{}", "3".repeat(5117));
        let too_long = format!("0.{}", "3".repeat(5118));
        check(&ok, "0", &Want::Is("0.33333333333333333"));
        check(&too_long, "0", &Bad);
        check("1", &ok, &Want::Is("1.33333333333333333"));
        check("1", &too_long, &Bad);
    }

    #[test]
    fn f64_would_differ() {
        // The reason this module exists: in f64 this sum prints as
        // 10.59999999999999964 with %.17f.
        assert_eq!(format!("{:.17}", 10.5f64 + 0.1), "10.59999999999999964");
        check("10.5", "0.1", &Want::Is("10.6"));
    }

    #[test]
    fn from_i64_is_exact() {
        for v in [0, 1, -1, 42, i64::MAX, i64::MIN, i64::MIN + 1, 1 << 62] {
            assert_eq!(
                Some(LongDouble::from_i64(v)),
                LongDouble::parse(v.to_string().as_bytes())
            );
            let mut out = Vec::new();
            LongDouble::from_i64(v).write_human(&mut out);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }

    #[test]
    fn infinities_format_like_redis() {
        let mut out = Vec::new();
        LongDouble::parse(b"-Infinity")
            .unwrap()
            .write_human(&mut out);
        assert_eq!(out, b"-inf");
        assert!(!LongDouble::parse(b"inf").unwrap().is_finite());
    }

    #[test]
    fn slow_paths_agree_with_fast_paths() {
        // The same values spelled so they miss the u128 fast path.
        let pairs = [
            ("0.1", "0.1000000000000000000000000000"),
            ("0.1", "0000000000000000000000000.1"),
            ("12345", "1234500000000000000000000000000000e-29"),
            ("1e27", "1000000000000000000000000000"),
            ("1e-27", "0.000000000000000000000000001"),
            ("1e28", "10000000000000000000000000000"),
        ];
        for (a, b) in pairs {
            assert_eq!(
                LongDouble::parse(a.as_bytes()),
                LongDouble::parse(b.as_bytes()),
                "{a} vs {b}"
            );
        }
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            IncrFloatError::InvalidCurrent.message(),
            "value is not a valid float"
        );
        assert_eq!(
            IncrFloatError::InvalidIncrement.message(),
            "value is not a valid float"
        );
        assert_eq!(
            IncrFloatError::NanOrInfinity.message(),
            "increment would produce NaN or Infinity"
        );
    }
}
