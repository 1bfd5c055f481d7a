//! Freeing large values off the loop, as Redis's lazyfree: dropping a
//! database of millions of entries takes time proportional to its size, so
//! it is handed to one helper thread that only drops what it receives.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};

type Garbage = Box<dyn Send>;

#[derive(Default)]
pub struct LazyFree {
    tx: Option<Sender<Garbage>>,
    pending: Arc<AtomicUsize>,
}

impl LazyFree {
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops `v` on the helper thread (started on first use). If the
    /// thread cannot be started, `v` is dropped here: slower, never lost.
    pub fn free<T: Send + 'static>(&mut self, v: T) {
        if self.tx.is_none() {
            let (tx, rx) = channel::<Garbage>();
            let pending = self.pending.clone();
            let spawned = std::thread::Builder::new()
                .name("ferrite-lazyfree".into())
                .spawn(move || {
                    for g in rx {
                        drop(g);
                        pending.fetch_sub(1, Ordering::Relaxed);
                    }
                });
            if spawned.is_err() {
                return;
            }
            self.tx = Some(tx);
        }
        self.pending.fetch_add(1, Ordering::Relaxed);
        if let Some(tx) = &self.tx
            && tx.send(Box::new(v)).is_err()
        {
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Objects handed over but not yet freed (INFO `lazyfree_pending_objects`).
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }
}
