//! An incrementally rehashed hash table, the shape of Redis's `dict`.
//!
//! Growing a plain `HashMap` copies every entry in one go, which at ten
//! million keys stalls the loop for hundreds of milliseconds. Here a resize
//! allocates the new bucket array (mapped lazily, see `buckets.rs`) and then
//! moves one old bucket per operation, plus a time-boxed batch from the
//! server's cron, so no single request pays for the whole table. While both
//! tables are live, lookups check the old one and then the new one.
//!
//! Entries are chained nodes: a node never moves in memory once created,
//! which keeps rehashing to pointer relinking, and lets SCAN use Redis's
//! reverse-binary cursor, which returns every element present for the
//! whole scan at least once, even across resizes.

use super::buckets::Buckets;

type Link<V> = Option<Box<Node<V>>>;

pub struct Node<V> {
    next: Link<V>,
    pub key: Key,
    pub val: V,
}

/// Buckets visited per rehash step before giving up on empty ones (Redis
/// uses ten times the step), so a sparse table cannot make one step long.
const EMPTY_VISITS_PER_STEP: usize = 10;

/// Most keys [`Dict::warm`] takes at once: a pipeline batch of 16
/// (redis-benchmark's -P 16, a typical client pipeline) fits.
pub const WARM_MAX: usize = 16;

/// Smallest table, as Redis's `DICT_HT_INITIAL_SIZE`.
const MIN_SIZE: usize = 4;

struct Table<V> {
    buckets: Buckets<Node<V>>,
    used: usize,
}

impl<V> Table<V> {
    fn empty() -> Self {
        Table {
            buckets: Buckets::new(),
            used: 0,
        }
    }

    fn with_size(size: usize) -> Self {
        Table {
            buckets: Buckets::zeroed(size),
            used: 0,
        }
    }

    fn mask(&self) -> usize {
        self.buckets.len().wrapping_sub(1)
    }
}

impl<V> Drop for Table<V> {
    fn drop(&mut self) {
        // A table emptied by a finished rehash holds no nodes: skip the
        // pass over its buckets, which at millions of buckets is a stall.
        if self.used == 0 {
            self.buckets.mark_empty();
            return;
        }
        // Unlink chains iteratively: the default drop of a long chain recurses.
        for b in self.buckets.iter_mut() {
            let mut cur = b.take();
            while let Some(mut node) = cur {
                cur = node.next.take();
            }
        }
        self.buckets.mark_empty();
    }
}

/// What [`Dict::lookup_or_evict`] found.
pub enum Lookup<'a, V> {
    Absent,
    Live(&'a mut V),
    Evicted(Key, V),
}

pub struct Dict<V> {
    /// `t[0]` is the main table; `t[1]` is the target of a rehash in progress.
    t: [Table<V>; 2],
    /// Next bucket of `t[0]` to move while rehashing.
    rehash_idx: Option<usize>,
    hasher: ahash::RandomState,
    rng: u64,
    /// The bucket array a finished rehash emptied (all `None`), given back
    /// to the system a slice at a time by
    /// [`release_retired`](Self::release_retired).
    retired: Buckets<Node<V>>,
}

impl<V> Default for Dict<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> Dict<V> {
    pub fn new() -> Self {
        let hasher = ahash::RandomState::new();
        let rng = hasher.hash_one(0x5eed_u64) | 1;
        Dict {
            t: [Table::empty(), Table::empty()],
            rehash_idx: None,
            hasher,
            rng,
            retired: Buckets::new(),
        }
    }

    #[inline]
    pub fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    pub fn len(&self) -> usize {
        self.t[0].used + self.t[1].used
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_rehashing(&self) -> bool {
        self.rehash_idx.is_some()
    }

    /// Total buckets of both tables, and of an array still being released
    /// (memory accounting).
    pub fn buckets(&self) -> usize {
        self.t[0].buckets.len() + self.t[1].buckets.len() + self.retired.len()
    }

    pub fn get(&self, key: &[u8]) -> Option<&V> {
        let h = self.hash(key);
        self.get_hashed(h, key)
    }

    pub fn get_hashed(&self, h: u64, key: &[u8]) -> Option<&V> {
        for t in self.live_tables() {
            let mut cur = t.buckets[h as usize & t.mask()].as_deref();
            while let Some(n) = cur {
                if n.key.as_bytes() == key {
                    return Some(&n.val);
                }
                cur = n.next.as_deref();
            }
        }
        None
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        let h = self.hash(key);
        self.get_hashed_mut(h, key)
    }

    pub fn get_hashed_mut(&mut self, h: u64, key: &[u8]) -> Option<&mut V> {
        match self.lookup_or_evict(h, key, |_| false) {
            Lookup::Live(v) => Some(v),
            _ => None,
        }
    }

    /// One pass over `key`'s chain: the live value, or — when `evict`
    /// says the value must go (an expired key) — the entry unlinked.
    pub fn lookup_or_evict(
        &mut self,
        h: u64,
        key: &[u8],
        evict: impl Fn(&V) -> bool,
    ) -> Lookup<'_, V> {
        self.rehash_step();
        self.walk(h, |k, _| k.as_bytes() == key, evict)
    }

