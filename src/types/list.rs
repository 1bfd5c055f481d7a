//! The list type: a deque of packed nodes, Redis's quicklist idea.
//!
//! Each node is one buffer of length-prefixed entries, filled as
//! `list-max-listpack-size` says ([`Fill`]; by default 8 KB), so a small
//! element costs its bytes plus two (Redis's listpack costs about the
//! same), not a pointer and an allocation. Entries carry their length at
//! both ends so a node is walked from either side. The head and tail nodes
//! keep room at their open end, so pushes and pops at either end are O(1)
//! amortised and a queue (RPUSH + LPOP) never moves its elements; interior
//! nodes are trimmed to their exact size once a new end node takes over.
//! Redis 7.0 reports every list as `quicklist`, and so does ferrite.

use std::collections::VecDeque;

/// Bytes of entries a node takes before pushes open a new node (8 KB,
/// Redis's default node size), and Redis's `SIZE_SAFETY_LIMIT` for
/// count-limited nodes.
pub const NODE_BYTES: usize = 8 * 1024;

/// `list-max-listpack-size`, as Redis's quicklist `fill`: negative -1..-5
/// limits a node to 4, 8, 16, 32 or 64 KB of entries (below -5 counts as
/// -5); zero or positive limits it to that many entries, and to 8 KB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill(pub i64);

impl Default for Fill {
    fn default() -> Self {
        Fill(-2)
    }
}

impl Fill {
    /// Bytes a node may hold.
    fn max_bytes(self) -> usize {
        if self.0 < 0 {
            4096 << ((self.0.unsigned_abs().min(5) - 1) as u32)
        } else {
            NODE_BYTES
        }
    }

    /// Whether a node of `count` entries and `used` bytes takes one more
    /// entry of `size` bytes (an empty node takes anything).
    fn allows(self, count: usize, used: usize, size: usize) -> bool {
        if count == 0 {
            return true;
        }
        let bytes = used + size;
        if self.0 < 0 {
            bytes <= self.max_bytes()
        } else {
            (count as i64) < self.0 && bytes <= NODE_BYTES
        }
    }
}

/// Length byte announcing a long entry (its length follows as a u64).
const LONG: u8 = 0xff;
/// Bytes around a long entry: the marker and the u64, at both ends.
const LONG_OVERHEAD: usize = 2 * 9;

/// Which end of a list: Redis's LEFT (head) and RIGHT (tail).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum End {
    Left,
    Right,
}

#[inline]
fn entry_size(len: usize) -> usize {
    if len < LONG as usize {
        len + 2
    } else {
        len + LONG_OVERHEAD
    }
}

/// Writes `v` as one entry into `dst` (exactly `entry_size(v.len())` bytes).
#[inline]
fn write_entry(dst: &mut [u8], v: &[u8]) {
    let n = v.len();
    if n < LONG as usize {
        dst[0] = n as u8;
        dst[1..1 + n].copy_from_slice(v);
        dst[1 + n] = n as u8;
    } else {
        let len = (n as u64).to_le_bytes();
        dst[0] = LONG;
        dst[1..9].copy_from_slice(&len);
        dst[9..9 + n].copy_from_slice(v);
        dst[9 + n..17 + n].copy_from_slice(&len);
        dst[17 + n] = LONG;
    }
}

/// The entry starting at `pos`: its data range and where the next begins.
#[inline]
fn read_fwd(buf: &[u8], pos: usize) -> (usize, usize, usize) {
    let b = buf[pos];
    if b != LONG {
        let n = b as usize;
        (pos + 1, n, pos + n + 2)
    } else {
        let mut len = [0u8; 8];
        len.copy_from_slice(&buf[pos + 1..pos + 9]);
        let n = u64::from_le_bytes(len) as usize;
        (pos + 9, n, pos + n + LONG_OVERHEAD)
    }
}

/// The entry ending at `end`: its data range and where it begins.
#[inline]
fn read_back(buf: &[u8], end: usize) -> (usize, usize, usize) {
    let b = buf[end - 1];
    if b != LONG {
        let n = b as usize;
        (end - 1 - n, n, end - n - 2)
    } else {
        let mut len = [0u8; 8];
        len.copy_from_slice(&buf[end - 9..end - 1]);
        let n = u64::from_le_bytes(len) as usize;
        (end - 9 - n, n, end - n - LONG_OVERHEAD)
    }
}

