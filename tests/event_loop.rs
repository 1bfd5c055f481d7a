//! The loop's promises: many concurrent connections, no client starved by
//! another's huge pipeline, and no request held while the table grows.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::*;

/// Raises this test process's open-files limit to its hard limit, so it
/// can hold many client sockets. Returns the limit now in force.
fn raise_nofile() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    #[allow(unsafe_code)]
    // SAFETY: `lim` is a valid rlimit for getrlimit to fill and for
    // setrlimit to read.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
    }
    lim.rlim_cur
}

#[test]
fn ten_thousand_concurrent_connections() {
    const N: usize = 10_000;
    let limit = raise_nofile();
    // The client side of this test needs N sockets too (+ slack).
    assert!(
        limit >= N as u64 + 100,
        "the test process may open only {limit} files; it needs {} (raise the hard limit)",
        N + 100
    );
    let srv = Server::start_with(&["--maxclients", "10100"]);
    let mut conns = Vec::with_capacity(N);
    for _ in 0..N {
        let s = TcpStream::connect(("127.0.0.1", srv.port)).expect("connect");
        conns.push(s);
    }
    // Every connection is served: a PING written on each, then all read.
    for s in conns.iter_mut() {
        s.write_all(b"PING\r\n").unwrap();
    }
    for s in conns.iter_mut() {
        s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        let mut buf = [0u8; 7];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"+PONG\r\n");
    }
    let mut admin = srv.raw();
    let clients = info_field(&info(&mut admin, "clients"), "connected_clients").unwrap();
    assert_eq!(clients.parse::<usize>().unwrap(), N + 1);
}

#[test]
fn a_huge_pipeline_does_not_starve_other_clients() {
    if skip_if_redis("a_huge_pipeline_does_not_starve_other_clients") {
        return;
    }
    let srv = Server::start();
    // 500,000 commands written as fast as the socket takes them, while
    // the replies are drained on another thread.
    const N: usize = 500_000;
    let mut heavy = srv.raw();
    let mut reader = heavy.try_clone().unwrap();
    let drain = thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut got = 0usize;
        let want = N * b":1\r\n".len();
        reader
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        while got < want {
            let n = reader.read(&mut buf).expect("heavy reader");
            assert!(n > 0, "heavy connection closed early");
            got += n;
        }
        got
    });
    let writer = thread::spawn(move || {
        let frame = b"*2\r\n$6\r\nEXISTS\r\n$1\r\nk\r\n";
        let chunk: Vec<u8> = frame
            .iter()
            .copied()
            .cycle()
            .take(frame.len() * 10_000)
            .collect();
        for _ in 0..N / 10_000 {
            heavy.write_all(&chunk).unwrap();
        }
        heavy
    });
    let mut light = srv.raw();
    assert_eq!(cmd(&mut light, &["SET", "k", "v"]), b"+OK\r\n");
    let mut worst = Duration::ZERO;
    let mut probes = 0;
    while !writer.is_finished() || probes < 50 {
        let t = Instant::now();
        assert_eq!(cmd(&mut light, &["PING"]), b"+PONG\r\n");
        worst = worst.max(t.elapsed());
        probes += 1;
        if probes > 100_000 {
            break;
        }
    }
    let _heavy = writer.join().unwrap();
    assert_eq!(drain.join().unwrap(), N * 4);
    println!("{probes} probes during the pipeline, worst {worst:?}");
    // A slice is 512 commands (well under a millisecond); leave room for
    // a noisy shared machine but fail on anything like starvation.
    assert!(
        worst < Duration::from_millis(50),
        "a PING waited {worst:?} behind the pipeline"
    );
}

