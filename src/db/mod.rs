//! The keyspace: numbered databases, each a dict of entries plus the
//! expiry heap that drives active expiry.
//!
//! Every change to a key's deadline goes through [`Db`], which keeps the
//! count and sum of deadlines (INFO's `expires` and `avg_ttl`) exact and
//! pushes heap items, so handlers never touch expiry bookkeeping.

pub mod buckets;
pub mod dict;
pub mod expire;
pub mod key;
pub mod lazyfree;
pub mod value;
pub mod watch;

use std::time::Instant;

pub use dict::Dict;
use expire::ExpireHeap;
pub use key::Key;
pub use value::{Slot, Value};

/// What a write does to the key's deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ttl {
    /// Remove any deadline (plain SET).
    Clear,
    /// Keep the current one (KEEPTTL, SETRANGE, APPEND, INCR...).
    Keep,
    /// Expire at this time, ms since the epoch.
    At(u64),
}

/// Values whose free effort (elements) passes this are dropped on the
/// lazyfree thread rather than on the loop, as Redis's
/// `LAZYFREE_THRESHOLD`.
pub const LAZYFREE_THRESHOLD: usize = 64;

/// Items checked between two reads of the clock in a budgeted pass.
const CLOCK_CHECK_EVERY: usize = 64;

#[derive(Default)]
pub struct Db {
    dict: Dict<Slot>,
    heap: ExpireHeap,
    /// Keys that have a deadline.
    expires: usize,
    /// Sum of those deadlines, for an exact `avg_ttl`.
    deadline_sum: u128,
    /// Keys removed because they expired (lazily or actively).
    pub expired: u64,
    /// WATCHed keys of this database; signalled by every mutating path.
    watched: watch::Watched,
    /// Big values removed or overwritten, waiting for the server to hand
    /// them to the lazyfree thread (see [`Db::take_garbage`]).
    garbage: Vec<Value>,
}

impl Db {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    pub fn expires(&self) -> usize {
        self.expires
    }

    /// Average remaining TTL in ms of keys with a deadline, 0 without any.
    pub fn avg_ttl(&self, now: u64) -> u64 {
        if self.expires == 0 {
            return 0;
        }
        let avg = (self.deadline_sum / self.expires as u128) as u64;
        avg.saturating_sub(now)
    }

    pub fn dict(&self) -> &Dict<Slot> {
        &self.dict
    }

    /// The live entry under `key`, deleting it first if it has expired.
    pub fn lookup(&mut self, key: &[u8], now: u64) -> Option<&mut Slot> {
        // Borrowed field by field: the returned slot borrows only `dict`.
        let Db {
            dict,
            expires,
            deadline_sum,
            expired,
            watched,
            ..
        } = self;
        let h = dict.hash(key);
        match dict.lookup_or_evict(h, key, |s| s.is_expired(now)) {
            dict::Lookup::Live(slot) => Some(slot),
            dict::Lookup::Absent => None,
            dict::Lookup::Evicted(_, slot) => {
                // Only an expired entry, hence one with a deadline, is evicted.
                *expires -= 1;
                *deadline_sum -= slot.expire_at as u128;
                *expired += 1;
                if !watched.is_empty() {
                    watched.touch(key, false);
                }
                Self::dispose_into(&mut self.garbage, slot.value);
                None
            }
        }
    }

    /// Stores `value` under `key`, overwriting any value of any type.
    pub fn set(&mut self, key: &[u8], value: Value, ttl: Ttl, now: u64) {
        self.set_inner(key, value, ttl, now);
        self.signal_modified(key);
    }

