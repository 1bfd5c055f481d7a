//! The I/O backend choice (`--io-backend auto|uring|epoll`), the io_uring
//! probe and its fallback, and io_uring's loop promises: one wait per
//! iteration, a full submission queue, operations in flight at close.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use common::*;

/// Why io_uring cannot run here, or None when it can (asks the binary).
fn uring_refused() -> Option<String> {
    let out = Command::new(ferrite_bin())
        .args(["--io-backend", "uring", "--check-io-backend"])
        .output()
        .expect("run ferrite --check-io-backend");
    if out.status.success() {
        None
    } else {
        Some(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Skips (with the kernel's reason) where io_uring is refused.
fn skip_without_uring(test: &str) -> bool {
    if skip_if_redis(test) {
        return true;
    }
    match uring_refused() {
        Some(why) => {
            println!("skipped {test}: io_uring refused here: {why}");
            true
        }
        None => false,
    }
}

fn info_stat(s: &mut TcpStream, field: &str) -> u64 {
    info_field(&info(s, "stats"), field)
        .unwrap_or_else(|| panic!("INFO stats has no {field}"))
        .parse()
        .unwrap()
}

#[test]
fn ferrite_only_epoll_backend_is_reported() {
    if skip_if_redis("ferrite_only_epoll_backend_is_reported") {
        return;
    }
    let srv = Server::try_start_ferrite(&["--io-backend", "epoll"]).unwrap();
    let mut c = srv.raw();
    let text = info(&mut c, "server");
    assert_eq!(info_field(&text, "io_backend").as_deref(), Some("epoll"));
    assert_eq!(
        call(&mut c, &["CONFIG", "GET", "io-backend"]).strings(),
        ["io-backend", "epoll"]
    );
    assert_eq!(cmd(&mut c, &["SET", "k", "v"]), b"+OK\r\n");
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nv\r\n");
}

#[test]
fn ferrite_only_uring_backend_is_reported() {
    if skip_without_uring("ferrite_only_uring_backend_is_reported") {
        return;
    }
    for choice in ["uring", "auto"] {
        let srv = Server::try_start_ferrite(&["--io-backend", choice]).unwrap();
        let mut c = srv.raw();
        let text = info(&mut c, "server");
        assert_eq!(info_field(&text, "io_backend").as_deref(), Some("io_uring"));
        assert_eq!(
            call(&mut c, &["CONFIG", "GET", "io-backend"]).strings(),
            ["io-backend", choice]
        );
        assert_eq!(cmd(&mut c, &["SET", "k", "v"]), b"+OK\r\n");
        assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nv\r\n");
    }
}

#[test]
fn ferrite_only_io_backend_is_immutable_and_validated() {
    if skip_if_redis("ferrite_only_io_backend_is_immutable_and_validated") {
        return;
    }
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "io-backend", "epoll"]),
        b"-ERR CONFIG SET failed (possibly related to argument 'io-backend') - can't set immutable config\r\n"
            .as_slice()
    );
    let (status, err) =
        run_ferrite_to_exit(&["--port", "0", "--io-backend", "kqueue"], START_DEADLINE);
    assert_eq!(status.and_then(|s| s.code()), Some(1), "stderr: {err}");
    assert!(
        err.contains("must be one of the following: auto, uring, epoll"),
        "stderr: {err}"
    );
}

/// Starts ferrite with `FERRITE_TEST_URING_ERRNO` set: the probe reports
/// that errno as if the kernel had refused the ring.
fn spawn_with_refusal(errno: &str, backend: &str) -> std::process::Child {
    Command::new(ferrite_bin())
        .args(["--port", "0", "--io-backend", backend])
        .env("FERRITE_TEST_URING_ERRNO", errno)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ferrite")
}

#[test]
fn ferrite_only_auto_falls_back_to_epoll_and_logs_why() {
    if skip_if_redis("ferrite_only_auto_falls_back_to_epoll_and_logs_why") {
        return;
    }
    let mut child = spawn_with_refusal("EPERM", "auto");
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    std::io::BufRead::read_line(&mut out, &mut banner).unwrap();
    assert!(banner.contains("(epoll)"), "banner {banner:?}");
    let port = parse_banner_port(&banner).expect("port in banner");
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    let text = info(&mut c, "server");
    assert_eq!(info_field(&text, "io_backend").as_deref(), Some("epoll"));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(
        err.lines().filter(|l| l.contains("io_uring")).count(),
        1,
        "one line with the reason: {err}"
    );
    assert!(
        err.contains("io_uring unavailable (EPERM: io_uring is not allowed here")
            && err.contains("using epoll"),
        "stderr: {err}"
    );
}

#[test]
fn ferrite_only_forced_uring_exits_with_the_reason() {
    if skip_if_redis("ferrite_only_forced_uring_exits_with_the_reason") {
        return;
    }
    for (errno, words) in [
        ("ENOSYS", "ENOSYS: this kernel has no io_uring"),
        ("EPERM", "EPERM: io_uring is not allowed here"),
        ("ENOMEM", "ENOMEM: the locked-memory limit"),
    ] {
        let child = spawn_with_refusal(errno, "uring");
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("io-backend uring: io_uring unavailable") && err.contains(words),
            "stderr for {errno}: {err}"
        );
        assert!(out.stdout.is_empty(), "no banner: {:?}", out.stdout);
    }
}

