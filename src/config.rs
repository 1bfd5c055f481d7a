//! Configuration directives: defaults, the config file and command-line
//! flags at start-up, and CONFIG GET / CONFIG SET at run time.
//!
//! One table row per directive ties its name to how it is read, written
//! and validated, so the file, the flags and CONFIG SET share one parser
//! and one set of error texts (Redis's).

use crate::reactor::{BackendChoice, IoOptions};
use crate::util::glob::glob_match;

#[derive(Clone, Debug)]
pub struct Config {
    pub port: u16,
    pub bind: Vec<String>,
    pub hz: u32,
    pub databases: usize,
    pub maxclients: usize,
    /// Idle seconds before a client is closed; 0 = never.
    pub timeout: u64,
    pub tcp_keepalive: u64,
    pub proto_max_bulk_len: u64,
    pub client_query_buffer_limit: u64,
    /// Accepted and reported for tools that ask (redis-benchmark); ferrite
    /// does not persist.
    pub save: String,
    pub appendonly: bool,
    /// `client-output-buffer-limit` per class: normal, replica (Redis's
    /// `slave`), pubsub. Only normal clients exist today.
    pub output_limits: [OutputLimit; 3],
    /// Who may run DEBUG: Redis's `no` (default), `yes` or `local`
    /// (loopback clients only).
    pub enable_debug_command: DebugAccess,
    /// ferrite's own: measure each loop iteration's on-CPU time too
    /// (INFO `eventloop_cpu_max_usec`). Off by default: it costs two
    /// system calls per iteration.
    pub eventloop_cpu_tracking: bool,
    /// The config file given at start, if any.
    pub config_file: Option<String>,
    /// Milliseconds a script may run before other clients get `-BUSY`
    /// (also `lua-time-limit`); 0 = never.
    pub busy_reply_threshold: u64,
    /// Slow log: commands taking at least this many µs are logged (-1
    /// disables, 0 logs every command); at most `slowlog_max_len` kept.
    pub slowlog_log_slower_than: i64,
    pub slowlog_max_len: u64,
    /// Latency monitor threshold in ms (0 = off).
    pub latency_monitor_threshold: u64,
    /// Per-command latency histograms (INFO latencystats).
    pub latency_tracking: bool,
    pub latency_tracking_info_percentiles: Vec<f64>,
    /// `io-backend auto|uring|epoll` and the io_uring experiments
    /// (`io-uring-*`), fixed at start.
    pub io_backend: BackendChoice,
    pub io_uring_entries: u32,
    pub io_uring_defer_taskrun: bool,
    pub io_uring_coop_taskrun: bool,
    pub io_uring_poll_first: bool,
    pub io_uring_recv_ring: bool,
    pub io_uring_fixed_files: bool,
    pub io_uring_min_wait_us: u32,
    pub io_uring_zc_send_min: u64,
    pub io_uring_inline_sends: bool,
    /// Largest set kept as an `intset`.
    pub set_max_intset_entries: usize,
    /// Largest sorted set (members, member bytes) kept as a `listpack`.
    pub zset_max_listpack_entries: usize,
    pub zset_max_listpack_value: usize,
    /// `list-max-listpack-size`: how full a list node gets (negative:
    /// 4..64 KB, positive: entries), as Redis's quicklist `fill`.
    pub list_max_listpack_size: i64,
    /// A hash stays compact (`listpack`) up to this many fields...
    pub hash_max_listpack_entries: usize,
    /// ... and while every field and value is at most this many bytes.
    pub hash_max_listpack_value: usize,
    /// The default user's password; empty = none (no AUTH needed).
    pub requirepass: String,
    /// Redis's protected mode: without a password, only local peers.
    pub protected_mode: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 6379,
            bind: vec!["127.0.0.1".into()],
            hz: 10,
            databases: 16,
            maxclients: 10_000,
            timeout: 0,
            tcp_keepalive: 300,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit: 1024 * 1024 * 1024,
            save: String::new(),
            appendonly: false,
            eventloop_cpu_tracking: false,
            enable_debug_command: DebugAccess::No,
            output_limits: [
                OutputLimit {
                    hard: 0,
                    soft: 0,
                    soft_seconds: 0,
                },
                OutputLimit {
                    hard: 256 << 20,
                    soft: 64 << 20,
                    soft_seconds: 60,
                },
                OutputLimit {
                    hard: 32 << 20,
                    soft: 8 << 20,
                    soft_seconds: 60,
                },
            ],
            config_file: None,
            busy_reply_threshold: 5000,
            slowlog_log_slower_than: 10_000,
            slowlog_max_len: 128,
            latency_monitor_threshold: 0,
            latency_tracking: true,
            latency_tracking_info_percentiles: vec![50.0, 99.0, 99.9],
            io_backend: BackendChoice::Auto,
            io_uring_entries: 4096,
            io_uring_defer_taskrun: true,
            io_uring_coop_taskrun: true,
            io_uring_poll_first: true,
            io_uring_recv_ring: true,
            io_uring_fixed_files: true,
            io_uring_min_wait_us: 0,
            io_uring_zc_send_min: 0,
            io_uring_inline_sends: true,
            set_max_intset_entries: 512,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            list_max_listpack_size: -2,
            // redis-server's built-in defaults (its sample redis.conf
            // says 128 entries).
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            requirepass: String::new(),
            protected_mode: true,
        }
    }
}

