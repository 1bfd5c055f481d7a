//! Request parsing in place: RESP multibulk and inline commands.
//!
//! The parser never copies an argument. A parsed command is a list of byte
//! ranges into the connection's read buffer, relative to the start of the
//! frame, so the buffer may be compacted between reads while a frame is
//! still arriving. An incomplete frame is a normal outcome: the parser keeps
//! what it has already sized (argument count, the ranges found, the length
//! of the bulk it waits for) and resumes there, so a large value arriving
//! in pieces is scanned once.

use memchr::memchr;

use crate::util::num::parse_i64;

/// Longest inline request, and longest `*N`/`$N` header line, as Redis's
/// `PROTO_INLINE_MAX_SIZE` (64 KiB).
pub const INLINE_MAX: usize = 64 * 1024;

/// Cap on the argument vector reserved up front from an untrusted `*N`
/// header; it grows past this only as arguments actually arrive.
const ARGS_PREALLOC_MAX: usize = 1024;

/// A protocol violation; the text is Redis's, the connection is closed
/// after the reply is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    TooBigInline,
    UnbalancedQuotes,
    TooBigMbulkCount,
    InvalidMultibulkLen,
    TooBigBulkCount,
    ExpectedDollar(u8),
    InvalidBulkLen,
}

impl ParseError {
    /// Writes the full error reply (`-ERR Protocol error: ...\r\n`).
    pub fn write_reply(self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"-ERR Protocol error: ");
        match self {
            ParseError::TooBigInline => out.extend_from_slice(b"too big inline request"),
            ParseError::UnbalancedQuotes => out.extend_from_slice(b"unbalanced quotes in request"),
            ParseError::TooBigMbulkCount => out.extend_from_slice(b"too big mbulk count string"),
            ParseError::InvalidMultibulkLen => out.extend_from_slice(b"invalid multibulk length"),
            ParseError::TooBigBulkCount => out.extend_from_slice(b"too big bulk count string"),
            ParseError::ExpectedDollar(c) => {
                out.extend_from_slice(b"expected '$', got '");
                out.push(c);
                out.push(b'\'');
            }
            ParseError::InvalidBulkLen => out.extend_from_slice(b"invalid bulk length"),
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// What one call to [`Parser::parse`] found at the front of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    /// A whole command of `consumed` bytes; its arguments are in
    /// [`Parser::args`].
    Command { consumed: usize },
    /// Bytes to drop without running anything (`*0`, `*-1`, a blank line).
    Skip { consumed: usize },
    /// The frame is not complete. `need` is the total frame size when it is
    /// known (a large bulk being received). The server does not size its
    /// buffer from it: memory is committed only as bytes arrive.
    Incomplete { need: Option<usize> },
}

#[derive(Debug, Default)]
pub struct Parser {
    /// Arguments of the current frame: (start, end) relative to the frame.
    args: Vec<(usize, usize)>,
    /// Arguments announced by `*N`; 0 while no multibulk frame is open.
    argc: usize,
    /// Where scanning resumes, relative to the frame.
    cursor: usize,
    /// Length of the bulk whose `$N` header was read but whose data has not
    /// fully arrived.
    bulk_len: Option<usize>,
}

impl Parser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Arguments of the last command returned by [`parse`](Self::parse),
    /// as ranges into the frame it was given.
    pub fn args(&self) -> &[(usize, usize)] {
        &self.args
    }

    /// Forgets a partly parsed frame (a look-ahead parser starts afresh).
    pub fn reset(&mut self) {
        self.args.clear();
        self.argc = 0;
        self.cursor = 0;
        self.bulk_len = None;
    }

    /// True while a frame is partly parsed.
    pub fn in_frame(&self) -> bool {
        self.argc != 0 || self.cursor != 0
    }

