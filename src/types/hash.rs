//! The hash type: field → value.
//!
//! As Redis: a small hash is one contiguous buffer of length-prefixed
//! field/value pairs searched linearly (`listpack`), which costs a few
//! bytes per pair instead of a node per field; past
//! `hash-max-listpack-entries` pairs, or once a field or value is longer
//! than `hash-max-listpack-value` bytes, it becomes an incrementally
//! rehashed table (`hashtable`), and never goes back.

use crate::db::{Dict, Key};

/// The thresholds of the compact encoding (CONFIG `hash-max-listpack-*`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_entries: usize,
    pub max_value: usize,
}

/// Length-prefixed entries, field then value: a LEB128 length (one byte
/// below 128) and the bytes.
#[derive(Clone, Default)]
pub struct ListPack {
    buf: Vec<u8>,
    pairs: usize,
}

/// One entry's bytes and the offset just past it.
#[inline]
fn read_entry(buf: &[u8], mut pos: usize) -> (&[u8], usize) {
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        let b = buf[pos];
        pos += 1;
        len |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    (&buf[pos..pos + len], pos + len)
}

fn write_entry(out: &mut Vec<u8>, v: &[u8]) {
    // Exact growth, as a listpack's realloc: a compact hash is small, and
    // doubling would leave up to half of it unused.
    out.reserve_exact(v.len() + 10);
    let mut len = v.len();
    while len >= 0x80 {
        out.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(v);
}

impl ListPack {
    pub fn iter(&self) -> PackIter<'_> {
        PackIter {
            buf: &self.buf,
            pos: 0,
        }
    }

    /// The field's entry start, its value's start and the pair's end.
    fn find(&self, field: &[u8]) -> Option<(usize, usize, usize)> {
        let mut pos = 0;
        while pos < self.buf.len() {
            let (f, vpos) = read_entry(&self.buf, pos);
            let (_, end) = read_entry(&self.buf, vpos);
            if f == field {
                return Some((pos, vpos, end));
            }
            pos = end;
        }
        None
    }

    fn get(&self, field: &[u8]) -> Option<&[u8]> {
        let (_, vpos, _) = self.find(field)?;
        Some(read_entry(&self.buf, vpos).0)
    }

    /// Sets a field; true if it is new.
    fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        match self.find(field) {
            Some((_, vpos, end)) => {
                let old = read_entry(&self.buf, vpos).0;
                if old.len() == value.len() {
                    let start = end - value.len();
                    self.buf[start..end].copy_from_slice(value);
                } else {
                    let mut enc = Vec::with_capacity(value.len() + 2);
                    write_entry(&mut enc, value);
                    self.buf.splice(vpos..end, enc);
                }
                false
            }
            None => {
                write_entry(&mut self.buf, field);
                write_entry(&mut self.buf, value);
                self.pairs += 1;
                true
            }
        }
    }

    fn remove(&mut self, field: &[u8]) -> bool {
        match self.find(field) {
            Some((start, _, end)) => {
                self.buf.drain(start..end);
                self.pairs -= 1;
                true
            }
            None => false,
        }
    }

    fn nth(&self, n: usize) -> Option<(&[u8], &[u8])> {
        self.iter().nth(n)
    }
}

pub struct PackIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for PackIter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let (f, vpos) = read_entry(self.buf, self.pos);
        let (v, end) = read_entry(self.buf, vpos);
        self.pos = end;
        Some((f, v))
    }
}

pub enum Hash {
    Pack(ListPack),
    /// Boxed: a table's header is several times a compact hash's, and
    /// most hashes are compact.
    Table(Box<Dict<Key>>),
}

impl Default for Hash {
    fn default() -> Self {
        Hash::Pack(ListPack::default())
    }
}

impl Clone for Hash {
    fn clone(&self) -> Self {
        match self {
            Hash::Pack(p) => Hash::Pack(p.clone()),
            Hash::Table(d) => {
                let mut t = Dict::new();
                d.for_each(|k, v| {
                    let h = t.hash(k.as_bytes());
                    t.insert_new(h, k.clone(), v.clone());
                });
                Hash::Table(Box::new(t))
            }
        }
    }
}

