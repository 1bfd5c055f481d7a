//! The server state a running script's `redis.call` works on.
//!
//! `redis.call` is a native function created once (creating it per run,
//! inside a `Lua::scope`, cost more than the rest of a short script), so
//! it cannot borrow the caller's `&mut Shared` the usual way. The script
//! runner lends it here for exactly the duration of the Lua call
//! ([`lend`]); `redis.call` takes it back with [`with`].
#![allow(unsafe_code)]

use std::cell::Cell;

use crate::server::Shared;

thread_local! {
    static SHARED: Cell<Option<*mut Shared>> = const { Cell::new(None) };
}

/// Clears the loan even if the script call unwinds.
struct Clear(Option<*mut Shared>);

impl Drop for Clear {
    fn drop(&mut self) {
        SHARED.set(self.0);
    }
}

/// Runs `f` (the script) with `shared` lent to [`with`].
pub fn lend<R>(shared: &mut Shared, f: impl FnOnce() -> R) -> R {
    let _restore = Clear(SHARED.replace(Some(shared as *mut Shared)));
    f()
}

/// Gives `f` the lent state, or None outside a script run.
pub fn with<R>(f: impl FnOnce(&mut Shared) -> R) -> Option<R> {
    // Taken out while in use: a nested call finds nothing, so two
    // `&mut Shared` never coexist.
    let p = SHARED.take()?;
    let _restore = Clear(Some(p));
    // SAFETY: `p` comes from the `&mut Shared` that `lend` holds for the
    // whole call in which we are nested (this thread, inside `f` of
    // `lend`); `lend`'s caller cannot use it meanwhile, and the pointer is
    // out of the cell while this reference lives.
    Some(f(unsafe { &mut *p }))
}