/// One packed node: entries live in `buf[start..end]`; the rest of `buf`
/// is room for pushes at either end.
#[derive(Clone, Default)]
struct Node {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    count: usize,
}

impl Node {
    fn used(&self) -> usize {
        self.end - self.start
    }

    /// Room for `size` more bytes at `end`'s side, growing the buffer by
    /// doubling (capped near the node size) with the data kept at the far
    /// side, so repeated pushes at one end are amortised O(1).
    fn make_room(&mut self, end: End, size: usize, cap: usize) {
        let have = match end {
            End::Left => self.start,
            End::Right => self.buf.len() - self.end,
        };
        if have >= size {
            return;
        }
        let used = self.used();
        // Half as much again (amortised O(1), and at most a third of a
        // small list's buffer unused), within the node's limit.
        let want = (used + size).max((used + used / 2 + size).min(cap)).max(16);
        let mut nb = vec![0u8; want];
        let at = match end {
            End::Left => want - used,
            End::Right => 0,
        };
        nb[at..at + used].copy_from_slice(&self.buf[self.start..self.end]);
        self.buf = nb;
        self.start = at;
        self.end = at + used;
    }

    fn push(&mut self, end: End, v: &[u8], cap: usize) {
        let size = entry_size(v.len());
        self.make_room(end, size, cap);
        match end {
            End::Left => {
                self.start -= size;
                write_entry(&mut self.buf[self.start..self.start + size], v);
            }
            End::Right => {
                write_entry(&mut self.buf[self.end..self.end + size], v);
                self.end += size;
            }
        }
        self.count += 1;
    }

    /// The data range of the entry at `end`, and the entry's byte range.
    fn edge(&self, end: End) -> (usize, usize, usize, usize) {
        match end {
            End::Left => {
                let (d, n, next) = read_fwd(&self.buf, self.start);
                (d, n, self.start, next)
            }
            End::Right => {
                let (d, n, begin) = read_back(&self.buf, self.end);
                (d, n, begin, self.end)
            }
        }
    }

    /// Drops the entry at `end` (the node must not be empty).
    fn pop(&mut self, end: End) {
        let (_, _, begin, stop) = self.edge(end);
        match end {
            End::Left => self.start = stop,
            End::Right => self.end = begin,
        }
        self.count -= 1;
        if self.count == 0 {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Makes `buf` exactly the entries (for edits in the middle and for
    /// trimming a node that is no longer at an end).
    fn compact(&mut self) {
        if self.start == 0 && self.end == self.buf.len() {
            return;
        }
        self.buf.truncate(self.end);
        self.buf.drain(..self.start);
        self.buf.shrink_to_fit();
        self.start = 0;
        self.end = self.buf.len();
    }

    /// Byte offset of entry `i` (0-based within the node).
    fn offset_of(&self, i: usize) -> usize {
        let mut pos = self.start;
        for _ in 0..i {
            pos = read_fwd(&self.buf, pos).2;
        }
        pos
    }

    fn entries(&self) -> NodeIter<'_> {
        NodeIter {
            buf: &self.buf,
            pos: self.start,
            end: self.end,
        }
    }
}

struct NodeIter<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Iterator for NodeIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.pos >= self.end {
            return None;
        }
        let (d, n, next) = read_fwd(self.buf, self.pos);
        self.pos = next;
        Some(&self.buf[d..d + n])
    }
}

#[derive(Clone, Default)]
pub struct List {
    nodes: VecDeque<Node>,
    len: usize,
}

impl List {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Heap bytes owned (memory accounting).
    pub fn heap_size(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.nodes.iter().map(|n| n.buf.capacity()).sum::<usize>()
    }

    /// Redis's free effort for a quicklist: its number of nodes.
    pub fn free_effort(&self) -> usize {
        self.nodes.len()
    }

    /// Pushes with the default fill (8 KB nodes).
    #[inline]
    pub fn push(&mut self, end: End, v: &[u8]) {
        self.push_fill(end, v, Fill::default());
    }

