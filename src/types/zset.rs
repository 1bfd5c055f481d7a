//! The sorted set type, in Redis 7.0's two encodings: `listpack` (a
//! [`ZPack`], one allocation) while it has at most
//! `zset-max-listpack-entries` members of at most
//! `zset-max-listpack-value` bytes, then `skiplist`: a member -> score
//! [`Dict`] beside a [`SkipList`] ordered by (score, member).
//!
//! Commands address elements through ranks: every range (by rank, score
//! or lex) is turned into a half-open rank interval in O(log n), then
//! emitted, counted or removed, so both encodings share one code path.

use crate::db::dict::Dict;
use crate::db::key::Key;
use crate::types::set::{RETIRED_SLICE, Rng};
use crate::types::skiplist::{NIL, SkipList};
use crate::types::zpack::ZPack;
use crate::util::float::parse_bound_value;

/// The conversion thresholds (`zset-max-listpack-entries`, `-value`).
#[derive(Clone, Copy, Debug)]
pub struct ZLimits {
    pub max_entries: usize,
    pub max_value: usize,
}

impl Default for ZLimits {
    fn default() -> Self {
        ZLimits {
            max_entries: 128,
            max_value: 64,
        }
    }
}

#[derive(Default)]
pub struct SkipZ {
    dict: Dict<f64>,
    zsl: SkipList,
}

impl Clone for SkipZ {
    fn clone(&self) -> Self {
        let mut dict = Dict::new();
        self.dict.for_each(|k, v| {
            let h = dict.hash(k.as_bytes());
            dict.insert_new(h, k.clone(), *v);
        });
        SkipZ {
            dict,
            zsl: self.zsl.clone(),
        }
    }
}

#[derive(Clone)]
pub enum ZSet {
    Pack(ZPack),
    /// Boxed: a small set should not carry the large one's header.
    Skip(Box<SkipZ>),
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet::Pack(ZPack::new())
    }
}

/// A score interval (`ZRANGEBYSCORE` bounds, `(` for exclusive).
#[derive(Clone, Copy, Debug)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

impl ScoreRange {
    /// Redis's `zslParseRange`; None means "min or max is not a float".
    pub fn parse(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
        let bound = |s: &[u8]| -> Option<(f64, bool)> {
            match s.strip_prefix(b"(") {
                Some(rest) => Some((parse_bound_value(rest)?, true)),
                None => Some((parse_bound_value(s)?, false)),
            }
        };
        let (min, minex) = bound(min)?;
        let (max, maxex) = bound(max)?;
        Some(ScoreRange {
            min,
            max,
            minex,
            maxex,
        })
    }

    #[inline]
    pub fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    #[inline]
    pub fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }

    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LexBound<'a> {
    NegInf,
    PosInf,
    Incl(&'a [u8]),
    Excl(&'a [u8]),
}

impl<'a> LexBound<'a> {
    fn parse(s: &'a [u8]) -> Option<LexBound<'a>> {
        match s {
            b"-" => Some(LexBound::NegInf),
            b"+" => Some(LexBound::PosInf),
            [b'[', rest @ ..] => Some(LexBound::Incl(rest)),
            [b'(', rest @ ..] => Some(LexBound::Excl(rest)),
            _ => None,
        }
    }
}

/// A member interval (`ZRANGEBYLEX`: `[`/`(` bounds, `-` and `+`).
#[derive(Clone, Copy, Debug)]
pub struct LexRange<'a> {
    pub min: LexBound<'a>,
    pub max: LexBound<'a>,
}

impl<'a> LexRange<'a> {
    /// Redis's `zslParseLexRange`; None means "not valid string range item".
    pub fn parse(min: &'a [u8], max: &'a [u8]) -> Option<LexRange<'a>> {
        Some(LexRange {
            min: LexBound::parse(min)?,
            max: LexBound::parse(max)?,
        })
    }

    pub fn gte_min(&self, m: &[u8]) -> bool {
        match self.min {
            LexBound::NegInf => true,
            LexBound::PosInf => false,
            LexBound::Incl(b) => m >= b,
            LexBound::Excl(b) => m > b,
        }
    }

    pub fn lte_max(&self, m: &[u8]) -> bool {
        match self.max {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(b) => m <= b,
            LexBound::Excl(b) => m < b,
        }
    }
}

