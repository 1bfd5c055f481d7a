//! Subcommands of Redis's container commands (CONFIG, CLIENT, COMMAND,
//! LATENCY, SLOWLOG, MEMORY, OBJECT), with their arity: dispatch checks a
//! known subcommand's arity as Redis does (`'config|get'` in the error)
//! and keeps its statistics apart (`cmdstat_config|get`).
//!
//! Rows of one parent are contiguous. Only parents that are table rows
//! are used; the others wait for their command.

pub struct Sub {
    pub parent: &'static str,
    pub name: &'static str,
    /// Redis's convention, counting the parent: `config get x` is 3.
    pub arity: i32,
}

macro_rules! sub {
    ($p:literal, $n:literal, $a:expr) => {
        Sub {
            parent: $p,
            name: $n,
            arity: $a,
        }
    };
}

#[rustfmt::skip]
pub static SUBCOMMANDS: &[Sub] = &[
    sub!("config", "get", -3),
    sub!("config", "set", -4),
    sub!("config", "resetstat", 2),
    sub!("config", "rewrite", 2),
    sub!("config", "help", 2),
    sub!("client", "caching", 3),
    sub!("client", "getname", 2),
    sub!("client", "getredir", 2),
    sub!("client", "id", 2),
    sub!("client", "info", 2),
    sub!("client", "kill", -3),
    sub!("client", "list", -2),
    sub!("client", "no-evict", 3),
    sub!("client", "no-touch", 3),
    sub!("client", "pause", -3),
    sub!("client", "reply", 3),
    sub!("client", "setinfo", 4),
    sub!("client", "setname", 3),
    sub!("client", "tracking", -3),
    sub!("client", "trackinginfo", 2),
    sub!("client", "unblock", -3),
    sub!("client", "unpause", 2),
    sub!("client", "help", 2),
    sub!("command", "count", 2),
    sub!("command", "docs", -2),
    sub!("command", "getkeys", -3),
    sub!("command", "getkeysandflags", -3),
    sub!("command", "info", -2),
    sub!("command", "list", -2),
    sub!("command", "help", 2),
    sub!("latency", "doctor", 2),
    sub!("latency", "graph", 3),
    sub!("latency", "histogram", -2),
    sub!("latency", "history", 3),
    sub!("latency", "latest", 2),
    sub!("latency", "reset", -2),
    sub!("latency", "help", 2),
    sub!("slowlog", "get", -2),
    sub!("slowlog", "len", 2),
    sub!("slowlog", "reset", 2),
    sub!("slowlog", "help", 2),
    sub!("memory", "doctor", 2),
    sub!("memory", "malloc-stats", 2),
    sub!("memory", "purge", 2),
    sub!("memory", "stats", 2),
    sub!("memory", "usage", -3),
    sub!("memory", "help", 2),
    sub!("object", "encoding", 3),
    sub!("object", "freq", 3),
    sub!("object", "idletime", 3),
    sub!("object", "refcount", 3),
    sub!("object", "help", 2),
];

/// The range of `SUBCOMMANDS` rows under `parent` (empty if none).
pub fn range_of(parent: &str) -> (u16, u16) {
    let start = SUBCOMMANDS.iter().position(|s| s.parent == parent);
    match start {
        Some(s) => {
            let n = SUBCOMMANDS[s..]
                .iter()
                .take_while(|x| x.parent == parent)
                .count();
            (s as u16, (s + n) as u16)
        }
        None => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_contiguous() {
        for (i, s) in SUBCOMMANDS.iter().enumerate() {
            let (a, b) = range_of(s.parent);
            assert!((a as usize..b as usize).contains(&i), "{}", s.parent);
        }
    }
}
