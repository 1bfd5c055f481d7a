//! The latency monitor: per event (`command`, `fast-command`), the last
//! 160 seconds that had a sample at or above `latency-monitor-threshold`
//! ms, one sample per second (the worst), and the all-time worst.

use std::fmt::Write as _;

/// Samples kept per event, Redis's `LATENCY_TS_LEN`.
const SAMPLES: usize = 160;

#[derive(Clone, Copy, Default)]
pub struct Sample {
    /// Unix seconds; 0 = unused slot.
    pub time: u64,
    pub ms: u64,
}

pub struct Series {
    /// Next slot to write.
    idx: usize,
    pub max: u64,
    samples: [Sample; SAMPLES],
}

impl Series {
    fn new() -> Self {
        Series {
            idx: 0,
            max: 0,
            samples: [Sample::default(); SAMPLES],
        }
    }

    /// Samples oldest first.
    pub fn history(&self) -> impl Iterator<Item = Sample> + '_ {
        (0..SAMPLES)
            .map(move |i| self.samples[(self.idx + i) % SAMPLES])
            .filter(|s| s.time != 0)
    }

    pub fn latest(&self) -> Sample {
        self.samples[(self.idx + SAMPLES - 1) % SAMPLES]
    }
}

#[derive(Default)]
pub struct LatencyMonitor {
    /// In order of first occurrence.
    events: Vec<(&'static str, Series)>,
}

impl LatencyMonitor {
    /// Redis's `latencyAddSample`: a second already sampled keeps its worst.
    pub fn add(&mut self, event: &'static str, ms: u64, now_secs: u64) {
        let i = match self.events.iter().position(|(e, _)| *e == event) {
            Some(i) => i,
            None => {
                self.events.push((event, Series::new()));
                self.events.len() - 1
            }
        };
        let s = &mut self.events[i].1;
        s.max = s.max.max(ms);
        let prev = (s.idx + SAMPLES - 1) % SAMPLES;
        if s.samples[prev].time == now_secs {
            s.samples[prev].ms = s.samples[prev].ms.max(ms);
            return;
        }
        s.samples[s.idx] = Sample { time: now_secs, ms };
        s.idx = (s.idx + 1) % SAMPLES;
    }

    pub fn events(&self) -> impl Iterator<Item = (&'static str, &Series)> {
        self.events.iter().map(|(e, s)| (*e, s))
    }

    pub fn get(&self, event: &[u8]) -> Option<&Series> {
        self.events
            .iter()
            .find(|(e, _)| e.as_bytes() == event)
            .map(|(_, s)| s)
    }

    /// Resets the named events (all with none named); returns how many
    /// existed.
    pub fn reset<'a>(&mut self, names: impl Iterator<Item = &'a [u8]>) -> usize {
        let names: Vec<&[u8]> = names.collect();
        if names.is_empty() {
            let n = self.events.len();
            self.events.clear();
            return n;
        }
        let before = self.events.len();
        self.events
            .retain(|(e, _)| !names.iter().any(|n| n.eq_ignore_ascii_case(e.as_bytes())));
        before - self.events.len()
    }

