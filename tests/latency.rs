//! LATENCY LATEST/HISTORY/RESET/HISTOGRAM/DOCTOR/GRAPH/HELP with
//! latency-monitor-threshold: events `command` (and `fast-command`), and
//! Redis 7's HISTOGRAM reply shape.
mod common;

use common::*;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

#[test]
fn off_by_default() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "latency-monitor-threshold"]),
        b"*2\r\n$25\r\nlatency-monitor-threshold\r\n$1\r\n0\r\n"
    );
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.02"]), OK);
    assert_eq!(cmd(&mut c, &["LATENCY", "LATEST"]), b"*0\r\n");
    assert_eq!(cmd(&mut c, &["LATENCY", "HISTORY", "command"]), b"*0\r\n");
    let doctor = call(&mut c, &["LATENCY", "DOCTOR"]).text();
    assert!(
        doctor.starts_with("I'm sorry, Dave, I can't do that. Latency monitoring is disabled"),
        "{doctor}"
    );
    assert_eq!(
        cmd(
            &mut c,
            &["CONFIG", "SET", "latency-monitor-threshold", "100"]
        ),
        OK
    );
    let doctor = call(&mut c, &["LATENCY", "DOCTOR"]).text();
    assert!(
        doctor.starts_with("Dave, no latency spike was observed"),
        "{doctor}"
    );
}

#[test]
fn slow_commands_become_samples() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(
            &mut c,
            &["CONFIG", "SET", "latency-monitor-threshold", "10"]
        ),
        OK
    );
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.02"]), OK);
    // Below the threshold: no sample.
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    let latest = call(&mut c, &["LATENCY", "LATEST"]).array();
    assert_eq!(latest.len(), 1, "{latest:?}");
    let e = latest[0].array();
    assert_eq!(e.len(), 4);
    assert_eq!(e[0].text(), "command");
    let now = (now_ms() / 1000) as i64;
    assert!((now - 5..=now).contains(&e[1].int()));
    assert!(e[2].int() >= 20, "latest ms {:?}", e[2]);
    assert!(e[3].int() >= e[2].int(), "max");
    let hist = call(&mut c, &["LATENCY", "HISTORY", "command"]).array();
    assert_eq!(hist.len(), 1);
    let s = hist[0].array();
    assert_eq!(s[0].int(), e[1].int());
    assert_eq!(s[1].int(), e[2].int());
    let graph = call(&mut c, &["LATENCY", "GRAPH", "command"]).text();
    assert!(graph.starts_with("command - high "), "{graph}");
    let doctor = call(&mut c, &["LATENCY", "DOCTOR"]).text();
    assert!(doctor.contains("1. command: 1 latency spikes"), "{doctor}");
    assert_eq!(cmd(&mut c, &["LATENCY", "RESET", "nosuch"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["LATENCY", "RESET"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["LATENCY", "LATEST"]), b"*0\r\n");
    assert_eq!(
        cmd(&mut c, &["LATENCY", "GRAPH", "command"]),
        &b"-ERR No samples available for event 'command'\r\n"[..]
    );
}

/// LATENCY HISTOGRAM as name → (calls, [(bucket µs, cumulative calls)]).
type Buckets = Vec<(i64, i64)>;

fn histogram(c: &mut TcpStream, names: &[&str]) -> Vec<(String, i64, Buckets)> {
    let mut args = vec!["LATENCY", "HISTOGRAM"];
    args.extend_from_slice(names);
    let flat = call(c, &args).array();
    flat.chunks(2)
        .map(|p| {
            let m = p[1].array();
            assert_eq!(m[0].text(), "calls");
            assert_eq!(m[2].text(), "histogram_usec");
            let buckets = m[3]
                .array()
                .chunks(2)
                .map(|b| (b[0].int(), b[1].int()))
                .collect();
            (p[0].text(), m[1].int(), buckets)
        })
        .collect()
}

#[test]
fn histogram_per_command() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["LATENCY", "HISTOGRAM", "set"]), b"*0\r\n");
    call(&mut c, &["SET", "a", "1"]);
    call(&mut c, &["SET", "a", "2"]);
    call(&mut c, &["DEBUG", "SLEEP", "0.003"]);
    call(&mut c, &["CONFIG", "GET", "hz"]);
    let h = histogram(&mut c, &["set", "nosuch"]);
    assert_eq!(h.len(), 1);
    let (name, calls, buckets) = &h[0];
    assert_eq!((name.as_str(), *calls), ("set", 2));
    assert!(!buckets.is_empty());
    assert_eq!(buckets.last().unwrap().1, 2, "cumulative: {buckets:?}");
    for w in buckets.windows(2) {
        assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1, "{buckets:?}");
    }
    // Buckets are powers of two (in ns from 1024) shown in µs.
    let (_, _, debug) = &histogram(&mut c, &["DEBUG"])[0];
    let (us, n) = debug[0];
    assert_eq!(n, 1);
    assert!(us >= 3000, "a 3 ms sleep lands at 4227 µs or above: {us}");
    // A container's name stands for its subcommands.
    let cfg = histogram(&mut c, &["config"]);
    assert_eq!(cfg.len(), 1);
    assert_eq!(cfg[0].0, "config|get");
    assert_eq!(histogram(&mut c, &["config|get"]).len(), 1);
    // Without names: every command timed so far (this HISTOGRAM not yet).
    let mut names: Vec<String> = histogram(&mut c, &[]).into_iter().map(|h| h.0).collect();
    names.sort();
    assert!(
        names.starts_with(&["config|get".to_string(), "debug".to_string()]),
        "{names:?}"
    );
    assert!(names.contains(&"latency|histogram".to_string()));
    assert!(names.contains(&"set".to_string()));
}

