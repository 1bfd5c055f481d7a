//! Keyspace (`Db`) operations on 100,000 keys of the form
//! `key:000000123456` with 16-byte string values. Every benchmark runs a
//! batch of 100,000 operations per iteration in a shuffled key order, so
//! throughput is in operations per second.
//!
//! * `insert`: a fresh `Db` per iteration (setup not timed), 100k new keys;
//!   includes the incremental table growth.
//! * `lookup_hit` / `lookup_miss`: `Db::lookup` of present / absent keys.
//! * `overwrite`: `Db::set` of keys that exist (SET on an existing key).
//! * `delete`: `Db::remove` of every key of a filled `Db` (built in setup).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use ferrite::db::{Db, Ttl, Value};

const N: usize = 100_000;
const VALUE: &[u8; 16] = b"value-0123456789";

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `n` keys `prefix` + 12 digits, in a shuffled order.
fn keys(prefix: &str, n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = (0..n)
        .map(|i| format!("{prefix}{i:012}").into_bytes())
        .collect();
    let mut s = seed;
    for i in (1..v.len()).rev() {
        let j = (splitmix(&mut s) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    v
}

fn filled(keys: &[Vec<u8>]) -> Db {
    let mut db = Db::new();
    for k in keys {
        db.set(k, Value::from_bytes(VALUE), Ttl::Clear, 0);
    }
    db
}

fn bench_keyspace(c: &mut Criterion) {
    let present = keys("key:", N, 1);
    let absent = keys("nokey:", N, 2);
    let mut g = c.benchmark_group("keyspace");
    g.throughput(Throughput::Elements(N as u64));
    g.sampling_mode(SamplingMode::Flat);

    g.bench_function("insert", |b| {
        b.iter_batched(
            Db::new,
            |mut db| {
                for k in &present {
                    db.set(k, Value::from_bytes(VALUE), Ttl::Clear, 0);
                }
                db
            },
            BatchSize::PerIteration,
        )
    });

    let mut db = filled(&present);
    assert_eq!(db.len(), N);
    g.bench_function("lookup_hit", |b| {
        b.iter(|| {
            for k in &present {
                black_box(db.lookup(k, 0).is_some());
            }
        })
    });
    g.bench_function("lookup_miss", |b| {
        b.iter(|| {
            for k in &absent {
                black_box(db.lookup(k, 0).is_some());
            }
        })
    });
    g.bench_function("overwrite", |b| {
        b.iter(|| {
            for k in &present {
                db.set(k, Value::from_bytes(VALUE), Ttl::Clear, 0);
            }
        })
    });
    assert_eq!(db.len(), N);
    drop(db);

    g.bench_function("delete", |b| {
        b.iter_batched(
            || filled(&present),
            |mut db| {
                for k in &present {
                    black_box(db.remove(k, 0).is_some());
                }
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
    targets = bench_keyspace
}
criterion_main!(benches);
