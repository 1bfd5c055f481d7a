//! MONITOR: the connections that watch every command, and the lines
//! waiting for them.
//!
//! Dispatch appends one line per command that ran (in Redis's format) to
//! `feed` while anyone monitors; the loop hands the feed to every monitor
//! after each batch. When nobody monitors, the cost per command is the
//! `active` branch.

use std::net::SocketAddr;

use crate::resp::Args;

#[derive(Default)]
pub struct Monitors {
    /// Slab keys of monitoring connections.
    ids: Vec<usize>,
    /// A client became a monitor in the batch being run: the loop learns
    /// its key after the batch.
    newcomer: bool,
    /// Lines not yet handed to the monitors.
    pub feed: Vec<u8>,
    /// `ids` is not empty or `newcomer` is set: the one flag dispatch reads.
    active: bool,
}

impl Monitors {
    /// True while some connection monitors (or is about to).
    #[inline]
    pub fn active(&self) -> bool {
        self.active
    }

    /// MONITOR: the client running the current batch starts monitoring.
    pub fn start(&mut self) {
        self.newcomer = true;
        self.active = true;
    }

    /// After a batch of connection `id`: registers it if it started
    /// monitoring, and takes the pending feed and the monitors' keys.
    pub fn take(&mut self, id: usize) -> (Vec<u8>, Vec<usize>) {
        if std::mem::take(&mut self.newcomer) {
            self.ids.push(id);
        }
        (
            std::mem::take(&mut self.feed),
            std::mem::take(&mut self.ids),
        )
    }

    /// Gives back the keys still monitoring and the (emptied) feed buffer.
    pub fn put_back(&mut self, ids: Vec<usize>, mut feed: Vec<u8>) {
        self.ids = ids;
        self.active = !self.ids.is_empty() || self.newcomer;
        feed.clear();
        if self.feed.is_empty() {
            self.feed = feed;
        }
    }

    /// A monitoring connection closed.
    pub fn remove(&mut self, id: usize) {
        self.ids.retain(|&k| k != id);
        self.active = !self.ids.is_empty() || self.newcomer;
    }

    /// Appends Redis's line for a command:
    /// `+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"`.
    pub fn feed(&mut self, now_us: u64, db: usize, addr: &SocketAddr, args: &Args) {
        use std::io::Write;
        let f = &mut self.feed;
        let _ = write!(
            f,
            "+{}.{:06} [{db} {addr}]",
            now_us / 1_000_000,
            now_us % 1_000_000
        );
        let name = args.get(0);
        for i in 0..args.len() {
            f.push(b' ');
            if redacted(name, args, i) {
                f.extend_from_slice(b"\"(redacted)\"");
            } else {
                repr(f, args.get(i));
            }
        }
        f.extend_from_slice(b"\r\n");
    }
}

/// Whether argument `i` holds a secret Redis hides from MONITOR and the
/// slow log: AUTH's arguments, HELLO's `AUTH user pass`, CONFIG SET of
/// a password.
pub fn redacted(name: &[u8], args: &Args, i: usize) -> bool {
    if i == 0 {
        return false;
    }
    if name.eq_ignore_ascii_case(b"auth") {
        return true;
    }
    if name.eq_ignore_ascii_case(b"hello") {
        return (2..i).any(|j| args.get(j).eq_ignore_ascii_case(b"auth") && i <= j + 2);
    }
    if name.eq_ignore_ascii_case(b"config") && i >= 3 && i % 2 == 1 {
        let sub = args.get(1);
        let key = args.get(i - 1);
        return sub.eq_ignore_ascii_case(b"set")
            && (key.eq_ignore_ascii_case(b"requirepass")
                || key.eq_ignore_ascii_case(b"masterauth"));
    }
    false
}

/// Redis's `sdscatrepr`: a quoted string with `\"`, `\\`, `\n`, `\r`,
/// `\t`, `\a`, `\b` escaped and other unprintable bytes as `\xhh`.
pub fn repr(out: &mut Vec<u8>, s: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &c in s {
        match c {
            b'\\' | b'"' => out.extend_from_slice(&[b'\\', c]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            7 => out.extend_from_slice(b"\\a"),
            8 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(c),
            _ => out.extend_from_slice(&[
                b'\\',
                b'x',
                HEX[(c >> 4) as usize],
                HEX[(c & 15) as usize],
            ]),
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args_of<'a>(buf: &'a [u8], ranges: &'a [(usize, usize)]) -> Args<'a> {
        Args::new(buf, ranges)
    }

    #[test]
    fn line_format() {
        let buf = b"setk\"\n\x01\xff";
        let ranges = [(0, 3), (3, 8)];
        let mut m = Monitors::default();
        let addr: SocketAddr = "127.0.0.1:60866".parse().unwrap();
        m.feed(1_339_518_083_007_412, 3, &addr, &args_of(buf, &ranges));
        assert_eq!(
            m.feed,
            b"+1339518083.007412 [3 127.0.0.1:60866] \"set\" \"k\\\"\\n\\x01\\xff\"\r\n"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        let buf = b"helloauthuserpassSETNAMEx";
        let r = [(0, 5), (5, 9), (9, 13), (13, 17), (17, 24), (24, 25)];
        // HELLO AUTH user pass SETNAME x, with a protover first:
        let with_ver = b"hello3AUTHuserpass";
        let rv = [(0, 5), (5, 6), (6, 10), (10, 14), (14, 18)];
        let a = args_of(with_ver, &rv);
        let hidden: Vec<bool> = (0..5).map(|i| redacted(b"hello", &a, i)).collect();
        assert_eq!(hidden, [false, false, false, true, true]);
        let a = args_of(buf, &r);
        assert!(!redacted(b"hello", &a, 1));
        let auth = b"authpw";
        let ra = [(0, 4), (4, 6)];
        assert!(redacted(b"auth", &args_of(auth, &ra), 1));
    }
}
