//! Expiration: EXPIRE family with NX/XX/GT/LT, TTL/PTTL, EXPIRETIME, PERSIST,
//! lazy and active expiry, INFO accounting, and a ferrite-only expiry storm.
mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const OK: &[u8] = b"+OK\r\n";
const NIL: &[u8] = b"$-1\r\n";
const ONE: &[u8] = b":1\r\n";
const ZERO: &[u8] = b":0\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn ttl(c: &mut TcpStream, k: &str) -> i64 {
    call(c, &["TTL", k]).int()
}

#[test]
fn ttl_and_pttl_of_persistent_and_missing_keys() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["TTL", "k"]), b":-1\r\n");
    assert_eq!(cmd(&mut c, &["PTTL", "k"]), b":-1\r\n");
    assert_eq!(cmd(&mut c, &["TTL", "nokey"]), b":-2\r\n");
    assert_eq!(cmd(&mut c, &["PTTL", "nokey"]), b":-2\r\n");
}

#[test]
fn expire_sets_ttl_and_reports_missing_key() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100"]), ONE);
    let t = ttl(&mut c, "k");
    assert!((99..=100).contains(&t), "ttl {t}");
    assert_eq!(cmd(&mut c, &["EXPIRE", "nokey", "100"]), ZERO);
    assert_eq!(cmd(&mut c, &["PEXPIRE", "k", "5000"]), ONE);
    let p = call(&mut c, &["PTTL", "k"]).int();
    assert!((4000..=5000).contains(&p), "pttl {p}");
}

#[test]
fn expire_nx_xx() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "XX"]), ZERO);
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "NX"]), ONE);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "200", "NX"]), ZERO);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "200", "xx"]), ONE);
    assert!(ttl(&mut c, "k") > 150);
}

#[test]
fn expire_gt_lt() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v", "EX", "200"]);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "GT"]), ZERO);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "300", "GT"]), ONE);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "400", "LT"]), ZERO);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "lt"]), ONE);
    let t = ttl(&mut c, "k");
    assert!((99..=100).contains(&t), "ttl {t}");
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "150", "XX", "GT"]), ONE);
}

#[test]
fn expire_gt_lt_on_persistent_key_treat_it_as_infinite() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "GT"]), ZERO);
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "LT"]), ONE);
    assert!(ttl(&mut c, "k") > 0);
}

#[test]
fn expire_incompatible_option_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    let nx = b"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "NX", "XX"]), nx);
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "100", "NX", "GT"]), nx);
    assert_eq!(cmd(&mut c, &["PEXPIRE", "k", "100", "LT", "NX"]), nx);
    assert_eq!(
        cmd(&mut c, &["EXPIRE", "k", "100", "GT", "LT"]),
        b"-ERR GT and LT options at the same time are not compatible\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EXPIRE", "k", "100", "foo"]),
        b"-ERR Unsupported option foo\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXPIRE", "k", "abc"]), NOT_INT);
    assert_eq!(ttl(&mut c, "k"), -1);
}

#[test]
fn expire_overflow_is_invalid_expire_time() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(
        cmd(&mut c, &["EXPIRE", "k", "9223372036854775807"]),
        b"-ERR invalid expire time in 'expire' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EXPIRE", "k", "9223372036854775"]),
        b"-ERR invalid expire time in 'expire' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EXPIRE", "k", "-9223372036854775808"]),
        b"-ERR invalid expire time in 'expire' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["PEXPIRE", "k", "9223372036854775807"]),
        b"-ERR invalid expire time in 'pexpire' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EXPIREAT", "k", "9223372036854775807"]),
        b"-ERR invalid expire time in 'expireat' command\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), ONE);
    assert_eq!(ttl(&mut c, "k"), -1);
    // PEXPIREAT i64::MAX is representable and accepted.
    assert_eq!(cmd(&mut c, &["PEXPIREAT", "k", "9223372036854775807"]), ONE);
    assert_eq!(
        cmd(&mut c, &["PEXPIRETIME", "k"]),
        b":9223372036854775807\r\n"
    );
}

