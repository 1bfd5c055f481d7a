//! The command path without the network: parse a pipelined batch of 16
//! `GET key:N` (hits) from a read buffer, dispatch each through the
//! command table into a write buffer, as the loop does for a client
//! pipelining 16 (redis-benchmark -P 16). Throughput is in commands per
//! second; this is the figure the per-command hooks (statistics, timing,
//! slow log, MONITOR) must not move.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferrite::blocking::Blocking;
use ferrite::clients::Clients;
use ferrite::cmd::{Ctx, Table};
use ferrite::config::Config;
use ferrite::conn::ClientState;
use ferrite::db::lazyfree::LazyFree;
use ferrite::db::{Db, Ttl, Value};
use ferrite::monitor::Monitors;
use ferrite::observ::Observ;
use ferrite::resp::{Args, Parsed, Parser, Reply};
use ferrite::server::{Shared, Stats};

const KEYS: usize = 100_000;
const BATCH: usize = 16;

fn shared() -> Shared {
    let config = Config::default();
    let mut db = Db::new();
    for i in 0..KEYS {
        db.set(
            format!("key:{i:012}").as_bytes(),
            Value::from_bytes(b"xxx"),
            Ttl::Clear,
            0,
        );
    }
    Shared {
        dbs: vec![db],
        observ: Observ::new(&config),
        monitors: Monitors::default(),
        blocking: Blocking::default(),
        clients: Clients::default(),
        config,
        stats: Stats::default(),
        now_ms: 1,
        now_us: 1000,
        started: Instant::now(),
        lazyfree: LazyFree::new(),
        io_backend: "none",
        port: 0,
        connected_clients: 1,
        run_id: String::new(),
        shutdown: false,
        scripts: None,
    }
}

fn bench_dispatch(c: &mut Criterion) {
    let mut shared = shared();
    let table = Table::new();
    let mut client = ClientState::new(1, "127.0.0.1:1".parse().unwrap(), 0);
    let mut input = Vec::new();
    for i in 0..BATCH {
        let k = format!("key:{:012}", i * 4099 % KEYS);
        input.extend_from_slice(format!("*2\r\n$3\r\nGET\r\n${}\r\n{k}\r\n", k.len()).as_bytes());
    }
    let mut parser = Parser::new();
    let mut rbuf = input.clone();
    let mut wbuf = Vec::with_capacity(64 * 1024);
    let mut g = c.benchmark_group("dispatch");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("get_pipeline_16", |b| {
        b.iter(|| {
            rbuf.copy_from_slice(&input);
            wbuf.clear();
            shared.observ.last_end = shared.observ.timer.now();
            let mut off = 0;
            while off < rbuf.len() {
                let Ok(Parsed::Command { consumed }) = parser.parse(&mut rbuf[off..], 1 << 20)
                else {
                    panic!("bad input");
                };
                let args = Args::new(&rbuf[off..], parser.args());
                let mut ctx = Ctx {
                    out: Reply::new(&mut wbuf, 2),
                    client: &mut client,
                    shared: &mut shared,
                };
                table.dispatch(&mut ctx, args);
                off += consumed;
            }
            black_box(wbuf.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench_dispatch);
criterion_main!(benches);