    fn set_inner(&mut self, key: &[u8], value: Value, ttl: Ttl, now: u64) {
        let h = self.dict.hash(key);
        let old_when = match self.dict.get_hashed_mut(h, key) {
            Some(slot) => {
                let old = slot.expire_at;
                let old_value = std::mem::replace(&mut slot.value, value);
                Self::dispose_into(&mut self.garbage, old_value);
                if old != 0 && now > old && ttl == Ttl::Keep {
                    // An expired key's deadline is not kept for its successor.
                    slot.expire_at = 0;
                    self.forget_deadline(old);
                    return;
                }
                old
            }
            None => {
                self.dict.insert_new(
                    h,
                    Key::from(key),
                    Slot {
                        value,
                        expire_at: 0,
                    },
                );
                0
            }
        };
        match ttl {
            Ttl::Keep => {}
            Ttl::Clear => {
                if old_when != 0 {
                    self.set_deadline(h, key, 0);
                }
            }
            Ttl::At(when) => self.set_deadline(h, key, when),
        }
    }

    /// Inserts an entry moved from elsewhere (RENAME, MOVE, COPY) with its
    /// deadline. The key must be absent.
    pub fn insert_slot(&mut self, key: &[u8], slot: Slot) {
        let h = self.dict.hash(key);
        let when = slot.expire_at;
        self.dict.insert_new(
            h,
            Key::from(key),
            Slot {
                expire_at: 0,
                ..slot
            },
        );
        if when != 0 {
            self.set_deadline(h, key, when);
        }
        self.signal_modified(key);
    }

    /// Deletes `key` (DEL, UNLINK), freeing a big value off the loop.
    /// False if it was absent or already expired.
    pub fn delete(&mut self, key: &[u8], now: u64) -> bool {
        let h = self.dict.hash(key);
        let Some(slot) = self.remove_hashed(h, key) else {
            return false;
        };
        self.signal_modified(key);
        let live = !slot.is_expired(now);
        if !live {
            self.expired += 1;
        }
        Self::dispose_into(&mut self.garbage, slot.value);
        live
    }

    /// Drops `v` here if that is cheap, else keeps it for the lazyfree
    /// thread.
    fn dispose_into(garbage: &mut Vec<Value>, v: Value) {
        if v.free_effort() > LAZYFREE_THRESHOLD {
            garbage.push(v);
        }
    }

    /// The big values removed since the last call, for the server to free
    /// on the lazyfree thread.
    pub fn take_garbage(&mut self) -> Option<Vec<Value>> {
        (!self.garbage.is_empty()).then(|| std::mem::take(&mut self.garbage))
    }

    /// Removes `key`; an already expired key counts as absent.
    pub fn remove(&mut self, key: &[u8], now: u64) -> Option<Slot> {
        let h = self.dict.hash(key);
        let slot = self.remove_hashed(h, key)?;
        self.signal_modified(key);
        if slot.is_expired(now) {
            self.expired += 1;
            Self::dispose_into(&mut self.garbage, slot.value);
            None
        } else {
            Some(slot)
        }
    }

    fn remove_hashed(&mut self, h: u64, key: &[u8]) -> Option<Slot> {
        let (_, slot) = self.dict.remove_hashed(h, key)?;
        if slot.expire_at != 0 {
            self.forget_deadline(slot.expire_at);
        }
        Some(slot)
    }

    /// Sets (when > 0) or removes (0) the deadline of an existing key.
    pub fn set_expire(&mut self, key: &[u8], when: u64) {
        let h = self.dict.hash(key);
        self.set_deadline(h, key, when);
        self.signal_modified(key);
    }

    fn set_deadline(&mut self, h: u64, key: &[u8], when: u64) {
        let Some(slot) = self.dict.get_hashed_mut(h, key) else {
            return;
        };
        let old = std::mem::replace(&mut slot.expire_at, when);
        if old == when {
            // Its heap item is still live: a second one would never be
            // compacted away (both would look live).
            return;
        }
        if old != 0 {
            self.forget_deadline(old);
        }
        if when != 0 {
            self.expires += 1;
            self.deadline_sum += when as u128;
            self.heap.push(when, h);
        }
    }

    fn forget_deadline(&mut self, when: u64) {
        self.expires -= 1;
        self.deadline_sum -= when as u128;
    }