#[test]
fn expireat_and_pexpireat_with_expiretime() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["EXPIRETIME", "k"]), b":-1\r\n");
    assert_eq!(cmd(&mut c, &["PEXPIRETIME", "k"]), b":-1\r\n");
    assert_eq!(cmd(&mut c, &["EXPIRETIME", "nokey"]), b":-2\r\n");
    assert_eq!(cmd(&mut c, &["PEXPIRETIME", "nokey"]), b":-2\r\n");
    assert_eq!(cmd(&mut c, &["EXPIREAT", "k", "4000000000"]), ONE);
    assert_eq!(cmd(&mut c, &["EXPIRETIME", "k"]), b":4000000000\r\n");
    assert_eq!(cmd(&mut c, &["PEXPIRETIME", "k"]), b":4000000000000\r\n");
    assert_eq!(cmd(&mut c, &["PEXPIREAT", "k", "4000000000123"]), ONE);
    assert_eq!(cmd(&mut c, &["PEXPIRETIME", "k"]), b":4000000000123\r\n");
    // EXPIRETIME truncates to whole seconds.
    assert_eq!(cmd(&mut c, &["EXPIRETIME", "k"]), b":4000000000\r\n");
    assert_eq!(cmd(&mut c, &["PEXPIRE", "k", "100000", "GT"]), ZERO);
    assert_eq!(cmd(&mut c, &["EXPIREAT", "k", "4100000000", "GT"]), ONE);
    assert_eq!(
        cmd(&mut c, &["PEXPIREAT", "k", "4200000000000", "LT"]),
        ZERO
    );
}

#[test]
fn persist_removes_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["PERSIST", "k"]), ONE);
    assert_eq!(cmd(&mut c, &["PERSIST", "k"]), ZERO);
    assert_eq!(cmd(&mut c, &["PERSIST", "nokey"]), ZERO);
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nv\r\n");
}

#[test]
fn non_positive_expire_deletes_the_key() {
    let (_s, mut c) = conn();
    for args in [
        &["EXPIRE", "k", "-1"][..],
        &["EXPIRE", "k", "0"],
        &["PEXPIRE", "k", "-100"],
        &["EXPIREAT", "k", "1"],
        &["PEXPIREAT", "k", "1"],
    ] {
        cmd(&mut c, &["SET", "k", "v"]);
        assert_eq!(cmd(&mut c, args), ONE, "{args:?}");
        assert_eq!(cmd(&mut c, &["EXISTS", "k"]), ZERO, "{args:?}");
    }
}

#[test]
fn expired_key_disappears_lazily_on_access() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PX", "50"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nv\r\n");
    let gone = poll_until(Duration::from_secs(2), || cmd(&mut c, &["GET", "k"]) == NIL);
    assert!(gone, "key with PX 50 still readable after 2 s");
    assert_eq!(cmd(&mut c, &["TTL", "k"]), b":-2\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), ZERO);
}

#[test]
fn expired_keys_are_removed_actively_without_access() {
    let srv = Server::start();
    let mut c = srv.raw();
    let mut con = srv.client();
    let mut p = redis::pipe();
    for i in 0..200 {
        p.cmd("SET")
            .arg(format!("e:{i}"))
            .arg("v")
            .arg("PX")
            .arg(100)
            .ignore();
    }
    p.cmd("SET").arg("keep").arg("v").ignore();
    p.query::<()>(&mut con).unwrap();
    assert_eq!(call(&mut c, &["DBSIZE"]).int(), 201);
    let start = Instant::now();
    let done = poll_until(Duration::from_secs(2), || {
        call(&mut c, &["DBSIZE"]).int() == 1
    });
    assert!(
        done,
        "active expiry left {} keys after {:?}",
        call(&mut c, &["DBSIZE"]).int(),
        start.elapsed()
    );
}

