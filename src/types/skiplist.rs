//! The ordered half of a large sorted set: Redis's skip list with spans
//! (each forward link records how many nodes it jumps), so that rank
//! lookups, rank ranges and range counts cost O(log n).
//!
//! Nodes live in an arena (`Vec`) and link by index, which keeps the
//! structure free of `unsafe` and of per-node allocations besides a long
//! member's bytes. A node is one 64-byte cache line holding its score,
//! its member (inline up to 22 bytes) and its two lowest levels, which is
//! all that 15 nodes in 16 have (p = 1/4): a search step costs one cache
//! miss, as in Redis. Higher levels are a block of the shared `levels`
//! vector; freed nodes and level blocks are chained for reuse.

use std::cmp::Ordering;

use crate::db::key::Key;

/// No node.
pub const NIL: u32 = u32::MAX;
/// Redis's `ZSKIPLIST_MAXLEVEL`: enough for 2^64 elements at p = 1/4.
const MAX_LEVEL: usize = 32;
/// The header node, which holds no element.
const HEAD: u32 = 0;

#[derive(Clone, Copy)]
struct Level {
    forward: u32,
    span: u32,
}

/// An upper level (INLINE and above), which also caches the score of the
/// node it points to: a search that stays on the upper levels then never
/// touches the nodes it passes over, only this small, hot vector.
#[derive(Clone, Copy)]
struct Upper {
    forward: u32,
    span: u32,
    fscore: f64,
}

const EMPTY_UPPER: Upper = Upper {
    forward: NIL,
    span: 0,
    fscore: 0.0,
};

/// Levels kept inside the node.
const INLINE: usize = 2;

#[derive(Clone)]
#[repr(align(64))]
struct Node {
    score: f64,
    member: Key,
    /// Previous node (NIL for the first); for a free node, the next free one.
    backward: u32,
    /// First of this node's `height - INLINE` upper levels in `levels`.
    lv: u32,
    height: u8,
    low: [Level; INLINE],
}

/// Nodes per arena chunk (256 KB). Growth appends a chunk and never moves
/// the nodes already placed: doubling one 64 MB vector copied it and held
/// the loop for 40 ms at a million members.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// The node arena: chunks of `CHUNK` nodes, indexed by a u32.
#[derive(Clone)]
struct Arena {
    chunks: Vec<Vec<Node>>,
    len: usize,
}

impl Arena {
    fn with_head(head: Node) -> Arena {
        // The first chunk grows from small, so a sorted set just past the
        // listpack limit does not pay for a whole chunk.
        Arena {
            chunks: vec![vec![head]],
            len: 1,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, n: Node) -> u32 {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        let last = self.chunks.len() - 1;
        self.chunks[last].push(n);
        self.len += 1;
        (self.len - 1) as u32
    }

    fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity()).sum::<usize>() * std::mem::size_of::<Node>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<Node>>()
    }
}

impl std::ops::Index<u32> for Arena {
    type Output = Node;

    #[inline]
    fn index(&self, i: u32) -> &Node {
        &self.chunks[(i >> CHUNK_BITS) as usize][i as usize & (CHUNK - 1)]
    }
}

impl std::ops::IndexMut<u32> for Arena {
    #[inline]
    fn index_mut(&mut self, i: u32) -> &mut Node {
        &mut self.chunks[(i >> CHUNK_BITS) as usize][i as usize & (CHUNK - 1)]
    }
}

#[derive(Clone)]
pub struct SkipList {
    nodes: Arena,
    /// Upper levels (from INLINE up) of the nodes that have them.
    levels: Vec<Upper>,
    free_node: u32,
    /// Free upper-level blocks by size, chained through their first `forward`.
    free_lv: [u32; MAX_LEVEL + 1],
    tail: u32,
    len: usize,
    level: usize,
    rng: u64,
    /// Heap bytes of long members, kept so memory accounting is O(1).
    member_heap: usize,
}