    /// Pushes, opening a new end node when `fill` says the current one is
    /// full.
    #[inline]
    pub fn push_fill(&mut self, end: End, v: &[u8], fill: Fill) {
        let size = entry_size(v.len());
        let full = match end {
            End::Left => self.nodes.front(),
            End::Right => self.nodes.back(),
        }
        .is_none_or(|n| !fill.allows(n.count, n.used(), size));
        if full {
            // The old end node becomes interior: give back its spare room.
            let old = match end {
                End::Left => self.nodes.front_mut(),
                End::Right => self.nodes.back_mut(),
            };
            if let Some(old) = old {
                old.compact();
            }
            if self.nodes.capacity() == 0 {
                // Most lists are one node: no room for four.
                self.nodes.reserve_exact(1);
            }
            match end {
                End::Left => self.nodes.push_front(Node::default()),
                End::Right => self.nodes.push_back(Node::default()),
            }
        }
        let node = match end {
            End::Left => self.nodes.front_mut(),
            End::Right => self.nodes.back_mut(),
        };
        if let Some(node) = node {
            node.push(end, v, fill.max_bytes());
            self.len += 1;
        }
    }

    /// Pops the element at `end`, handing its bytes to `f` before they
    /// are dropped: no allocation per pop.
    #[inline]
    pub fn pop_with<R>(&mut self, end: End, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        let node = match end {
            End::Left => self.nodes.front_mut(),
            End::Right => self.nodes.back_mut(),
        }?;
        let (d, n, _, _) = node.edge(end);
        let r = f(&node.buf[d..d + n]);
        node.pop(end);
        self.len -= 1;
        if node.count == 0 {
            match end {
                End::Left => self.nodes.pop_front(),
                End::Right => self.nodes.pop_back(),
            };
        }
        Some(r)
    }

