//! The client registry: what one client's command may know about the
//! others (CLIENT LIST, CLIENT KILL), the server-wide client pause, and
//! the connection policy shared by the loop and the commands (protected
//! mode, password check).
//!
//! Each connection's [`ClientState`] lives in its `Conn`, out of reach of
//! other clients' handlers; the loop copies the fields CLIENT LIST shows
//! into the registry after each batch of commands ([`Clients::sync`]),
//! which costs a few stores per batch rather than per command. A handler
//! reads its own client from `Ctx::client`, which is always current.
//! Kills are only recorded here: the loop closes the connections once the
//! running handler is done.

use std::net::{IpAddr, SocketAddr};

use crate::conn::ClientState;

/// CLIENT REPLY bits of [`ClientState::reply`].
pub mod reply {
    /// CLIENT REPLY OFF: no replies until ON.
    pub const OFF: u8 = 1;
    /// The reply of the command running now is dropped.
    pub const SKIP: u8 = 2;
    /// CLIENT REPLY SKIP was the last command: drop the next reply.
    pub const SKIP_NEXT: u8 = 4;
}

/// What the registry shows of one connection.
pub struct Entry {
    pub id: u64,
    pub addr: SocketAddr,
    pub laddr: SocketAddr,
    pub fd: i32,
    pub created_ms: u64,
    pub last_interaction_ms: u64,
    pub db: usize,
    pub proto: u8,
    pub name: Option<Vec<u8>>,
    pub last_cmd: &'static str,
    pub authenticated: bool,
    pub no_evict: bool,
}

impl Entry {
    fn of(c: &ClientState) -> Entry {
        Entry {
            id: c.id,
            addr: c.addr,
            laddr: c.laddr,
            fd: c.fd,
            created_ms: c.created_ms,
            last_interaction_ms: c.last_interaction_ms,
            db: c.db,
            proto: c.proto,
            name: c.name.clone(),
            last_cmd: c.last_cmd,
            authenticated: c.authenticated,
            no_evict: c.no_evict,
        }
    }
}

/// CLIENT PAUSE mode: WRITE postpones commands that may write, ALL
/// postpones every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PauseMode {
    Write,
    All,
}

#[derive(Default)]
pub struct Clients {
    /// Indexed by the connection's slab slot.
    entries: Vec<Option<Entry>>,
    /// Active pause: until when (Unix ms) and what it holds back.
    pause: Option<(u64, PauseMode)>,
    /// Slots of connections holding a postponed command.
    pub postponed: Vec<usize>,
    /// CLIENT KILL victims (slot, id) for the loop to close.
    pub kills: Vec<(usize, u64)>,
}

impl Clients {
    pub fn add(&mut self, slot: usize, c: &ClientState) {
        if self.entries.len() <= slot {
            self.entries.resize_with(slot + 1, || None);
        }
        self.entries[slot] = Some(Entry::of(c));
    }

    pub fn remove(&mut self, slot: usize) {
        if let Some(e) = self.entries.get_mut(slot) {
            *e = None;
        }
    }

    /// Copies what CLIENT LIST shows from the connection's state; the
    /// name is cloned only when it changed.
    pub fn sync(&mut self, slot: usize, c: &ClientState) {
        let Some(Some(e)) = self.entries.get_mut(slot) else {
            return;
        };
        e.last_interaction_ms = c.last_interaction_ms;
        e.db = c.db;
        e.proto = c.proto;
        e.last_cmd = c.last_cmd;
        e.authenticated = c.authenticated;
        e.no_evict = c.no_evict;
        if e.name != c.name {
            e.name = c.name.clone();
        }
    }

