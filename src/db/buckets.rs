//! Bucket arrays of the keyspace dict.
//!
//! A table of millions of buckets is mapped straight from the kernel:
//! fresh anonymous pages read as zero, which is an array of empty links,
//! and are only faulted in as the incremental rehash reaches them. Going
//! through `calloc` instead let glibc serve a 16 MB table from free heap
//! space and clear it with one `memset` (4,000 page faults, 6–7 ms, in the
//! middle of a request), which is how growing to ten million keys held the
//! loop. The array an emptied table leaves behind is unmapped a slice at a
//! time for the same reason. Small arrays come from the allocator as usual.
#![allow(unsafe_code)]

use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Arrays of at least this many bytes are mapped directly.
const MAP_MIN: usize = 256 << 10;
const PAGE: usize = 4096;

/// A zero-initialised array of `Option<Box<T>>`.
pub struct Buckets<T> {
    store: Store<T>,
    /// Every link is `None` (see [`Buckets::mark_empty`]).
    known_empty: bool,
}

enum Store<T> {
    Heap(Vec<Option<Box<T>>>),
    /// `len` links at `ptr`, in a mapping of `mapped` bytes (page multiple).
    Mapped {
        ptr: NonNull<Option<Box<T>>>,
        len: usize,
        mapped: usize,
    },
}

// SAFETY: a `Mapped` store owns its mapping exclusively, like a Vec owns
// its buffer, so it may move to or be shared with another thread exactly
// when its elements may.
unsafe impl<T: Send> Send for Buckets<T> {}
// SAFETY: as above; shared access only hands out `&[Option<Box<T>>]`.
unsafe impl<T: Sync> Sync for Buckets<T> {}

impl<T> Buckets<T> {
    pub const fn new() -> Self {
        Buckets {
            store: Store::Heap(Vec::new()),
            known_empty: true,
        }
    }

    /// `len` empty links.
    pub fn zeroed(len: usize) -> Self {
        let bytes = len * size_of::<Option<Box<T>>>();
        let mapped = bytes.next_multiple_of(PAGE);
        if bytes >= MAP_MIN
            && let Some(ptr) = map(mapped)
        {
            crate::alloc::add_mapped(mapped);
            return Buckets {
                store: Store::Mapped {
                    ptr: ptr.cast(),
                    len,
                    mapped,
                },
                known_empty: true,
            };
        }
        let mut v = Vec::with_capacity(len);
        v.resize_with(len, || None);
        Buckets {
            store: Store::Heap(v),
            known_empty: true,
        }
    }

    /// Records that every link is `None`, so dropping the array need not
    /// visit them. Claiming it wrongly leaks the nodes left, nothing worse.
    pub fn mark_empty(&mut self) {
        self.known_empty = true;
    }

    /// Gives back the memory of all but the first `keep` links, which
    /// must be empty (a node left there would be leaked, not freed).
    pub fn release_tail(&mut self, keep: usize) {
        match &mut self.store {
            Store::Heap(v) => {
                v.truncate(keep);
                v.shrink_to_fit();
            }
            Store::Mapped { ptr, len, mapped } => {
                if keep >= *len {
                    return;
                }
                let from = (keep * size_of::<Option<Box<T>>>()).next_multiple_of(PAGE);
                if from < *mapped {
                    // SAFETY: `[ptr + from, ptr + mapped)` lies inside our
                    // own mapping (from is page-aligned and below mapped),
                    // and no link at or beyond `keep` is referenced any more:
                    // `len` shrinks before any further access.
                    unsafe {
                        libc::munmap(ptr.as_ptr().cast::<u8>().add(from).cast(), *mapped - from);
                    }
                    crate::alloc::sub_mapped(*mapped - from);
                    *mapped = from;
                }
                *len = keep;
            }
        }
    }
}

/// An anonymous private mapping of `bytes` (zero pages, faulted lazily).
fn map(bytes: usize) -> Option<NonNull<u8>> {
    // SAFETY: a fresh anonymous mapping at an address of the kernel's
    // choosing touches no existing memory; the result is checked.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            bytes,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return None;
    }
    NonNull::new(p.cast())
}

impl<T> Default for Buckets<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Deref for Buckets<T> {
    type Target = [Option<Box<T>>];

    fn deref(&self) -> &Self::Target {
        match &self.store {
            Store::Heap(v) => v,
            // SAFETY: the mapping holds `len` initialised links: zero bytes
            // are `None` (`Option<Box<T>>` is guaranteed pointer-sized with
            // `None` as null), and every later write went through this type.
            Store::Mapped { ptr, len, .. } => unsafe {
                std::slice::from_raw_parts(ptr.as_ptr(), *len)
            },
        }
    }
}

impl<T> DerefMut for Buckets<T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.known_empty = false;
        match &mut self.store {
            Store::Heap(v) => v,
            // SAFETY: as in `deref`; `&mut self` makes the access exclusive.
            Store::Mapped { ptr, len, .. } => unsafe {
                std::slice::from_raw_parts_mut(ptr.as_ptr(), *len)
            },
        }
    }
}

impl<T> Drop for Buckets<T> {
    fn drop(&mut self) {
        let Store::Mapped { ptr, mapped, .. } = self.store else {
            return;
        };
        if !self.known_empty {
            // Visiting millions of links faults in every page: the dict
            // marks arrays it knows to be empty so this pass is skipped.
            for link in self.iter_mut() {
                drop(link.take());
            }
        }
        if mapped > 0 {
            // SAFETY: the whole mapping is ours and nothing refers to it.
            unsafe { libc::munmap(ptr.as_ptr().cast(), mapped) };
            crate::alloc::sub_mapped(mapped);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_arrays_are_mapped_zeroed_and_released_from_the_tail() {
        let n = 1 << 20;
        let mut b: Buckets<u64> = Buckets::zeroed(n);
        assert!(matches!(b.store, Store::Mapped { .. }));
        assert_eq!(b.len(), n);
        assert!(b.iter().step_by(4096).all(|l| l.is_none()));
        b[n - 1] = Some(Box::new(7));
        b[3] = Some(Box::new(3));
        assert_eq!(b[n - 1].as_deref(), Some(&7));
        b[n - 1] = None;
        b.release_tail(1000);
        assert_eq!(b.len(), 1000);
        assert_eq!(b[3].as_deref(), Some(&3));
        // Dropping an array that still holds a node frees it.
        drop(b);
    }

    #[test]
    fn small_arrays_use_the_allocator() {
        let mut b: Buckets<u64> = Buckets::zeroed(64);
        assert!(matches!(b.store, Store::Heap(_)));
        b[1] = Some(Box::new(1));
        b.release_tail(10);
        assert_eq!(b.len(), 10);
        assert_eq!(b[1].as_deref(), Some(&1));
    }
}
