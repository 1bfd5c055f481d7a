//! MONITOR: Redis's line for every command other clients run (escaped
//! arguments, the db after the command, the client's address), admin
//! commands and rejected commands hidden, keyspace commands refused to
//! the monitoring client.
mod common;

use common::*;
use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const OK: &[u8] = b"+OK\r\n";

/// Reads lines from `s` until `n` have arrived (5 s at most).
fn read_lines(s: &mut TcpStream, n: usize) -> Vec<String> {
    let mut buf = Vec::new();
    let end = Instant::now() + Duration::from_secs(5);
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    while buf.windows(2).filter(|w| w == b"\r\n").count() < n && Instant::now() < end {
        let mut chunk = [0u8; 4096];
        if let Ok(k) = s.read(&mut chunk) {
            if k == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..k]);
        }
    }
    s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    String::from_utf8_lossy(&buf)
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Splits `+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"` into the
/// timestamp, `[db addr]` and the argument part, checking the shape.
fn parse_line(l: &str) -> (f64, String, String) {
    let rest = l.strip_prefix('+').unwrap_or_else(|| panic!("{l}"));
    let (ts, rest) = rest.split_once(' ').unwrap();
    let (secs, micros) = ts.split_once('.').unwrap();
    assert_eq!(micros.len(), 6, "{l}");
    assert!(secs.len() >= 10);
    let close = rest.find("] ").unwrap();
    (
        ts.parse().unwrap(),
        rest[1..close].to_string(),
        rest[close + 2..].to_string(),
    )
}

#[test]
fn lines_for_other_clients_commands() {
    let srv = Server::start();
    let mut mon = srv.raw();
    let mut c = srv.raw();
    let addr = c.local_addr().unwrap().to_string();
    assert_eq!(cmd(&mut mon, &["MONITOR"]), OK);
    assert_eq!(
        cmd_b(&mut c, &[b"SET", b"a b", b"x\"y\\z\nw\x01\xff\t\r"]),
        OK
    );
    // Admin commands and commands refused before running are not shown.
    call(&mut c, &["CONFIG", "GET", "hz"]);
    call(&mut c, &["DEBUG", "SLEEP", "0"]);
    call(&mut c, &["GET"]);
    call(&mut c, &["NOSUCH"]);
    // A command that ran and failed is shown; the db is the one after.
    call(&mut c, &["INCR", "a b"]);
    assert_eq!(cmd(&mut c, &["SELECT", "3"]), OK);
    call(&mut c, &["GET", "k"]);
    let lines = read_lines(&mut mon, 4);
    expect_silence(&mut mon, Duration::from_millis(100));
    let parsed: Vec<(f64, String, String)> = lines.iter().map(|l| parse_line(l)).collect();
    let now = now_ms() as f64 / 1000.0;
    for (ts, _, _) in &parsed {
        assert!((now - 10.0..=now + 1.0).contains(ts), "{ts}");
    }
    let rest: Vec<(String, String)> = parsed.into_iter().map(|(_, w, a)| (w, a)).collect();
    assert_eq!(
        rest,
        [
            (
                format!("0 {addr}"),
                r#""SET" "a b" "x\"y\\z\nw\x01\xff\t\r""#.to_string()
            ),
            (format!("0 {addr}"), r#""INCR" "a b""#.to_string()),
            (format!("3 {addr}"), r#""SELECT" "3""#.to_string()),
            (format!("3 {addr}"), r#""GET" "k""#.to_string()),
        ]
    );
    assert_eq!(lines.len(), 4, "{lines:?}");
}

#[test]
fn the_monitoring_client() {
    let srv = Server::start();
    let mut mon = srv.raw();
    assert_eq!(cmd(&mut mon, &["MONITOR"]), OK);
    // Its own non-keyspace commands run and are shown after their reply.
    send_raw(&mut mon, &encode(&[b"PING"]));
    let lines = read_lines(&mut mon, 2);
    assert_eq!(lines[0], "+PONG");
    assert!(lines[1].ends_with(r#"] "PING""#), "{lines:?}");
    // Keyspace commands are refused, as to a replica.
    assert_eq!(
        cmd(&mut mon, &["GET", "a"]),
        b"-ERR Replica can't interact with the keyspace\r\n"
    );
    // A second MONITOR is ignored (no reply).
    send_raw(&mut mon, &encode(&[b"MONITOR"]));
    expect_silence(&mut mon, Duration::from_millis(200));
    // RESET ends monitoring: keyspace commands work, nothing is fed.
    assert_eq!(cmd(&mut mon, &["RESET"]), b"+RESET\r\n");
    let mut other = srv.raw();
    assert_eq!(cmd(&mut other, &["PING"]), b"+PONG\r\n");
    assert_eq!(cmd(&mut mon, &["GET", "a"]), b"$-1\r\n");
    assert_eq!(cmd(&mut mon, &["MONITOR"]), b"+OK\r\n");
    assert_eq!(cmd(&mut mon, &["QUIT"]), OK);
    expect_closed(&mut mon);
}

#[test]
fn several_monitors_and_one_leaving() {
    let srv = Server::start();
    let mut m1 = srv.raw();
    let mut m2 = srv.raw();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut m1, &["MONITOR"]), OK);
    assert_eq!(cmd(&mut m2, &["MONITOR"]), OK);
    assert_eq!(cmd(&mut c, &["ECHO", "one"]), b"$3\r\none\r\n");
    assert!(read_lines(&mut m1, 1)[0].ends_with(r#""ECHO" "one""#));
    assert!(read_lines(&mut m2, 1)[0].ends_with(r#""ECHO" "one""#));
    drop(m1);
    // Pipelined commands all appear, in order.
    send_raw(
        &mut c,
        &[encode(&[b"ECHO", b"a"]), encode(&[b"ECHO", b"b"])].concat(),
    );
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\na\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\nb\r\n");
    let lines = read_lines(&mut m2, 2);
    assert!(lines[0].ends_with(r#""ECHO" "a""#), "{lines:?}");
    assert!(lines[1].ends_with(r#""ECHO" "b""#), "{lines:?}");
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
}
