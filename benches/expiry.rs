//! Expiry: the `ExpireHeap` on its own and active expiry through `Db`,
//! 100,000 items or keys per iteration (throughput in items per second).
//!
//! * `heap/push_random`: 100k pushes with random deadlines into an empty
//!   heap.
//! * `heap/pop_due_random`: popping 100k due items (random deadlines) the
//!   way active expiry does (peek, compare with now, pop).
//! * `heap/pop_due_same_deadline`: the same with all 100k items sharing one
//!   deadline (a bulk load with one TTL).
//! * `db/compact_90pct_stale`: 100k keys whose TTL was set 10 times, so the
//!   heap holds 1M items of which 90% are stale; timed is
//!   `Db::active_expire(now = 0, ..)` until it reports no more work: nothing
//!   is due, so this is pure compaction. Throughput counts the 1M items
//!   scanned.
//! * `db/active_expire_100k`: `Db::active_expire` removing 100k due keys
//!   (heap pops plus dict removals).
//!
//! Heaps and databases are built in untimed setup (one per iteration).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ferrite::db::expire::ExpireHeap;
use ferrite::db::{Db, Ttl, Value};

const N: usize = 100_000;
const TTL_ROUNDS: u64 = 10;
/// A plausible "now" in ms since the epoch; deadlines lie after it.
const BASE: u64 = 1_700_000_000_000;
const SPAN: u64 = 3_600_000;

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// (deadline, hash) pairs; deadlines random in `BASE..BASE + SPAN`.
fn random_items(seed: u64) -> Vec<(u64, u64)> {
    let mut s = seed;
    (0..N)
        .map(|_| (BASE + splitmix(&mut s) % SPAN, splitmix(&mut s)))
        .collect()
}

fn heap_of(items: &[(u64, u64)]) -> ExpireHeap {
    let mut h = ExpireHeap::new();
    for &(when, hash) in items {
        h.push(when, hash);
    }
    h
}

/// Pops every item due at `now`, as `Db::active_expire` does.
fn pop_due(h: &mut ExpireHeap, now: u64) -> usize {
    let mut n = 0;
    while let Some(item) = h.peek() {
        if now <= item.when {
            break;
        }
        black_box(h.pop());
        n += 1;
    }
    n
}

fn keys() -> Vec<Vec<u8>> {
    (0..N)
        .map(|i| format!("key:{i:012}").into_bytes())
        .collect()
}

fn far() -> Instant {
    Instant::now() + Duration::from_secs(3600)
}

fn bench_heap(c: &mut Criterion) {
    let random = random_items(1);
    let same: Vec<(u64, u64)> = random.iter().map(|&(_, h)| (BASE, h)).collect();
    let now = BASE + SPAN + 1;

    let mut g = c.benchmark_group("expiry/heap");
    g.throughput(Throughput::Elements(N as u64));
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("push_random", |b| {
        b.iter_batched(
            ExpireHeap::new,
            |mut h| {
                for &(when, hash) in &random {
                    h.push(when, hash);
                }
                h
            },
            BatchSize::PerIteration,
        )
    });
    for (name, items) in [
        ("pop_due_random", &random),
        ("pop_due_same_deadline", &same),
    ] {
        assert_eq!(pop_due(&mut heap_of(items), now), N);
        g.bench_function(name, |b| {
            b.iter_batched(
                || heap_of(items),
                |mut h| {
                    pop_due(&mut h, now);
                    h
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// 100k keys with 16-byte values; each key's TTL set `rounds` times with
/// random deadlines after `BASE`. Deadlines of different rounds differ (the
/// round is their residue mod `TTL_ROUNDS`), so no key gets the same
/// deadline twice and exactly one item per key stays live.
fn db_with_ttls(keys: &[Vec<u8>], rounds: u64) -> Db {
    let mut db = Db::new();
    let mut s = 7;
    let mut deadline = |round: u64| BASE + (splitmix(&mut s) % SPAN) * TTL_ROUNDS + round;
    for k in keys {
        let when = deadline(0);
        db.set(k, Value::from_bytes(b"value-0123456789"), Ttl::At(when), 0);
    }
    for round in 1..rounds {
        for k in keys {
            db.set_expire(k, deadline(round));
        }
    }
    db
}

fn bench_db(c: &mut Criterion) {
    let keys = keys();
    let mut g = c.benchmark_group("expiry/db");
    g.sampling_mode(SamplingMode::Flat);

    {
        let mut db = db_with_ttls(&keys, TTL_ROUNDS);
        assert_eq!(db.heap_len(), N * TTL_ROUNDS as usize);
        while db.active_expire(0, far()).1 {}
        assert_eq!(db.heap_len(), N, "compaction keeps only live items");
        assert_eq!(db.len(), N, "nothing is due at now = 0");
    }
    g.throughput(Throughput::Elements(N as u64 * TTL_ROUNDS));
    g.bench_function("compact_90pct_stale", |b| {
        b.iter_batched(
            || db_with_ttls(&keys, TTL_ROUNDS),
            |mut db| {
                while db.active_expire(0, far()).1 {}
                db
            },
            BatchSize::PerIteration,
        )
    });

    let now = BASE + SPAN * TTL_ROUNDS + 1;
    {
        let mut db = db_with_ttls(&keys, 1);
        assert_eq!(db.active_expire(now, far()), (N, false));
        assert!(db.is_empty());
    }
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("active_expire_100k", |b| {
        b.iter_batched(
            || db_with_ttls(&keys, 1),
            |mut db| {
                black_box(db.active_expire(now, far()));
                db
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = bench_heap, bench_db
}
criterion_main!(benches);