#[test]
fn ferrite_only_uring_makes_one_wait_per_iteration() {
    if skip_without_uring("ferrite_only_uring_makes_one_wait_per_iteration") {
        return;
    }
    let srv = Server::try_start_ferrite(&["--io-backend", "uring"]).unwrap();
    let mut admin = srv.raw();
    let cycles0 = info_stat(&mut admin, "eventloop_cycles");
    let waits0 = info_stat(&mut admin, "io_wait_calls");
    // Eight clients, each 300 requests one at a time, some pipelined.
    let workers: Vec<_> = (0..8)
        .map(|i| {
            let port = srv.port;
            thread::spawn(move || {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
                for j in 0..300 {
                    let key = format!("k{i}:{j}");
                    assert_eq!(cmd(&mut s, &["SET", &key, "v"]), b"+OK\r\n");
                    if j % 10 == 0 {
                        let mut batch = Vec::new();
                        for _ in 0..16 {
                            batch.extend_from_slice(&encode(&[b"GET", key.as_bytes()]));
                        }
                        send_raw(&mut s, &batch);
                        for _ in 0..16 {
                            assert_eq!(read_reply_bytes(&mut s), b"$1\r\nv\r\n");
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let cycles = info_stat(&mut admin, "eventloop_cycles") - cycles0;
    let waits = info_stat(&mut admin, "io_wait_calls") - waits0;
    println!("{waits} io_uring_enter calls over {cycles} loop iterations");
    assert!(cycles > 100, "only {cycles} iterations");
    assert!(
        waits <= cycles + 1,
        "{waits} waits over {cycles} iterations: more than one io_uring_enter per iteration"
    );
}

#[test]
fn ferrite_only_uring_small_submission_queue_spills_to_the_backlog() {
    if skip_without_uring("ferrite_only_uring_small_submission_queue_spills_to_the_backlog") {
        return;
    }
    // 8 entries for 300 connections: most receives wait in the backlog.
    let srv =
        Server::try_start_ferrite(&["--io-backend", "uring", "--io-uring-entries", "8"]).unwrap();
    let mut conns: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(("127.0.0.1", srv.port)).unwrap())
        .collect();
    for round in 0..3 {
        for s in conns.iter_mut() {
            s.write_all(b"PING\r\n").unwrap();
        }
        for s in conns.iter_mut() {
            s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
            let mut buf = [0u8; 7];
            s.read_exact(&mut buf)
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
            assert_eq!(&buf, b"+PONG\r\n");
        }
    }
    let mut admin = srv.raw();
    let clients = info_field(&info(&mut admin, "clients"), "connected_clients").unwrap();
    assert_eq!(clients, "301");
}

/// Reads until the server closes the connection; returns the bytes read.
fn drain_to_close(s: &mut TcpStream) -> usize {
    s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let mut got = 0;
    loop {
        match s.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return got,
            Err(e) => panic!("expected the server to close the connection, got {e}"),
        }
    }
}

#[test]
fn ferrite_only_closing_with_operations_in_flight() {
    if skip_if_redis("ferrite_only_closing_with_operations_in_flight") {
        return;
    }
    // Clients that ask for 8 MB of replies three times without reading
    // pass the output limit while a send is still in flight (io_uring:
    // the close cancels it); their connection ids are reused at once by
    // the next clients, whose replies must be their own.
    let srv = Server::start();
    let mut admin = srv.raw();
    let limit = [
        "CONFIG",
        "SET",
        "client-output-buffer-limit",
        "normal 10mb 0 0",
    ];
    assert_eq!(cmd(&mut admin, &limit), b"+OK\r\n");
    let big = "x".repeat(1 << 20);
    assert_eq!(cmd(&mut admin, &["SET", "big", &big]), b"+OK\r\n");
    for i in 0..20 {
        let mut hog = srv.raw();
        for _ in 0..3 {
            if hog.write_all(&encode(&[b"GET", b"big"]).repeat(8)).is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let mut c = srv.raw();
        let v = format!("v{i}");
        assert_eq!(cmd(&mut c, &["SET", "mine", &v]), b"+OK\r\n");
        assert_eq!(
            cmd(&mut c, &["GET", "mine"]),
            format!("${}\r\n{v}\r\n", v.len()).as_bytes()
        );
        let got = drain_to_close(&mut hog);
        assert!(got < 24 << 20, "all {got} bytes arrived: not disconnected");
    }
    // Idle clients closed by `timeout` have a receive in flight.
    assert_eq!(
        cmd(&mut admin, &["CONFIG", "SET", "timeout", "1"]),
        b"+OK\r\n"
    );
    let mut idle: Vec<TcpStream> = (0..20).map(|_| srv.raw()).collect();
    for s in idle.iter_mut() {
        expect_closed(s);
    }
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    assert_eq!(
        info_field(&info(&mut c, "clients"), "connected_clients").as_deref(),
        Some("1")
    );
}

#[test]
fn ferrite_only_uring_own_buffer_receives() {
    if skip_without_uring("ferrite_only_uring_own_buffer_receives") {
        return;
    }
    // The receive path without the provided-buffer ring: each connection's
    // own buffer is lent to the kernel between batches.
    let srv = Server::try_start_ferrite(&[
        "--io-backend",
        "uring",
        "--io-uring-recv-ring",
        "no",
        "--io-uring-defer-taskrun",
        "no",
        "--io-uring-fixed-files",
        "no",
    ])
    .unwrap();
    let mut c = srv.raw();
    let big = "y".repeat(3 << 20);
    assert_eq!(cmd(&mut c, &["SET", "big", &big]), b"+OK\r\n");
    let reply = cmd(&mut c, &["GET", "big"]);
    assert_eq!(reply.len(), big.len() + 12, "3 MB bulk reply");
    let mut batch = Vec::new();
    for i in 0..2000 {
        batch.extend_from_slice(&encode(&[b"SET", format!("k{i}").as_bytes(), b"v"]));
    }
    send_raw(&mut c, &batch);
    for _ in 0..2000 {
        assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    }
    assert_eq!(call(&mut c, &["DBSIZE"]).int(), 2001);
    let clients: Vec<TcpStream> = (0..50).map(|_| srv.raw()).collect();
    for mut s in clients {
        assert_eq!(cmd(&mut s, &["GET", "k7"]), b"$1\r\nv\r\n");
    }
}

#[test]
fn ferrite_only_uring_full_socket_send_waits_without_stalling_others() {
    if skip_without_uring("ferrite_only_uring_full_socket_send_waits_without_stalling_others") {
        return;
    }
    big_replies_to_a_slow_reader(&[]);
}

#[test]
fn ferrite_only_uring_zero_copy_sends() {
    if skip_without_uring("ferrite_only_uring_zero_copy_sends") {
        return;
    }
    // Every reply of 4 KB or more goes out as IORING_OP_SEND_ZC: the
    // buffer is held until the kernel's notification, partial sends
    // continue after it.
    big_replies_to_a_slow_reader(&["--io-uring-zc-send-min", "4096"]);
}

#[test]
fn ferrite_only_uring_sends_without_inline_completion() {
    if skip_without_uring("ferrite_only_uring_sends_without_inline_completion") {
        return;
    }
    // `io-uring-inline-sends no`: sends the kernel finishes whenever the
    // socket has room, each completion ending a wait.
    big_replies_to_a_slow_reader(&["--io-uring-inline-sends", "no"]);
}

/// Sends go out with MSG_DONTWAIT and the loop's wait counts their
/// completions. A reply larger than the socket buffers comes back partly
/// sent (then EAGAIN) and must continue as a send that waits for room,
/// while the wait still ends for other clients' requests: a wrong count
/// would hold them until the next cron tick (1 s at hz 1).
fn big_replies_to_a_slow_reader(extra: &[&str]) {
    let mut args = vec!["--io-backend", "uring", "--hz", "1"];
    args.extend_from_slice(extra);
    let srv = Server::try_start_ferrite(&args).unwrap();
    let mut admin = srv.raw();
    let big: String = (0..(4 << 20))
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    assert_eq!(cmd(&mut admin, &["SET", "big", &big]), b"+OK\r\n");
    let mut slow = srv.raw();
    send_raw(&mut slow, &encode(&[b"GET", b"big"]).repeat(2));
    let mut other = srv.raw();
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_millis(400) {
        let t = std::time::Instant::now();
        assert_eq!(cmd(&mut other, &["PING"]), b"+PONG\r\n");
        let took = t.elapsed();
        assert!(
            took < Duration::from_millis(500),
            "a PING took {took:?} while another client's send waited for room"
        );
    }
    let header = format!("${}\r\n", big.len());
    let mut expected = Vec::new();
    for _ in 0..2 {
        expected.extend_from_slice(header.as_bytes());
        expected.extend_from_slice(big.as_bytes());
        expected.extend_from_slice(b"\r\n");
    }
    let mut got = vec![0u8; expected.len()];
    slow.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    slow.read_exact(&mut got).unwrap();
    assert!(got == expected, "the big replies arrived altered");
    assert_eq!(cmd(&mut slow, &["PING"]), b"+PONG\r\n");
}

#[test]
fn ferrite_only_uring_clients_killed_before_their_replies_were_submitted() {
    if skip_without_uring("ferrite_only_uring_clients_killed_before_their_replies_were_submitted") {
        return;
    }
    // An 8-entry submission queue, 60 clients that each send a PING, and
    // a CLIENT KILL read in the same batch: their replies are still in the
    // queue or the backlog when the kill closes them, so the close drops
    // or cancels inline sends the next wait had counted. The loop must not
    // stall (hz 1: a count too high would hold the next request for a
    // second) nor lose track of anyone.
    let srv = Server::try_start_ferrite(&[
        "--io-backend",
        "uring",
        "--io-uring-entries",
        "8",
        "--hz",
        "1",
    ])
    .unwrap();
    let mut admin = srv.raw();
    for _ in 0..5 {
        let mut victims: Vec<TcpStream> = (0..60).map(|_| srv.raw()).collect();
        assert_eq!(cmd(&mut admin, &["PING"]), b"+PONG\r\n");
        for s in victims.iter_mut() {
            s.write_all(b"PING\r\n").unwrap();
        }
        let kill = ["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"];
        assert_eq!(cmd(&mut admin, &kill), b":60\r\n");
        let t = std::time::Instant::now();
        assert_eq!(cmd(&mut admin, &["SET", "k", "v"]), b"+OK\r\n");
        assert_eq!(cmd(&mut admin, &["GET", "k"]), b"$1\r\nv\r\n");
        let took = t.elapsed();
        assert!(
            took < Duration::from_millis(500),
            "a request waited {took:?}"
        );
        for s in victims.iter_mut() {
            // Its PONG went out before the kill, or nothing did.
            let got = drain_to_close(s);
            assert!(got == 0 || got == 7, "a killed client got {got} bytes");
        }
    }
    assert_eq!(
        info_field(&info(&mut admin, "clients"), "connected_clients").as_deref(),
        Some("1")
    );
}

#[test]
fn ferrite_only_uring_registered_file_index_held_while_submissions_name_it() {
    if skip_without_uring("ferrite_only_uring_registered_file_index_held_while_submissions_name_it")
    {
        return;
    }
    // The seam makes every close behave as if the kernel had not taken the
    // whole queue: the registered-file index keeps the old socket until
    // the queue is empty, and a new connection with the same id meanwhile
    // uses its plain descriptor. Connections come and go with replies in
    // flight; each must get exactly its own replies.
    let srv = Server::try_start_ferrite_env(
        &["--io-backend", "uring"],
        &[("FERRITE_TEST_URING_STALE_FILES", "1")],
    )
    .unwrap();
    let mut admin = srv.raw();
    for round in 0..20 {
        let mut batch: Vec<TcpStream> = (0..10).map(|_| srv.raw()).collect();
        for (i, s) in batch.iter_mut().enumerate() {
            let v = format!("r{round}c{i}");
            s.write_all(&encode(&[b"SET", v.as_bytes(), v.as_bytes()]))
                .unwrap();
            s.write_all(&encode(&[b"GET", v.as_bytes()])).unwrap();
        }
        for (i, s) in batch.iter_mut().enumerate() {
            let v = format!("r{round}c{i}");
            assert_eq!(read_reply_bytes(s), b"+OK\r\n");
            assert_eq!(
                read_reply_bytes(s),
                format!("${}\r\n{v}\r\n", v.len()).as_bytes()
            );
        }
        // Half of them leave with a request unanswered.
        for s in batch.iter_mut().step_by(2) {
            s.write_all(b"PING\r\n").unwrap();
        }
    }
    assert_eq!(cmd(&mut admin, &["DBSIZE"]), b":200\r\n");
    assert!(
        poll_until(Duration::from_secs(5), || {
            info_field(&info(&mut admin, "clients"), "connected_clients").as_deref() == Some("1")
        }),
        "closed clients are still counted"
    );
}
