//! One client connection: its buffers and its session state.

use std::net::SocketAddr;

use crate::resp::Parser;

/// Bytes a read asks the socket for at least.
pub const READ_CHUNK: usize = 16 * 1024;

/// A read buffer that is always fully initialised: `buf[start..end]` holds
/// unparsed input and `buf[end..]` is spare room for the next read, so
/// reads need no zeroing and no unsafe.
#[derive(Default)]
pub struct ReadBuf {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl ReadBuf {
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.buf[self.start..self.end]
    }

    pub fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Room for at least `want` more bytes after the data, moving the data
    /// to the front first when that is enough.
    pub fn spare_mut(&mut self, want: usize) -> &mut [u8] {
        if self.buf.len() - self.end < want && self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.buf.len() - self.end < want {
            let new_len = (self.end + want).max(self.buf.len() * 2).max(READ_CHUNK);
            self.buf.resize(new_len, 0);
        }
        &mut self.buf[self.end..]
    }

    pub fn commit(&mut self, n: usize) {
        self.end += n;
    }

    /// Releases a large allocation once it holds nothing.
    pub fn shrink_if_idle(&mut self, keep: usize) {
        if self.is_empty() && self.buf.len() > keep {
            self.buf = Vec::new();
        }
    }
}

/// Per-client session state visible to command handlers.
pub struct ClientState {
    pub id: u64,
    pub addr: SocketAddr,
    /// The server address the client connected to (CLIENT LIST `laddr`).
    pub laddr: SocketAddr,
    pub fd: i32,
    pub db: usize,
    pub proto: u8,
    pub name: Option<Vec<u8>>,
    /// False while `requirepass` is set and AUTH has not succeeded.
    pub authenticated: bool,
    /// CLIENT REPLY state: bits of [`crate::clients::reply`].
    pub reply: u8,
    /// CLIENT NO-EVICT ON.
    pub no_evict: bool,
    /// CLIENT NO-TOUCH ON (Redis 7.2): accepted; ferrite keeps no access
    /// clock for it to spare.
    pub no_touch: bool,
    /// CLIENT SETINFO LIB-NAME / LIB-VER (Redis 7.2).
    pub lib_name: Option<Vec<u8>>,
    pub lib_ver: Option<Vec<u8>>,
    /// Full name of the last command run (`cmd=` in CLIENT LIST).
    pub last_cmd: &'static str,
    /// Set by QUIT and protocol errors: close once the reply is written.
    pub close_after_reply: bool,
    /// Unix ms of creation and of the last command (CLIENT LIST, timeout).
    pub created_ms: u64,
    pub last_interaction_ms: u64,
    /// MULTI queue and WATCHed keys, while there are any.
    pub tx: Option<Box<crate::cmd::multi::Tx>>,
    /// Ran MONITOR: receives every command; keyspace commands are refused.
    pub monitor: bool,
    /// Waiting in a blocking command (BLPOP, ...): no further command of
    /// this client runs until it is served or times out (`blocking.rs`).
    pub blocked: bool,
}

impl ClientState {
    pub fn new(id: u64, addr: SocketAddr, now_ms: u64) -> Self {
        ClientState {
            id,
            addr,
            laddr: addr,
            fd: -1,
            db: 0,
            proto: 2,
            name: None,
            authenticated: true,
            reply: 0,
            no_evict: false,
            no_touch: false,
            lib_name: None,
            lib_ver: None,
            last_cmd: "NULL",
            close_after_reply: false,
            created_ms: now_ms,
            last_interaction_ms: now_ms,
            tx: None,
            monitor: false,
            blocked: false,
        }
    }
}

pub struct Conn<S> {
    pub sock: S,
    pub rbuf: ReadBuf,
    pub parser: Parser,
    pub wbuf: Vec<u8>,
    /// Bytes of `wbuf` already written.
    pub wpos: usize,
    pub state: ClientState,
    /// Queued for more work next iteration (budget ran out).
    pub pending: bool,
    /// The last slice ended with complete commands still buffered.
    pub backlog: bool,
    /// The peer shut its sending side: finish what it sent, then close.
    pub peer_closed: bool,
    /// Since when (ms) pending output has been above the soft limit.
    pub soft_limit_since: Option<u64>,
    /// Over an output limit: closed without writing what is pending.
    pub kill: bool,
    /// Length of a parsed command left at the head of `rbuf` because a
    /// CLIENT PAUSE postponed it; it runs without parsing again.
    pub postponed: Option<usize>,
    /// The peer closed its side or an I/O error occurred.
    pub dead: bool,
}

impl<S> Conn<S> {
    pub fn new(sock: S, state: ClientState) -> Self {
        Conn {
            sock,
            rbuf: ReadBuf::default(),
            parser: Parser::new(),
            wbuf: Vec::new(),
            wpos: 0,
            state,
            pending: false,
            backlog: false,
            peer_closed: false,
            soft_limit_since: None,
            kill: false,
            postponed: None,
            dead: false,
        }
    }

    pub fn has_output(&self) -> bool {
        self.wpos < self.wbuf.len()
    }
}

/// Redis's `checkClientOutputBufferLimits`: true once `pending` output
/// bytes pass the hard limit, or have stayed above the soft limit for the
/// soft period.
pub fn output_over_limit(
    pending: usize,
    limit: &crate::config::OutputLimit,
    soft_since: &mut Option<u64>,
    now_ms: u64,
) -> bool {
    let pending = pending as u64;
    if limit.hard != 0 && pending >= limit.hard {
        return true;
    }
    if limit.soft != 0 && pending >= limit.soft {
        let since = *soft_since.get_or_insert(now_ms);
        return now_ms.saturating_sub(since) >= limit.soft_seconds * 1000;
    }
    *soft_since = None;
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_limits() {
        let l = crate::config::OutputLimit {
            hard: 100,
            soft: 50,
            soft_seconds: 2,
        };
        let mut since = None;
        assert!(!output_over_limit(10, &l, &mut since, 0));
        assert!(!output_over_limit(60, &l, &mut since, 1000));
        assert!(!output_over_limit(60, &l, &mut since, 2999));
        assert!(output_over_limit(60, &l, &mut since, 3000));
        assert!(!output_over_limit(10, &l, &mut since, 3001));
        assert_eq!(since, None);
        assert!(output_over_limit(100, &l, &mut since, 0));
        let none = crate::config::OutputLimit {
            hard: 0,
            soft: 0,
            soft_seconds: 0,
        };
        assert!(!output_over_limit(1 << 40, &none, &mut since, 0));
    }

    #[test]
    fn readbuf_compacts_and_grows() {
        let mut b = ReadBuf::default();
        let s = b.spare_mut(4);
        s[..4].copy_from_slice(b"abcd");
        b.commit(4);
        b.consume(2);
        assert_eq!(b.data_mut(), b"cd");
        let cap = b.capacity();
        b.spare_mut(cap);
        assert_eq!(b.data_mut(), b"cd", "data survives compaction and growth");
        b.consume(2);
        assert!(b.is_empty());
        b.spare_mut(100_000);
        assert!(b.capacity() >= 100_000);
        b.shrink_if_idle(1024);
        assert_eq!(b.capacity(), 0);
    }
}
