//! The reply writer: encodes replies straight into a connection's write
//! buffer, in the connection's protocol version, so handlers never branch
//! on RESP2 versus RESP3.

/// Protocol version 2 (the default) or 3 (after `HELLO 3`).
pub type Proto = u8;

pub const OK: &[u8] = b"+OK\r\n";
pub const PONG: &[u8] = b"+PONG\r\n";
pub const NULL_BULK: &[u8] = b"$-1\r\n";
pub const NULL_ARRAY: &[u8] = b"*-1\r\n";
pub const NULL3: &[u8] = b"_\r\n";
pub const ZERO: &[u8] = b":0\r\n";
pub const ONE: &[u8] = b":1\r\n";
pub const EMPTY_ARRAY: &[u8] = b"*0\r\n";

pub struct Reply<'a> {
    buf: &'a mut Vec<u8>,
    proto: Proto,
}

impl<'a> Reply<'a> {
    pub fn new(buf: &'a mut Vec<u8>, proto: Proto) -> Self {
        Reply { buf, proto }
    }

    pub fn proto(&self) -> Proto {
        self.proto
    }

    /// Switches the protocol mid-reply (HELLO answers in the version it
    /// selects).
    pub fn set_proto(&mut self, proto: Proto) {
        self.proto = proto;
    }

    /// Bytes written so far into the underlying buffer (for tests and
    /// output accounting).
    pub fn buffer(&self) -> &[u8] {
        self.buf
    }

    /// Length of the underlying buffer: a mark to [`Reply::truncate`] to.
    #[inline]
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Drops what was written after `mark` (CLIENT REPLY OFF / SKIP).
    pub fn truncate(&mut self, mark: usize) {
        self.buf.truncate(mark);
    }

    /// A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2.
    pub fn boolean(&mut self, v: bool) {
        if self.proto >= 3 {
            self.raw(if v { b"#t\r\n" } else { b"#f\r\n" });
        } else {
            self.raw(if v { ONE } else { ZERO });
        }
    }

    /// Appends pre-encoded reply bytes (one of the constants above, or an
    /// error line from `errors`).
    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    #[inline]
    pub fn ok(&mut self) {
        self.raw(OK);
    }

