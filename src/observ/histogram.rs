//! A per-command latency histogram with HdrHistogram's log-linear layout
//! at two significant digits, the configuration Redis uses for
//! `latencystats` and `LATENCY HISTOGRAM`, so the percentiles and buckets
//! it reports are the values Redis would report for the same durations.
//!
//! Values are nanoseconds from 1 to 1 s (larger ones count as 1 s, as in
//! Redis). Recording is a few shifts and one increment; the counters are
//! one fixed array, allocated when a command is first timed, never per call.

/// Sub-buckets per power of two: 256 keeps two significant digits
/// (HdrHistogram's `sub_bucket_count` for precision 2).
const SUB_BUCKET_BITS: u32 = 8;
const SUB_HALF_BITS: u32 = SUB_BUCKET_BITS - 1;
const SUB_HALF: usize = 1 << SUB_HALF_BITS;
const SUB_MASK: u64 = (1 << SUB_BUCKET_BITS) - 1;
/// Powers of two needed above the first 256 values to reach 1 s.
const BUCKETS: usize = 23;
/// Counter slots: HdrHistogram's `(bucket_count + 1) * sub_bucket_half_count`.
pub const LEN: usize = (BUCKETS + 1) * SUB_HALF;
/// Largest value tracked (1 s in ns), Redis's `LATENCY_HISTOGRAM_MAX_VALUE`.
pub const MAX_NS: u64 = 1_000_000_000;

pub struct Histogram {
    counts: Box<[u64; LEN]>,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

/// The counter slot of a value.
#[inline(always)]
fn index_of(v: u64) -> usize {
    let pow2ceiling = 64 - (v | SUB_MASK).leading_zeros();
    let bucket = pow2ceiling - SUB_BUCKET_BITS;
    let sub = (v >> bucket) as usize;
    (((bucket as usize) + 1) << SUB_HALF_BITS) + sub - SUB_HALF
}

/// (bucket, sub-bucket) of a counter slot.
fn split(i: usize) -> (u32, u64) {
    let bucket = (i >> SUB_HALF_BITS) as i64 - 1;
    let sub = (i & (SUB_HALF - 1)) + SUB_HALF;
    if bucket < 0 {
        (0, (sub - SUB_HALF) as u64)
    } else {
        (bucket as u32, sub as u64)
    }
}

/// Lowest value counted in slot `i`.
fn value_from_index(i: usize) -> u64 {
    let (bucket, sub) = split(i);
    sub << bucket
}

/// Width of the range of values equivalent to `v`.
fn equivalent_range(v: u64) -> u64 {
    let pow2ceiling = 64 - (v | SUB_MASK).leading_zeros();
    1 << (pow2ceiling - SUB_BUCKET_BITS)
}

fn lowest_equivalent(v: u64) -> u64 {
    let range = equivalent_range(v);
    v & !(range - 1)
}

/// Highest value counted together with `v`: what HdrHistogram reports.
pub fn highest_equivalent(v: u64) -> u64 {
    lowest_equivalent(v) + equivalent_range(v) - 1
}

impl Histogram {
    pub fn new() -> Self {
        Histogram {
            counts: Box::new([0; LEN]),
        }
    }

    #[inline(always)]
    pub fn record(&mut self, ns: u64) {
        let v = ns.clamp(1, MAX_NS);
        self.counts[index_of(v)] += 1;
    }

    /// Values recorded (summed when asked, to keep `record` to one store).
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// HdrHistogram's `value_at_percentile`: the highest value equivalent
    /// to the one at the given percentile (0 when empty).
    pub fn value_at_percentile(&self, p: f64) -> u64 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        let p = p.min(100.0);
        let target = ((p / 100.0 * total as f64 + 0.5) as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                let v = value_from_index(i);
                return if p == 0.0 {
                    lowest_equivalent(v)
                } else {
                    highest_equivalent(v)
                };
            }
        }
        0
    }

    /// The cumulative distribution Redis's `LATENCY HISTOGRAM` reports:
    /// HdrHistogram's logarithmic iteration from 1024 ns doubling, as
    /// `(µs, calls at or below)` pairs, only where the count grows.
    pub fn log_cdf(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let mut level: u64 = 1024;
        let mut idx: isize = -1;
        let mut cum = 0u64;
        let mut prev = 0u64;
        let mut value = 0u64;
        let total = self.total();
        loop {
            let next_value = value_from_index((idx + 1) as usize);
            if !(cum < total || next_value > lowest_equivalent(level)) {
                return out;
            }
            loop {
                if idx >= 0 && value >= lowest_equivalent(level) {
                    if cum > prev {
                        out.push((highest_equivalent(level) / 1000, cum));
                    }
                    prev = cum;
                    level *= 2;
                    break;
                }
                if (idx + 1) as usize >= LEN {
                    return out;
                }
                idx += 1;
                cum += self.counts[idx as usize];
                value = value_from_index(idx as usize);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_hdr() {
        assert_eq!(index_of(1), 1);
        assert_eq!(index_of(255), 255);
        assert_eq!(index_of(256), 256);
        assert_eq!(index_of(257), 256);
        assert_eq!(index_of(MAX_NS), 3054);
        assert!(index_of(MAX_NS) < LEN);
        for v in [1u64, 200, 255, 256, 1000, 5000, 20_204_000, MAX_NS] {
            assert!(value_from_index(index_of(v)) <= v);
            assert!(highest_equivalent(v) >= v);
        }
    }

    /// Values Redis 7.0.15 printed for single calls of these durations.
    #[test]
    fn percentiles_as_redis() {
        for (ns, want) in [
            (5_000, 5_023),
            (66_000, 66_047),
            (20_204_000, 20_316_159),
            (1_000, 1_003),
        ] {
            let mut h = Histogram::new();
            h.record(ns);
            assert_eq!(h.value_at_percentile(50.0), want, "{ns}");
            assert_eq!(h.value_at_percentile(99.9), want, "{ns}");
        }
        let mut h = Histogram::new();
        for _ in 0..99 {
            h.record(1_000);
        }
        h.record(300_000);
        assert_eq!(h.value_at_percentile(50.0), 1_003);
        assert_eq!(h.value_at_percentile(99.0), 1_003);
        assert_eq!(h.value_at_percentile(99.9), 301_055);
        assert_eq!(Histogram::new().value_at_percentile(50.0), 0);
    }

    #[test]
    fn cdf_as_redis() {
        let mut h = Histogram::new();
        h.record(5_000);
        assert_eq!(h.log_cdf(), vec![(8, 1)]);
        h.record(500);
        h.record(3_000_000);
        assert_eq!(h.log_cdf(), vec![(1, 1), (8, 2), (4227, 3)]);
        // As HdrHistogram's iterator, levels stop below 2^30 ns: the top
        // bucket counts in `calls` but is never listed.
        h.record(u64::MAX);
        assert_eq!(h.log_cdf().last(), Some(&(4227, 3)));
    }
}
