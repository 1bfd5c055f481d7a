//! The set type, in Redis 7.0.15's two encodings: `intset` while every
//! member is an integer and there are at most `set-max-intset-entries`
//! of them, then `hashtable` (the keyspace's incrementally rehashed
//! [`Dict`], which also gives SPOP and SRANDMEMBER a random member in
//! O(1) and SSCAN its resize-proof cursor). A set never goes back to
//! `intset`, as in Redis.

use crate::db::dict::Dict;
use crate::db::key::Key;
use crate::resp::Reply;
use crate::types::intset::IntSet;
use crate::util::num::parse_i64;

/// Buckets of a table left behind by a finished resize given back per
/// write (512 KB): a million-member set's old array goes in slices over
/// a few writes instead of in one multi-millisecond unmap.
pub const RETIRED_SLICE: usize = 1 << 16;

pub enum Set {
    Ints(IntSet),
    /// Boxed: a small set should not carry the table's header.
    Table(Box<Dict<()>>),
}

/// A member as stored: an intset integer, or the bytes of a table entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl<'a> Member<'a> {
    /// The member as a bulk string.
    #[inline]
    pub fn reply(self, out: &mut Reply) {
        match self {
            Member::Int(i) => out.bulk_i64(i),
            Member::Str(s) => out.bulk(s),
        }
    }

    /// The member's bytes; an integer is formatted into `tmp`.
    pub fn bytes<'t>(self, tmp: &'t mut itoa::Buffer) -> &'t [u8]
    where
        'a: 't,
    {
        match self {
            Member::Int(i) => tmp.format(i).as_bytes(),
            Member::Str(s) => s,
        }
    }
}

/// A member removed from a set.
pub enum Popped {
    Int(i64),
    Str(Key),
}

impl Popped {
    pub fn as_member(&self) -> Member<'_> {
        match self {
            Popped::Int(i) => Member::Int(*i),
            Popped::Str(k) => Member::Str(k.as_bytes()),
        }
    }
}

impl Clone for Set {
    fn clone(&self) -> Self {
        match self {
            Set::Ints(i) => Set::Ints(i.clone()),
            Set::Table(d) => {
                let mut t = Dict::new();
                d.for_each(|k, _| {
                    let h = t.hash(k.as_bytes());
                    t.insert_new(h, k.clone(), ());
                });
                Set::Table(Box::new(t))
            }
        }
    }
}

impl Default for Set {
    fn default() -> Self {
        Set::Ints(IntSet::new())
    }
}

impl Set {
    /// An empty set in the encoding Redis picks for its first member.
    pub fn new_for(first: &[u8]) -> Set {
        if parse_i64(first).is_some() {
            Set::Ints(IntSet::new())
        } else {
            Set::Table(Box::default())
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Set::Ints(i) => i.len(),
            Set::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Table(_) => "hashtable",
        }
    }

    /// Adds `m`; false if it was already a member. `max_intset` is
    /// `set-max-intset-entries`.
    pub fn add(&mut self, m: &[u8], max_intset: usize) -> bool {
        if let Set::Ints(ints) = self {
            match parse_i64(m) {
                Some(v) => {
                    if !ints.insert(v) {
                        return false;
                    }
                    if ints.len() > max_intset {
                        self.convert_to_table();
                    }
                    return true;
                }
                None => self.convert_to_table(),
            }
        }
        let Set::Table(d) = self else {
            unreachable!("converted to a table above")
        };
        let h = d.hash(m);
        if d.get_hashed(h, m).is_some() {
            return false;
        }
        d.insert_new(h, Key::from(m), ());
        d.release_retired(RETIRED_SLICE);
        true
    }

    fn convert_to_table(&mut self) {
        if let Set::Ints(ints) = self {
            let mut d = Dict::new();
            let mut tmp = itoa::Buffer::new();
            for v in ints.iter() {
                let s = tmp.format(v).as_bytes();
                let h = d.hash(s);
                d.insert_new(h, Key::from(s), ());
            }
            *self = Set::Table(Box::new(d));
        }
    }

    pub fn remove(&mut self, m: &[u8]) -> bool {
        match self {
            Set::Ints(ints) => parse_i64(m).is_some_and(|v| ints.remove(v)),
            Set::Table(d) => {
                let gone = d.remove(m).is_some();
                if gone {
                    Self::after_remove(d);
                }
                gone
            }
        }
    }

    /// Keeps a shrinking table dense enough that a random bucket is
    /// likely to hold a member (SPOP, SRANDMEMBER).
    fn after_remove(d: &mut Dict<()>) {
        d.shrink_if_needed();
        d.release_retired(RETIRED_SLICE);
    }