#[test]
fn info_keyspace_line_format() {
    let (_s, mut c) = conn();
    assert_eq!(
        info(&mut c, "keyspace").trim_end(),
        "# Keyspace",
        "empty keyspace has only the header"
    );
    cmd(&mut c, &["SET", "a", "1"]);
    cmd(&mut c, &["SET", "b", "1", "EX", "100"]);
    cmd(&mut c, &["SELECT", "2"]);
    cmd(&mut c, &["SET", "c", "1"]);
    let text = info(&mut c, "keyspace");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# Keyspace");
    let db0 = lines[1];
    let rest = db0
        .strip_prefix("db0:keys=2,expires=1,avg_ttl=")
        .unwrap_or_else(|| panic!("{db0:?}"));
    let avg: u64 = rest.parse().unwrap_or_else(|_| panic!("{db0:?}"));
    // avg_ttl is an estimate (Redis updates it from its expiry sampling, so it
    // may still be 0 right after the write); it must never exceed the TTL.
    assert!(avg <= 100_000, "avg_ttl {avg}");
    assert_eq!(lines[2], "db2:keys=1,expires=0,avg_ttl=0");
    assert_eq!(lines.len(), 3, "{text:?}");
    assert!(text.contains("\r\n"), "INFO lines end in CRLF");
}

#[test]
fn info_stats_expired_keys_increases() {
    let (_s, mut c) = conn();
    let before: u64 = info_field(&info(&mut c, "stats"), "expired_keys")
        .expect("expired_keys in INFO stats")
        .parse()
        .unwrap();
    for i in 0..5 {
        cmd(&mut c, &["SET", &format!("x{i}"), "v", "PX", "20"]);
    }
    let ok = poll_until(Duration::from_secs(3), || {
        // Touch the keys so lazy expiry also counts.
        for i in 0..5 {
            cmd(&mut c, &["GET", &format!("x{i}")]);
        }
        let now: u64 = info_field(&info(&mut c, "stats"), "expired_keys")
            .unwrap()
            .parse()
            .unwrap();
        now >= before + 5
    });
    assert!(ok, "expired_keys did not grow by 5");
}

#[test]
fn rename_and_set_interact_with_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "v", "PX", "100000"]);
    cmd(&mut c, &["SET", "b", "w", "EX", "5"]);
    cmd(&mut c, &["RENAME", "a", "b"]);
    assert!(call(&mut c, &["PTTL", "b"]).int() > 90_000);
}

/// Write a pre-encoded pipeline of `n` commands from a thread and check that
/// exactly `n` `+OK` replies come back.
fn load_pipeline(srv: &Server, buf: &[u8], n: usize) {
    let mut w = srv.raw();
    let mut r = w.try_clone().unwrap();
    std::thread::scope(|sc| {
        sc.spawn(move || w.write_all(buf).unwrap());
        // Count "+OK\r\n" replies in large chunks (cheap even in a debug build).
        let mut chunk = vec![0u8; 1 << 20];
        let total = n * 5;
        let mut got = 0usize;
        while got < total {
            let k = r.read(&mut chunk).expect("reading replies");
            assert!(
                k > 0,
                "server closed the connection after {} replies",
                got / 5
            );
            for (j, b) in chunk[..k].iter().enumerate() {
                let want = b"+OK\r\n"[(got + j) % 5];
                assert_eq!(
                    *b,
                    want,
                    "unexpected reply byte near reply {}",
                    (got + j) / 5
                );
            }
            got += k;
        }
    });
}

// ---------------------------------------------------------------------------
// Ferrite-only: an expiry storm must be reclaimed fast without stalling clients.
// ---------------------------------------------------------------------------

