//! The slow log: the last `slowlog-max-len` commands that took at least
//! `slowlog-log-slower-than` µs, with their (cut) arguments and client.

use std::collections::VecDeque;

/// Arguments kept per entry; the last slot says how many were left out.
const MAX_ARGS: usize = 32;
/// Bytes kept per argument; the rest is summarised.
const MAX_ARG_LEN: usize = 128;

pub struct Entry {
    pub id: u64,
    /// Unix seconds when the command ran.
    pub time: u64,
    pub duration_us: u64,
    pub args: Vec<Vec<u8>>,
    pub addr: String,
    pub name: Vec<u8>,
}

#[derive(Default)]
pub struct SlowLog {
    /// Newest first.
    entries: VecDeque<Entry>,
    next_id: u64,
}

impl SlowLog {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn reset(&mut self) {
        self.entries.clear();
    }

    /// Newest first.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// Redis's `slowlogCreateEntry`: at most 32 arguments (the last one
    /// then reads `... (N more arguments)`), each cut to 128 bytes plus
    /// `... (N more bytes)`. Entries beyond `max_len` are dropped, oldest
    /// first.
    pub fn push<'a>(
        &mut self,
        args: impl ExactSizeIterator<Item = &'a [u8]>,
        time: u64,
        duration_us: u64,
        addr: String,
        name: Vec<u8>,
        max_len: usize,
    ) {
        let argc = args.len();
        let kept = argc.min(MAX_ARGS);
        let mut out = Vec::with_capacity(kept);
        for (i, a) in args.enumerate().take(kept) {
            if i == kept - 1 && argc > MAX_ARGS {
                out.push(format!("... ({} more arguments)", argc - kept + 1).into_bytes());
            } else if a.len() > MAX_ARG_LEN {
                let mut v = a[..MAX_ARG_LEN].to_vec();
                v.extend_from_slice(
                    format!("... ({} more bytes)", a.len() - MAX_ARG_LEN).as_bytes(),
                );
                out.push(v);
            } else {
                out.push(a.to_vec());
            }
        }
        self.entries.push_front(Entry {
            id: self.next_id,
            time,
            duration_us,
            args: out,
            addr,
            name,
        });
        self.next_id += 1;
        self.entries.truncate(max_len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_as_redis() {
        let mut l = SlowLog::default();
        let many: Vec<Vec<u8>> = (0..42).map(|i| i.to_string().into_bytes()).collect();
        l.push(
            many.iter().map(|v| v.as_slice()),
            1,
            2,
            "a".into(),
            vec![],
            10,
        );
        let e = l.iter().next().unwrap();
        assert_eq!(e.args.len(), 32);
        assert_eq!(e.args[30], b"30");
        assert_eq!(e.args[31], b"... (11 more arguments)");
        let long = vec![b'x'; 200];
        l.push(
            [b"set".as_slice(), &long].into_iter(),
            1,
            2,
            "a".into(),
            vec![],
            1,
        );
        assert_eq!(l.len(), 1);
        let e = l.iter().next().unwrap();
        assert_eq!(e.id, 1);
        assert_eq!(e.args[1].len(), 128 + "... (72 more bytes)".len());
        assert!(e.args[1].ends_with(b"x... (72 more bytes)"));
    }
}
