//! The expiry heap: a min-heap of (deadline, key hash).
//!
//! It holds no copy of the key: the hash names the bucket, and the entry
//! whose deadline equals the item's deadline (and whose key hashes the
//! same) is the one it means. When a key's deadline changes or the key goes
//! away, its item is left behind as stale and skipped when popped. Stale
//! items are compacted away once they outnumber live ones: the heap is
//! moved aside and drained from its tail in bounded steps (removing the
//! last element of a binary heap keeps it a heap), so compaction never
//! holds the loop, and items still due in the old heap are popped from it
//! as usual meanwhile.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    pub when: u64,
    pub hash: u64,
}

/// Compaction starts once the heap holds this many more items than twice
/// the keys with a deadline; below it a rebuild is not worth the work.
const COMPACT_SLACK: usize = 1024;

#[derive(Default)]
pub struct ExpireHeap {
    heap: Vec<Item>,
    /// The previous heap, drained by [`compact_step`](Self::compact_step).
    old: Vec<Item>,
    /// Heap size when the last compaction finished: another starts only
    /// once the heap has doubled since, so a pass that could remove
    /// nothing is not repeated every iteration.
    floor: usize,
}

impl ExpireHeap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.heap.len() + self.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Heap bytes held (memory accounting).
    pub fn heap_size(&self) -> usize {
        (self.heap.capacity() + self.old.capacity()) * std::mem::size_of::<Item>()
    }

    pub fn push(&mut self, when: u64, hash: u64) {
        push(&mut self.heap, Item { when, hash });
    }

    /// The earliest item of both heaps.
    pub fn peek(&self) -> Option<Item> {
        match (self.heap.first(), self.old.first()) {
            (Some(a), Some(b)) => Some(if b.when < a.when { *b } else { *a }),
            (a, b) => a.or(b).copied(),
        }
    }

    pub fn pop(&mut self) -> Option<Item> {
        let from_old = match (self.heap.first(), self.old.first()) {
            (Some(a), Some(b)) => b.when < a.when,
            (None, Some(_)) => true,
            _ => false,
        };
        if from_old {
            pop(&mut self.old)
        } else {
            pop(&mut self.heap)
        }
    }

    pub fn is_compacting(&self) -> bool {
        !self.old.is_empty()
    }

    /// Starts a compaction if stale items outnumber the `live` ones.
    pub fn maybe_start_compaction(&mut self, live: usize) -> bool {
        if self.old.is_empty() && self.heap.len() > (2 * live + COMPACT_SLACK).max(2 * self.floor) {
            self.old = std::mem::take(&mut self.heap);
            true
        } else {
            false
        }
    }

    /// Moves up to `n` items from the old heap's tail into the new one,
    /// keeping those `is_live` confirms. Returns true while items remain.
    pub fn compact_step(&mut self, n: usize, mut is_live: impl FnMut(Item) -> bool) -> bool {
        for _ in 0..n {
            let Some(item) = self.old.pop() else {
                break;
            };
            if is_live(item) {
                push(&mut self.heap, item);
            }
        }
        if self.old.is_empty() {
            self.old = Vec::new();
            self.floor = self.heap.len();
            false
        } else {
            true
        }
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

fn push(h: &mut Vec<Item>, item: Item) {
    h.push(item);
    let mut i = h.len() - 1;
    while i > 0 {
        let parent = (i - 1) / 2;
        if h[parent].when <= h[i].when {
            break;
        }
        h.swap(parent, i);
        i = parent;
    }
}

fn pop(h: &mut Vec<Item>) -> Option<Item> {
    if h.is_empty() {
        return None;
    }
    let last = h.len() - 1;
    h.swap(0, last);
    let top = h.pop();
    let n = h.len();
    let mut i = 0;
    loop {
        let l = 2 * i + 1;
        if l >= n {
            break;
        }
        let r = l + 1;
        let c = if r < n && h[r].when < h[l].when { r } else { l };
        // Only deadlines are compared: items sharing one (a bulk load with
        // one TTL) then pop without sifting through the whole depth.
        if h[i].when <= h[c].when {
            break;
        }
        h.swap(i, c);
        i = c;
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_deadline_order() {
        let mut h = ExpireHeap::new();
        for w in [50, 10, 40, 10, 30, 20] {
            h.push(w, w * 7);
        }
        let order: Vec<u64> = std::iter::from_fn(|| h.pop()).map(|i| i.when).collect();
        assert_eq!(order, vec![10, 10, 20, 30, 40, 50]);
    }

    #[test]
    fn compaction_keeps_live_items_and_order() {
        let mut h = ExpireHeap::new();
        for w in 0..5000u64 {
            h.push(10_000 - w, w);
        }
        // Only even hashes are live.
        assert!(h.maybe_start_compaction(100));
        assert!(h.is_compacting());
        // Items stay poppable in order during compaction.
        assert_eq!(h.pop().map(|i| i.when), Some(5001));
        h.push(1, 1);
        let mut steps = 0;
        while h.compact_step(64, |i| i.hash % 2 == 0) {
            steps += 1;
        }
        assert!(steps > 10, "compaction must be spread over many steps");
        assert_eq!(h.len(), 2500 + 1);
        let first = h.pop().unwrap();
        assert_eq!((first.when, first.hash), (1, 1));
        let mut prev = 0;
        while let Some(i) = h.pop() {
            assert!(i.when >= prev && i.hash % 2 == 0);
            prev = i.when;
        }
    }

    #[test]
    fn no_compaction_when_mostly_live() {
        let mut h = ExpireHeap::new();
        for w in 0..3000 {
            h.push(w, w);
        }
        assert!(!h.maybe_start_compaction(1500));
        assert!(h.maybe_start_compaction(900));
    }
}