    /// Parses one request from the front of `buf`. `buf` must start where
    /// the previous call's frame started (or just after the bytes it
    /// consumed). Inline arguments are unescaped in place, hence `&mut`.
    pub fn parse(&mut self, buf: &mut [u8], max_bulk: usize) -> Result<Parsed, ParseError> {
        if self.argc == 0 {
            self.args.clear();
            self.cursor = 0;
            match buf.first() {
                None => return Ok(Parsed::Incomplete { need: None }),
                Some(b'*') => {}
                Some(_) => return self.parse_inline(buf),
            }
            let Some(nl) = memchr(b'\r', buf) else {
                return if buf.len() > INLINE_MAX {
                    Err(ParseError::TooBigMbulkCount)
                } else {
                    Ok(Parsed::Incomplete { need: None })
                };
            };
            if nl + 1 >= buf.len() {
                // The '\n' after '\r' has not arrived yet.
                return Ok(Parsed::Incomplete { need: None });
            }
            let count = parse_i64(&buf[1..nl]).ok_or(ParseError::InvalidMultibulkLen)?;
            if count > i32::MAX as i64 {
                return Err(ParseError::InvalidMultibulkLen);
            }
            if count <= 0 {
                return Ok(Parsed::Skip { consumed: nl + 2 });
            }
            self.argc = count as usize;
            self.args.reserve(self.argc.min(ARGS_PREALLOC_MAX));
            self.cursor = nl + 2;
        }
        self.parse_multibulk(buf, max_bulk)
    }

    fn parse_multibulk(&mut self, buf: &[u8], max_bulk: usize) -> Result<Parsed, ParseError> {
        while self.args.len() < self.argc {
            let len = match self.bulk_len {
                Some(len) => len,
                None => {
                    let rest = &buf[self.cursor..];
                    let Some(nl) = memchr(b'\r', rest) else {
                        return if rest.len() > INLINE_MAX {
                            Err(ParseError::TooBigBulkCount)
                        } else {
                            Ok(Parsed::Incomplete { need: None })
                        };
                    };
                    if nl + 1 >= rest.len() {
                        return Ok(Parsed::Incomplete { need: None });
                    }
                    if rest[0] != b'$' {
                        return Err(ParseError::ExpectedDollar(rest[0]));
                    }
                    let len = parse_i64(&rest[1..nl]).ok_or(ParseError::InvalidBulkLen)?;
                    if len < 0 || len as u64 > max_bulk as u64 {
                        return Err(ParseError::InvalidBulkLen);
                    }
                    self.cursor += nl + 2;
                    self.bulk_len = Some(len as usize);
                    len as usize
                }
            };
            let end = self.cursor + len;
            // As Redis, the two bytes after the data are skipped unchecked.
            if buf.len() < end + 2 {
                return Ok(Parsed::Incomplete {
                    need: Some(end + 2),
                });
            }
            self.args.push((self.cursor, end));
            self.cursor = end + 2;
            self.bulk_len = None;
        }
        let consumed = self.cursor;
        self.argc = 0;
        self.cursor = 0;
        Ok(Parsed::Command { consumed })
    }