    /// The chain walk under every lookup and removal: the first entry of
    /// `h`'s buckets (both tables while rehashing) that `is_match` accepts,
    /// unlinked if `evict` says so, else borrowed.
    fn walk(
        &mut self,
        h: u64,
        mut is_match: impl FnMut(&Key, &V) -> bool,
        evict: impl Fn(&V) -> bool,
    ) -> Lookup<'_, V> {
        let rehashing = self.rehash_idx.is_some();
        for (i, t) in self.t.iter_mut().enumerate() {
            if i == 1 && !rehashing || t.buckets.is_empty() {
                continue;
            }
            let idx = h as usize & t.mask();
            let mut link = &mut t.buckets[idx];
            loop {
                match link {
                    None => break,
                    Some(n) if is_match(&n.key, &n.val) => {
                        if evict(&n.val) {
                            let mut node = link.take().expect("matched Some");
                            *link = node.next.take();
                            t.used -= 1;
                            let Node { key, val, .. } = *node;
                            return Lookup::Evicted(key, val);
                        }
                        return Lookup::Live(&mut link.as_mut().expect("matched Some").val);
                    }
                    Some(n) => link = &mut n.next,
                }
            }
        }
        Lookup::Absent
    }

    /// Touches the buckets, then the first nodes, that `hashes` name, in two
    /// passes of independent loads. Their cache misses then overlap (the
    /// CPU keeps many loads in flight) instead of being paid one after
    /// another as a pipeline's commands run. A hint only: the keys are not
    /// compared, and a rehash's second table is not looked at.
    pub fn warm(&self, hashes: &[u64]) {
        let t = &self.t[0];
        if t.buckets.is_empty() {
            return;
        }
        let mask = t.mask();
        let mut firsts: [Option<&Node<V>>; WARM_MAX] = [None; WARM_MAX];
        for (slot, &h) in firsts.iter_mut().zip(hashes) {
            *slot = t.buckets[h as usize & mask].as_deref();
        }
        let mut touched = 0usize;
        for n in firsts.iter().flatten() {
            touched ^= n.key.as_bytes().len();
        }
        std::hint::black_box(touched);
    }

    /// Inserts a key known to be absent.
    pub fn insert_new(&mut self, h: u64, key: Key, val: V) -> &mut V {
        self.rehash_step();
        self.expand_if_needed();
        let ti = usize::from(self.rehash_idx.is_some());
        let t = &mut self.t[ti];
        let idx = h as usize & t.mask();
        let next = t.buckets[idx].take();
        t.buckets[idx] = Some(Box::new(Node { next, key, val }));
        t.used += 1;
        // The node was just placed at the head of this bucket.
        t.buckets[idx]
            .as_mut()
            .map(|n| &mut n.val)
            .expect("just inserted")
    }

    pub fn remove(&mut self, key: &[u8]) -> Option<(Key, V)> {
        let h = self.hash(key);
        self.remove_hashed(h, key)
    }

    pub fn remove_hashed(&mut self, h: u64, key: &[u8]) -> Option<(Key, V)> {
        self.rehash_step();
        Self::evicted(self.walk(h, |k, _| k.as_bytes() == key, |_| true))
    }

    /// Removes the first entry in `h`'s buckets for which `pred` holds and
    /// whose key hashes to `h`: how the expiry heap, which holds hashes
    /// rather than keys, finds the key it names.
    pub fn remove_where(&mut self, h: u64, mut pred: impl FnMut(&V) -> bool) -> Option<(Key, V)> {
        let hasher = self.hasher.clone();
        let is_match = |k: &Key, v: &V| pred(v) && hasher.hash_one(k.as_bytes()) == h;
        Self::evicted(self.walk(h, is_match, |_| true))
    }

    fn evicted(l: Lookup<'_, V>) -> Option<(Key, V)> {
        match l {
            Lookup::Evicted(k, v) => Some((k, v)),
            _ => None,
        }
    }

    /// True if some entry whose key hashes to `h` satisfies `pred`.
    pub fn any_where(&self, h: u64, mut pred: impl FnMut(&V) -> bool) -> bool {
        for t in self.live_tables() {
            let mut cur = t.buckets[h as usize & t.mask()].as_deref();
            while let Some(n) = cur {
                if pred(&n.val) && self.hash(n.key.as_bytes()) == h {
                    return true;
                }
                cur = n.next.as_deref();
            }
        }
        false
    }

    fn live_tables(&self) -> impl Iterator<Item = &Table<V>> {
        let n = if self.rehash_idx.is_some() { 2 } else { 1 };
        self.t[..n].iter().filter(|t| !t.buckets.is_empty())
    }

    fn expand_if_needed(&mut self) {
        if self.rehash_idx.is_some() {
            return;
        }
        let t = &self.t[0];
        if t.buckets.is_empty() {
            self.t[0] = Table::with_size(MIN_SIZE);
        } else if t.used >= t.buckets.len() {
            self.start_rehash((t.used + 1).next_power_of_two());
        }
    }

    /// Gives back up to `buckets` slots of the retired array, from its
    /// tail. Returns true while some remain.
    pub fn release_retired(&mut self, buckets: usize) -> bool {
        if self.retired.is_empty() {
            return false;
        }
        let keep = self.retired.len().saturating_sub(buckets);
        if keep == 0 {
            self.retired = Buckets::new();
            return false;
        }
        self.retired.release_tail(keep);
        true
    }

    /// Starts shrinking when fewer than one bucket in ten is used, as Redis;
    /// called from the cron rather than from deletes.
    pub fn shrink_if_needed(&mut self) {
        if self.rehash_idx.is_some() {
            return;
        }
        let t = &self.t[0];
        if t.buckets.len() > MIN_SIZE && t.used * 10 < t.buckets.len() {
            self.start_rehash(t.used.next_power_of_two().max(MIN_SIZE));
        }
    }

    fn start_rehash(&mut self, size: usize) {
        if size == self.t[0].buckets.len() {
            return;
        }
        self.t[1] = Table::with_size(size);
        self.rehash_idx = Some(0);
    }

    #[inline]
    fn rehash_step(&mut self) {
        if self.rehash_idx.is_some() {
            self.rehash(1);
        }
    }

    /// Moves up to `n` non-empty buckets from the old table to the new one.
    /// Returns true while a rehash is still in progress.
    pub fn rehash(&mut self, n: usize) -> bool {
        let Some(mut idx) = self.rehash_idx else {
            return false;
        };
        let mut empty_visits = n * EMPTY_VISITS_PER_STEP;
        let [old, new] = &mut self.t;
        let new_mask = new.mask();
        let mut moved = 0;
        while moved < n && old.used > 0 {
            let mut chain = old.buckets[idx].take();
            if chain.is_none() {
                idx += 1;
                empty_visits -= 1;
                if empty_visits == 0 {
                    break;
                }
                continue;
            }
            while let Some(mut node) = chain {
                chain = node.next.take();
                let h = self.hasher.hash_one(node.key.as_bytes());
                let slot = &mut new.buckets[h as usize & new_mask];
                node.next = slot.take();
                *slot = Some(node);
                old.used -= 1;
                new.used += 1;
            }
            idx += 1;
            moved += 1;
        }
        if old.used == 0 {
            let new = std::mem::replace(&mut self.t[1], Table::empty());
            let mut emptied = std::mem::replace(&mut self.t[0], new);
            // Freeing tens of MB of touched pages in one go holds the loop
            // for milliseconds: the array is released in slices instead.
            self.retired = std::mem::take(&mut emptied.buckets);
            self.retired.mark_empty();
            self.rehash_idx = None;
            false
        } else {
            self.rehash_idx = Some(idx);
            true
        }
    }

    /// One SCAN step from `cursor`: calls `f` for every entry of the
    /// bucket(s) the cursor names and returns the next cursor (0 when done).
    /// The cursor advances by reversed-bit increments, so buckets that split
    /// or merge across a resize are never skipped.
    pub fn scan(&self, cursor: u64, mut f: impl FnMut(&Key, &V)) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let mut v = cursor;
        let emit = |t: &Table<V>, v: u64, f: &mut dyn FnMut(&Key, &V)| {
            let mut cur = t.buckets[v as usize & t.mask()].as_deref();
            while let Some(n) = cur {
                f(&n.key, &n.val);
                cur = n.next.as_deref();
            }
        };
        if self.rehash_idx.is_none() {
            let t = &self.t[0];
            let m = t.mask() as u64;
            emit(t, v, &mut f);
            v |= !m;
            v = v.reverse_bits().wrapping_add(1).reverse_bits();
        } else {
            let (small, big) = if self.t[0].buckets.len() <= self.t[1].buckets.len() {
                (&self.t[0], &self.t[1])
            } else {
                (&self.t[1], &self.t[0])
            };
            let m0 = small.mask() as u64;
            let m1 = big.mask() as u64;
            emit(small, v, &mut f);
            // Every bucket of the big table that the small bucket expands to.
            loop {
                emit(big, v, &mut f);
                v |= !m1;
                v = v.reverse_bits().wrapping_add(1).reverse_bits();
                // Once the bits only the big table has wrap to zero, the
                // carry has already advanced the small table's cursor.
                if v & (m0 ^ m1) == 0 {
                    break;
                }
            }
        }
        v
    }

    /// Every entry, borrowed for as long as the dict (set operations
    /// collect members of several sets at once).
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &V)> + '_ {
        self.live_tables()
            .flat_map(|t| t.buckets.iter())
            .flat_map(|b| {
                let mut cur = b.as_deref();
                std::iter::from_fn(move || {
                    let n = cur?;
                    cur = n.next.as_deref();
                    Some((&n.key, &n.val))
                })
            })
    }

    /// Calls `f` for every entry (KEYS, FLUSH accounting, tests).
    pub fn for_each(&self, mut f: impl FnMut(&Key, &V)) {
        for t in self.live_tables() {
            for b in t.buckets.iter() {
                let mut cur = b.as_deref();
                while let Some(n) = cur {
                    f(&n.key, &n.val);
                    cur = n.next.as_deref();
                }
            }
        }
    }

    fn next_rand(&mut self) -> u64 {
        // xorshift64*: quality is ample for picking a random bucket.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Removes a random entry (SPOP): the key [`random_key`](Self::random_key)
    /// draws, found again by its hash (a full 64-bit collision would
    /// remove the other key of that hash, which is just as random).
    pub fn remove_random(&mut self) -> Option<(Key, V)> {
        let hasher = self.hasher.clone();
        let h = hasher.hash_one(self.random_key()?.as_bytes());
        self.remove_where(h, |_| true)
    }

    /// A random entry's key, as RANDOMKEY: a random non-empty bucket, then
    /// a random node of its chain.
    pub fn random_key(&mut self) -> Option<&Key> {
        self.random_entry().map(|(k, _)| k)
    }

    /// A random entry (HRANDFIELD), picked as [`random_key`](Self::random_key).
    pub fn random_entry(&mut self) -> Option<(&Key, &V)> {
        if self.is_empty() {
            return None;
        }
        self.rehash_step();
        let (bucket_ti, bucket_idx) = loop {
            let r = self.next_rand() as usize;
            let (ti, idx) = match self.rehash_idx {
                Some(ridx) => {
                    let s0 = self.t[0].buckets.len();
                    let total = s0 + self.t[1].buckets.len();
                    // Buckets of t[0] before rehash_idx are empty.
                    let i = ridx + r % (total - ridx);
                    if i < s0 { (0, i) } else { (1, i - s0) }
                }
                None => (0, r & self.t[0].mask()),
            };
            if self.t[ti].buckets[idx].is_some() {
                break (ti, idx);
            }
        };
        let mut len = 0;
        let mut cur = self.t[bucket_ti].buckets[bucket_idx].as_deref();
        while let Some(n) = cur {
            len += 1;
            cur = n.next.as_deref();
        }
        let mut pick = self.next_rand() as usize % len;
        let mut cur = self.t[bucket_ti].buckets[bucket_idx].as_deref();
        while let Some(n) = cur {
            if pick == 0 {
                return Some((&n.key, &n.val));
            }
            pick -= 1;
            cur = n.next.as_deref();
        }
        None
    }
}