/// What an add did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    New,
    Updated,
    Same,
}

impl ZSet {
    pub fn new() -> ZSet {
        ZSet::default()
    }

    /// An empty set already in the `skiplist` encoding: how Redis builds
    /// ZUNIONSTORE's result (which keeps a -0 score -0, unlike a listpack).
    pub fn new_skip() -> ZSet {
        ZSet::Skip(Box::default())
    }

    pub fn len(&self) -> usize {
        match self {
            ZSet::Pack(p) => p.len(),
            ZSet::Skip(s) => s.zsl.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            ZSet::Pack(_) => "listpack",
            ZSet::Skip(_) => "skiplist",
        }
    }

    pub fn score(&self, m: &[u8]) -> Option<f64> {
        match self {
            ZSet::Pack(p) => p.find(m).map(|(_, e)| e.score),
            ZSet::Skip(s) => s.dict.get(m).copied(),
        }
    }

    /// Sets `m`'s score, inserting it if absent; converts to `skiplist`
    /// past the limits.
    pub fn set(&mut self, m: &[u8], score: f64, limits: ZLimits) -> Added {
        if let ZSet::Pack(p) = self {
            if let Some((_, e)) = p.find(m) {
                if e.score == score {
                    return Added::Same;
                }
                let (start, end) = (e.start, e.end);
                p.remove_span(start, end);
                p.insert(score, m);
                return Added::Updated;
            }
            if p.len() < limits.max_entries && m.len() <= limits.max_value {
                p.insert(score, m);
                return Added::New;
            }
            self.convert_to_skip();
        }
        let ZSet::Skip(s) = self else {
            unreachable!("converted above")
        };
        let h = s.dict.hash(m);
        match s.dict.get_hashed_mut(h, m) {
            Some(old) => {
                if *old == score {
                    return Added::Same;
                }
                let prev = std::mem::replace(old, score);
                let key = s.zsl.delete(prev, m).unwrap_or_else(|| Key::from(m));
                s.zsl.insert(score, key);
                Added::Updated
            }
            None => {
                s.dict.insert_new(h, Key::from(m), score);
                s.dict.release_retired(RETIRED_SLICE);
                s.zsl.insert(score, Key::from(m));
                Added::New
            }
        }
    }

    fn convert_to_skip(&mut self) {
        if let ZSet::Pack(p) = self {
            let mut s = SkipZ::default();
            for e in p.iter() {
                let h = s.dict.hash(e.member);
                s.dict.insert_new(h, Key::from(e.member), e.score);
                s.zsl.insert(e.score, Key::from(e.member));
            }
            *self = ZSet::Skip(Box::new(s));
        }
    }

    /// A freshly built set (a STORE result) goes back to `listpack` when
    /// small enough, as Redis's `zsetConvertToListpackIfNeeded`.
    pub fn compact_if_small(&mut self, limits: ZLimits) {
        let ZSet::Skip(s) = self else { return };
        if s.zsl.len() > limits.max_entries {
            return;
        }
        let mut p = ZPack::new();
        let mut x = s.zsl.first();
        while x != NIL {
            if s.zsl.member(x).len() > limits.max_value {
                return;
            }
            // Appended in order: insert at the end is a plain push.
            p.insert(s.zsl.score(x), s.zsl.member(x));
            x = s.zsl.next(x);
        }
        *self = ZSet::Pack(p);
    }

    pub fn remove(&mut self, m: &[u8]) -> bool {
        match self {
            ZSet::Pack(p) => p.remove(m).is_some(),
            ZSet::Skip(s) => match s.dict.remove(m) {
                Some((_, score)) => {
                    s.zsl.delete(score, m);
                    s.dict.shrink_if_needed();
                    s.dict.release_retired(RETIRED_SLICE);
                    true
                }
                None => false,
            },
        }
    }

    /// 0-based ascending rank of `m`.
    pub fn rank(&self, m: &[u8]) -> Option<usize> {
        match self {
            ZSet::Pack(p) => p.find(m).map(|(r, _)| r),
            ZSet::Skip(s) => {
                let score = *s.dict.get(m)?;
                s.zsl.rank(score, m)
            }
        }
    }