    /// Removes expired keys in deadline order until none is due or the
    /// clock passes `until`. Returns the number removed and whether due
    /// work (expiry or heap compaction) remains.
    pub fn active_expire(&mut self, now: u64, until: Instant) -> (usize, bool) {
        let mut removed = 0;
        let mut checked = 0;
        while let Some(item) = self.heap.peek() {
            if now <= item.when {
                break;
            }
            checked += 1;
            if checked % CLOCK_CHECK_EVERY == 0 && Instant::now() >= until {
                self.expired += removed as u64;
                return (removed, true);
            }
            self.heap.pop();
            let hit = self
                .dict
                .remove_where(item.hash, |s| s.expire_at == item.when);
            if let Some((key, slot)) = hit {
                self.forget_deadline(slot.expire_at);
                Self::dispose_into(&mut self.garbage, slot.value);
                removed += 1;
                self.signal_modified(key.as_bytes());
            }
        }
        self.expired += removed as u64;
        let more = self.compact_heap(until);
        (removed, more)
    }

    /// Advances the stale-item compaction within the time budget.
    fn compact_heap(&mut self, until: Instant) -> bool {
        if !self.heap.is_compacting() && !self.heap.maybe_start_compaction(self.expires) {
            return false;
        }
        let dict = &self.dict;
        loop {
            let more = self.heap.compact_step(CLOCK_CHECK_EVERY * 16, |item| {
                dict.any_where(item.hash, |s| s.expire_at == item.when)
            });
            if !more {
                return false;
            }
            if Instant::now() >= until {
                return true;
            }
        }
    }

    /// Warms the cache for keys a pipeline is about to touch: see
    /// [`Dict::warm`].
    pub fn warm_hashes(&self, hashes: &[u64]) {
        self.dict.warm(hashes);
    }

    pub fn hash(&self, key: &[u8]) -> u64 {
        self.dict.hash(key)
    }

    /// Moves up to `n` buckets of a resize in progress (cron work).
    pub fn rehash(&mut self, n: usize) -> bool {
        self.dict.rehash(n)
    }

    /// Releases a slice of the bucket array a finished resize left behind.
    pub fn release_retired(&mut self, buckets: usize) -> bool {
        self.dict.release_retired(buckets)
    }

    pub fn shrink_if_needed(&mut self) {
        self.dict.shrink_if_needed();
    }

    pub fn is_rehashing(&self) -> bool {
        self.dict.is_rehashing()
    }

    pub fn heap_len(&self) -> usize {
        self.heap.len()
    }

    /// Empties the database, returning the old contents so that the caller
    /// can free them off the loop.
    pub fn take(&mut self) -> Db {
        if !self.watched.is_empty() {
            let dict = &self.dict;
            self.watched.touch_all(|k| dict.get(k).is_some(), |_| None);
        }
        let expired = self.expired;
        let watched = std::mem::take(&mut self.watched);
        let old = std::mem::take(self);
        self.expired = expired;
        self.watched = watched;
        old
    }