pub use super::key::Key;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn k(i: usize) -> Vec<u8> {
        format!("key:{i}").into_bytes()
    }

    fn insert(d: &mut Dict<usize>, i: usize) {
        let key = k(i);
        let h = d.hash(&key);
        assert!(d.get_hashed(h, &key).is_none());
        d.insert_new(h, Key::from(&key[..]), i);
    }

    #[test]
    fn insert_get_remove_across_growth() {
        let mut d = Dict::new();
        for i in 0..10_000 {
            insert(&mut d, i);
        }
        assert_eq!(d.len(), 10_000);
        for i in 0..10_000 {
            assert_eq!(d.get(&k(i)), Some(&i));
        }
        for i in (0..10_000).step_by(2) {
            assert_eq!(d.remove(&k(i)).map(|(_, v)| v), Some(i));
        }
        assert_eq!(d.len(), 5_000);
        assert!(d.get(&k(2)).is_none());
        assert_eq!(d.get(&k(3)), Some(&3));
    }

    #[test]
    fn growth_is_incremental() {
        let mut d = Dict::new();
        for i in 0..1025 {
            insert(&mut d, i);
        }
        // 1025 keys triggered a resize to 2048 that is not finished yet.
        assert!(d.is_rehashing());
        while d.rehash(100) {}
        assert!(!d.is_rehashing());
        assert_eq!(d.len(), 1025);
        // The emptied 1024-bucket array is given back in slices.
        assert_eq!(d.buckets(), 2048 + 1024);
        assert!(d.release_retired(1000));
        assert_eq!(d.buckets(), 2048 + 24);
        assert!(!d.release_retired(1000));
        assert_eq!(d.buckets(), 2048);
    }

    #[test]
    fn shrink_after_deletes() {
        let mut d = Dict::new();
        for i in 0..4096 {
            insert(&mut d, i);
        }
        while d.rehash(1000) {}
        for i in 0..4000 {
            d.remove(&k(i));
        }
        d.shrink_if_needed();
        while d.rehash(1000) {}
        while d.release_retired(1000) {}
        assert_eq!(d.buckets(), 128);
        for i in 4000..4096 {
            assert_eq!(d.get(&k(i)), Some(&i));
        }
    }

    #[test]
    fn scan_sees_every_key_while_growing_and_shrinking() {
        let mut d = Dict::new();
        for i in 0..1000 {
            insert(&mut d, i);
        }
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut next = 1000;
        loop {
            cursor = d.scan(cursor, |_, &v| {
                seen.insert(v);
            });
            // Growth stops at some point, or the scan would chase it forever.
            for _ in 0..50 {
                if next < 20_000 {
                    insert(&mut d, next);
                    next += 1;
                }
            }
            if cursor == 0 {
                break;
            }
        }
        assert!((0..1000).all(|i| seen.contains(&i)));

        // And while shrinking: delete the late keys between steps.
        let mut seen = HashSet::new();
        let mut cursor = 0;
        let mut del = 1000;
        loop {
            cursor = d.scan(cursor, |_, &v| {
                seen.insert(v);
            });
            for _ in 0..200 {
                if del < next {
                    d.remove(&k(del));
                    del += 1;
                }
            }
            d.shrink_if_needed();
            if cursor == 0 {
                break;
            }
        }
        assert!((0..1000).all(|i| seen.contains(&i)));
    }

    #[test]
    fn remove_where_matches_value_and_hash() {
        let mut d = Dict::new();
        for i in 0..100 {
            insert(&mut d, i);
        }
        let h = d.hash(&k(42));
        assert!(d.any_where(h, |&v| v == 42));
        assert!(!d.any_where(h, |&v| v == 43));
        assert_eq!(d.remove_where(h, |&v| v == 42).map(|(_, v)| v), Some(42));
        assert!(d.get(&k(42)).is_none());
    }

    #[test]
    fn warm_is_a_harmless_hint() {
        let mut d: Dict<usize> = Dict::new();
        d.warm(&[1, 2, 3]);
        for i in 0..1025 {
            insert(&mut d, i);
        }
        assert!(d.is_rehashing());
        let hashes: Vec<u64> = (0..40).map(|i| d.hash(&k(i))).collect();
        d.warm(&hashes);
        assert_eq!(d.get(&k(7)), Some(&7));
    }

    #[test]
    fn random_key_returns_members() {
        let mut d = Dict::new();
        assert!(d.random_key().is_none());
        for i in 0..3000 {
            insert(&mut d, i);
        }
        let mut seen = HashSet::new();
        for _ in 0..200 {
            let key = d.random_key().unwrap().as_bytes().to_vec();
            assert!(d.get(&key).is_some());
            seen.insert(key);
        }
        assert!(seen.len() > 100);
    }
}