impl Default for SkipList {
    fn default() -> Self {
        Self::new()
    }
}

/// (score, member) order: score first, then member bytes.
#[inline]
pub fn cmp_entry(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> Ordering {
    match s1.partial_cmp(&s2) {
        Some(Ordering::Equal) | None => m1.cmp(m2),
        Some(o) => o,
    }
}

impl SkipList {
    pub fn new() -> Self {
        const EMPTY: Level = Level {
            forward: NIL,
            span: 0,
        };
        let levels = vec![EMPTY_UPPER; MAX_LEVEL - INLINE];
        let head = Node {
            member: Key::from(&b""[..]),
            score: 0.0,
            backward: NIL,
            lv: 0,
            height: MAX_LEVEL as u8,
            low: [EMPTY; INLINE],
        };
        SkipList {
            nodes: Arena::with_head(head),
            levels,
            free_node: NIL,
            free_lv: [NIL; MAX_LEVEL + 1],
            tail: NIL,
            len: 0,
            level: 1,
            rng: ahash::RandomState::new().hash_one(0x2e7_u64) | 1,
            member_heap: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn lvl(&self, x: u32, i: usize) -> Level {
        let n = &self.nodes[x];
        if i < INLINE {
            n.low[i]
        } else {
            let u = self.levels[n.lv as usize + i - INLINE];
            Level {
                forward: u.forward,
                span: u.span,
            }
        }
    }

    /// Level `i` of `x` and the score of the node it points to (from the
    /// cache on upper levels; meaningless when the link is NIL).
    #[inline]
    fn step(&self, x: u32, i: usize) -> (Level, f64) {
        let n = &self.nodes[x];
        if i < INLINE {
            let l = n.low[i];
            let s = if l.forward == NIL {
                0.0
            } else {
                self.nodes[l.forward].score
            };
            (l, s)
        } else {
            let u = self.levels[n.lv as usize + i - INLINE];
            (
                Level {
                    forward: u.forward,
                    span: u.span,
                },
                u.fscore,
            )
        }
    }

    #[inline]
    fn span_mut(&mut self, x: u32, i: usize) -> &mut u32 {
        let n = &mut self.nodes[x];
        if i < INLINE {
            &mut n.low[i].span
        } else {
            let lv = n.lv as usize;
            &mut self.levels[lv + i - INLINE].span
        }
    }

    /// Sets level `i` of `x` (refreshing the cached score on upper levels).
    fn set_link(&mut self, x: u32, i: usize, forward: u32, span: u32) {
        if i < INLINE {
            self.nodes[x].low[i] = Level { forward, span };
        } else {
            let fscore = if forward == NIL {
                0.0
            } else {
                self.nodes[forward].score
            };
            let lv = self.nodes[x].lv as usize;
            self.levels[lv + i - INLINE] = Upper {
                forward,
                span,
                fscore,
            };
        }
    }

    #[inline]
    pub fn member(&self, x: u32) -> &[u8] {
        self.nodes[x].member.as_bytes()
    }

    #[inline]
    pub fn score(&self, x: u32) -> f64 {
        self.nodes[x].score
    }

    /// The first node (lowest score), or NIL.
    pub fn first(&self) -> u32 {
        self.lvl(HEAD, 0).forward
    }

    pub fn last(&self) -> u32 {
        self.tail
    }

    #[inline]
    pub fn next(&self, x: u32) -> u32 {
        self.lvl(x, 0).forward
    }

    #[inline]
    pub fn prev(&self, x: u32) -> u32 {
        self.nodes[x].backward
    }

    fn random_level(&mut self) -> usize {
        let mut level = 1;
        loop {
            let mut x = self.rng;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.rng = x;
            let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32;
            // p = 1/4 per extra level, as Redis's ZSKIPLIST_P.
            if r & 0xFFFF >= 0x4000 || level >= MAX_LEVEL {
                return level;
            }
            level += 1;
        }
    }

    fn alloc(&mut self, member: Key, score: f64, height: usize) -> u32 {
        const EMPTY: Level = Level {
            forward: NIL,
            span: 0,
        };
        self.member_heap += member.heap_size();
        let upper = height.saturating_sub(INLINE);
        let lv = match self.free_lv[upper] {
            _ if upper == 0 => 0,
            NIL => {
                let start = self.levels.len() as u32;
                self.levels.extend(std::iter::repeat_n(EMPTY_UPPER, upper));
                start
            }
            start => {
                self.free_lv[upper] = self.levels[start as usize].forward;
                start
            }
        };
        let node = Node {
            member,
            score,
            backward: NIL,
            lv,
            height: height as u8,
            low: [EMPTY; INLINE],
        };
        match self.free_node {
            NIL => self.nodes.push(node),
            x => {
                self.free_node = self.nodes[x].backward;
                self.nodes[x] = node;
                x
            }
        }
    }

    /// Unchains node `x` into the free lists and gives back its member.
    fn release(&mut self, x: u32) -> Key {
        let n = &mut self.nodes[x];
        let member = std::mem::replace(&mut n.member, Key::from(&b""[..]));
        self.member_heap -= member.heap_size();
        let (lv, upper) = (n.lv, (n.height as usize).saturating_sub(INLINE));
        n.backward = self.free_node;
        self.free_node = x;
        if upper > 0 {
            self.levels[lv as usize].forward = self.free_lv[upper];
            self.free_lv[upper] = lv;
        }
        member
    }

    /// Inserts an element known to be absent; returns its node.
    pub fn insert(&mut self, score: f64, member: Key) -> u32 {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let mut x = HEAD;
        let m = member.as_bytes();
        for i in (0..self.level).rev() {
            rank[i] = if i == self.level - 1 { 0 } else { rank[i + 1] };
            loop {
                let (l, fs) = self.step(x, i);
                // The member is compared only on a score tie.
                if l.forward != NIL && (fs < score || (fs == score && self.member(l.forward) < m)) {
                    rank[i] += l.span;
                    x = l.forward;
                } else {
                    break;
                }
            }
            update[i] = x;
        }
        let h = self.random_level();
        if h > self.level {
            for i in self.level..h {
                rank[i] = 0;
                update[i] = HEAD;
                *self.span_mut(HEAD, i) = self.len as u32;
            }
            self.level = h;
        }
        let x = self.alloc(member, score, h);
        for i in 0..h {
            let u = self.lvl(update[i], i);
            self.set_link(x, i, u.forward, u.span - (rank[0] - rank[i]));
            self.set_link(update[i], i, x, rank[0] - rank[i] + 1);
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(h) {
            *self.span_mut(u, i) += 1;
        }
        self.nodes[x].backward = if update[0] == HEAD { NIL } else { update[0] };
        let f = self.lvl(x, 0).forward;
        if f != NIL {
            self.nodes[f].backward = x;
        } else {
            self.tail = x;
        }
        self.len += 1;
        x
    }

    /// The predecessors at each level of the first node for which
    /// `before(list, node, score, rank)` is false (it must hold for a
    /// prefix of the list; `rank` is the candidate's 1-based rank; the
    /// member is read through `list` only when needed), and the 1-based
    /// rank of `update[0]` (0 for the header).
    fn find_update(
        &self,
        before: impl Fn(&Self, u32, f64, usize) -> bool,
    ) -> ([u32; MAX_LEVEL], usize) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut x = HEAD;
        let mut rank = 0usize;
        for i in (0..self.level).rev() {
            loop {
                let (l, fs) = self.step(x, i);
                let r = rank + l.span as usize;
                if l.forward != NIL && before(self, l.forward, fs, r) {
                    rank = r;
                    x = l.forward;
                } else {
                    break;
                }
            }
            update[i] = x;
        }
        (update, rank)
    }

    /// Number of leading nodes for which `before(score, member)` holds.
    pub fn count_where(&self, before: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.find_update(|z, f, s, _| before(s, z.member(f))).1
    }

    /// Number of leading nodes for which `before(score)` holds (score
    /// ranges: no member is read).
    pub fn count_where_score(&self, before: impl Fn(f64) -> bool) -> usize {
        self.find_update(|_, _, s, _| before(s)).1
    }

    fn delete_node(&mut self, x: u32, update: &[u32; MAX_LEVEL]) {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let xl = if i < self.nodes[x].height as usize {
                Some(self.lvl(x, i))
            } else {
                None
            };
            let ul = self.lvl(u, i);
            match xl {
                Some(xl) if ul.forward == x => {
                    self.set_link(u, i, xl.forward, ul.span + xl.span - 1);
                }
                _ => *self.span_mut(u, i) -= 1,
            }
        }
        let f = self.lvl(x, 0).forward;
        let b = self.nodes[x].backward;
        if f != NIL {
            self.nodes[f].backward = b;
        } else {
            self.tail = b;
        }
        while self.level > 1 && self.lvl(HEAD, self.level - 1).forward == NIL {
            self.level -= 1;
        }
        self.len -= 1;
    }

    /// Removes (score, member); returns the member's storage if found.
    pub fn delete(&mut self, score: f64, member: &[u8]) -> Option<Key> {
        let (update, _) =
            self.find_update(|z, f, s, _| s < score || (s == score && z.member(f) < member));
        let x = self.lvl(update[0], 0).forward;
        if x != NIL && self.score(x) == score && self.member(x) == member {
            self.delete_node(x, &update);
            Some(self.release(x))
        } else {
            None
        }
    }

    /// Removes `n` nodes from 0-based rank `lo` on; `gone` receives each
    /// removed member and score. Returns the number removed.
    pub fn delete_ranks(&mut self, lo: usize, n: usize, mut gone: impl FnMut(Key, f64)) -> usize {
        let (update, _) = self.find_update(|_, _, _, r| r <= lo);
        let mut x = self.lvl(update[0], 0).forward;
        let mut removed = 0;
        while x != NIL && removed < n {
            let next = self.lvl(x, 0).forward;
            self.delete_node(x, &update);
            let score = self.score(x);
            gone(self.release(x), score);
            removed += 1;
            x = next;
        }
        removed
    }

    /// 0-based rank of (score, member), if present.
    pub fn rank(&self, score: f64, member: &[u8]) -> Option<usize> {
        let (update, rank) =
            self.find_update(|z, f, s, _| s < score || (s == score && z.member(f) <= member));
        let x = update[0];
        (x != HEAD && self.member(x) == member).then(|| rank - 1)
    }

    /// The node at 0-based `rank` (NIL when out of range).
    pub fn by_rank(&self, rank: usize) -> u32 {
        if rank >= self.len {
            return NIL;
        }
        let target = rank + 1;
        let mut x = HEAD;
        let mut traversed = 0usize;
        for i in (0..self.level).rev() {
            loop {
                let l = self.lvl(x, i);
                if l.forward != NIL && traversed + l.span as usize <= target {
                    traversed += l.span as usize;
                    x = l.forward;
                } else {
                    break;
                }
            }
            if traversed == target {
                return x;
            }
        }
        NIL
    }

    /// Heap bytes held by the arena (memory accounting).
    pub fn heap_size(&self) -> usize {
        self.nodes.heap_bytes()
            + self.levels.capacity() * std::mem::size_of::<Upper>()
            + self.member_heap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: usize) -> Key {
        Key::from(format!("m{i:05}").as_bytes())
    }

    fn check(z: &SkipList) -> Vec<(f64, Vec<u8>)> {
        let mut out = Vec::new();
        let mut x = z.first();
        let mut prev = NIL;
        while x != NIL {
            assert_eq!(z.prev(x), prev);
            out.push((z.score(x), z.member(x).to_vec()));
            prev = x;
            x = z.next(x);
        }
        assert_eq!(z.last(), prev);
        assert_eq!(out.len(), z.len());
        // Every cached upper-level score, of the header and of each live
        // node, matches the node it points to.
        let mut n = HEAD;
        while n != NIL {
            let height = (z.nodes[n].height as usize).min(z.level);
            for i in INLINE..height {
                let (l, fs) = z.step(n, i);
                if l.forward != NIL {
                    assert_eq!(fs, z.score(l.forward), "cache of {n} at level {i}");
                }
            }
            n = z.next(n);
        }
        for (r, (s, m)) in out.iter().enumerate() {
            assert_eq!(z.rank(*s, m), Some(r), "rank of {r}");
            let n = z.by_rank(r);
            assert_eq!(z.member(n), &m[..]);
        }
        out
    }

    #[test]
    fn insert_delete_rank() {
        let mut z = SkipList::new();
        for i in 0..500 {
            z.insert(((i * 7919) % 500) as f64, key(i));
        }
        let all = check(&z);
        assert!(all.windows(2).all(|w| w[0].0 <= w[1].0));
        for i in (0..500).step_by(3) {
            let s = ((i * 7919) % 500) as f64;
            assert!(z.delete(s, key(i).as_bytes()).is_some());
            assert!(z.delete(s, key(i).as_bytes()).is_none());
        }
        check(&z);
        // Freed nodes and level blocks are reused.
        let nodes = z.nodes.len();
        for i in (0..500).step_by(3) {
            z.insert(-(i as f64), key(i));
        }
        assert_eq!(z.nodes.len(), nodes);
        check(&z);
        assert_eq!(z.count_where(|s, _| s < 0.0), 166);
    }

    #[test]
    fn ties_order_by_member_and_ranges_delete() {
        let mut z = SkipList::new();
        for i in 0..100 {
            z.insert(1.0, key(99 - i));
        }
        let all = check(&z);
        assert_eq!(all[0].1, b"m00000");
        let mut got = Vec::new();
        let n = z.delete_ranks(10, 10, |k, _| got.push(k));
        assert_eq!(n, 10);
        assert_eq!(got[0].as_bytes(), b"m00010");
        assert_eq!(got[9].as_bytes(), b"m00019");
        assert_eq!(z.len(), 90);
        check(&z);
        let n = z.delete_ranks(85, 10, |_, _| {});
        assert_eq!(n, 5);
        check(&z);
        assert_eq!(
            z.delete_ranks(0, 1, |k, _| assert_eq!(k.as_bytes(), b"m00000")),
            1
        );
        check(&z);
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// CPU time of this thread in ns: the machine is shared, wall time lies.
    fn cpu_ns() -> u64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    /// `cargo test --release --lib skiplist::timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn insert_million_random() {
        for n in [100_000u64, 1_000_000] {
            let mut z = SkipList::new();
            let mut x = 0x1234_5678_u64;
            let keys: Vec<Key> = (0..n)
                .map(|i| Key::from(format!("element:{i:012}").as_bytes()))
                .collect();
            let t = cpu_ns();
            for k in keys {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                z.insert((x % 1_000_000) as f64, k);
            }
            println!("n={n} insert: {} ns CPU per op", (cpu_ns() - t) / n);
            let t = cpu_ns();
            let mut found = 0;
            for r in (0..n as usize).step_by(7) {
                let x = z.by_rank(r);
                found += usize::from(z.rank(z.score(x), z.member(x)) == Some(r));
            }
            assert_eq!(found, (n as usize).div_ceil(7));
            println!(
                "n={n} by_rank+rank: {} ns CPU per op",
                (cpu_ns() - t) / found as u64
            );
        }
    }
}