    /// SWAPDB: exchanges the contents of databases `a` and `b`; their
    /// WATCH tables stay with the indexes and see the change.
    pub fn swap(dbs: &mut [Db], a: usize, b: usize, now: u64) {
        if a == b {
            return;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let (left, right) = dbs.split_at_mut(hi);
        let (x, y) = (&mut left[lo], &mut right[0]);
        x.touch_all_replaced_by(y, now);
        y.touch_all_replaced_by(x, now);
        std::mem::swap(&mut x.watched, &mut y.watched);
        std::mem::swap(x, y);
    }

    fn touch_all_replaced_by(&mut self, other: &Db, now: u64) {
        if self.watched.is_empty() {
            return;
        }
        let dict = &self.dict;
        self.watched.touch_all(
            |k| dict.get(k).is_some(),
            |k| other.dict.get(k).map(|s| s.is_expired(now)),
        );
    }

    /// Tells the WATCH table that `key` changed. The keyspace's own
    /// mutating paths call it; the dispatcher calls it for a write command
    /// that changed a watched value in place (see `multi::call_watched`).
    #[inline]
    pub fn signal_modified(&mut self, key: &[u8]) {
        if self.watched.is_empty() {
            return;
        }
        let exists = self.dict.get(key).is_some();
        self.watched.touch(key, exists);
    }

    /// True when some client watches a key of this database.
    #[inline]
    pub fn has_watched(&self) -> bool {
        !self.watched.is_empty()
    }

    pub fn is_watched(&self, key: &[u8]) -> bool {
        self.watched.contains(key)
    }

    /// The live entry under `key`, without deleting an expired one.
    pub fn peek(&self, key: &[u8], now: u64) -> Option<&Slot> {
        self.dict.get(key).filter(|s| !s.is_expired(now))
    }

    /// In the table but past its deadline (not yet deleted).
    pub fn is_stale(&self, key: &[u8], now: u64) -> bool {
        self.dict.get(key).is_some_and(|s| s.is_expired(now))
    }

    /// WATCH: records `client`'s interest in `key`.
    pub fn watch(&mut self, key: &[u8], client: u64, now: u64) -> bool {
        let stale = self.is_stale(key, now);
        self.watched.add(key, client, stale)
    }

    pub fn unwatch(&mut self, key: &[u8], client: u64) {
        self.watched.remove(key, client);
    }

    /// EXEC's check: the key was modified since `client` watched it, or
    /// it expired since (Redis's `isWatchedKeyExpired`).
    pub fn watch_broken(&self, key: &[u8], client: u64, now: u64) -> bool {
        match self.watched.get(key, client) {
            Some(w) => w.dirty || (!w.expired && self.is_stale(key, now)),
            None => false,
        }
    }

    pub fn random_key(&mut self) -> Option<Vec<u8>> {
        self.dict.random_key().map(|k| k.as_bytes().to_vec())
    }

    /// Heap bytes used by this database (approximate; for INFO memory).
    pub fn memory(&self) -> usize {
        let node = std::mem::size_of::<dict::Node<Slot>>();
        // A malloc chunk is the request plus 8 bytes, rounded to 16.
        let chunk = (node + 8).div_ceil(16) * 16;
        self.dict.len() * chunk
            + self.dict.buckets() * std::mem::size_of::<usize>()
            + self.heap.heap_size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn v(s: &str) -> Value {
        Value::from_bytes(s.as_bytes())
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(60)
    }

    #[test]
    fn set_clear_keep_and_counts() {
        let mut db = Db::new();
        db.set(b"a", v("1"), Ttl::At(1000), 0);
        db.set(b"b", v("2"), Ttl::At(3000), 0);
        assert_eq!(db.expires(), 2);
        assert_eq!(db.avg_ttl(0), 2000);
        db.set(b"a", v("3"), Ttl::Keep, 0);
        assert_eq!(db.lookup(b"a", 0).unwrap().expire_at(), Some(1000));
        db.set(b"a", v("4"), Ttl::Clear, 0);
        assert_eq!(db.lookup(b"a", 0).unwrap().expire_at(), None);
        assert_eq!(db.expires(), 1);
        assert!(db.remove(b"b", 0).is_some());
        assert_eq!(db.expires(), 0);
    }

    #[test]
    fn lazy_expiry_on_lookup() {
        let mut db = Db::new();
        db.set(b"k", v("x"), Ttl::At(100), 0);
        assert!(
            db.lookup(b"k", 100).is_some(),
            "alive at its deadline, as Redis"
        );
        assert!(db.lookup(b"k", 101).is_none());
        assert_eq!(db.len(), 0);
        assert_eq!(db.expired, 1);
        assert_eq!(db.expires(), 0);
    }

    #[test]
    fn active_expiry_skips_stale_items() {
        let mut db = Db::new();
        for i in 0..1000 {
            db.set(format!("k{i}").as_bytes(), v("x"), Ttl::At(100 + i), 0);
        }
        // Re-deadline half of them far away: their first items go stale.
        for i in 0..500 {
            db.set_expire(format!("k{i}").as_bytes(), 1_000_000);
        }
        let (removed, more) = db.active_expire(2000, far());
        assert_eq!(removed, 500);
        assert!(!more);
        assert_eq!(db.len(), 500);
        assert_eq!(db.expires(), 500);
        assert!(db.lookup(b"k0", 2000).is_some());
        assert!(db.lookup(b"k999", 2000).is_none());
    }

    #[test]
    fn heap_stays_proportional_to_live_deadlines() {
        let mut db = Db::new();
        // The same 100 keys get a new deadline 100 times: 10,000 items, 100 live.
        for round in 0..100 {
            for i in 0..100 {
                db.set(
                    format!("k{i}").as_bytes(),
                    v("x"),
                    Ttl::At(1_000_000 + round),
                    0,
                );
            }
        }
        assert_eq!(db.heap_len(), 10_000);
        while db.active_expire(0, far()).1 {}
        assert_eq!(db.heap_len(), 100);
        let (removed, _) = db.active_expire(2_000_000, far());
        assert_eq!(removed, 100);
        assert!(db.is_empty());
    }

    #[test]
    fn same_deadline_again_adds_no_heap_item() {
        let mut db = Db::new();
        for _ in 0..10 {
            db.set(b"k", v("x"), Ttl::At(5000), 0);
        }
        assert_eq!(db.heap_len(), 1);
        assert_eq!(db.expires(), 1);
        assert_eq!(db.avg_ttl(0), 5000);
    }

    fn big_list(n: usize) -> Value {
        let mut l = crate::types::list::List::new();
        for i in 0..n {
            l.push(crate::types::list::End::Right, format!("{i}").as_bytes());
        }
        Value::List(Box::new(l))
    }

    #[test]
    fn big_values_go_to_the_lazyfree_list() {
        let mut db = Db::new();
        db.set(b"small", big_list(LAZYFREE_THRESHOLD), Ttl::Clear, 0);
        db.set(b"big", big_list(200_000), Ttl::Clear, 0);
        assert!(db.delete(b"small", 0));
        assert!(
            db.take_garbage().is_none(),
            "small values are dropped in place"
        );
        assert!(db.delete(b"big", 0));
        assert!(!db.delete(b"big", 0));
        let g = db.take_garbage().expect("the big list");
        assert_eq!(g.len(), 1);
        // Overwriting and expiring a big value defer its drop too.
        db.set(b"k", big_list(200_000), Ttl::At(10), 0);
        db.set(b"k", v("x"), Ttl::Keep, 0);
        db.set(b"e", big_list(200_000), Ttl::At(10), 0);
        db.active_expire(11, far());
        assert_eq!(db.take_garbage().map(|g| g.len()), Some(2));
    }

    #[test]
    fn big_sets_and_sorted_sets_go_to_the_lazyfree_list() {
        use crate::types::set::Set;
        use crate::types::zset::{ZLimits, ZSet};
        let big_set = || {
            let mut s = Set::new_for(b"a");
            for i in 0..100 {
                s.add(format!("m{i}").as_bytes(), 512);
            }
            Value::Set(s)
        };
        let big_zset = || {
            let mut z = ZSet::new();
            for i in 0..200 {
                z.set(format!("m{i}").as_bytes(), i as f64, ZLimits::default());
            }
            Value::ZSet(z)
        };
        let mut db = Db::new();
        // Compact encodings are one allocation: dropped in place.
        let mut ints = Set::new_for(b"1");
        for i in 0..500 {
            ints.add(format!("{i}").as_bytes(), 512);
        }
        db.set(b"ints", Value::Set(ints), Ttl::Clear, 0);
        assert!(db.delete(b"ints", 0));
        assert!(db.take_garbage().is_none());
        db.set(b"s", big_set(), Ttl::Clear, 0);
        db.set(b"z", big_zset(), Ttl::Clear, 0);
        assert!(db.delete(b"s", 0));
        db.set(b"z", v("x"), Ttl::Clear, 0);
        assert_eq!(db.take_garbage().map(|g| g.len()), Some(2));
    }

    #[test]
    fn active_expiry_respects_budget() {
        let mut db = Db::new();
        for i in 0..200_000 {
            db.set(format!("k{i}").as_bytes(), v("x"), Ttl::At(10), 0);
        }
        let (removed, more) = db.active_expire(11, Instant::now());
        assert!(more);
        assert!(removed < 200_000);
        while db.active_expire(11, far()).1 {}
        assert!(db.is_empty());
    }
}
