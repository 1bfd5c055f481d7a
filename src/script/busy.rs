//! A script running past `busy-reply-threshold`: the state the Lua hook,
//! SCRIPT KILL and the loop share while it runs.
//!
//! The script runs inside a command handler, deep in the loop's borrows,
//! so this state is thread-local (the loop's thread is the only one that
//! runs scripts) rather than a field of `Shared`. Once busy, the hook
//! serves other clients through `serve::serve_while_busy`.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

pub const BUSY: &[u8] =
    b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
pub const NOTBUSY: &[u8] = b"-NOTBUSY No scripts in execution right now.\r\n";
pub const UNKILLABLE: &[u8] = b"-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n";
/// The error the killed script ends with (after `ERR `).
pub const KILLED_TEXT: &str = "Script killed by user with SCRIPT KILL...";

thread_local! {
    /// When the running script started, µs since the epoch.
    static STARTED: Cell<Option<u64>> = const { Cell::new(None) };
    static THRESHOLD_MS: Cell<u64> = const { Cell::new(0) };
    static BUSY_NOW: Cell<bool> = const { Cell::new(false) };
    static KILL: Cell<bool> = const { Cell::new(false) };
    static WROTE: Cell<bool> = const { Cell::new(false) };
}

/// Marks a script as running for as long as it lives.
pub struct Running(());

impl Running {
    /// `now_us` is the loop's cached clock: no clock read per script (the
    /// hook reads the clock itself, rarely).
    pub fn start(threshold_ms: u64, now_us: u64) -> Running {
        STARTED.set(Some(now_us));
        THRESHOLD_MS.set(threshold_ms);
        BUSY_NOW.set(false);
        KILL.set(false);
        WROTE.set(false);
        Running(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        STARTED.set(None);
        BUSY_NOW.set(false);
        KILL.set(false);
    }
}

/// Called by the Lua hook: once the script is past the threshold, lets
/// the server serve other clients (BUSY replies, SCRIPT KILL, SHUTDOWN).
pub fn on_hook() {
    let Some(started) = STARTED.get() else {
        return;
    };
    let threshold = THRESHOLD_MS.get();
    if !BUSY_NOW.get() {
        let now_us = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64);
        if threshold == 0 || now_us.saturating_sub(started) < threshold.saturating_mul(1000) {
            return;
        }
        BUSY_NOW.set(true);
    }
    super::serve::serve_while_busy();
}

/// True while a script is past the threshold: other clients get BUSY.
pub fn is_busy() -> bool {
    BUSY_NOW.get()
}

/// The running script executed a write command.
pub fn wrote() {
    WROTE.set(true);
}

pub fn killed() -> bool {
    KILL.get()
}

/// SCRIPT KILL while busy: the reply for the killer.
pub fn request_kill() -> &'static [u8] {
    if !BUSY_NOW.get() {
        NOTBUSY
    } else if WROTE.get() {
        UNKILLABLE
    } else {
        KILL.set(true);
        crate::resp::reply::OK
    }
}

/// SHUTDOWN NOSAVE while busy: the script stops even if it wrote.
pub fn force_kill() {
    KILL.set(true);
}