    /// Pops the element at `end` as an owned buffer (LMOVE).
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        self.pop_with(end, <[u8]>::to_vec)
    }

    /// The node holding element `i` and the index within it, walking from
    /// the nearer end.
    fn locate(&self, i: usize) -> Option<(usize, usize)> {
        if i >= self.len {
            return None;
        }
        if i < self.len / 2 {
            let mut rest = i;
            for (ni, n) in self.nodes.iter().enumerate() {
                if rest < n.count {
                    return Some((ni, rest));
                }
                rest -= n.count;
            }
        } else {
            let mut from_end = self.len - 1 - i;
            for (ni, n) in self.nodes.iter().enumerate().rev() {
                if from_end < n.count {
                    return Some((ni, n.count - 1 - from_end));
                }
                from_end -= n.count;
            }
        }
        None
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let (ni, k) = self.locate(i)?;
        self.nodes[ni].entries().nth(k)
    }

    pub fn set(&mut self, i: usize, v: &[u8]) {
        let Some((ni, k)) = self.locate(i) else {
            return;
        };
        let node = &mut self.nodes[ni];
        node.compact();
        let pos = node.offset_of(k);
        let (_, _, next) = read_fwd(&node.buf, pos);
        let mut enc = vec![0u8; entry_size(v.len())];
        write_entry(&mut enc, v);
        node.buf.splice(pos..next, enc);
        node.end = node.buf.len();
        self.split_if_big(ni);
    }

    /// Inserts `v` before element `i` (`i == len` appends).
    pub fn insert(&mut self, i: usize, v: &[u8]) {
        if i == 0 {
            return self.push(End::Left, v);
        }
        if i >= self.len {
            return self.push(End::Right, v);
        }
        let Some((ni, k)) = self.locate(i) else {
            return;
        };
        let node = &mut self.nodes[ni];
        node.compact();
        let pos = node.offset_of(k);
        let mut enc = vec![0u8; entry_size(v.len())];
        write_entry(&mut enc, v);
        node.buf.splice(pos..pos, enc);
        node.end = node.buf.len();
        node.count += 1;
        self.len += 1;
        self.split_if_big(ni);
    }

    /// Splits a node grown past twice the node size by edits in the
    /// middle, so no single edit costs more than a few node sizes.
    fn split_if_big(&mut self, ni: usize) {
        let node = &mut self.nodes[ni];
        if node.used() <= 2 * NODE_BYTES || node.count < 2 {
            return;
        }
        let half = node.count / 2;
        let cut = node.offset_of(half);
        let tail = node.buf.split_off(cut);
        node.buf.shrink_to_fit();
        let tail_node = Node {
            end: tail.len(),
            buf: tail,
            start: 0,
            count: node.count - half,
        };
        node.count = half;
        node.end = node.buf.len();
        self.nodes.insert(ni + 1, tail_node);
    }

    /// Elements from head to tail.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            list: self,
            front: (0, self.nodes.front().map_or(0, |n| n.start)),
            back: (
                self.nodes.len().saturating_sub(1),
                self.nodes.back().map_or(0, |n| n.end),
            ),
            remaining: self.len,
        }
    }

    /// Elements `start..=end` (indexes already in range), head to tail,
    /// reached by skipping whole nodes.
    pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &[u8]> {
        let mut it = Iter {
            list: self,
            front: (0, 0),
            back: (0, 0),
            remaining: 0,
        };
        if let Some((ni, k)) = self.locate(start) {
            let last = self.nodes.len() - 1;
            it.front = (ni, self.nodes[ni].offset_of(k));
            it.back = (last, self.nodes[last].end);
            it.remaining = end.min(self.len - 1) + 1 - start;
        }
        it
    }

    /// Keeps only `start..=end`; an empty range (`start > end`) clears.
    pub fn trim(&mut self, start: usize, end: usize) {
        if start > end || start >= self.len {
            *self = List::new();
            return;
        }
        let end = end.min(self.len - 1);
        let mut tail = self.len - 1 - end;
        let mut head = start;
        // Whole nodes first, so trimming a long list costs its nodes, not
        // its elements.
        while let Some(n) = self.nodes.back().filter(|n| n.count <= tail) {
            tail -= n.count;
            self.len -= n.count;
            self.nodes.pop_back();
        }
        while let Some(n) = self.nodes.front().filter(|n| n.count <= head) {
            head -= n.count;
            self.len -= n.count;
            self.nodes.pop_front();
        }
        for _ in 0..tail {
            self.pop_with(End::Right, |_| ());
        }
        for _ in 0..head {
            self.pop_with(End::Left, |_| ());
        }
    }

    /// LREM: removes up to `count` elements equal to `v` (all with 0),
    /// from the head for a positive count, from the tail for a negative
    /// one. Returns how many were removed. One O(n) pass that rebuilds the
    /// list, order kept.
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
            for (i, e) in self.iter().enumerate().rev() {
                if e == v {
                    seen += 1;
                    from = i;
                    if seen == limit {
                        break;
                    }
                }
            }
            from
        } else {
            0
        };
        if !self.iter().skip(first_idx).any(|e| e == v) {
            return 0;
        }
        let mut kept = List::new();
        let mut removed = 0;
        for (i, e) in self.iter().enumerate() {
            if i >= first_idx && removed < limit && e == v {
                removed += 1;
            } else {
                kept.push(End::Right, e);
            }
        }
        *self = kept;
        removed
    }
}

/// A double-ended walk over a list's elements.
pub struct Iter<'a> {
    list: &'a List,
    /// (node, byte offset of the next entry from the front)
    front: (usize, usize),
    /// (node, byte offset just past the next entry from the back)
    back: (usize, usize),
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.remaining == 0 {
            return None;
        }
        let (mut ni, mut pos) = self.front;
        let mut node = &self.list.nodes[ni];
        if pos >= node.end {
            ni += 1;
            node = &self.list.nodes[ni];
            pos = node.start;
        }
        let (d, n, next) = read_fwd(&node.buf, pos);
        self.front = (ni, next);
        self.remaining -= 1;
        Some(&node.buf[d..d + n])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let (mut ni, mut end) = self.back;
        let mut node = &self.list.nodes[ni];
        if end <= node.start {
            ni -= 1;
            node = &self.list.nodes[ni];
            end = node.end;
        }
        let (d, n, begin) = read_back(&node.buf, end);
        self.back = (ni, begin);
        self.remaining -= 1;
        Some(&node.buf[d..d + n])
    }
}