#[test]
fn growing_the_table_never_holds_a_request() {
    if skip_if_redis("growing_the_table_never_holds_a_request") {
        return;
    }
    // 2M keys by default (FERRITE_BIG_TESTS=1: the 10M), loaded by
    // a pipelined SET loader as a real bulk load would, while a probe
    // client measures each of its GETs.
    let total: usize = if std::env::var("FERRITE_BIG_TESTS").is_ok() {
        10_000_000
    } else {
        2_000_000
    };
    let srv = Server::start_with(&["--eventloop-cpu-tracking", "yes"]);
    let port = srv.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let probe = thread::spawn(move || {
        let mut p = TcpStream::connect(("127.0.0.1", port)).unwrap();
        p.set_nodelay(true).unwrap();
        let mut samples = Vec::new();
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let t = Instant::now();
            assert_eq!(cmd(&mut p, &["GET", "probe"]), b"$-1\r\n");
            samples.push(t.elapsed());
        }
        samples
    });
    let mut loader = srv.raw();
    let mut replies = loader.try_clone().unwrap();
    let drain = thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let (mut got, want) = (0usize, total * 5);
        replies
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        while got < want {
            let n = replies.read(&mut buf).expect("loader replies");
            assert!(n > 0, "loader connection closed");
            got += n;
        }
    });
    let mut chunk = Vec::with_capacity(1 << 20);
    for i in 0..total {
        let key = format!("key:{i:012}");
        chunk.extend_from_slice(
            format!(
                "*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n$16\r\nxxxxxxxxxxxxxxxx\r\n",
                key.len()
            )
            .as_bytes(),
        );
        if chunk.len() >= 1 << 20 || i + 1 == total {
            loader.write_all(&chunk).unwrap();
            chunk.clear();
        }
    }
    drain.join().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut samples = probe.join().unwrap();
    assert_eq!(call(&mut loader, &["DBSIZE"]).int() as usize, total);
    samples.sort();
    let max = *samples.last().unwrap();
    let p999 = samples[samples.len() * 999 / 1000];
    println!(
        "{} probes while growing to {total} keys: p99.9 {p999:?}, max {max:?}",
        samples.len()
    );
    // What the probe sees includes this test's own threads competing for
    // the same two cores; the server's own account of its longest loop
    // iteration is the figure that a stall would show in.
    let stats = info(&mut loader, "stats");
    let field = |name| -> u64 { info_field(&stats, name).unwrap().parse().unwrap() };
    let (loop_max, loop_cpu_max) = (
        field("eventloop_duration_max_usec"),
        field("eventloop_cpu_max_usec"),
    );
    println!("longest loop iteration: {loop_max} µs, {loop_cpu_max} µs on the CPU");
    // On the CPU, an iteration is ferrite's own work, whatever else runs on
    // the machine: slices of 500 µs plus 500 µs of housekeeping keep it
    // near 1.5 ms (PERF.md). The host of these virtual machines now and
    // then stalls a thread for up to ~20 ms of "CPU" time even in a pure
    // compute loop (PERF.md), hence the margin; a one-go rehash of 2M keys
    // is far above it.
    assert!(
        loop_cpu_max < 10_000,
        "one loop iteration ran {loop_cpu_max} µs on the CPU while the table grew"
    );
    // Wall-clock figures (the probe's, the loop's) also count the time
    // other processes held the CPU, up to hundreds of ms on a busy shared
    // machine, so they are printed, not asserted; the probe must have been
    // answered throughout.
    assert!(
        samples.len() > 10,
        "the probe was starved while the table grew"
    );
}

#[test]
fn client_over_the_output_hard_limit_is_disconnected() {
    let srv = Server::start();
    let mut admin = srv.raw();
    assert_eq!(
        cmd(
            &mut admin,
            &[
                "CONFIG",
                "SET",
                "client-output-buffer-limit",
                "normal 1mb 0 0"
            ]
        ),
        b"+OK\r\n"
    );
    let big = "x".repeat(100_000);
    assert_eq!(cmd(&mut admin, &["SET", "big", &big]), b"+OK\r\n");
    // 50 GETs in one write: 5 MB of replies produced before any can be sent.
    let mut hog = srv.raw();
    let batch: Vec<u8> = b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".repeat(50);
    hog.write_all(&batch).unwrap();
    let mut got = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match hog.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("expected the server to close the connection, got {e}"),
        }
    }
    assert!(
        got < 50 * 100_000,
        "all {got} bytes arrived: the limit was not applied"
    );
    assert_eq!(cmd(&mut admin, &["PING"]), b"+PONG\r\n");
    let got = call(&mut admin, &["CONFIG", "GET", "client-output-buffer-limit"]).array();
    assert_eq!(
        got[1].text(),
        "normal 1048576 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
    );
}