    pub fn simple(&mut self, s: &[u8]) {
        self.buf.reserve(s.len() + 3);
        self.buf.push(b'+');
        self.buf.extend_from_slice(s);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// An error with its code (`ERR ...`, `WRONGTYPE ...`); any CR/LF in a
    /// dynamic message is replaced by a space as Redis does, so the reply
    /// stays one line.
    pub fn error(&mut self, msg: &[u8]) {
        self.buf.reserve(msg.len() + 3);
        self.buf.push(b'-');
        self.buf.extend(
            msg.iter()
                .map(|&c| if c == b'\r' || c == b'\n' { b' ' } else { c }),
        );
        self.buf.extend_from_slice(b"\r\n");
    }

    #[inline]
    pub fn int(&mut self, v: i64) {
        match v {
            0 => self.raw(ZERO),
            1 => self.raw(ONE),
            _ => self.header(b':', v),
        }
    }

    #[inline]
    pub fn bulk(&mut self, s: &[u8]) {
        self.buf.reserve(s.len() + 16);
        self.header(b'$', s.len() as i64);
        self.buf.extend_from_slice(s);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk string holding the decimal form of `v` (GET of an integer-
    /// encoded value).
    pub fn bulk_i64(&mut self, v: i64) {
        let mut b = itoa::Buffer::new();
        self.bulk(b.format(v).as_bytes());
    }

    /// The null reply for a missing string: `$-1` in RESP2, `_` in RESP3.
    #[inline]
    pub fn null(&mut self) {
        self.raw(if self.proto >= 3 { NULL3 } else { NULL_BULK });
    }

    /// The null reply where Redis 2 sends a null array (`*-1`).
    pub fn null_array(&mut self) {
        self.raw(if self.proto >= 3 { NULL3 } else { NULL_ARRAY });
    }

    #[inline]
    pub fn array(&mut self, n: usize) {
        self.header(b'*', n as i64);
    }

    /// A map of `n` pairs: `%n` in RESP3, a flat array of `2n` in RESP2.
    pub fn map(&mut self, n: usize) {
        if self.proto >= 3 {
            self.header(b'%', n as i64);
        } else {
            self.header(b'*', 2 * n as i64);
        }
    }

    /// A set of `n` elements: `~n` in RESP3, an array in RESP2.
    pub fn set(&mut self, n: usize) {
        self.header(if self.proto >= 3 { b'~' } else { b'*' }, n as i64);
    }

    /// A double (scores): `,` in RESP3, a bulk string in RESP2, both in
    /// Redis 7.0's `%.17g` form (`inf`, `-inf`).
    pub fn double(&mut self, v: f64) {
        let mut b = [0u8; crate::util::float::MAX_DOUBLE_CHARS];
        let s = crate::util::float::fmt_double(v, &mut b);
        if self.proto >= 3 {
            self.buf.reserve(s.len() + 3);
            self.buf.push(b',');
            self.buf.extend_from_slice(s);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(s);
        }
    }

    /// The header of `n` (member, score) pairs (WITHSCORES): an array of
    /// `n` two-element arrays in RESP3, a flat array of `2n` in RESP2.
    /// Each pair then starts with [`pair`](Self::pair).
    pub fn pairs(&mut self, n: usize) {
        let n = if self.proto >= 3 { n } else { 2 * n };
        self.header(b'*', n as i64);
    }

    /// Opens one pair of a [`pairs`](Self::pairs) reply (nothing in RESP2).
    #[inline]
    pub fn pair(&mut self) {
        if self.proto >= 3 {
            self.buf.extend_from_slice(b"*2\r\n");
        }
    }

    /// Verbatim text (INFO, CLIENT LIST): `=` with a `txt:` prefix in RESP3,
    /// a bulk string in RESP2.
    pub fn verbatim(&mut self, s: &[u8]) {
        if self.proto >= 3 {
            self.header(b'=', s.len() as i64 + 4);
            self.buf.extend_from_slice(b"txt:");
            self.buf.extend_from_slice(s);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(s);
        }
    }

    /// A big number: `(` in RESP3, a bulk string in RESP2.
    pub fn big_number(&mut self, digits: &[u8]) {
        if self.proto >= 3 {
            self.buf.push(b'(');
            self.buf.extend_from_slice(digits);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(digits);
        }
    }

    fn header(&mut self, prefix: u8, n: i64) {
        let mut b = itoa::Buffer::new();
        let digits = b.format(n).as_bytes();
        self.buf.push(prefix);
        self.buf.extend_from_slice(digits);
        self.buf.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(proto: Proto, f: impl FnOnce(&mut Reply)) -> Vec<u8> {
        let mut buf = Vec::new();
        f(&mut Reply::new(&mut buf, proto));
        buf
    }

    #[test]
    fn resp2_shapes() {
        assert_eq!(with(2, |r| r.ok()), b"+OK\r\n");
        assert_eq!(with(2, |r| r.int(-42)), b":-42\r\n");
        assert_eq!(with(2, |r| r.int(1)), b":1\r\n");
        assert_eq!(with(2, |r| r.bulk(b"hi")), b"$2\r\nhi\r\n");
        assert_eq!(with(2, |r| r.bulk(b"")), b"$0\r\n\r\n");
        assert_eq!(
            with(2, |r| r.bulk_i64(i64::MIN)),
            b"$20\r\n-9223372036854775808\r\n"
        );
        assert_eq!(with(2, |r| r.null()), b"$-1\r\n");
        assert_eq!(with(2, |r| r.null_array()), b"*-1\r\n");
        assert_eq!(with(2, |r| r.map(2)), b"*4\r\n");
        assert_eq!(with(2, |r| r.verbatim(b"a")), b"$1\r\na\r\n");
        assert_eq!(with(2, |r| r.error(b"ERR a\r\nb")), b"-ERR a  b\r\n");
        assert_eq!(with(2, |r| r.double(1.5)), b"$3\r\n1.5\r\n");
        assert_eq!(with(2, |r| r.double(f64::NEG_INFINITY)), b"$4\r\n-inf\r\n");
        assert_eq!(
            with(2, |r| {
                r.pairs(2);
                r.pair()
            }),
            b"*4\r\n"
        );
    }

    #[test]
    fn resp3_shapes() {
        assert_eq!(with(3, |r| r.null()), b"_\r\n");
        assert_eq!(with(3, |r| r.map(2)), b"%2\r\n");
        assert_eq!(with(3, |r| r.set(1)), b"~1\r\n");
        assert_eq!(with(3, |r| r.verbatim(b"ab")), b"=6\r\ntxt:ab\r\n");
        assert_eq!(with(3, |r| r.double(1.1)), b",1.1000000000000001\r\n");
        assert_eq!(with(3, |r| r.double(f64::INFINITY)), b",inf\r\n");
        assert_eq!(
            with(3, |r| {
                r.pairs(2);
                r.pair()
            }),
            b"*2\r\n*2\r\n"
        );
        assert_eq!(with(3, |r| r.boolean(true)), b"#t\r\n");
        assert_eq!(with(2, |r| r.boolean(false)), b":0\r\n");
    }

    #[test]
    fn truncate_and_switch_protocol() {
        let out = with(2, |r| {
            r.ok();
            let mark = r.len();
            r.bulk(b"dropped");
            r.truncate(mark);
            r.set_proto(3);
            r.null();
        });
        assert_eq!(out, b"+OK\r\n_\r\n");
    }
}