impl ExactSizeIterator for Iter<'_> {}

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

    /// A model check against VecDeque over many nodes, both ends, long
    /// and short elements, and edits in the middle.
    #[test]
    fn matches_a_vecdeque_model() {
        let mut l = List::new();
        let mut m: VecDeque<Vec<u8>> = VecDeque::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for step in 0..30_000u64 {
            let len = match rnd(20) {
                0 => 300 + rnd(400) as usize,
                1 => 0,
                _ => rnd(12) as usize,
            };
            let v: Vec<u8> = (0..len).map(|i| (step as usize + i) as u8).collect();
            match rnd(10) {
                0..=2 => {
                    l.push(End::Left, &v);
                    m.push_front(v);
                }
                3..=5 => {
                    l.push(End::Right, &v);
                    m.push_back(v);
                }
                6 => assert_eq!(l.pop(End::Left), m.pop_front()),
                7 => assert_eq!(l.pop(End::Right), m.pop_back()),
                8 if !m.is_empty() => {
                    let i = rnd(m.len() as u64 + 1) as usize;
                    l.insert(i, &v);
                    m.insert(i, v);
                }
                _ if !m.is_empty() => {
                    let i = rnd(m.len() as u64) as usize;
                    l.set(i, &v);
                    m[i] = v;
                    assert_eq!(l.get(i), Some(&m[i][..]));
                }
                _ => {}
            }
            assert_eq!(l.len(), m.len());
        }
        assert!(l.nodes.len() > 3, "the model run spans several nodes");
        assert!(l.iter().eq(m.iter().map(|v| &v[..])));
        assert!(l.iter().rev().eq(m.iter().rev().map(|v| &v[..])));
        let n = m.len();
        for (s, e) in [(0, n - 1), (n / 3, n / 2), (n - 1, n - 1), (5, 5)] {
            assert!(l.range(s, e).eq(m.range(s..=e).map(|v| &v[..])));
        }
        // Mixed ends of one iterator meet in the middle.
        let mut it = l.iter();
        let mut got = Vec::new();
        while let Some(a) = it.next() {
            got.push(a.to_vec());
            if let Some(b) = it.next_back() {
                got.push(b.to_vec());
            }
        }
        assert_eq!(got.len(), n);
        l.trim(10, n - 20);
        let kept: Vec<Vec<u8>> = m.range(10..=n - 20).cloned().collect();
        assert!(l.iter().eq(kept.iter().map(|v| &v[..])));
    }

    #[test]
    fn a_queue_packs_small_elements() {
        let mut l = List::new();
        for i in 0..100_000 {
            l.push(End::Right, format!("{}", i % 1000).as_bytes());
        }
        // About 5 bytes per element, as Redis's listpack entries.
        assert!(l.heap_size() < 100_000 * 7, "{}", l.heap_size());
        for i in 0..99_990 {
            let want = format!("{}", i % 1000);
            assert_eq!(l.pop_with(End::Left, |v| v == want.as_bytes()), Some(true));
        }
        assert_eq!(l.len(), 10);
        assert_eq!(l.get(0), Some(&b"990"[..]));
        // Trimming drops whole nodes, then elements.
        let mut l = List::new();
        for i in 0..100_000 {
            l.push(End::Left, format!("{i}").as_bytes());
        }
        l.trim(50_000, 50_010);
        let want: Vec<String> = (0..100_000)
            .rev()
            .skip(50_000)
            .take(11)
            .map(|i| i.to_string())
            .collect();
        assert_eq!(items(&l), want);
        assert_eq!(l.len(), 11);
        assert_eq!(l.nodes.len(), 1);
    }

    #[test]
    fn fill_limits_nodes_as_redis() {
        let mut l = List::new();
        for _ in 0..10 {
            l.push_fill(End::Right, b"x", Fill(2));
        }
        assert_eq!(l.nodes.len(), 5);
        let mut l = List::new();
        for _ in 0..3 {
            l.push_fill(End::Left, b"x", Fill(0));
        }
        assert_eq!(l.nodes.len(), 3, "fill 0: one entry per node");
        let big = [7u8; 1000];
        for (fill, per_node) in [(-1, 4), (-2, 8), (-5, 64), (-100, 64)] {
            let mut l = List::new();
            for _ in 0..130 {
                l.push_fill(End::Right, &big, Fill(fill));
            }
            assert_eq!(l.nodes[0].count, per_node, "fill {fill}");
            assert!(l.iter().all(|v| v == big));
        }
    }
}
