//! List and hash structures (no network): the work behind redis-benchmark's
//! LPUSH/RPUSH/LPOP/RPOP, LRANGE_100..600 and HSET, per element.
//!
//! * `list/push_pop_queue`: 10,000 RPUSH then 10,000 LPOP of 3-byte
//!   elements (the benchmark's "xxx"), a queue's life.
//! * `list/lrange_600`: walk the first 600 of 10,000 elements.
//! * `hash/hset_listpack`: 100 fields set then overwritten in a compact hash.
//! * `hash/hset_table`: 10,000 fields into a table-encoded hash.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ferrite::types::hash::{Hash, Limits};
use ferrite::types::list::{End, List};

const LIMITS: Limits = Limits {
    max_entries: 512,
    max_value: 64,
};

fn list(c: &mut Criterion) {
    let mut g = c.benchmark_group("list");
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("push_pop_queue", |b| {
        b.iter(|| {
            let mut l = List::new();
            for _ in 0..10_000 {
                l.push(End::Right, b"xxx");
            }
            let mut n = 0;
            while l.pop_with(End::Left, |v| n += v.len()).is_some() {}
            black_box(n)
        })
    });
    let mut full = List::new();
    for i in 0..10_000 {
        full.push(End::Left, format!("{i}").as_bytes());
    }
    g.throughput(Throughput::Elements(600));
    g.bench_function("lrange_600", |b| {
        b.iter(|| full.range(0, 599).map(<[u8]>::len).sum::<usize>())
    });
    g.finish();
}

fn hash(c: &mut Criterion) {
    let mut g = c.benchmark_group("hash");
    let fields: Vec<Vec<u8>> = (0..10_000)
        .map(|i| format!("field:{i}").into_bytes())
        .collect();
    g.throughput(Throughput::Elements(200));
    g.bench_function("hset_listpack", |b| {
        b.iter(|| {
            let mut h = Hash::new();
            for f in &fields[..100] {
                h.set(f, b"value", LIMITS);
            }
            for f in &fields[..100] {
                h.set(f, b"VALUE", LIMITS);
            }
            black_box(h.len())
        })
    });
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("hset_table", |b| {
        b.iter_batched(
            Hash::new,
            |mut h| {
                for f in &fields {
                    h.set(f, b"value", LIMITS);
                }
                h
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, list, hash);
criterion_main!(benches);
