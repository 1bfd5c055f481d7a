//! WATCH bookkeeping: which clients watch which keys of one database, and
//! whether each watch has been broken.
//!
//! The table lives inside [`super::Db`] so that every mutating path of the
//! keyspace (set, remove, expire, lazy and active expiry, flush, swap)
//! signals it without the command handlers knowing: a list or hash command
//! written later gets WATCH for free. While nobody watches, a signal costs
//! one `is_empty` branch.
//!
//! Each watch carries Redis's `expired` flag: a key that was already
//! logically expired when WATCHed and is then merely deleted (by expiry or a
//! flush) has not changed for that client.

use std::collections::HashMap;

/// One client's watch on one key.
pub struct Watcher {
    pub client: u64,
    /// The key was logically expired when it was watched.
    pub expired: bool,
    /// The key was modified since: EXEC must fail.
    pub dirty: bool,
}

#[derive(Default)]
pub struct Watched {
    keys: HashMap<Vec<u8>, Vec<Watcher>, ahash::RandomState>,
}

impl Watched {
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.keys.contains_key(key)
    }

    /// Adds a watch unless `client` already watches `key`.
    pub fn add(&mut self, key: &[u8], client: u64, expired: bool) -> bool {
        let list = self.keys.entry(key.to_vec()).or_default();
        if list.iter().any(|w| w.client == client) {
            return false;
        }
        list.push(Watcher {
            client,
            expired,
            dirty: false,
        });
        true
    }

    pub fn remove(&mut self, key: &[u8], client: u64) {
        if let Some(list) = self.keys.get_mut(key) {
            list.retain(|w| w.client != client);
            if list.is_empty() {
                self.keys.remove(key);
            }
        }
    }

    pub fn get(&self, key: &[u8], client: u64) -> Option<&Watcher> {
        self.keys.get(key)?.iter().find(|w| w.client == client)
    }

    /// Redis's `touchWatchedKey`, called after `key` changed; `exists` says
    /// whether it is still in the table.
    pub fn touch(&mut self, key: &[u8], exists: bool) {
        if let Some(list) = self.keys.get_mut(key) {
            for w in list {
                if w.expired && !exists {
                    // An already expired key was deleted: no logical change,
                    // and a deleted key is not expired any more.
                    w.expired = false;
                    continue;
                }
                w.dirty = true;
            }
        }
    }

    /// Redis's `touchAllWatchedKeysInDb`: the database is emptied (flush)
    /// or replaced by another's contents (SWAPDB). `in_emptied(k)` says
    /// whether `k` is in this database's table now; `in_replacement(k)`
    /// gives, for the incoming contents, None (absent) or Some(expired).
    pub fn touch_all(
        &mut self,
        in_emptied: impl Fn(&[u8]) -> bool,
        in_replacement: impl Fn(&[u8]) -> Option<bool>,
    ) {
        for (key, list) in self.keys.iter_mut() {
            let exists = in_emptied(key);
            let incoming = in_replacement(key);
            if !exists && incoming.is_none() {
                continue;
            }
            for w in list {
                if w.expired {
                    match incoming {
                        // The expired key is gone: no logical change.
                        None => {
                            w.expired = false;
                            continue;
                        }
                        // Still expired after the swap.
                        Some(true) => continue,
                        Some(false) => {}
                    }
                } else if !exists && incoming == Some(true) {
                    // A missing key is replaced by an expired one.
                    w.expired = true;
                    continue;
                }
                w.dirty = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touch_marks_dirty_unless_stale_key_deleted() {
        let mut w = Watched::default();
        assert!(w.add(b"k", 1, false));
        assert!(!w.add(b"k", 1, false));
        w.add(b"k", 2, true);
        w.touch(b"k", false);
        assert!(w.get(b"k", 1).unwrap().dirty);
        let stale = w.get(b"k", 2).unwrap();
        assert!(!stale.dirty && !stale.expired);
        w.touch(b"k", true);
        assert!(w.get(b"k", 2).unwrap().dirty);
        w.remove(b"k", 1);
        w.remove(b"k", 2);
        assert!(w.is_empty());
    }
}