impl Hash {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        match self {
            Hash::Pack(p) => p.pairs,
            Hash::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Hash::Pack(_) => "listpack",
            Hash::Table(_) => "hashtable",
        }
    }

    pub fn heap_size(&self) -> usize {
        match self {
            Hash::Pack(p) => p.buf.capacity(),
            Hash::Table(d) => {
                let mut n = d.buckets() * 8 + d.len() * 64;
                d.for_each(|k, v| n += k.heap_size() + v.heap_size());
                n
            }
        }
    }

    /// Redis's `lazyfreeGetFreeEffort`: one for a single buffer, the
    /// number of nodes for a table.
    pub fn free_effort(&self) -> usize {
        match self {
            Hash::Pack(_) => 1,
            Hash::Table(d) => d.len(),
        }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self {
            Hash::Pack(p) => p.get(field),
            Hash::Table(d) => d.get(field).map(Key::as_bytes),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Sets `field` to `value`, converting to a table when the pair or the
    /// new length passes the limits. True if the field is new.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
        if let Hash::Pack(_) = self
            && (field.len() > limits.max_value || value.len() > limits.max_value)
        {
            self.convert();
        }
        match self {
            Hash::Pack(p) => {
                let new = p.set(field, value);
                if p.pairs > limits.max_entries {
                    self.convert();
                }
                new
            }
            Hash::Table(d) => {
                let h = d.hash(field);
                match d.get_hashed_mut(h, field) {
                    Some(v) => {
                        *v = Key::from(value);
                        false
                    }
                    None => {
                        d.insert_new(h, Key::from(field), Key::from(value));
                        if !d.is_rehashing() {
                            // A finished growth left the old array behind.
                            d.release_retired(usize::MAX);
                        }
                        true
                    }
                }
            }
        }
    }

    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            Hash::Pack(p) => p.remove(field),
            Hash::Table(d) => {
                let removed = d.remove(field).is_some();
                if removed {
                    // Keeps random picks and scans proportional to what is left.
                    d.shrink_if_needed();
                    if !d.is_rehashing() {
                        d.release_retired(usize::MAX);
                    }
                }
                removed
            }
        }
    }

    /// Converts the compact form to a table.
    fn convert(&mut self) {
        if let Hash::Pack(p) = self {
            let mut d = Dict::new();
            for (f, v) in p.iter() {
                let h = d.hash(f);
                d.insert_new(h, Key::from(f), Key::from(v));
            }
            *self = Hash::Table(Box::new(d));
        }
    }

    /// Calls `f` for every pair.
    pub fn for_each(&self, mut f: impl FnMut(&[u8], &[u8])) {
        match self {
            Hash::Pack(p) => p.iter().for_each(|(k, v)| f(k, v)),
            Hash::Table(d) => d.for_each(|k, v| f(k.as_bytes(), v.as_bytes())),
        }
    }

    /// A uniformly random pair (the hash must not be empty); `r` is a
    /// random number for the compact form.
    pub fn random_pair(&mut self, r: u64) -> Option<(&[u8], &[u8])> {
        match self {
            Hash::Pack(p) => {
                if p.pairs == 0 {
                    return None;
                }
                p.nth(r as usize % p.pairs)
            }
            Hash::Table(d) => d.random_entry().map(|(k, v)| (k.as_bytes(), v.as_bytes())),
        }
    }

    /// One HSCAN step: the compact form is returned whole (cursor 0), a
    /// table by its reverse-binary cursor.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&[u8], &[u8])) -> u64 {
        match self {
            Hash::Pack(_) => {
                self.for_each(f);
                0
            }
            Hash::Table(d) => d.scan(cursor, |k, v| f(k.as_bytes(), v.as_bytes())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        max_entries: 4,
        max_value: 8,
    };

    #[test]
    fn listpack_set_get_remove() {
        let mut h = Hash::new();
        assert!(h.set(b"a", b"1", L));
        assert!(h.set(b"b", b"22", L));
        assert!(!h.set(b"a", b"333", L));
        assert!(!h.set(b"a", b"444", L));
        assert_eq!(h.get(b"a"), Some(&b"444"[..]));
        assert_eq!(h.get(b"b"), Some(&b"22"[..]));
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert_eq!(h.len(), 1);
        assert_eq!(h.encoding(), "listpack");
        let long = vec![b'x'; 300];
        let mut p = ListPack::default();
        p.set(&long, b"v");
        assert_eq!(p.get(&long), Some(&b"v"[..]));
    }

    #[test]
    fn converts_past_limits() {
        let mut h = Hash::new();
        for i in 0..4 {
            h.set(format!("f{i}").as_bytes(), b"v", L);
        }
        assert_eq!(h.encoding(), "listpack");
        h.set(b"f4", b"v", L);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), 5);
        assert_eq!(h.get(b"f2"), Some(&b"v"[..]));
        let mut h = Hash::new();
        h.set(b"f", b"123456789", L);
        assert_eq!(h.encoding(), "hashtable");
    }
}