    /// Every registered client, oldest first (CLIENT LIST order), with its
    /// slot.
    pub fn iter_by_id(&self) -> Vec<(usize, &Entry)> {
        let mut v: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(slot, e)| e.as_ref().map(|e| (slot, e)))
            .collect();
        v.sort_unstable_by_key(|(_, e)| e.id);
        v
    }

    /// Asks the loop to close this client once the running command ends.
    pub fn kill(&mut self, slot: usize, id: u64) {
        self.kills.push((slot, id));
    }

    /// True if the client in `slot` is still `id` (slots are reused).
    pub fn holds(&self, slot: usize, id: u64) -> bool {
        matches!(self.entries.get(slot), Some(Some(e)) if e.id == id)
    }

    /// CLIENT PAUSE: a pause never ends earlier nor weakens because of a
    /// later, shorter or milder one (Redis's `pauseClients`).
    pub fn pause(&mut self, until_ms: u64, mode: PauseMode) {
        self.pause = Some(match self.pause {
            Some((u, m)) => (u.max(until_ms), m.max(mode)),
            None => (until_ms, mode),
        });
    }

    /// CLIENT UNPAUSE.
    pub fn unpause(&mut self) {
        self.pause = None;
    }

    /// The pause in force at `now_ms`, ending an expired one.
    #[inline]
    pub fn paused(&mut self, now_ms: u64) -> Option<PauseMode> {
        match self.pause {
            Some((until, mode)) if now_ms < until => Some(mode),
            Some(_) => {
                self.pause = None;
                None
            }
            None => None,
        }
    }
}

/// Redis 7.0's test for a local peer (`islocalClient` and the accept-time
/// protected-mode check): the printed address is exactly `127.0.0.1` or
/// `::1`. Other 127.x addresses and IPv4-mapped IPv6 ones are not local.
pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4 == std::net::Ipv4Addr::LOCALHOST,
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

/// Redis's protected-mode rule (7.0): with protected mode on and no
/// password for the default user, only local peers may connect, whatever
/// the bind addresses.
pub fn denied(protected_mode: bool, requirepass: &[u8], peer: IpAddr) -> bool {
    protected_mode && requirepass.is_empty() && !is_local(peer)
}

/// Compares a password with the configured one in time that depends only
/// on their lengths, never on where they first differ (Redis's
/// `time_independent_strcmp` compares SHA-256 digests for the same
/// reason).
pub fn password_matches(given: &[u8], expected: &[u8]) -> bool {
    let mut diff = (given.len() != expected.len()) as u8;
    // Walk the expected password's length whatever was given, so the
    // time says nothing about the given one beyond its length.
    for (i, &e) in expected.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(!e);
        diff |= g ^ e;
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locality_as_redis() {
        assert!(is_local("127.0.0.1".parse().unwrap()));
        assert!(!is_local("127.0.0.2".parse().unwrap()));
        assert!(!is_local("127.255.1.9".parse().unwrap()));
        assert!(is_local("::1".parse().unwrap()));
        assert!(!is_local("10.0.0.1".parse().unwrap()));
        assert!(!is_local("192.168.1.5".parse().unwrap()));
        assert!(!is_local("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!is_local("fe80::1".parse().unwrap()));
    }

    #[test]
    fn protected_mode_decision() {
        let far: IpAddr = "10.1.2.3".parse().unwrap();
        let near: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(denied(true, b"", far));
        assert!(denied(true, b"", "127.0.0.2".parse().unwrap()));
        assert!(!denied(true, b"", near));
        assert!(!denied(true, b"secret", far), "a password lifts it");
        assert!(!denied(false, b"", far), "protected-mode no lifts it");
    }

    #[test]
    fn passwords() {
        assert!(password_matches(b"secret", b"secret"));
        assert!(!password_matches(b"secreT", b"secret"));
        assert!(!password_matches(b"secret1", b"secret"));
        assert!(!password_matches(b"secre", b"secret"));
        assert!(!password_matches(b"", b"secret"));
        assert!(password_matches(b"", b""));
    }

    #[test]
    fn pause_only_grows() {
        let mut c = Clients::default();
        c.pause(1000, PauseMode::All);
        c.pause(500, PauseMode::Write);
        assert_eq!(c.paused(900), Some(PauseMode::All));
        assert_eq!(c.paused(1000), None);
        c.pause(2000, PauseMode::Write);
        assert_eq!(c.paused(1500), Some(PauseMode::Write));
        c.unpause();
        assert_eq!(c.paused(1500), None);
    }
}
