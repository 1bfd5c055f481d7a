//! Observability: per-command statistics and latency histograms (INFO
//! commandstats / latencystats, LATENCY HISTOGRAM), error counts (INFO
//! errorstats), the slow log and the latency monitor.
//!
//! Dispatch feeds it once per command. The cost of a command that is not
//! slow is one clock read, a few counter increments and one compare: the
//! slow log and the latency monitor share one threshold check
//! (`is_slow`), and their work happens only past it.

pub mod clock;
pub mod histogram;
pub mod latency;
pub mod slowlog;

use std::collections::BTreeMap;

use crate::cmd::COMMANDS;
use crate::cmd::meta::SUBCOMMANDS;
use crate::config::Config;
use clock::Clock;
use histogram::Histogram;
use latency::LatencyMonitor;
use slowlog::SlowLog;

/// Distinct error codes counted, Redis's `ERROR_STATS_NUMBER`; codes past
/// it still count in `total_error_replies`.
const MAX_ERROR_CODES: usize = 128;

#[derive(Default)]
pub struct CmdStat {
    pub calls: u64,
    /// Time spent, in ns (INFO reports µs).
    pub ns: u64,
    /// Refused before running (arity, protection, ...).
    pub rejected: u64,
    /// Ran and replied with an error.
    pub failed: u64,
    /// Allocated on the command's first timed call.
    pub hist: Option<Histogram>,
}

pub struct Observ {
    /// By statistics index: table rows, then `SUBCOMMANDS` rows.
    pub cmds: Vec<CmdStat>,
    /// Error replies by code (`ERR`, `WRONGTYPE`, ...), sorted as Redis
    /// lists them.
    pub errors: BTreeMap<Vec<u8>, u64>,
    pub total_error_replies: u64,
    pub slowlog: SlowLog,
    pub latency: LatencyMonitor,
    /// Times commands (see `clock`).
    pub timer: Clock,
    /// `timer` reading when the last command ended, so the next one's
    /// duration needs only the reading at its end. The loop sets it when
    /// a connection's slice starts.
    pub last_end: u64,
    /// Commands at least this long (ns) go to the slow log or the latency
    /// monitor: the smaller of both thresholds, `u64::MAX` when both are off.
    slow_ns: u64,
    tracking: bool,
    /// Unix seconds of the last save: ferrite never saves, so the start,
    /// as Redis counts a fresh start as saved.
    pub lastsave: u64,
    /// Allocated bytes at start and at their highest (sampled by the cron
    /// and by INFO, as Redis samples its peak).
    pub mem_startup: u64,
    pub mem_peak: u64,
}

impl Observ {
    pub fn new(config: &Config) -> Self {
        let mut o = Observ {
            cmds: (0..COMMANDS.len() + SUBCOMMANDS.len())
                .map(|_| CmdStat::default())
                .collect(),
            errors: BTreeMap::new(),
            total_error_replies: 0,
            slowlog: SlowLog::default(),
            latency: LatencyMonitor::default(),
            timer: Clock::new(),
            last_end: 0,
            slow_ns: u64::MAX,
            tracking: true,
            lastsave: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            mem_startup: crate::alloc::allocated() as u64,
            mem_peak: 0,
        };
        o.configure(config);
        o
    }

    /// Takes the thresholds from the configuration (start, CONFIG SET).
    pub fn configure(&mut self, c: &Config) {
        let slowlog = u64::try_from(c.slowlog_log_slower_than)
            .map(|us| us.saturating_mul(1000))
            .unwrap_or(u64::MAX);
        let latency = match c.latency_monitor_threshold {
            0 => u64::MAX,
            ms => ms.saturating_mul(1_000_000),
        };
        self.slow_ns = slowlog.min(latency);
        self.tracking = c.latency_tracking;
    }

    /// Samples the allocated bytes for `used_memory_peak`; returns them.
    pub fn note_memory(&mut self) -> u64 {
        let used = crate::alloc::allocated() as u64;
        self.mem_peak = self.mem_peak.max(used);
        used
    }

