//! A small sorted set in one contiguous allocation: Redis's `listpack`
//! idea. Entries are kept in (score, member) order, each as a varint
//! member length, the member's bytes, then the score: a varint holding a
//! zigzagged integer (scores that are integers below 2^53, the common
//! case, take 1 to 3 bytes) or a marker and the 8 bytes of the double.
//! Every operation is a linear walk, which is cheap below the
//! `zset-max-listpack-entries` threshold (128 by default). The buffer is
//! sized exactly and reallocated on every change, as Redis's listpack, so
//! a small sorted set costs its bytes and lives inside the key's entry.

use std::cmp::Ordering;

use crate::types::skiplist::cmp_entry;

#[derive(Clone, Default)]
pub struct ZPack {
    buf: Box<[u8]>,
    len: u32,
}

/// One decoded entry and its byte span in the buffer.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    pub member: &'a [u8],
    pub score: f64,
    pub start: usize,
    pub end: usize,
}

/// Largest magnitude stored as an integer: every integer up to 2^53 is
/// an exact double.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
/// Varint marker for "the 8 bytes of a double follow".
const DOUBLE_MARK: u64 = 1;

/// Longest varint: 64 bits in 7-bit groups.
const VARINT_MAX: usize = 10;

/// Writes `v` as a varint at the start of `out`; returns its length.
fn put_varint(out: &mut [u8], mut v: u64) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        out[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    out[n] = v as u8;
    n + 1
}

#[inline]
fn get_varint(buf: &[u8], mut pos: usize) -> (u64, usize) {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = buf[pos];
        pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return (v, pos);
        }
        shift += 7;
    }
}

/// Encodes a score at the start of `out`; returns its length.
fn put_score(out: &mut [u8; VARINT_MAX + 8], s: f64) -> usize {
    // -0 becomes 0, as in Redis's listpack, which stores it as text "0".
    if s == s.trunc() && s.abs() < MAX_EXACT {
        let i = s as i64;
        let zz = ((i << 1) ^ (i >> 63)) as u64;
        put_varint(out, zz << 1)
    } else {
        let n = put_varint(out, DOUBLE_MARK);
        out[n..n + 8].copy_from_slice(&s.to_le_bytes());
        n + 8
    }
}

impl ZPack {
    pub fn new() -> Self {
        Self::default()
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn entry_at(&self, start: usize) -> Entry<'_> {
        let (mlen, p) = get_varint(&self.buf, start);
        let mend = p + mlen as usize;
        let member = &self.buf[p..mend];
        let (tag, p) = get_varint(&self.buf, mend);
        let (score, end) = if tag == DOUBLE_MARK {
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.buf[p..p + 8]);
            (f64::from_le_bytes(b), p + 8)
        } else {
            let zz = tag >> 1;
            let i = ((zz >> 1) as i64) ^ -((zz & 1) as i64);
            (i as f64, p)
        };
        Entry {
            member,
            score,
            start,
            end,
        }
    }

    /// Entries in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = Entry<'_>> + '_ {
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= self.buf.len() {
                return None;
            }
            let e = self.entry_at(pos);
            pos = e.end;
            Some(e)
        })
    }

    /// The entry of `member` and its 0-based rank.
    pub fn find(&self, member: &[u8]) -> Option<(usize, Entry<'_>)> {
        self.iter().enumerate().find(|(_, e)| e.member == member)
    }

    pub fn at_rank(&self, rank: usize) -> Option<Entry<'_>> {
        self.iter().nth(rank)
    }

    pub fn first(&self) -> Option<Entry<'_>> {
        self.iter().next()
    }

    pub fn last(&self) -> Option<Entry<'_>> {
        self.iter().last()
    }

    /// Inserts an absent member in order.
    pub fn insert(&mut self, score: f64, member: &[u8]) {
        let at = self
            .iter()
            .find(|e| cmp_entry(e.score, e.member, score, member) == Ordering::Greater)
            .map_or(self.buf.len(), |e| e.start);
        let mut head = [0u8; VARINT_MAX];
        let hn = put_varint(&mut head, member.len() as u64);
        let mut tail = [0u8; VARINT_MAX + 8];
        let tn = put_score(&mut tail, score);
        let mut b = std::mem::take(&mut self.buf).into_vec();
        b.reserve_exact(hn + member.len() + tn);
        // One realloc and one move of the bytes after `at`.
        let entry = head[..hn].iter().chain(member).chain(&tail[..tn]);
        b.splice(at..at, entry.copied());
        self.buf = b.into_boxed_slice();
        self.len += 1;
    }

    /// Removes the entry spanning `start..end`.
    pub fn remove_span(&mut self, start: usize, end: usize) {
        self.cut(start, end);
        self.len -= 1;
    }

    /// Removes `member`; its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let (_, e) = self.find(member)?;
        let (s, start, end) = (e.score, e.start, e.end);
        self.remove_span(start, end);
        Some(s)
    }

    /// Number of leading entries for which `before` holds.
    pub fn count_where(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.iter()
            .take_while(|e| before(e.score, e.member))
            .count()
    }

    /// Removes `n` entries from 0-based rank `lo` on; returns how many.
    pub fn delete_ranks(&mut self, lo: usize, n: usize) -> usize {
        let mut span: Option<(usize, usize)> = None;
        let mut k = 0;
        for e in self.iter().skip(lo).take(n) {
            span = Some((span.map_or(e.start, |s| s.0), e.end));
            k += 1;
        }
        if let Some((s, e)) = span {
            self.cut(s, e);
            self.len -= k as u32;
        }
        k
    }

    /// Removes the bytes `start..end`, shrinking the buffer to fit.
    fn cut(&mut self, start: usize, end: usize) {
        let mut b = std::mem::take(&mut self.buf).into_vec();
        b.drain(start..end);
        self.buf = b.into_boxed_slice();
    }

    pub fn heap_size(&self) -> usize {
        self.buf.len()
    }

    /// Longest member (to decide on conversions).
    pub fn max_member_len(&self) -> usize {
        self.iter().map(|e| e.member.len()).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_entries_and_scores_round_trip() {
        let mut p = ZPack::new();
        let scores = [
            3.0,
            -1.5,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            9007199254740993.0,
            -7.0,
        ];
        for (i, s) in scores.iter().enumerate() {
            p.insert(*s, format!("m{i}").as_bytes());
        }
        assert_eq!(p.len(), scores.len());
        let got: Vec<f64> = p.iter().map(|e| e.score).collect();
        let mut want = scores.to_vec();
        want.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(got, want);
        let (rank, e) = p.find(b"m5").unwrap();
        assert!(
            e.score == 0.0 && e.score.is_sign_positive(),
            "-0 stored as 0"
        );
        assert_eq!(rank, 3);
        assert_eq!(p.remove(b"m0"), Some(3.0));
        assert_eq!(p.remove(b"m0"), None);
        assert_eq!(p.len(), scores.len() - 1);
        assert_eq!(p.count_where(|s, _| s < 0.0), 3);
        assert_eq!(p.delete_ranks(3, 2), 2);
        assert_eq!(p.delete_ranks(5, 2), 1);
        assert_eq!(p.iter().count(), 5);
        assert_eq!(p.len(), 5);
    }

    #[test]
    fn ties_by_member() {
        let mut p = ZPack::new();
        for m in ["c", "a", "b"] {
            p.insert(1.0, m.as_bytes());
        }
        let ms: Vec<&[u8]> = p.iter().map(|e| e.member).collect();
        assert_eq!(ms, vec![&b"a"[..], b"b", b"c"]);
    }
}