    fn parse_inline(&mut self, buf: &mut [u8]) -> Result<Parsed, ParseError> {
        let Some(nl) = memchr(b'\n', buf) else {
            return if buf.len() > INLINE_MAX {
                Err(ParseError::TooBigInline)
            } else {
                Ok(Parsed::Incomplete { need: None })
            };
        };
        let line_end = if nl > 0 && buf[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        split_inline(&mut buf[..line_end], &mut self.args)?;
        let consumed = nl + 1;
        if self.args.is_empty() {
            Ok(Parsed::Skip { consumed })
        } else {
            Ok(Parsed::Command { consumed })
        }
    }
}

/// Splits an inline request line into arguments the way redis-cli and
/// Redis's `sdssplitargs` do: spaces separate, `"..."` takes C-style
/// escapes (`\n`, `\xHH`, ...), `'...'` takes only `\'`, and a closing quote
/// must be followed by a space or the end. Unescaped bytes are written back
/// into `line` itself (never longer than the escaped text), so each argument
/// is still a range of the read buffer.
fn split_inline(line: &mut [u8], args: &mut Vec<(usize, usize)>) -> Result<(), ParseError> {
    let n = line.len();
    let mut i = 0;
    loop {
        while i < n && is_space(line[i]) {
            i += 1;
        }
        if i == n {
            return Ok(());
        }
        let start = i;
        let mut w = i; // write position for unescaped bytes
        let mut in_dq = false;
        let mut in_sq = false;
        loop {
            if in_dq {
                if i == n {
                    return Err(ParseError::UnbalancedQuotes);
                }
                if line[i] == b'\\'
                    && i + 3 < n
                    && line[i + 1] == b'x'
                    && line[i + 2].is_ascii_hexdigit()
                    && line[i + 3].is_ascii_hexdigit()
                {
                    line[w] = hex(line[i + 2]) * 16 + hex(line[i + 3]);
                    i += 4;
                } else if line[i] == b'\\' && i + 1 < n {
                    line[w] = match line[i + 1] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        c => c,
                    };
                    i += 2;
                } else if line[i] == b'"' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return Err(ParseError::UnbalancedQuotes);
                    }
                    i += 1;
                    break;
                } else {
                    line[w] = line[i];
                    i += 1;
                }
                w += 1;
            } else if in_sq {
                if i == n {
                    return Err(ParseError::UnbalancedQuotes);
                }
                if line[i] == b'\\' && i + 1 < n && line[i + 1] == b'\'' {
                    line[w] = b'\'';
                    i += 2;
                } else if line[i] == b'\'' {
                    if i + 1 < n && !is_space(line[i + 1]) {
                        return Err(ParseError::UnbalancedQuotes);
                    }
                    i += 1;
                    break;
                } else {
                    line[w] = line[i];
                    i += 1;
                }
                w += 1;
            } else {
                if i == n {
                    break;
                }
                match line[i] {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        i += 1;
                        break;
                    }
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    c => {
                        line[w] = c;
                        w += 1;
                    }
                }
                i += 1;
            }
        }
        args.push((start, w));
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// The arguments of one command: borrowed ranges of the read buffer.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    buf: &'a [u8],
    ranges: &'a [(usize, usize)],
}