    pub fn contains(&self, m: &[u8]) -> bool {
        match self {
            Set::Ints(ints) => parse_i64(m).is_some_and(|v| ints.contains(v)),
            Set::Table(d) => d.get(m).is_some(),
        }
    }

    /// Membership of another set's member, without formatting integers
    /// when both sides are intsets.
    pub fn contains_member(&self, m: Member) -> bool {
        match (self, m) {
            (Set::Ints(ints), Member::Int(v)) => ints.contains(v),
            (_, m) => self.contains(m.bytes(&mut itoa::Buffer::new())),
        }
    }

    pub fn for_each<'s>(&'s self, mut f: impl FnMut(Member<'s>)) {
        match self {
            Set::Ints(ints) => ints.iter().for_each(|v| f(Member::Int(v))),
            Set::Table(d) => d.iter().for_each(|(k, _)| f(Member::Str(k.as_bytes()))),
        }
    }

    /// A random member (None when empty).
    pub fn random(&mut self, rng: &mut Rng) -> Option<Member<'_>> {
        match self {
            Set::Ints(ints) => {
                (!ints.is_empty()).then(|| Member::Int(ints.get(rng.below(ints.len()))))
            }
            Set::Table(d) => d.random_key().map(|k| Member::Str(k.as_bytes())),
        }
    }

    /// Removes and returns a random member.
    pub fn pop(&mut self, rng: &mut Rng) -> Option<Popped> {
        match self {
            Set::Ints(ints) => {
                if ints.is_empty() {
                    return None;
                }
                let i = rng.below(ints.len());
                Some(Popped::Int(ints.remove_at(i)))
            }
            Set::Table(d) => {
                let (k, ()) = d.remove_random()?;
                Self::after_remove(d);
                Some(Popped::Str(k))
            }
        }
    }

    /// One SSCAN step: a compact set is returned whole (cursor 0).
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(Member)) -> u64 {
        match self {
            Set::Ints(_) => {
                self.for_each(f);
                0
            }
            Set::Table(d) => d.scan(cursor, |k, _| f(Member::Str(k.as_bytes()))),
        }
    }

    /// Heap bytes owned (memory accounting, approximate).
    pub fn heap_size(&self) -> usize {
        match self {
            Set::Ints(i) => i.heap_size(),
            Set::Table(d) => {
                d.len() * (std::mem::size_of::<crate::db::dict::Node<()>>() + 16) + d.buckets() * 8
            }
        }
    }
}

/// A small xorshift generator for random members (SPOP, SRANDMEMBER,
/// ZRANDMEMBER): statistical quality is ample for picking elements.
pub struct Rng(u64);

impl Default for Rng {
    fn default() -> Self {
        let seed = ahash::RandomState::new().hash_one(0x5e7_u64);
        Rng(seed | 1)
    }
}

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-enough in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        let mut v = Vec::new();
        s.for_each(|m| v.push(m.bytes(&mut itoa::Buffer::new()).to_vec()));
        v.sort();
        v
    }

    #[test]
    fn intset_converts_past_limit_and_on_text() {
        let mut s = Set::new_for(b"1");
        assert!(s.add(b"1", 3));
        assert!(s.add(b"2", 3));
        assert!(!s.add(b"2", 3));
        assert!(s.add(b"3", 3));
        assert_eq!(s.encoding(), "intset");
        assert!(s.add(b"4", 3));
        assert_eq!(s.encoding(), "hashtable");
        assert!(s.contains(b"4") && s.contains(b"1"));
        let mut t = Set::new_for(b"1");
        t.add(b"1", 512);
        t.add(b"01", 512);
        assert_eq!(t.encoding(), "hashtable");
        assert_eq!(members(&t), vec![b"01".to_vec(), b"1".to_vec()]);
    }

    #[test]
    fn pop_and_random_drain_everything() {
        let mut rng = Rng::default();
        for first in [&b"1"[..], b"a"] {
            let mut s = Set::new_for(first);
            for i in 0..1000 {
                s.add(format!("{i}").as_bytes(), 512);
            }
            assert!(s.random(&mut rng).is_some());
            let mut seen = std::collections::HashSet::new();
            while let Some(p) = s.pop(&mut rng) {
                seen.insert(p.as_member().bytes(&mut itoa::Buffer::new()).to_vec());
            }
            assert_eq!(seen.len(), 1000);
            assert!(s.is_empty());
        }
    }

    #[test]
    fn clone_is_deep() {
        let mut s = Set::new_for(b"a");
        s.add(b"a", 512);
        let mut c = s.clone();
        c.add(b"b", 512);
        assert_eq!(s.len(), 1);
        assert_eq!(c.len(), 2);
    }
}
