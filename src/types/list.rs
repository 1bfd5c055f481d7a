//! The list type: a ring buffer of elements.
//!
//! Elements are [`Key`]s: up to 22 bytes live inside the 24-byte slot, so
//! a typical queue item (an id, a short token) costs no allocation of its
//! own and pushes and pops at either end are O(1) without touching the
//! allocator. Redis 7.0 reports every list as `quicklist` (the listpack
//! encoding for small lists came with 7.2), and so does ferrite.

use std::collections::VecDeque;

use crate::db::Key;

/// Smallest capacity worth giving back: below it the spare room is not
/// worth a reallocation.
const SHRINK_MIN_CAP: usize = 64;

#[derive(Clone, Default)]
pub struct List {
    items: VecDeque<Key>,
}

/// Which end of a list: Redis's LEFT (head) and RIGHT (tail).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum End {
    Left,
    Right,
}

impl List {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<Key>()
            + self.items.iter().map(Key::heap_size).sum::<usize>()
    }

    #[inline]
    pub fn push(&mut self, end: End, v: &[u8]) {
        match end {
            End::Left => self.items.push_front(Key::from(v)),
            End::Right => self.items.push_back(Key::from(v)),
        }
    }

    /// Pushes an element already owned (LMOVE moves it without a copy).
    pub fn push_elem(&mut self, end: End, v: Key) {
        match end {
            End::Left => self.items.push_front(v),
            End::Right => self.items.push_back(v),
        }
    }

    #[inline]
    pub fn pop(&mut self, end: End) -> Option<Key> {
        let v = match end {
            End::Left => self.items.pop_front(),
            End::Right => self.items.pop_back(),
        };
        self.maybe_shrink();
        v
    }

    /// Gives back most of the spare room once a long queue has drained to
    /// a quarter of its capacity (amortised O(1) per pop).
    fn maybe_shrink(&mut self) {
        let cap = self.items.capacity();
        if cap > SHRINK_MIN_CAP && self.items.len() < cap / 4 {
            self.items.shrink_to(self.items.len() * 2);
        }
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.items.get(i).map(Key::as_bytes)
    }

    pub fn set(&mut self, i: usize, v: &[u8]) {
        if let Some(slot) = self.items.get_mut(i) {
            *slot = Key::from(v);
        }
    }

    pub fn insert(&mut self, i: usize, v: &[u8]) {
        self.items.insert(i, Key::from(v));
    }

    /// Elements from head to tail.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + ExactSizeIterator {
        self.items.iter().map(Key::as_bytes)
    }

    /// Elements `start..=end` (indexes already in range), head to tail.
    pub fn range(&self, start: usize, end: usize) -> impl DoubleEndedIterator<Item = &[u8]> {
        self.items.range(start..=end).map(Key::as_bytes)
    }

    /// Keeps only `start..=end`; an empty range (`start > end`) clears.
    pub fn trim(&mut self, start: usize, end: usize) {
        if start > end || start >= self.items.len() {
            self.items.clear();
        } else {
            self.items.truncate(end + 1);
            self.items.drain(..start);
        }
        self.maybe_shrink();
    }

    /// LREM: removes up to `count` elements equal to `v` (all with 0),
    /// from the head for a positive count, from the tail for a negative
    /// one. Returns how many were removed. One O(n) pass, order kept.
    pub fn remove_matching(&mut self, v: &[u8], count: i64) -> usize {
        let limit = if count == 0 {
            usize::MAX
        } else {
            count.unsigned_abs().min(usize::MAX as u64) as usize
        };
        // From the tail: find where the last `limit` matches begin.
        let first_idx = if count < 0 {
            let mut seen = 0;
            let mut from = 0;
            for (i, e) in self.items.iter().enumerate().rev() {
                if e.as_bytes() == v {
                    seen += 1;
                    from = i;
                    if seen == limit {
                        break;
                    }
                }
            }
            if seen == 0 {
                return 0;
            }
            from
        } else {
            0
        };
        let mut removed = 0;
        let mut idx = 0;
        self.items.retain(|e| {
            let i = idx;
            idx += 1;
            if i >= first_idx && removed < limit && e.as_bytes() == v {
                removed += 1;
                false
            } else {
                true
            }
        });
        self.maybe_shrink();
        removed
    }
}

/// Redis's index rule: negative counts from the tail; None when outside.
pub fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let i = if i < 0 { i + len } else { i };
    (0..len).contains(&i).then_some(i as usize)
}

/// Redis's range rule (LRANGE, LTRIM): clamps `start`/`end` to the list;
/// None when the range is empty.
pub fn norm_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { start + len } else { start };
    let mut end = if end < 0 { end + len } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, end as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> List {
        let mut l = List::new();
        for i in items {
            l.push(End::Right, i.as_bytes());
        }
        l
    }

    fn items(l: &List) -> Vec<String> {
        l.iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect()
    }

    #[test]
    fn remove_matching_from_either_end() {
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", -2), 2);
        assert_eq!(items(&l), ["a", "b", "c"]);
        let mut l = list(&["a", "b", "a", "c", "a"]);
        assert_eq!(l.remove_matching(b"a", 2), 2);
        assert_eq!(items(&l), ["b", "c", "a"]);
        let mut l = list(&["a", "b", "a"]);
        assert_eq!(l.remove_matching(b"a", 0), 2);
        assert_eq!(items(&l), ["b"]);
        assert_eq!(l.remove_matching(b"z", -1), 0);
    }

    #[test]
    fn ranges_and_trim() {
        assert_eq!(norm_range(0, -1, 3), Some((0, 2)));
        assert_eq!(norm_range(-100, 100, 3), Some((0, 2)));
        assert_eq!(norm_range(2, 1, 3), None);
        assert_eq!(norm_range(5, 10, 3), None);
        assert_eq!(norm_index(-1, 3), Some(2));
        assert_eq!(norm_index(3, 3), None);
        let mut l = list(&["a", "b", "c", "d"]);
        l.trim(1, 2);
        assert_eq!(items(&l), ["b", "c"]);
    }

    #[test]
    fn drained_queue_gives_memory_back() {
        let mut l = List::new();
        for i in 0..10_000 {
            l.push(End::Right, format!("{i}").as_bytes());
        }
        while l.len() > 10 {
            l.pop(End::Left);
        }
        assert!(l.items.capacity() < 1000);
        assert_eq!(l.get(0), Some(&b"9990"[..]));
    }
}