    /// Number of leading elements (ascending) for which `before` holds.
    fn count_where(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        match self {
            ZSet::Pack(p) => p.count_where(before),
            ZSet::Skip(s) => s.zsl.count_where(before),
        }
    }

    /// The ranks `[lo, hi)` of the elements inside `r`.
    pub fn score_span(&self, r: &ScoreRange) -> (usize, usize) {
        if r.is_empty() {
            return (0, 0);
        }
        let (lo, hi) = match self {
            ZSet::Pack(p) => (
                p.count_where(|s, _| !r.gte_min(s)),
                p.count_where(|s, _| r.lte_max(s)),
            ),
            ZSet::Skip(z) => (
                z.zsl.count_where_score(|s| !r.gte_min(s)),
                z.zsl.count_where_score(|s| r.lte_max(s)),
            ),
        };
        (lo, hi.max(lo))
    }

    /// The ranks `[lo, hi)` of the elements inside `r` (meaningful when
    /// all scores are equal, as in Redis).
    pub fn lex_span(&self, r: &LexRange) -> (usize, usize) {
        let lo = self.count_where(|_, m| !r.gte_min(m));
        let hi = self.count_where(|_, m| r.lte_max(m));
        (lo, hi.max(lo))
    }

    /// Calls `f` for the elements of ranks `[lo, hi)`, ascending, or
    /// descending when `rev`.
    pub fn emit(&self, lo: usize, hi: usize, rev: bool, mut f: impl FnMut(&[u8], f64)) {
        if lo >= hi {
            return;
        }
        match self {
            ZSet::Pack(p) => {
                if rev {
                    let entries: Vec<_> = p.iter().skip(lo).take(hi - lo).collect();
                    for e in entries.iter().rev() {
                        f(e.member, e.score);
                    }
                } else {
                    for e in p.iter().skip(lo).take(hi - lo) {
                        f(e.member, e.score);
                    }
                }
            }
            ZSet::Skip(s) => {
                let z = &s.zsl;
                let mut x = z.by_rank(if rev { hi - 1 } else { lo });
                for _ in lo..hi {
                    if x == NIL {
                        break;
                    }
                    f(z.member(x), z.score(x));
                    x = if rev { z.prev(x) } else { z.next(x) };
                }
            }
        }
    }

    /// The element at 0-based ascending `rank`.
    pub fn at_rank(&self, rank: usize, f: impl FnOnce(&[u8], f64)) {
        let mut f = Some(f);
        self.emit(rank, rank + 1, false, |m, s| {
            if let Some(f) = f.take() {
                f(m, s)
            }
        });
    }

    /// Removes the elements of ranks `[lo, hi)`; returns how many.
    pub fn remove_ranks(&mut self, lo: usize, hi: usize) -> usize {
        if lo >= hi {
            return 0;
        }
        match self {
            ZSet::Pack(p) => p.delete_ranks(lo, hi - lo),
            ZSet::Skip(s) => {
                let dict = &mut s.dict;
                let n = s.zsl.delete_ranks(lo, hi - lo, |k, _| {
                    dict.remove(k.as_bytes());
                });
                dict.shrink_if_needed();
                dict.release_retired(RETIRED_SLICE);
                n
            }
        }
    }

    /// Removes the lowest (`min`) or highest element, showing it to `f`
    /// first (ZPOPMIN, ZPOPMAX, ZMPOP; BZPOPMIN and BZPOPMAX build on it).
    pub fn pop_with(&mut self, min: bool, f: impl FnOnce(&[u8], f64)) -> bool {
        let n = self.len();
        if n == 0 {
            return false;
        }
        let rank = if min { 0 } else { n - 1 };
        match self {
            ZSet::Pack(p) => {
                let Some(e) = (if min { p.first() } else { p.last() }) else {
                    return false;
                };
                f(e.member, e.score);
                let (start, end) = (e.start, e.end);
                p.remove_span(start, end);
            }
            ZSet::Skip(_) => {
                self.at_rank(rank, f);
                self.remove_ranks(rank, rank + 1);
            }
        }
        true
    }

