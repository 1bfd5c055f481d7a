//! Values stored under keys.
//!
//! Strings use Redis's ideas for compactness: a value that is a canonical
//! 64-bit integer is kept as the integer (OBJECT ENCODING `int`), a short
//! one lives inside the entry with no allocation of its own (`embstr`), and
//! only longer ones own a heap buffer (`raw`), which keeps spare capacity so
//! that APPEND and SETRANGE grow in amortised time. The enum is where lists,
//! hashes, sets and sorted sets will join.

use crate::types::hash::Hash;
use crate::types::list::List;
use crate::types::set::Set;
use crate::types::zset::ZSet;
use crate::util::num::parse_i64;

/// Longest string kept inside the entry; 30 keeps `Value` at 32 bytes.
pub const SMALL_CAP: usize = 30;

/// Longest string Redis stores as `embstr` (one allocation with its
/// object header); longer ones, and any string changed in place, are `raw`.
pub const EMBSTR_MAX: usize = 44;

/// Longest text tried as an integer: 20 characters hold any i64.
const MAX_INT_TEXT: usize = 20;

#[derive(Clone)]
pub enum Value {
    Int(i64),
    Small {
        len: u8,
        buf: [u8; SMALL_CAP],
    },
    Raw(Vec<u8>),
    /// A string of `SMALL_CAP + 1 ..= EMBSTR_MAX` bytes as created by SET
    /// and friends: OBJECT ENCODING reports `embstr` for it, as Redis does,
    /// until an in-place change (APPEND, SETRANGE) makes it `raw`.
    Emb(Box<[u8]>),
    /// Boxed so that `Value` stays 32 bytes.
    List(Box<List>),
    Hash(Box<Hash>),
    /// Inline: a compact set (intset) or sorted set (listpack) is one
    /// exactly sized buffer owned by the entry, a large one a box; both
    /// are 24 bytes, so `Value` stays 32.
    Set(Set),
    ZSet(ZSet),
}

impl Value {
    /// The list this value holds, if it is one (for [`crate::cmd::typed`]).
    pub fn list_mut(&mut self) -> Option<&mut List> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The hash this value holds, if it is one.
    pub fn hash_mut(&mut self) -> Option<&mut Hash> {
        match self {
            Value::Hash(h) => Some(h),
            _ => None,
        }
    }

    /// The set this value holds, if it is one.
    pub fn set_mut(&mut self) -> Option<&mut Set> {
        match self {
            Value::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The sorted set this value holds, if it is one.
    pub fn zset_mut(&mut self) -> Option<&mut ZSet> {
        match self {
            Value::ZSet(z) => Some(z),
            _ => None,
        }
    }

    /// The compact form of a string value.
    pub fn from_bytes(s: &[u8]) -> Value {
        if s.len() <= MAX_INT_TEXT
            && let Some(i) = parse_i64(s)
        {
            return Value::Int(i);
        }
        Value::from_bytes_no_int(s)
    }

    /// A string value kept as text even when it looks like an integer.
    pub fn from_bytes_no_int(s: &[u8]) -> Value {
        if s.len() <= SMALL_CAP {
            let mut buf = [0; SMALL_CAP];
            buf[..s.len()].copy_from_slice(s);
            Value::Small {
                len: s.len() as u8,
                buf,
            }
        } else if s.len() <= EMBSTR_MAX {
            Value::Emb(s.into())
        } else {
            Value::Raw(s.to_vec())
        }
    }

    pub fn from_vec(v: Vec<u8>) -> Value {
        if v.len() <= EMBSTR_MAX {
            Value::from_bytes(&v)
        } else {
            Value::Raw(v)
        }
    }

    pub fn is_string(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Small { .. } | Value::Raw(_) | Value::Emb(_)
        )
    }

    /// The string's bytes; an integer is formatted into `tmp`.
    #[inline]
    pub fn as_bytes<'a>(&'a self, tmp: &'a mut itoa::Buffer) -> &'a [u8] {
        match self {
            Value::Int(i) => tmp.format(*i).as_bytes(),
            Value::Small { len, buf } => &buf[..*len as usize],
            Value::Raw(v) => v,
            Value::Emb(b) => b,
            _ => b"",
        }
    }

    /// Length of the string form, without formatting an integer.
    pub fn str_len(&self) -> usize {
        match self {
            Value::Int(i) => itoa::Buffer::new().format(*i).len(),
            Value::Small { len, .. } => *len as usize,
            Value::Raw(v) => v.len(),
            Value::Emb(b) => b.len(),
            _ => 0,
        }
    }

    /// The string as an owned, growable buffer (APPEND, SETRANGE).
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if !matches!(self, Value::Raw(_)) {
            let mut tmp = itoa::Buffer::new();
            let v = self.as_bytes(&mut tmp).to_vec();
            *self = Value::Raw(v);
        }
        match self {
            Value::Raw(v) => v,
            _ => unreachable!("converted to Raw above"),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) | Value::Small { .. } | Value::Raw(_) | Value::Emb(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
        }
    }