    /// LATENCY DOCTOR's report, in Redis's shape: one paragraph per event
    /// with its spike count, average, mean deviation, period and worst.
    pub fn doctor(&self, slowlog_threshold_us: i64, threshold_ms: u64) -> String {
        if self.events.is_empty() && threshold_ms == 0 {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n".into();
        }
        if self.events.is_empty() {
            return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n".into();
        }
        let mut r = String::from(
            "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n",
        );
        for (n, (event, s)) in self.events.iter().enumerate() {
            let samples: Vec<Sample> = s.history().collect();
            let count = samples.len() as u64;
            let avg = samples.iter().map(|x| x.ms).sum::<u64>() / count.max(1);
            let mad = samples.iter().map(|x| x.ms.abs_diff(avg)).sum::<u64>() / count.max(1);
            let period = match (samples.first(), samples.last()) {
                (Some(a), Some(b)) if count > 1 => (b.time - a.time) as f64 / (count - 1) as f64,
                _ => 1.0,
            };
            let _ = writeln!(
                r,
                "{}. {event}: {count} latency spikes (average {avg}ms, mean deviation {mad}ms, period {period:.2} sec). Worst all time event {}ms.",
                n + 1,
                s.max
            );
        }
        r.push_str("\nI have a few advices for you:\n\n");
        if slowlog_threshold_us < 0 || slowlog_threshold_us as u64 / 1000 > threshold_ms {
            let _ = writeln!(
                r,
                "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {}'.",
                threshold_ms * 1000
            );
        }
        r.push_str("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        r.push_str("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
        r
    }

    /// LATENCY GRAPH, drawn as Redis draws it: a header with the range,
    /// a rule of 80 dashes, then per sample (oldest left, 80 per block) a
    /// column 4 rows high in 12 steps between the lowest and highest
    /// sample, drawn with `_`, `o`, `#` (and `|` below the top), then an
    /// empty row and each sample's age written downwards.
    pub fn graph(event: &str, s: &Series, now_secs: u64) -> String {
        const COLUMNS: usize = 80;
        const ROWS: i64 = 4;
        const LEVELS: &[u8; 3] = b"_o#";
        let samples: Vec<Sample> = s.history().collect();
        let high = samples.iter().map(|x| x.ms).max().unwrap_or(0);
        let low = samples.iter().map(|x| x.ms).min().unwrap_or(0);
        let mut r = format!(
            "{event} - high {high} ms, low {low} ms (all time high {} ms)\n{}\n",
            s.max,
            "-".repeat(COLUMNS)
        );
        let steps = LEVELS.len() as i64 * ROWS;
        let span = (high - low).max(1) as f64;
        for (block, chunk) in samples.chunks(COLUMNS).enumerate() {
            if block > 0 {
                r.push('\n');
            }
            let step = |x: &Sample| {
                (((x.ms - low) as f64 * steps as f64 / span) as i64).clamp(0, steps - 1)
            };
            for row in 0..ROWS {
                let line: String = chunk
                    .iter()
                    .map(|x| {
                        let level = step(x) - (ROWS - row - 1) * LEVELS.len() as i64;
                        match level {
                            l if l < 0 => ' ',
                            l if (l as usize) < LEVELS.len() => LEVELS[l as usize] as char,
                            _ => '|',
                        }
                    })
                    .collect();
                let _ = writeln!(r, "{line}");
            }
            let ages: Vec<String> = chunk
                .iter()
                .map(|x| age_label(now_secs.saturating_sub(x.time)))
                .collect();
            let _ = writeln!(r, "{}", " ".repeat(chunk.len()));
            let depth = ages.iter().map(|a| a.len()).max().unwrap_or(0);
            for d in 0..depth {
                let line: String = ages
                    .iter()
                    .map(|a| a.as_bytes().get(d).map_or(' ', |&b| b as char))
                    .collect();
                let _ = writeln!(r, "{line}");
            }
        }
        r
    }
}

/// `12s`, `3m`, `2h`, `1d`: how long ago a sample was taken.
fn age_label(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redis 7.0.15's graph of one 10 ms sample taken this second.
    #[test]
    fn graph_as_redis() {
        let mut m = LatencyMonitor::default();
        m.add("command", 10, 100);
        let g = LatencyMonitor::graph("command", m.get(b"command").unwrap(), 100);
        let want = format!(
            "command - high 10 ms, low 10 ms (all time high 10 ms)\n{}\n \n \n \n_\n \n0\ns\n",
            "-".repeat(80)
        );
        assert_eq!(g, want);
        m.add("command", 40, 101);
        m.add("command", 25, 102);
        let g = LatencyMonitor::graph("command", m.get(b"command").unwrap(), 102);
        let rows: Vec<&str> = g.lines().skip(2).collect();
        assert_eq!(rows, [" # ", " |_", " ||", "_||", "   ", "210", "sss"]);
    }

    #[test]
    fn one_sample_per_second_keeps_worst() {
        let mut m = LatencyMonitor::default();
        m.add("command", 10, 100);
        m.add("command", 30, 100);
        m.add("command", 20, 100);
        m.add("command", 5, 101);
        let s = m.get(b"command").unwrap();
        let h: Vec<(u64, u64)> = s.history().map(|x| (x.time, x.ms)).collect();
        assert_eq!(h, vec![(100, 30), (101, 5)]);
        assert_eq!(s.max, 30);
        assert_eq!(s.latest().ms, 5);
        for t in 0..200 {
            m.add("command", 1, 1000 + t);
        }
        assert_eq!(m.get(b"command").unwrap().history().count(), SAMPLES);
        let g = LatencyMonitor::graph("command", m.get(b"command").unwrap(), 1199);
        assert!(g.starts_with("command - high 1 ms, low 1 ms (all time high 30 ms)\n"));
        m.add("fast-command", 1, 1);
        assert_eq!(m.reset([b"FAST-COMMAND".as_slice()].into_iter()), 1);
        assert_eq!(m.reset(std::iter::empty()), 1);
        assert!(m.get(b"command").is_none());
    }
}
