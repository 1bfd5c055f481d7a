//! SLOWLOG GET/LEN/RESET/HELP with slowlog-log-slower-than and
//! slowlog-max-len; entries as Redis 7.0 writes them, arguments cut to
//! 32 and to 128 bytes with Redis's summaries.
mod common;

use common::*;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn set_threshold(c: &mut TcpStream, us: &str) {
    assert_eq!(
        cmd(c, &["CONFIG", "SET", "slowlog-log-slower-than", us]),
        OK
    );
}

/// The arguments of each entry of SLOWLOG GET, newest first.
fn logged_args(c: &mut TcpStream, count: &str) -> Vec<Vec<String>> {
    call(c, &["SLOWLOG", "GET", count])
        .array()
        .iter()
        .map(|e| e.array()[3].strings())
        .collect()
}

#[test]
fn defaults() {
    let (_s, mut c) = conn();
    let r = call(
        &mut c,
        &[
            "CONFIG",
            "GET",
            "slowlog-log-slower-than",
            "slowlog-max-len",
        ],
    )
    .strings();
    let m: std::collections::HashMap<_, _> =
        r.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
    assert_eq!(m["slowlog-log-slower-than"], "10000");
    assert_eq!(m["slowlog-max-len"], "128");
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SLOWLOG", "GET"]), b"*0\r\n");
}

#[test]
fn a_slow_command_is_logged_with_redis_entry_shape() {
    let (_s, mut c) = conn();
    let local = c.local_addr().unwrap().to_string();
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.02"]), OK);
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":1\r\n");
    let entries = call(&mut c, &["SLOWLOG", "GET"]).array();
    assert_eq!(entries.len(), 1);
    let e = entries[0].array();
    assert_eq!(e.len(), 6);
    assert_eq!(e[0].int(), 0, "first id");
    let now = (now_ms() / 1000) as i64;
    assert!((now - 5..=now).contains(&e[1].int()), "{:?}", e[1]);
    assert!(e[2].int() >= 20_000, "duration in µs: {:?}", e[2]);
    assert_eq!(e[3].strings(), ["DEBUG", "SLEEP", "0.02"]);
    assert_eq!(e[4].text(), local);
    assert_eq!(e[5], Reply::Bulk(Some(vec![])), "no client name");
    // With a name, and ids keep growing.
    assert_eq!(cmd(&mut c, &["CLIENT", "SETNAME", "worker"]), OK);
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.015"]), OK);
    let e = call(&mut c, &["SLOWLOG", "GET", "1"]).array()[0].array();
    assert_eq!(e[0].int(), 1);
    assert_eq!(e[5].text(), "worker");
}

#[test]
fn threshold_zero_logs_everything_minus_one_nothing() {
    let (_s, mut c) = conn();
    set_threshold(&mut c, "0");
    assert_eq!(cmd(&mut c, &["SLOWLOG", "RESET"]), OK);
    call(&mut c, &["SET", "k", "v"]);
    call(&mut c, &["GET", "k"]);
    // Rejected commands never ran: not logged.
    call(&mut c, &["GET"]);
    call(&mut c, &["NOSUCH"]);
    assert_eq!(
        logged_args(&mut c, "-1"),
        [
            vec!["GET", "k"],
            vec!["SET", "k", "v"],
            vec!["SLOWLOG", "RESET"]
        ]
    );
    set_threshold(&mut c, "-1");
    assert_eq!(cmd(&mut c, &["SLOWLOG", "RESET"]), OK);
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.02"]), OK);
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "slowlog-log-slower-than", "-2"]),
        &b"-ERR CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - argument must be between -1 and 9223372036854775807 inclusive\r\n"[..]
    );
}

#[test]
fn max_len_and_get_count() {
    let (_s, mut c) = conn();
    set_threshold(&mut c, "0");
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "slowlog-max-len", "3"]), OK);
    for i in 0..5 {
        call(&mut c, &["ECHO", &i.to_string()]);
    }
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":3\r\n");
    assert_eq!(
        logged_args(&mut c, "2"),
        [vec!["SLOWLOG", "LEN"], vec!["ECHO", "4"]]
    );
    assert_eq!(logged_args(&mut c, "-1").len(), 3);
    assert_eq!(logged_args(&mut c, "0").len(), 0);
    for bad in ["-2", "x"] {
        assert_eq!(
            cmd(&mut c, &["SLOWLOG", "GET", bad]),
            b"-ERR count should be greater than or equal to -1\r\n"
        );
    }
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "slowlog-max-len", "0"]), OK);
    call(&mut c, &["PING"]);
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":0\r\n");
}

#[test]
fn arguments_are_cut_as_redis() {
    let (_s, mut c) = conn();
    set_threshold(&mut c, "0");
    let keys: Vec<String> = (1..=41).map(|i| format!("k{i}")).collect();
    let mut del = vec!["DEL"];
    del.extend(keys.iter().map(String::as_str));
    call(&mut c, &del);
    let long = "x".repeat(200);
    call(&mut c, &["SET", "big", &long]);
    // The threshold is read after a command runs: this one is not logged.
    set_threshold(&mut c, "10000");
    let got = logged_args(&mut c, "2");
    let set = &got[0];
    assert_eq!(set[0], "SET");
    assert_eq!(set[2], format!("{}... (72 more bytes)", "x".repeat(128)));
    let d = &got[1];
    assert_eq!(d.len(), 32);
    assert_eq!(d[30], "k30");
    assert_eq!(d[31], "... (11 more arguments)");
}

#[test]
fn help_and_errors() {
    let (_s, mut c) = conn();
    let help = call(&mut c, &["SLOWLOG", "HELP"]).strings();
    assert_eq!(
        help[0],
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    );
    assert_eq!(help.last().unwrap(), "    Prints this help.");
    assert!(help.contains(&"GET [<count>]".to_string()));
    assert_eq!(
        cmd(&mut c, &["SLOWLOG", "nosuch"]),
        b"-ERR unknown subcommand 'nosuch'. Try SLOWLOG HELP.\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SLOWLOG", "LEN", "x"]),
        b"-ERR wrong number of arguments for 'slowlog|len' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SLOWLOG"]),
        b"-ERR wrong number of arguments for 'slowlog' command\r\n"
    );
}

#[test]
fn resetstat_keeps_the_slow_log_and_latency_samples() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "latency-monitor-threshold", "5"]),
        OK
    );
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.015"]), OK);
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["CONFIG", "RESETSTAT"]), OK);
    assert_eq!(cmd(&mut c, &["SLOWLOG", "LEN"]), b":1\r\n");
    assert_eq!(call(&mut c, &["LATENCY", "LATEST"]).array().len(), 1);
}