    /// Name of a statistics index: `get`, `config|get`.
    pub fn stat_name(i: usize) -> &'static str {
        match i.checked_sub(COMMANDS.len()) {
            None => COMMANDS[i].name,
            Some(s) => SUBCOMMANDS[s].name,
        }
    }

    /// A command that ran, just after its handler: reads the clock once
    /// (the previous command's end is this one's start), counts the call,
    /// its time and whether it replied an error, and feeds its histogram
    /// (unless `sample` is false).
    /// Returns its duration in ns.
    #[inline(always)]
    pub fn command_done(&mut self, stat: usize, failed: bool, sample: bool) -> u64 {
        let end = self.timer.now();
        let ns = self.timer.ns_between(self.last_end, end);
        self.last_end = end;
        let s = &mut self.cmds[stat];
        s.calls += 1;
        s.ns += ns;
        s.failed += failed as u64;
        if self.tracking && sample {
            match &mut s.hist {
                Some(h) => h.record(ns),
                None => new_histogram(s, ns),
            }
        }
        ns
    }

    /// A blocked command was served (its handler ran again from `start`):
    /// as Redis, its time adds to the call counted when it blocked, and
    /// is its histogram sample.
    pub fn command_served(&mut self, name: &[u8], start: u64) {
        let ns = self.timer.ns_between(start, self.timer.now());
        let Some(i) = COMMANDS
            .iter()
            .position(|c| name.eq_ignore_ascii_case(c.name.as_bytes()))
        else {
            return;
        };
        let s = &mut self.cmds[i];
        s.ns += ns;
        if self.tracking {
            s.hist.get_or_insert_with(Histogram::new).record(ns);
        }
    }

    #[inline]
    pub fn is_slow(&self, ns: u64) -> bool {
        ns >= self.slow_ns
    }

    /// Counts an error reply (`-CODE message\r\n`) by its code.
    pub fn count_error(&mut self, reply: &[u8]) {
        self.total_error_replies += 1;
        let body = reply.strip_prefix(b"-").unwrap_or(reply);
        let end = body
            .iter()
            .position(|&c| c == b' ' || c == b'\r')
            .unwrap_or(body.len());
        let code = &body[..end];
        if let Some(n) = self.errors.get_mut(code) {
            *n += 1;
        } else if self.errors.len() < MAX_ERROR_CODES {
            self.errors.insert(code.to_vec(), 1);
        }
    }

    /// CONFIG RESETSTAT: command and error statistics and histograms (the
    /// slow log and the latency monitor have their own RESET).
    pub fn reset_stats(&mut self) {
        for s in &mut self.cmds {
            *s = CmdStat::default();
        }
        self.errors.clear();
        self.total_error_replies = 0;
        self.mem_peak = 0;
    }
}

/// A command's first timed call allocates its histogram (out of line,
/// to keep the per-command path short).
#[cold]
fn new_histogram(s: &mut CmdStat, ns: u64) {
    let mut h = Histogram::new();
    h.record(ns);
    s.hist = Some(h);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        let mut c = Config::default();
        let mut o = Observ::new(&c);
        assert!(!o.is_slow(9_999_999));
        assert!(o.is_slow(10_000_000));
        c.slowlog_log_slower_than = -1;
        o.configure(&c);
        assert!(!o.is_slow(u64::MAX - 1));
        c.latency_monitor_threshold = 5;
        o.configure(&c);
        assert!(o.is_slow(5_000_000));
        c.slowlog_log_slower_than = 0;
        o.configure(&c);
        assert!(o.is_slow(0));
    }

    #[test]
    fn error_codes() {
        let mut o = Observ::new(&Config::default());
        o.count_error(b"-ERR syntax error\r\n");
        o.count_error(b"-WRONGTYPE Operation\r\n");
        o.count_error(b"-ERR x\r\n");
        assert_eq!(o.errors.get(b"ERR".as_slice()), Some(&2));
        assert_eq!(o.total_error_replies, 3);
        assert_eq!(Observ::stat_name(0), "get");
        assert_eq!(Observ::stat_name(COMMANDS.len()), SUBCOMMANDS[0].name);
    }
}