/// One class of `client-output-buffer-limit`: a client whose pending
/// output passes `hard` bytes, or stays above `soft` for `soft_seconds`,
/// is disconnected (0 = no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputLimit {
    pub hard: u64,
    pub soft: u64,
    pub soft_seconds: u64,
}

const OUTPUT_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebugAccess {
    No,
    Yes,
    Local,
}

/// Smallest accepted `proto-max-bulk-len` and `client-query-buffer-limit`
/// (Redis's 1 MB floor).
const MIN_BUFFER_LIMIT: u64 = 1024 * 1024;

type Getter = fn(&Config) -> String;
type Setter = fn(&mut Config, &[&str]) -> Result<(), String>;

struct Directive {
    name: &'static str,
    get: Getter,
    set: Setter,
    /// May be changed by CONFIG SET.
    mutable: bool,
}

const DIRECTIVES: &[Directive] = &[
    Directive {
        name: "busy-reply-threshold",
        get: |c| c.busy_reply_threshold.to_string(),
        set: |c, a| {
            c.busy_reply_threshold = int(one(a)?, 0, i64::MAX)? as u64;
            Ok(())
        },
        mutable: true,
    },
    // The old name of busy-reply-threshold; Redis lists both.
    Directive {
        name: "lua-time-limit",
        get: |c| c.busy_reply_threshold.to_string(),
        set: |c, a| {
            c.busy_reply_threshold = int(one(a)?, 0, i64::MAX)? as u64;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "port",
        get: |c| c.port.to_string(),
        set: |c, a| {
            c.port = int(one(a)?, 0, 65535)? as u16;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "bind",
        get: |c| c.bind.join(" "),
        set: |c, a| {
            if a.is_empty() {
                return Err("wrong number of arguments".into());
            }
            c.bind = a
                .iter()
                .flat_map(|s| s.split(' '))
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "hz",
        get: |c| c.hz.to_string(),
        // Redis accepts any non-negative value and clamps it to 1..=500.
        set: |c, a| {
            c.hz = int(one(a)?, 0, i32::MAX as i64)?.clamp(1, 500) as u32;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "databases",
        get: |c| c.databases.to_string(),
        set: |c, a| {
            c.databases = int(one(a)?, 1, i32::MAX as i64)? as usize;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "maxclients",
        get: |c| c.maxclients.to_string(),
        set: |c, a| {
            c.maxclients = int(one(a)?, 1, u32::MAX as i64)? as usize;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "timeout",
        get: |c| c.timeout.to_string(),
        set: |c, a| {
            c.timeout = int(one(a)?, 0, i32::MAX as i64)? as u64;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "tcp-keepalive",
        get: |c| c.tcp_keepalive.to_string(),
        set: |c, a| {
            c.tcp_keepalive = int(one(a)?, 0, i32::MAX as i64)? as u64;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "proto-max-bulk-len",
        get: |c| c.proto_max_bulk_len.to_string(),
        set: |c, a| {
            c.proto_max_bulk_len = memory(one(a)?, MIN_BUFFER_LIMIT)?;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "client-query-buffer-limit",
        get: |c| c.client_query_buffer_limit.to_string(),
        set: |c, a| {
            c.client_query_buffer_limit = memory(one(a)?, MIN_BUFFER_LIMIT)?;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "save",
        get: |c| c.save.clone(),
        set: |c, a| {
            let s = a.join(" ");
            let words: Vec<&str> = s.split_whitespace().collect();
            if !words.len().is_multiple_of(2) || words.iter().any(|w| w.parse::<u64>().is_err()) {
                return Err("Invalid save parameters".into());
            }
            c.save = words.join(" ");
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "client-output-buffer-limit",
        get: |c| {
            let mut parts = Vec::new();
            for (class, l) in OUTPUT_CLASSES.iter().zip(&c.output_limits) {
                parts.push(format!("{class} {} {} {}", l.hard, l.soft, l.soft_seconds));
            }
            parts.join(" ")
        },
        set: |c, a| {
            let words: Vec<&str> = a.iter().flat_map(|s| s.split_whitespace()).collect();
            if words.is_empty() || !words.len().is_multiple_of(4) {
                return Err("Wrong number of arguments in buffer limit configuration.".into());
            }
            let mut limits = c.output_limits;
            for w in words.chunks(4) {
                let class = match w[0].to_ascii_lowercase().as_str() {
                    "normal" => 0,
                    "slave" | "replica" => 1,
                    "pubsub" => 2,
                    _ => {
                        return Err(
                            "Invalid client class specified in buffer limit configuration.".into(),
                        );
                    }
                };
                let bad = || {
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration."
                        .to_string()
                };
                limits[class] = OutputLimit {
                    hard: memory(w[1], 0).map_err(|_| bad())?,
                    soft: memory(w[2], 0).map_err(|_| bad())?,
                    soft_seconds: w[3].parse::<u32>().map_err(|_| bad())? as u64,
                };
            }
            c.output_limits = limits;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "enable-debug-command",
        get: |c| {
            match c.enable_debug_command {
                DebugAccess::No => "no",
                DebugAccess::Yes => "yes",
                DebugAccess::Local => "local",
            }
            .into()
        },
        set: |c, a| {
            c.enable_debug_command = match one(a)?.to_ascii_lowercase().as_str() {
                "no" => DebugAccess::No,
                "yes" => DebugAccess::Yes,
                "local" => DebugAccess::Local,
                _ => return Err("argument(s) must be one of the following: no, yes, local".into()),
            };
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "slowlog-log-slower-than",
        get: |c| c.slowlog_log_slower_than.to_string(),
        set: |c, a| {
            c.slowlog_log_slower_than = int(one(a)?, -1, i64::MAX)?;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "slowlog-max-len",
        get: |c| c.slowlog_max_len.to_string(),
        set: |c, a| {
            c.slowlog_max_len = int(one(a)?, 0, i64::MAX)? as u64;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "latency-monitor-threshold",
        get: |c| c.latency_monitor_threshold.to_string(),
        set: |c, a| {
            c.latency_monitor_threshold = int(one(a)?, 0, i64::MAX)? as u64;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "latency-tracking",
        get: |c| yes_no(c.latency_tracking),
        set: |c, a| {
            c.latency_tracking = boolean(one(a)?)?;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "latency-tracking-info-percentiles",
        get: |c| {
            let p: Vec<String> = c
                .latency_tracking_info_percentiles
                .iter()
                .map(|p| p.to_string())
                .collect();
            p.join(" ")
        },
        set: |c, a| {
            let mut ps = Vec::new();
            for w in a.iter().flat_map(|s| s.split_whitespace()) {
                let p: f64 = w
                    .parse()
                    .ok()
                    .filter(|p: &f64| p.is_finite())
                    .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
                if !(0.0..=100.0).contains(&p) {
                    return Err(
                        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
                            .into(),
                    );
                }
                ps.push(p);
            }
            c.latency_tracking_info_percentiles = ps;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "io-backend",
        get: |c| c.io_backend.name().into(),
        set: |c, a| {
            c.io_backend = BackendChoice::parse(one(a)?)
                .ok_or("argument(s) must be one of the following: auto, uring, epoll")?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-entries",
        get: |c| c.io_uring_entries.to_string(),
        set: |c, a| {
            c.io_uring_entries = int(one(a)?, 8, 32768)? as u32;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-defer-taskrun",
        get: |c| yes_no(c.io_uring_defer_taskrun),
        set: |c, a| {
            c.io_uring_defer_taskrun = boolean(one(a)?)?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-coop-taskrun",
        get: |c| yes_no(c.io_uring_coop_taskrun),
        set: |c, a| {
            c.io_uring_coop_taskrun = boolean(one(a)?)?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-poll-first",
        get: |c| yes_no(c.io_uring_poll_first),
        set: |c, a| {
            c.io_uring_poll_first = boolean(one(a)?)?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-recv-ring",
        get: |c| yes_no(c.io_uring_recv_ring),
        set: |c, a| {
            c.io_uring_recv_ring = boolean(one(a)?)?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-fixed-files",
        get: |c| yes_no(c.io_uring_fixed_files),
        set: |c, a| {
            c.io_uring_fixed_files = boolean(one(a)?)?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-min-wait-us",
        get: |c| c.io_uring_min_wait_us.to_string(),
        set: |c, a| {
            c.io_uring_min_wait_us = int(one(a)?, 0, 1_000_000)? as u32;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-zc-send-min",
        get: |c| c.io_uring_zc_send_min.to_string(),
        set: |c, a| {
            c.io_uring_zc_send_min = int(one(a)?, 0, 1 << 40)? as u64;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "io-uring-inline-sends",
        get: |c| yes_no(c.io_uring_inline_sends),
        set: |c, a| {
            c.io_uring_inline_sends = boolean(one(a)?)?;
            Ok(())
        },
        mutable: false,
    },
    Directive {
        name: "requirepass",
        get: |c| c.requirepass.clone(),
        set: |c, a| {
            c.requirepass = one(a)?.to_string();
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "protected-mode",
        get: |c| yes_no(c.protected_mode),
        set: |c, a| {
            c.protected_mode = boolean(one(a)?)?;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "appendonly",
        get: |c| yes_no(c.appendonly),
        set: |c, a| {
            if boolean(one(a)?)? {
                return Err("ferrite does not persist: appendonly must stay 'no'".into());
            }
            c.appendonly = false;
            Ok(())
        },
        mutable: true,
    },
    Directive {
        name: "eventloop-cpu-tracking",
        get: |c| yes_no(c.eventloop_cpu_tracking),
        set: |c, a| {
            c.eventloop_cpu_tracking = boolean(one(a)?)?;
            Ok(())
        },
        mutable: true,
    },
];

/// Directives of the compact encodings, each under its Redis 7 name and
/// its older `ziplist` alias (both answer CONFIG GET, as in Redis).
macro_rules! encoding_directive {
    ($name:literal, $field:ident, $min:expr, $max:expr, $ty:ty) => {
        Directive {
            name: $name,
            get: |c| c.$field.to_string(),
            set: |c, a| {
                c.$field = int(one(a)?, $min, $max)? as $ty;
                Ok(())
            },
            mutable: true,
        }
    };
}

const ENCODING_DIRECTIVES: &[Directive] = &[
    encoding_directive!(
        "list-max-listpack-size",
        list_max_listpack_size,
        i32::MIN as i64,
        i32::MAX as i64,
        i64
    ),
    encoding_directive!(
        "list-max-ziplist-size",
        list_max_listpack_size,
        i32::MIN as i64,
        i32::MAX as i64,
        i64
    ),
    encoding_directive!(
        "hash-max-listpack-entries",
        hash_max_listpack_entries,
        0,
        i64::MAX,
        usize
    ),
    encoding_directive!(
        "hash-max-ziplist-entries",
        hash_max_listpack_entries,
        0,
        i64::MAX,
        usize
    ),
    // A memory value in Redis (`1k`, `1kb`, ...).
    Directive {
        name: "hash-max-listpack-value",
        get: |c| c.hash_max_listpack_value.to_string(),
        set: |c, a| {
            c.hash_max_listpack_value = memory(one(a)?, 0)? as usize;
            Ok(())
        },
        mutable: true,
    },
    // A memory value in Redis (`1k`, `1kb`, ...).
    Directive {
        name: "hash-max-ziplist-value",
        get: |c| c.hash_max_listpack_value.to_string(),
        set: |c, a| {
            c.hash_max_listpack_value = memory(one(a)?, 0)? as usize;
            Ok(())
        },
        mutable: true,
    },
    // Sets have no ziplist alias: intset has kept its name.
    encoding_directive!(
        "set-max-intset-entries",
        set_max_intset_entries,
        0,
        i64::MAX,
        usize
    ),
    encoding_directive!(
        "zset-max-listpack-entries",
        zset_max_listpack_entries,
        0,
        i64::MAX,
        usize
    ),
    encoding_directive!(
        "zset-max-ziplist-entries",
        zset_max_listpack_entries,
        0,
        i64::MAX,
        usize
    ),
    // A memory value in Redis (`1k`, `1kb`, ...).
    Directive {
        name: "zset-max-listpack-value",
        get: |c| c.zset_max_listpack_value.to_string(),
        set: set_zset_value,
        mutable: true,
    },
    Directive {
        name: "zset-max-ziplist-value",
        get: |c| c.zset_max_listpack_value.to_string(),
        set: set_zset_value,
        mutable: true,
    },
];

/// A memory value in Redis (`1kb` works), unlike the entry count.
fn set_zset_value(c: &mut Config, a: &[&str]) -> Result<(), String> {
    c.zset_max_listpack_value = memory(one(a)?, 0)? as usize;
    Ok(())
}

impl Config {
    /// The sorted-set conversion thresholds.
    pub fn zset_limits(&self) -> crate::types::zset::ZLimits {
        crate::types::zset::ZLimits {
            max_entries: self.zset_max_listpack_entries,
            max_value: self.zset_max_listpack_value,
        }
    }
}

fn one<'a>(a: &[&'a str]) -> Result<&'a str, String> {
    match a {
        [v] => Ok(v),
        _ => Err("wrong number of arguments".into()),
    }
}

fn int(s: &str, min: i64, max: i64) -> Result<i64, String> {
    let v: i64 = s
        .parse()
        .map_err(|_| "argument couldn't be parsed into an integer".to_string())?;
    if v < min || v > max {
        return Err(format!(
            "argument must be between {min} and {max} inclusive"
        ));
    }
    Ok(v)
}

/// Redis's memory notation: `1k` = 1000, `1kb` = 1024, same for m and g.
fn memory(s: &str, min: u64) -> Result<u64, String> {
    let lower = s.to_ascii_lowercase();
    let (digits, mul) = [
        ("gb", 1u64 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
        ("g", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1000),
        ("b", 1),
    ]
    .iter()
    .find_map(|&(suf, mul)| lower.strip_suffix(suf).map(|d| (d, mul)))
    .unwrap_or((&lower, 1));
    let v: u64 = digits
        .parse()
        .map_err(|_| "argument must be a memory value".to_string())?;
    let v = v
        .checked_mul(mul)
        .filter(|&v| v <= i64::MAX as u64)
        .ok_or_else(|| "argument must be a memory value".to_string())?;
    if v < min {
        return Err(format!(
            "argument must be between {min} and {} inclusive",
            i64::MAX
        ));
    }
    Ok(v)
}

fn boolean(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err("argument must be 'yes' or 'no'".into()),
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

fn all_directives() -> impl Iterator<Item = &'static Directive> {
    DIRECTIVES.iter().chain(ENCODING_DIRECTIVES)
}

fn find(name: &str) -> Option<&'static Directive> {
    all_directives().find(|d| d.name.eq_ignore_ascii_case(name))
}

/// A start-up configuration error, printed the way redis-server does.
#[derive(Debug)]
pub struct StartupError {
    pub line_no: usize,
    pub line: String,
    pub reason: String,
}

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "\n*** FATAL CONFIG FILE ERROR (ferrite {}) ***\nReading the configuration file, at line {}\n>>> '{}'\n{}",
            env!("CARGO_PKG_VERSION"),
            self.line_no,
            self.line,
            self.reason
        )
    }
}

impl Config {
    /// What the reactor needs from the configuration.
    pub fn io_options(&self) -> IoOptions {
        IoOptions {
            ring_entries: self.io_uring_entries,
            defer_taskrun: self.io_uring_defer_taskrun,
            coop_taskrun: self.io_uring_coop_taskrun,
            poll_first: self.io_uring_poll_first,
            recv_ring: self.io_uring_recv_ring,
            min_wait_us: self.io_uring_min_wait_us,
            zc_send_min: self.io_uring_zc_send_min as usize,
            inline_sends: self.io_uring_inline_sends,
            fixed_files: if self.io_uring_fixed_files {
                self.maxclients + 64
            } else {
                0
            },
        }
    }

    /// Builds the configuration from `ferrite [config-file] [--name value ...]`.
    /// The file is read first, then the flags, which therefore win.
    pub fn from_args(args: &[String]) -> Result<Config, String> {
        let mut cfg = Config::default();
        let mut rest = args;
        let mut text = String::new();
        if let Some(first) = rest.first()
            && !first.starts_with("--")
        {
            text = std::fs::read_to_string(first)
                .map_err(|e| format!("Fatal error, can't open config file '{first}': {e}"))?;
            text.push('\n');
            cfg.config_file = Some(first.clone());
            rest = &rest[1..];
        }
        // Flags become config lines, as redis-server does: `--save ''` is
        // `save ""`, and a flag takes every word until the next `--`.
        for a in rest {
            if let Some(name) = a.strip_prefix("--") {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(name);
            } else {
                text.push(' ');
                text.push_str(&quote(a));
            }
        }
        cfg.load_text(&text).map_err(|e| e.to_string())?;
        Ok(cfg)
    }

    fn load_text(&mut self, text: &str) -> Result<(), StartupError> {
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let err = |reason: String| StartupError {
                line_no: i + 1,
                line: trimmed.to_string(),
                reason,
            };
            let words = split_config_line(trimmed)
                .ok_or_else(|| err("Unbalanced quotes in configuration line".into()))?;
            let Some((name, values)) = words.split_first() else {
                continue;
            };
            let d = find(name)
                .ok_or_else(|| err("Bad directive or wrong number of arguments".into()))?;
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            (d.set)(self, &values).map_err(err)?;
        }
        Ok(())
    }

    /// CONFIG GET: `(name, value)` for every directive matching any
    /// pattern, each once. As Redis, a pattern without glob characters
    /// names its directive the way it was written (`CONFIG GET HZ` answers
    /// `HZ`).
    pub fn get_matching(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut found: Vec<(&'static str, String)> = Vec::new();
        for p in patterns {
            let literal = !p.iter().any(|c| matches!(c, b'*' | b'?' | b'['));
            for d in all_directives() {
                if found.iter().any(|(n, _)| *n == d.name) {
                    continue;
                }
                if literal && p.eq_ignore_ascii_case(d.name.as_bytes()) {
                    found.push((d.name, String::from_utf8_lossy(p).into_owned()));
                } else if !literal && glob_match(p, d.name.as_bytes(), true) {
                    found.push((d.name, d.name.to_string()));
                }
            }
        }
        found
            .into_iter()
            .map(|(name, shown)| {
                let d = find(name).expect("found above");
                (shown, (d.get)(self))
            })
            .collect()
    }

    /// CONFIG SET for name/value pairs; all-or-nothing as Redis 7, with
    /// Redis's error texts.
    pub fn set_pairs(&mut self, pairs: &[(&str, &str)]) -> Result<(), String> {
        let mut next = self.clone();
        for (i, (name, value)) in pairs.iter().enumerate() {
            let d = find(name).ok_or_else(|| {
                format!("ERR Unknown option or number of arguments for CONFIG SET - '{name}'")
            })?;
            if pairs[..i].iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                return Err(format!(
                    "ERR CONFIG SET failed (possibly related to argument '{name}') - duplicate parameter"
                ));
            }
            if !d.mutable {
                return Err(format!(
                    "ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config"
                ));
            }
            // Multi-word values (save, bind, ...) are split by their setters.
            let words = [*value];
            (d.set)(&mut next, &words).map_err(|e| {
                format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {e}")
            })?;
        }
        *self = next;
        Ok(())
    }
}

/// The first line CONFIG REWRITE adds to a file; directives it appends
/// go below it.
const REWRITE_SIGNATURE: &str = "# Generated by CONFIG REWRITE";

impl Config {
    /// CONFIG REWRITE: writes the current configuration back to the file
    /// it was read from, as Redis does: each directive's first line in
    /// the file is rewritten in place (later duplicates are dropped),
    /// comments, blank lines and unknown lines are kept, and directives
    /// that differ from their default but were not in the file are
    /// appended below [`REWRITE_SIGNATURE`]. The new file replaces the old
    /// one by rename, so a crash never leaves half a file.
    pub fn rewrite(&self) -> Result<(), String> {
        let Some(path) = &self.config_file else {
            return Err("The server is running without a config file".into());
        };
        let old = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("Rewriting config file: {e}")),
        };
        let text = self.rewrite_text(&old);
        let tmp = format!("{path}.tmp-{}", std::process::id());
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("Rewriting config file: {e}")
        })
    }

    /// The rewritten text of config file `old` (see [`Config::rewrite`]).
    pub fn rewrite_text(&self, old: &str) -> String {
        let defaults = Config::default();
        let mut lines: Vec<Option<String>> = old.lines().map(|l| Some(l.to_string())).collect();
        let mut has_tail = lines
            .iter()
            .any(|l| l.as_deref().map(str::trim) == Some(REWRITE_SIGNATURE));
        // Where each known directive appears in the old file.
        let mut seen: Vec<(&'static str, Vec<usize>)> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let Some(l) = l.as_deref() else { continue };
            let t = l.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let name = t.split_whitespace().next().unwrap_or("");
            if let Some(d) = find(name) {
                match seen.iter_mut().find(|(n, _)| *n == d.name) {
                    Some((_, at)) => at.push(i),
                    None => seen.push((d.name, vec![i])),
                }
            }
        }
        let mut tail = Vec::new();
        for d in all_directives() {
            let new = self.rewrite_lines(d);
            let at = seen
                .iter()
                .find(|(n, _)| *n == d.name)
                .map(|(_, at)| at.as_slice())
                .unwrap_or(&[]);
            // An old `ziplist` alias is rewritten where the file has it,
            // never added: its `listpack` name carries the value.
            let alias = d.name.contains("ziplist");
            if at.is_empty() && (alias || (d.get)(self) == (d.get)(&defaults)) {
                continue;
            }
            // Later duplicates become blank lines, as Redis leaves them.
            let mut new = new.into_iter();
            for &i in at {
                lines[i] = Some(new.next().unwrap_or_default());
            }
            for l in new {
                if !has_tail {
                    tail.push(REWRITE_SIGNATURE.to_string());
                    has_tail = true;
                }
                tail.push(l);
            }
        }
        let mut out = String::new();
        for l in lines.into_iter().flatten().chain(tail) {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }

    /// The config-file lines for a directive's current value, as Redis
    /// writes them (memory sizes with units, one line per buffer class).
    fn rewrite_lines(&self, d: &Directive) -> Vec<String> {
        match d.name {
            "client-output-buffer-limit" => OUTPUT_CLASSES
                .iter()
                .zip(&self.output_limits)
                .map(|(class, l)| {
                    format!(
                        "{} {class} {} {} {}",
                        d.name,
                        memory_text(l.hard),
                        memory_text(l.soft),
                        l.soft_seconds
                    )
                })
                .collect(),
            "proto-max-bulk-len" => vec![format!(
                "{} {}",
                d.name,
                memory_text(self.proto_max_bulk_len)
            )],
            "client-query-buffer-limit" => vec![format!(
                "{} {}",
                d.name,
                memory_text(self.client_query_buffer_limit)
            )],
            _ => {
                let v = (d.get)(self);
                let v = if v.is_empty() { "\"\"".to_string() } else { v };
                vec![format!("{} {v}", d.name)]
            }
        }
    }
}

/// Redis's `rewriteConfigFormatMemory`: the largest of gb, mb, kb that
/// divides the value, else bytes.
fn memory_text(v: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "gb"), (1 << 20, "mb"), (1 << 10, "kb")];
    for (size, unit) in UNITS {
        if v != 0 && v.is_multiple_of(size) {
            return format!("{}{unit}", v / size);
        }
    }
    v.to_string()
}

/// Quotes a command-line word so the config-line splitter gives it back.
fn quote(s: &str) -> String {
    if !s.is_empty() && !s.contains([' ', '"', '\'', '\\', '\t']) {
        return s.to_string();
    }
    let mut q = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// Splits a config line into words with double and single quotes.
fn split_config_line(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else {
            return Some(out);
        };
        let mut word = String::new();
        if c == '"' || c == '\'' {
            chars.next();
            loop {
                match chars.next()? {
                    '\\' if c == '"' => word.push(chars.next()?),
                    q if q == c => break,
                    other => word.push(other),
                }
            }
            if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                return None;
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        out.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_override_defaults() {
        let c = Config::from_args(&args(&[
            "--port",
            "0",
            "--hz",
            "1000",
            "--save",
            "",
            "--bind",
            "127.0.0.1",
            "::1",
        ]))
        .unwrap();
        assert_eq!(c.port, 0);
        assert_eq!(c.hz, 500);
        assert_eq!(c.save, "");
        assert_eq!(c.bind, vec!["127.0.0.1", "::1"]);
        let c = Config::from_args(&args(&[
            "--proto-max-bulk-len",
            "2mb",
            "--client-query-buffer-limit",
            "2000k",
        ]))
        .unwrap();
        assert_eq!(c.proto_max_bulk_len, 2 << 20);
        assert_eq!(c.client_query_buffer_limit, 2_000_000);
    }

    #[test]
    fn startup_errors_name_the_line() {
        let e = Config::from_args(&args(&["--port", "abc"])).unwrap_err();
        assert!(
            e.contains(">>> 'port abc'") && e.contains("couldn't be parsed into an integer"),
            "{e}"
        );
        let e = Config::from_args(&args(&["--nosuch", "1"])).unwrap_err();
        assert!(e.contains("Bad directive"), "{e}");
        let e = Config::from_args(&args(&["--databases", "0"])).unwrap_err();
        assert!(e.contains("between 1 and"), "{e}");
    }

    #[test]
    fn rewrite_keeps_comments_and_unknown_lines() {
        let mut c = Config::default();
        c.set_pairs(&[("hz", "20"), ("slowlog-max-len", "7")])
            .unwrap();
        c.set_pairs(&[("client-output-buffer-limit", "normal 1mb 0 0")])
            .unwrap();
        let old = "# my comment\nhz 10\n\nunknown-thing 1\nhz 11\ntimeout 0\n";
        let new = c.rewrite_text(old);
        assert_eq!(
            new,
            "# my comment\nhz 20\n\nunknown-thing 1\n\ntimeout 0\n# Generated by CONFIG REWRITE\n\
             client-output-buffer-limit normal 1mb 0 0\n\
             client-output-buffer-limit slave 256mb 64mb 60\n\
             client-output-buffer-limit pubsub 32mb 8mb 60\n\
             slowlog-max-len 7\n"
        );
        // A second rewrite appends below the existing signature and is stable.
        assert_eq!(c.rewrite_text(&new), new);
        let mut back = Config::default();
        // ferrite refuses directives it does not know; the rest reads back.
        back.load_text(&new.replace("unknown-thing 1\n", ""))
            .unwrap();
        assert_eq!((back.hz, back.slowlog_max_len), (20, 7));
        assert_eq!(
            c.rewrite_text(""),
            "# Generated by CONFIG REWRITE\nhz 20\n".to_string()
                + &new[new.find("client-output").unwrap()..]
        );
    }

    #[test]
    fn password_and_protected_mode() {
        let c = Config::default();
        assert_eq!((c.requirepass.as_str(), c.protected_mode), ("", true));
        let mut c =
            Config::from_args(&args(&["--requirepass", "p w", "--protected-mode", "no"])).unwrap();
        assert_eq!((c.requirepass.as_str(), c.protected_mode), ("p w", false));
        let mut file = Config::default();
        file.load_text("requirepass \"s3 cret\"\nprotected-mode yes\n")
            .unwrap();
        assert_eq!(
            (file.requirepass.as_str(), file.protected_mode),
            ("s3 cret", true)
        );
        c.set_pairs(&[("requirepass", ""), ("protected-mode", "yes")])
            .unwrap();
        assert_eq!((c.requirepass.as_str(), c.protected_mode), ("", true));
        assert!(c.set_pairs(&[("protected-mode", "maybe")]).is_err());
        let got = c.get_matching(&[b"requirepass", b"protected-mode"]);
        assert_eq!(
            got,
            [
                ("requirepass".to_string(), String::new()),
                ("protected-mode".to_string(), "yes".into())
            ]
        );
    }

    #[test]
    fn config_get_and_set() {
        let mut c = Config::default();
        let got = c.get_matching(&[b"*max*"]);
        assert!(got.iter().any(|(n, v)| *n == "maxclients" && v == "10000"));
        c.set_pairs(&[("hz", "20"), ("timeout", "5")]).unwrap();
        assert_eq!((c.hz, c.timeout), (20, 5));
        let e = c.set_pairs(&[("hz", "30"), ("timeout", "x")]).unwrap_err();
        assert!(
            e.starts_with("ERR CONFIG SET failed (possibly related to argument 'timeout')"),
            "{e}"
        );
        assert_eq!(c.hz, 20, "all or nothing");
        assert!(
            c.set_pairs(&[("port", "1")])
                .unwrap_err()
                .contains("immutable")
        );
        assert!(
            c.set_pairs(&[("nope", "1")])
                .unwrap_err()
                .contains("Unknown option")
        );
    }
}
