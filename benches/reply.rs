//! Reply writer: encoding common replies into a reused write buffer
//! (cleared before each reply), RESP2.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use ferrite::resp::Reply;

/// Benchmarks one reply shape; generic so `write` is inlined, not called
/// through a pointer.
fn case(g: &mut BenchmarkGroup<WallTime>, name: &str, write: impl Fn(&mut Reply)) {
    let mut buf = Vec::new();
    write(&mut Reply::new(&mut buf, 2));
    g.throughput(Throughput::Bytes(buf.len() as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            buf.clear();
            write(&mut Reply::new(&mut buf, 2));
            black_box(&buf);
        })
    });
}

fn bench_reply(c: &mut Criterion) {
    let v16 = [b'v'; 16];
    let v1k = vec![b'v'; 1024];
    let mut g = c.benchmark_group("reply");
    case(&mut g, "ok", |r| r.ok());
    case(&mut g, "int_12345", |r| r.int(black_box(12345)));
    case(&mut g, "bulk_16b", |r| r.bulk(black_box(&v16)));
    case(&mut g, "bulk_1k", |r| r.bulk(black_box(&v1k)));
    case(&mut g, "array_100x16b", |r| {
        r.array(100);
        for _ in 0..100 {
            r.bulk(black_box(&v16));
        }
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench_reply
}
criterion_main!(benches);