#[test]
fn ferrite_only_million_keys_expire_within_500ms_without_stalling_pings() {
    if skip_if_redis("ferrite_only_million_keys_expire_within_500ms_without_stalling_pings") {
        return;
    }
    const N: usize = 1_000_000;
    // Deadline lead time; override with FERRITE_STORM_LEAD_MS on slow machines.
    let lead_ms: u64 = std::env::var("FERRITE_STORM_LEAD_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let srv = Server::start();

    // Pre-encode every command with a 13-digit placeholder timestamp, then
    // patch in the real deadline so the lead time is spent on the server only.
    let mut buf = Vec::with_capacity(N * 64);
    let mut slots = Vec::with_capacity(N);
    for i in 0..N {
        let key = format!("storm:{i}");
        buf.extend_from_slice(
            format!(
                "*5\r\n$3\r\nSET\r\n${}\r\n{}\r\n$1\r\nv\r\n$4\r\nPXAT\r\n$13\r\n",
                key.len(),
                key
            )
            .as_bytes(),
        );
        slots.push(buf.len());
        buf.extend_from_slice(b"0000000000000\r\n");
    }
    // If the load overruns the lead, flush and retry once with a longer lead
    // (so a slow machine measures reclamation rather than failing on setup).
    let mut lead_ms = lead_ms;
    let mut attempt = 0;
    let (deadline_ms, load) = loop {
        attempt += 1;
        let deadline_ms = now_ms() + lead_ms;
        let stamp = format!("{deadline_ms:013}");
        assert_eq!(stamp.len(), 13);
        for &s in &slots {
            buf[s..s + 13].copy_from_slice(stamp.as_bytes());
        }
        let t0 = Instant::now();
        load_pipeline(&srv, &buf, N);
        let load = t0.elapsed();
        if now_ms() + 100 < deadline_ms {
            break (deadline_ms, load);
        }
        assert!(
            attempt < 3,
            "loading {N} keys took {load:?}, longer than the {lead_ms} ms lead; \
             is ferrite built in release mode? (FERRITE_STORM_LEAD_MS raises the lead)"
        );
        println!("load took {load:?} > lead {lead_ms} ms; retrying with a longer lead");
        let mut c = srv.raw();
        assert_eq!(cmd(&mut c, &["FLUSHALL"]), OK);
        lead_ms = load.as_millis() as u64 * 2 + 500;
    };

    let mut admin = srv.raw();
    assert_eq!(call(&mut admin, &["DBSIZE"]).int(), N as i64);

    // Probe PINGs from before the deadline until everything is gone.
    let mut probe = srv.raw();
    let hard_stop = deadline_ms + 3000;
    let mut max_ping = Duration::ZERO;
    let mut reached_zero_at: Option<u64> = None;
    let mut pings = 0u64;
    while now_ms() < hard_stop {
        let t = Instant::now();
        assert_eq!(cmd(&mut probe, &["PING"]), b"+PONG\r\n");
        max_ping = max_ping.max(t.elapsed());
        pings += 1;
        if now_ms() >= deadline_ms
            && reached_zero_at.is_none()
            && call(&mut admin, &["DBSIZE"]).int() == 0
        {
            reached_zero_at = Some(now_ms());
        }
        if let Some(z) = reached_zero_at {
            // Keep probing a little after reclamation finishes.
            if now_ms() > z + 100 {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    println!(
        "load {load:?}; dbsize 0 at deadline+{:?} ms; max PING {max_ping:?} over {pings} pings",
        reached_zero_at.map(|z| z as i64 - deadline_ms as i64)
    );
    let z = reached_zero_at.expect("DBSIZE never reached 0 within 3 s of the deadline");
    assert!(
        z <= deadline_ms + 500,
        "DBSIZE reached 0 only {} ms after the deadline (limit 500)",
        z - deadline_ms
    );
    assert!(
        max_ping <= Duration::from_millis(100),
        "a PING waited {max_ping:?} during the expiry storm (target ~50 ms)"
    );
}