impl<'a> Args<'a> {
    pub fn new(buf: &'a [u8], ranges: &'a [(usize, usize)]) -> Self {
        Args { buf, ranges }
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Argument `i`; index 0 is the command name.
    #[inline]
    pub fn get(&self, i: usize) -> &'a [u8] {
        let (s, e) = self.ranges[i];
        &self.buf[s..e]
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.ranges.iter().map(|&(s, e)| &self.buf[s..e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: usize = 512 * 1024 * 1024;

    fn parse_all(input: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ParseError> {
        let mut p = Parser::new();
        let mut buf = input.to_vec();
        let mut pos = 0;
        let mut out = Vec::new();
        loop {
            match p.parse(&mut buf[pos..], MAX)? {
                Parsed::Command { consumed } => {
                    let frame = &buf[pos..];
                    out.push(
                        p.args()
                            .iter()
                            .map(|&(s, e)| frame[s..e].to_vec())
                            .collect(),
                    );
                    pos += consumed;
                }
                Parsed::Skip { consumed } => pos += consumed,
                Parsed::Incomplete { .. } => return Ok(out),
            }
        }
    }

    fn strs(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn multibulk_pipeline() {
        let got =
            parse_all(b"*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n").unwrap();
        assert_eq!(got, vec![strs(&["PING"]), strs(&["SET", "k", ""])]);
    }

    #[test]
    fn empty_and_negative_multibulk_are_skipped() {
        let got = parse_all(b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n").unwrap();
        assert_eq!(got, vec![strs(&["PING"])]);
    }

    #[test]
    fn byte_by_byte_resumes() {
        let input = b"*2\r\n$3\r\nGET\r\n$5\r\nhello\r\n";
        let mut p = Parser::new();
        let mut buf = Vec::new();
        for (i, &b) in input.iter().enumerate() {
            buf.push(b);
            let r = p.parse(&mut buf, MAX).unwrap();
            if i + 1 < input.len() {
                assert!(matches!(r, Parsed::Incomplete { .. }), "at {i}: {r:?}");
            } else {
                assert_eq!(
                    r,
                    Parsed::Command {
                        consumed: input.len()
                    }
                );
                let args: Vec<&[u8]> = p.args().iter().map(|&(s, e)| &buf[s..e]).collect();
                assert_eq!(args, vec![&b"GET"[..], b"hello"]);
            }
        }
    }

    #[test]
    fn large_bulk_reports_its_size_once_known() {
        let mut p = Parser::new();
        let mut buf = b"*2\r\n$3\r\nSET\r\n$100000\r\nabc".to_vec();
        let r = p.parse(&mut buf, MAX).unwrap();
        assert_eq!(
            r,
            Parsed::Incomplete {
                need: Some(13 + 9 + 100_000 + 2)
            }
        );
        // The header is not scanned again: the parser resumes at the data.
        assert_eq!(p.bulk_len, Some(100_000));
    }

    #[test]
    fn reset_forgets_a_partial_frame() {
        let mut p = Parser::new();
        assert!(matches!(
            p.parse(&mut b"*2\r\n$3\r\nGET".to_vec(), MAX),
            Ok(Parsed::Incomplete { .. })
        ));
        p.reset();
        assert!(!p.in_frame());
        assert_eq!(
            p.parse(&mut b"*1\r\n$4\r\nPING\r\n".to_vec(), MAX),
            Ok(Parsed::Command { consumed: 14 })
        );
    }

    #[test]
    fn inline_commands() {
        assert_eq!(parse_all(b"PING\r\n").unwrap(), vec![strs(&["PING"])]);
        assert_eq!(
            parse_all(b"set a b\n").unwrap(),
            vec![strs(&["set", "a", "b"])]
        );
        assert_eq!(
            parse_all(b"SET k \"a b\\x41\\n\" 'it\\'s'\r\n").unwrap(),
            vec![strs(&["SET", "k", "a bA\n", "it's"])]
        );
        assert_eq!(
            parse_all(b"\r\n  \r\nPING\r\n").unwrap(),
            vec![strs(&["PING"])]
        );
    }

    #[test]
    fn protocol_errors() {
        let e = |b: &[u8]| parse_all(b).unwrap_err();
        assert_eq!(e(b"*abc\r\n"), ParseError::InvalidMultibulkLen);
        assert_eq!(e(b"*+1\r\n"), ParseError::InvalidMultibulkLen);
        assert_eq!(e(b"*3000000000\r\n"), ParseError::InvalidMultibulkLen);
        assert_eq!(e(b"*1\r\n+PING\r\n"), ParseError::ExpectedDollar(b'+'));
        assert_eq!(e(b"*1\r\n$-1\r\n"), ParseError::InvalidBulkLen);
        assert_eq!(e(b"*1\r\n$01\r\n"), ParseError::InvalidBulkLen);
        assert_eq!(e(b"SET k \"abc\r\n"), ParseError::UnbalancedQuotes);
        assert_eq!(e(b"SET k \"abc\"x\r\n"), ParseError::UnbalancedQuotes);
        assert_eq!(e(&vec![b'a'; INLINE_MAX + 1]), ParseError::TooBigInline);
        let mut big = b"*".to_vec();
        big.extend(vec![b'1'; INLINE_MAX + 1]);
        assert_eq!(e(&big), ParseError::TooBigMbulkCount);
        let mut p = Parser::new();
        assert_eq!(
            p.parse(&mut b"*1\r\n$11\r\n".to_vec(), 10),
            Err(ParseError::InvalidBulkLen)
        );
    }

    #[test]
    fn error_texts_are_redis() {
        let mut out = Vec::new();
        ParseError::ExpectedDollar(b'x').write_reply(&mut out);
        assert_eq!(out, b"-ERR Protocol error: expected '$', got 'x'\r\n");
    }
}