    /// The encoding Redis 7.0.15's OBJECT ENCODING names.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Small { .. } | Value::Emb(_) => "embstr",
            Value::Raw(_) => "raw",
            Value::List(l) => l.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
        }
    }

    /// Heap bytes owned beyond the entry (memory accounting).
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Raw(v) => v.capacity(),
            Value::Emb(b) => b.len(),
            Value::List(l) => l.heap_size(),
            Value::Hash(h) => h.heap_size(),
            Value::Set(s) => s.heap_size(),
            Value::ZSet(z) => z.heap_size(),
            _ => 0,
        }
    }

    /// Work that dropping this value takes, as Redis's
    /// `lazyfreeGetFreeEffort`: elements for a collection, 1 otherwise.
    pub fn free_effort(&self) -> usize {
        match self {
            Value::List(l) => l.free_effort(),
            Value::Hash(h) => h.free_effort(),
            // Compact encodings are one allocation whatever their length.
            Value::Set(s) if s.encoding() == "hashtable" => s.len(),
            Value::ZSet(z) if z.encoding() == "skiplist" => z.len(),
            _ => 1,
        }
    }
}

/// A key's entry: its value and its deadline in ms since the epoch
/// (0 = none; a deadline of 0 is in the past and never stored).
#[derive(Clone)]
pub struct Slot {
    pub value: Value,
    pub(crate) expire_at: u64,
}

impl Slot {
    pub fn expire_at(&self) -> Option<u64> {
        (self.expire_at != 0).then_some(self.expire_at)
    }

    /// Redis treats a key as expired once the clock is past its deadline.
    #[inline]
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.expire_at != 0 && now_ms > self.expire_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(std::mem::size_of::<Value>(), 32);
        assert_eq!(std::mem::size_of::<Set>(), 24);
        assert_eq!(std::mem::size_of::<ZSet>(), 24);
        assert_eq!(Value::from_bytes(b"12345").encoding(), "int");
        assert_eq!(Value::from_bytes(b"-9223372036854775808").encoding(), "int");
        assert_eq!(Value::from_bytes(b"012").encoding(), "embstr");
        assert_eq!(Value::from_bytes(b" 1").encoding(), "embstr");
        assert_eq!(Value::from_bytes(&[b'a'; 31]).encoding(), "embstr");
        assert_eq!(Value::from_bytes(&[b'a'; 44]).encoding(), "embstr");
        assert_eq!(Value::from_bytes(&[b'a'; 45]).encoding(), "raw");
        let mut e = Value::from_bytes(&[b'a'; 40]);
        e.make_raw();
        assert_eq!(e.encoding(), "raw");
        assert_eq!(e.str_len(), 40);
        let mut tmp = itoa::Buffer::new();
        assert_eq!(Value::from_bytes(b"-7").as_bytes(&mut tmp), b"-7");
        assert_eq!(Value::from_bytes(b"-7").str_len(), 2);
    }

    #[test]
    fn make_raw_keeps_text() {
        let mut v = Value::from_bytes(b"42");
        v.make_raw().extend_from_slice(b"x");
        let mut tmp = itoa::Buffer::new();
        assert_eq!(v.as_bytes(&mut tmp), b"42x");
        assert_eq!(v.encoding(), "raw");
    }
}