    /// Removes and returns the lowest (`min`) or highest element.
    pub fn pop(&mut self, min: bool) -> Option<(Vec<u8>, f64)> {
        let mut out = None;
        self.pop_with(min, |m, s| out = Some((m.to_vec(), s)));
        out
    }

    /// Calls `f` for every element, ascending.
    pub fn for_each(&self, f: impl FnMut(&[u8], f64)) {
        self.emit(0, self.len(), false, f);
    }

    /// A random rank (the set must not be empty).
    pub fn random_rank(&self, rng: &mut Rng) -> usize {
        rng.below(self.len())
    }

    /// One ZSCAN step: a `listpack` set is returned whole (cursor 0).
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], f64)) -> u64 {
        match self {
            ZSet::Pack(p) => {
                for e in p.iter() {
                    f(e.member, e.score);
                }
                0
            }
            ZSet::Skip(s) => s.dict.scan(cursor, |k, v| f(k.as_bytes(), *v)),
        }
    }

    pub fn heap_size(&self) -> usize {
        match self {
            ZSet::Pack(p) => p.heap_size(),
            ZSet::Skip(s) => {
                s.zsl.heap_size()
                    + s.dict.len() * (std::mem::size_of::<crate::db::dict::Node<f64>>() + 16)
                    + s.dict.buckets() * 8
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(n: usize) -> ZLimits {
        ZLimits {
            max_entries: n,
            max_value: 64,
        }
    }

    fn collect(z: &ZSet, lo: usize, hi: usize, rev: bool) -> Vec<(String, f64)> {
        let mut v = Vec::new();
        z.emit(lo, hi, rev, |m, s| {
            v.push((String::from_utf8(m.to_vec()).unwrap(), s))
        });
        v
    }

    #[test]
    fn both_encodings_agree() {
        let mut a = ZSet::new();
        let mut b = ZSet::new();
        for i in 0..300 {
            let m = format!("m{:03}", (i * 37) % 300);
            let s = ((i * 37) % 300 / 3) as f64;
            a.set(m.as_bytes(), s, limits(1000));
            b.set(m.as_bytes(), s, limits(10));
        }
        assert_eq!(a.encoding(), "listpack");
        assert_eq!(b.encoding(), "skiplist");
        assert_eq!(collect(&a, 0, 300, false), collect(&b, 0, 300, false));
        assert_eq!(collect(&a, 10, 20, true), collect(&b, 10, 20, true));
        let r = ScoreRange::parse(b"(10", b"20").unwrap();
        assert_eq!(a.score_span(&r), b.score_span(&r));
        assert_eq!(a.score_span(&r), (33, 63));
        assert_eq!(a.rank(b"m150"), b.rank(b"m150"));
        assert_eq!(b.set(b"m150", 1000.0, limits(10)), Added::Updated);
        assert_eq!(b.set(b"m150", 1000.0, limits(10)), Added::Same);
        assert_eq!(b.rank(b"m150"), Some(299));
        assert_eq!(a.remove_ranks(0, 10), 10);
        assert_eq!(b.remove_ranks(0, 10), 10);
        assert_eq!(a.len(), 290);
        assert_eq!(b.score(b"m000"), None);
        assert_eq!(a.pop(true), b.pop(true));
        assert_eq!(b.pop(false), Some((b"m150".to_vec(), 1000.0)));
        b.compact_if_small(limits(1000));
        assert_eq!(b.encoding(), "listpack");
    }

    #[test]
    fn lex_ranges() {
        let mut z = ZSet::new();
        for m in ["a", "b", "c", "d", "e"] {
            z.set(m.as_bytes(), 0.0, limits(128));
        }
        let r = LexRange::parse(b"[b", b"(d").unwrap();
        assert_eq!(z.lex_span(&r), (1, 3));
        let r = LexRange::parse(b"-", b"+").unwrap();
        assert_eq!(z.lex_span(&r), (0, 5));
        let r = LexRange::parse(b"+", b"-").unwrap();
        assert_eq!(z.lex_span(&r), (5, 5));
        assert!(LexRange::parse(b"b", b"+").is_none());
    }
}