#[test]
fn help_and_errors() {
    let (_s, mut c) = conn();
    let help = call(&mut c, &["LATENCY", "HELP"]).strings();
    assert_eq!(
        help[0],
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    );
    assert!(help.contains(&"HISTOGRAM [COMMAND ...]".to_string()));
    assert_eq!(help.last().unwrap(), "    Prints this help.");
    assert_eq!(
        cmd(&mut c, &["LATENCY", "nosuch"]),
        b"-ERR unknown subcommand 'nosuch'. Try LATENCY HELP.\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["LATENCY", "HISTORY"]),
        b"-ERR wrong number of arguments for 'latency|history' command\r\n"
    );
}

#[test]
fn fast_commands_have_their_own_event() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "latency-monitor-threshold", "1"]),
        OK
    );
    // MGET is flagged fast; 300,000 keys take well over a millisecond.
    let keys: Vec<String> = (0..300_000).map(|i| format!("k{i}")).collect();
    let mut args: Vec<&str> = vec!["MGET"];
    args.extend(keys.iter().map(String::as_str));
    assert_eq!(call(&mut c, &args).array().len(), 300_000);
    let events: Vec<String> = call(&mut c, &["LATENCY", "LATEST"])
        .array()
        .iter()
        .map(|e| e.array()[0].text())
        .collect();
    assert_eq!(events, ["fast-command"]);
}

#[test]
fn a_blocked_command_counts_without_a_histogram_sample() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["BLPOP", "nolist", "0.05"]), b"*-1\r\n");
    let stats = call(&mut c, &["INFO", "commandstats"]).text();
    let line = info_field(&stats, "cmdstat_blpop").unwrap_or_else(|| panic!("{stats}"));
    assert!(line.starts_with("calls=1,"), "{line}");
    let usec: u64 = line.split(',').nth(1).unwrap()[5..].parse().unwrap();
    assert!(usec < 50_000, "the wait is not the command's time: {line}");
    let ls = call(&mut c, &["INFO", "latencystats"]).text();
    assert!(!ls.contains("latency_percentiles_usec_blpop"), "{ls}");
}

#[test]
fn a_served_blocked_command_adds_its_serving_time_as_a_sample() {
    let srv = Server::start();
    let mut waiter = srv.raw();
    let mut c = srv.raw();
    send_raw(&mut waiter, &encode(&[b"BLPOP", b"servedlist", b"5"]));
    let stats = |c: &mut TcpStream| info_field(&info(c, "commandstats"), "cmdstat_blpop");
    assert!(poll_until(std::time::Duration::from_secs(5), || stats(
        &mut c
    )
    .is_some()));
    assert!(stats(&mut c).unwrap().starts_with("calls=1,"));
    assert_eq!(cmd(&mut c, &["RPUSH", "servedlist", "a"]), b":1\r\n");
    assert_eq!(
        read_reply_bytes(&mut waiter),
        b"*2\r\n$10\r\nservedlist\r\n$1\r\na\r\n"
    );
    assert!(
        stats(&mut c).unwrap().starts_with("calls=1,"),
        "still one call"
    );
    let ls = info(&mut c, "latencystats");
    assert!(ls.contains("latency_percentiles_usec_blpop:p50="), "{ls}");
}

#[test]
fn resp3_histogram_is_nested_maps() {
    let (_s, mut c) = conn();
    if !hello3(&mut c) {
        return;
    }
    assert_eq!(cmd3(&mut c, &["LATENCY", "HISTOGRAM", "nosuch"]), b"%0\r\n");
    assert_eq!(cmd3(&mut c, &["SET", "a", "1"]), b"+OK\r\n");
    let got = String::from_utf8(cmd3(&mut c, &["LATENCY", "HISTOGRAM", "set"])).unwrap();
    let head = "%1\r\n$3\r\nset\r\n%2\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n%1\r\n:";
    assert!(got.starts_with(head), "{got:?}");
    assert!(got.ends_with("\r\n:1\r\n"), "{got:?}");
    assert_eq!(cmd3(&mut c, &["LATENCY", "LATEST"]), b"*0\r\n");
    assert_eq!(cmd3(&mut c, &["SLOWLOG", "GET"]), b"*0\r\n");
}
