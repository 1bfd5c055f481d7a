//! RESP request parser throughput, in memory (no sockets).
//!
//! * `pipeline/set_16b` and `pipeline/get`: a buffer of 1,000 pipelined
//!   commands parsed until `Incomplete`, each frame consumed as the server
//!   does (the next parse starts just past the bytes consumed).
//! * `bulk_1mib/pieces_16k` versus `bulk_1mib/one_piece`: one `SET key
//!   <1 MiB>` frame delivered through a `ReadBuf` in 16 KiB pieces (append,
//!   parse, repeat; the buffer grows as bytes arrive, as in the server) or in
//!   one piece. Both reuse the same `ReadBuf` across iterations, so both
//!   time the copy into the buffer plus parsing; if the parser rescanned the
//!   bulk on every piece, `pieces_16k` would be many times slower than
//!   `one_piece`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ferrite::conn::ReadBuf;
use ferrite::resp::{Parsed, Parser};

const MAX_BULK: usize = 512 * 1024 * 1024;
const PIPELINE: usize = 1_000;
const BULK: usize = 1024 * 1024;
const PIECE: usize = 16 * 1024;

fn bulk(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(format!("${}\r\n", s.len()).as_bytes());
    out.extend_from_slice(s);
    out.extend_from_slice(b"\r\n");
}

fn frame(out: &mut Vec<u8>, args: &[&[u8]]) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        bulk(out, a);
    }
}

fn pipeline(set: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..PIPELINE {
        let key = format!("key:{i:06}");
        if set {
            frame(&mut out, &[b"SET", key.as_bytes(), b"value-0123456789"]);
        } else {
            frame(&mut out, &[b"GET", key.as_bytes()]);
        }
    }
    out
}

/// Parses every complete command at the front of `buf`; returns how many.
fn parse_all(parser: &mut Parser, buf: &mut [u8]) -> usize {
    let mut pos = 0;
    let mut n = 0;
    loop {
        match parser.parse(&mut buf[pos..], MAX_BULK).unwrap() {
            Parsed::Command { consumed } => {
                black_box(parser.args());
                pos += consumed;
                n += 1;
            }
            Parsed::Skip { consumed } => pos += consumed,
            Parsed::Incomplete { .. } => return n,
        }
    }
}

fn bench_pipeline(c: &mut Criterion) {
    let mut g = c.benchmark_group("parser/pipeline");
    g.throughput(Throughput::Elements(PIPELINE as u64));
    for (name, set) in [("set_16b", true), ("get", false)] {
        let mut buf = pipeline(set);
        let mut parser = Parser::new();
        assert_eq!(parse_all(&mut parser, &mut buf), PIPELINE);
        // Multibulk parsing does not modify the buffer, so it is reused.
        g.bench_function(name, |b| {
            b.iter(|| parse_all(&mut parser, black_box(&mut buf)))
        });
    }
    g.finish();
}

/// Feeds `frame` into `rb` in `piece`-sized reads, parsing after each one
/// as the server does. Returns the number of parse calls.
fn feed(parser: &mut Parser, rb: &mut ReadBuf, frame: &[u8], piece: usize) -> usize {
    let mut calls = 0;
    for chunk in frame.chunks(piece) {
        rb.spare_mut(chunk.len())[..chunk.len()].copy_from_slice(chunk);
        rb.commit(chunk.len());
        calls += 1;
        match parser.parse(rb.data_mut(), MAX_BULK).unwrap() {
            Parsed::Command { consumed } => {
                black_box(parser.args());
                rb.consume(consumed);
                return calls;
            }
            Parsed::Incomplete { .. } => {}
            Parsed::Skip { .. } => unreachable!(),
        }
    }
    panic!("frame not completed");
}

fn bench_bulk(c: &mut Criterion) {
    let value = vec![b'x'; BULK];
    let mut big = Vec::new();
    frame(&mut big, &[b"SET", b"key", &value]);
    let mut g = c.benchmark_group("parser/bulk_1mib");
    g.throughput(Throughput::Bytes(big.len() as u64));
    for (name, piece) in [("pieces_16k", PIECE), ("one_piece", big.len())] {
        let mut parser = Parser::new();
        let mut rb = ReadBuf::default();
        // Warm the buffer to its final size and check the command parses.
        let calls = feed(&mut parser, &mut rb, &big, piece);
        assert_eq!(calls, big.len().div_ceil(piece));
        assert!(rb.is_empty());
        g.bench_function(name, |b| {
            b.iter(|| feed(&mut parser, &mut rb, black_box(&big), piece))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = bench_pipeline, bench_bulk
}
criterion_main!(benches);
