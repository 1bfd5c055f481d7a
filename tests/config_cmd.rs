//! CONFIG GET * / patterns, CONFIG SET of several pairs, CONFIG REWRITE
//! (comments kept, lines rewritten in place, new ones appended), and the
//! small server commands monitoring tools ask: LASTSAVE, ROLE, DBSIZE,
//! MEMORY USAGE/STATS/DOCTOR/HELP.
mod common;

use common::*;
use std::collections::HashMap;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn config_get(c: &mut TcpStream, pats: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["CONFIG", "GET"];
    args.extend_from_slice(pats);
    let items = call(c, &args).strings();
    assert_eq!(items.len() % 2, 0);
    items
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect()
}

/// Every directive ferrite knows, with the value both servers have under
/// the test harness (Redis's defaults unless the harness sets them).
const KNOWN: &[(&str, Option<&str>)] = &[
    ("port", None),
    ("bind", Some("127.0.0.1")),
    ("hz", Some("10")),
    ("databases", Some("16")),
    ("maxclients", Some("10000")),
    ("timeout", Some("0")),
    ("tcp-keepalive", Some("300")),
    ("proto-max-bulk-len", Some("536870912")),
    ("client-query-buffer-limit", Some("1073741824")),
    ("save", Some("")),
    (
        "client-output-buffer-limit",
        Some("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
    ),
    ("enable-debug-command", Some("local")),
    ("appendonly", Some("no")),
    ("slowlog-log-slower-than", Some("10000")),
    ("slowlog-max-len", Some("128")),
    ("latency-monitor-threshold", Some("0")),
    ("latency-tracking", Some("yes")),
    ("latency-tracking-info-percentiles", Some("50 99 99.9")),
];

#[test]
fn config_get_star_returns_every_directive() {
    let (_s, mut c) = conn();
    let all = config_get(&mut c, &["*"]);
    let map: HashMap<_, _> = all.iter().cloned().collect();
    assert_eq!(map.len(), all.len(), "no name twice");
    for (name, value) in KNOWN {
        let got = map
            .get(*name)
            .unwrap_or_else(|| panic!("CONFIG GET * lacks {name}"));
        if let Some(v) = value {
            assert_eq!(got, v, "{name}");
        }
    }
}

#[test]
fn config_get_globs_and_several_patterns() {
    let (_s, mut c) = conn();
    let mut names: Vec<String> = config_get(&mut c, &["slowlog-*"])
        .into_iter()
        .map(|p| p.0)
        .collect();
    names.sort();
    assert_eq!(names, ["slowlog-log-slower-than", "slowlog-max-len"]);
    let mut names: Vec<String> = config_get(&mut c, &["SLOWLOG-MAX-LEN", "latency-*"])
        .into_iter()
        .map(|p| p.0)
        .collect();
    names.sort();
    // A literal name is answered as it was written.
    assert_eq!(
        names,
        [
            "SLOWLOG-MAX-LEN",
            "latency-monitor-threshold",
            "latency-tracking",
            "latency-tracking-info-percentiles"
        ]
    );
    // Overlapping patterns name each directive once.
    assert_eq!(config_get(&mut c, &["hz", "h?", "?z"]).len(), 1);
    assert_eq!(
        config_get(&mut c, &["HZ", "hz"]),
        [("HZ".to_string(), "10".to_string())]
    );
}

#[test]
fn config_set_several_pairs_all_or_nothing() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(
            &mut c,
            &[
                "CONFIG",
                "SET",
                "slowlog-max-len",
                "5",
                "latency-monitor-threshold",
                "7"
            ]
        ),
        OK
    );
    let m: HashMap<_, _> = config_get(&mut c, &["slowlog-max-len", "latency-monitor-threshold"])
        .into_iter()
        .collect();
    assert_eq!(
        (
            m["slowlog-max-len"].as_str(),
            m["latency-monitor-threshold"].as_str()
        ),
        ("5", "7")
    );
    assert_eq!(
        cmd(
            &mut c,
            &["CONFIG", "SET", "slowlog-max-len", "9", "latency-tracking", "maybe"]
        ),
        &b"-ERR CONFIG SET failed (possibly related to argument 'latency-tracking') - argument must be 'yes' or 'no'\r\n"[..]
    );
    assert_eq!(config_get(&mut c, &["slowlog-max-len"])[0].1, "5");
    assert_eq!(
        cmd(
            &mut c,
            &["CONFIG", "SET", "latency-tracking-info-percentiles", "50 101"]
        ),
        &b"-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]\r\n"[..]
    );
    assert_eq!(
        cmd(
            &mut c,
            &["CONFIG", "SET", "latency-tracking-info-percentiles", "50 x"]
        ),
        &b"-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters\r\n"[..]
    );
    assert_eq!(
        cmd(
            &mut c,
            &[
                "CONFIG",
                "SET",
                "latency-tracking-info-percentiles",
                "12.50 0 100"
            ]
        ),
        OK
    );
    assert_eq!(
        config_get(&mut c, &["latency-tracking-info-percentiles"])[0].1,
        "12.5 0 100"
    );
}

#[test]
fn rewrite_without_a_config_file() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "REWRITE"]),
        b"-ERR The server is running without a config file\r\n"
    );
}

#[test]
fn rewrite_keeps_comments_and_rewrites_in_place() {
    let dir = std::env::temp_dir().join(format!(
        "ferrite-config-rewrite-{}-{}",
        std::process::id(),
        free_port()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("server.conf");
    std::fs::write(
        &path,
        "# top comment\nhz 10\n\n# slow log\nslowlog-max-len 64\nslowlog-max-len 65\n",
    )
    .unwrap();
    let srv = Server::start_with_config_file(&path, &[]);
    let mut c = srv.raw();
    assert_eq!(config_get(&mut c, &["slowlog-max-len"])[0].1, "65");
    assert_eq!(
        cmd(
            &mut c,
            &[
                "CONFIG",
                "SET",
                "hz",
                "20",
                "slowlog-max-len",
                "7",
                "latency-monitor-threshold",
                "3"
            ]
        ),
        OK
    );
    assert_eq!(cmd(&mut c, &["CONFIG", "REWRITE"]), OK);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "# top comment",
            "hz 20",
            "",
            "# slow log",
            "slowlog-max-len 7"
        ],
        "{text}"
    );
    // The duplicate is left as a blank line, as Redis leaves it.
    assert_eq!(lines[5], "", "{text}");
    assert_eq!(text.matches("slowlog-max-len").count(), 1, "{text}");
    let sig = lines
        .iter()
        .position(|l| *l == "# Generated by CONFIG REWRITE")
        .unwrap_or_else(|| panic!("{text}"));
    let threshold = lines
        .iter()
        .position(|l| *l == "latency-monitor-threshold 3")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(threshold > sig);
    assert!(text.ends_with('\n'));
    // A second rewrite with nothing changed keeps the content (Redis adds
    // a trailing empty line each time).
    assert_eq!(cmd(&mut c, &["CONFIG", "REWRITE"]), OK);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap().trim_end(),
        text.trim_end()
    );
    drop(srv);
    // The rewritten file starts a server with the values set (Redis wrote
    // its scratch `dir`, gone with the server).
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("dir ")).collect();
    std::fs::write(&path, kept.join("\n")).unwrap();
    let srv = Server::start_with_config_file(&path, &[]);
    let mut c = srv.raw();
    let m: HashMap<_, _> = config_get(
        &mut c,
        &["hz", "slowlog-max-len", "latency-monitor-threshold"],
    )
    .into_iter()
    .collect();
    assert_eq!(m["hz"], "20");
    assert_eq!(m["slowlog-max-len"], "7");
    assert_eq!(m["latency-monitor-threshold"], "3");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lastsave_role_dbsize() {
    let (_s, mut c) = conn();
    let last = call(&mut c, &["LASTSAVE"]).int();
    let now = (now_ms() / 1000) as i64;
    assert!((now - 60..=now).contains(&last), "{last}");
    let info = info(&mut c, "persistence");
    assert_eq!(
        info_field(&info, "rdb_last_save_time"),
        Some(last.to_string())
    );
    assert_eq!(
        cmd(&mut c, &["ROLE"]),
        b"*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n"
    );
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    call(&mut c, &["SET", "a", "1"]);
    call(&mut c, &["SET", "b", "1"]);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["SELECT", "1"]), OK);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["ROLE", "x"]),
        b"-ERR wrong number of arguments for 'role' command\r\n"
    );
}

#[test]
fn memory_commands() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["MEMORY", "USAGE", "nosuch"]), b"$-1\r\n");
    call(&mut c, &["SET", "small", "v"]);
    let big = "x".repeat(1000);
    call(&mut c, &["SET", "big", &big]);
    let small = call(&mut c, &["MEMORY", "USAGE", "small"]).int();
    let large = call(&mut c, &["MEMORY", "USAGE", "big", "SAMPLES", "0"]).int();
    assert!((16..200).contains(&small), "{small}");
    assert!((1000..1300).contains(&large), "{large}");
    assert_eq!(
        cmd(&mut c, &["MEMORY", "USAGE", "big", "SAMPLES", "x"]),
        b"-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["MEMORY", "USAGE", "big", "FOO"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["MEMORY", "USAGE"]),
        b"-ERR wrong number of arguments for 'memory|usage' command\r\n"
    );
    let stats = call(&mut c, &["MEMORY", "STATS"]).array();
    let keys: Vec<String> = stats.iter().step_by(2).map(|k| k.text()).collect();
    for k in [
        "peak.allocated",
        "total.allocated",
        "startup.allocated",
        "db.0",
        "keys.count",
        "dataset.bytes",
        "fragmentation",
    ] {
        assert!(
            keys.contains(&k.to_string()),
            "MEMORY STATS lacks {k}: {keys:?}"
        );
    }
    let at = keys.iter().position(|k| k == "keys.count").unwrap();
    assert_eq!(stats[2 * at + 1].int(), 2);
    let doctor = call(&mut c, &["MEMORY", "DOCTOR"]).text();
    assert!(doctor.starts_with("Hi Sam"), "{doctor}");
    let help = call(&mut c, &["MEMORY", "HELP"]).strings();
    assert_eq!(
        help[0],
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    );
    assert!(help.contains(&"USAGE <key> [SAMPLES <count>]".to_string()));
    assert_eq!(cmd(&mut c, &["MEMORY", "PURGE"]), OK);
}

#[test]
fn resp3_maps_and_doubles() {
    let (_s, mut c) = conn();
    if !hello3(&mut c) {
        return;
    }
    assert_eq!(
        cmd3(&mut c, &["CONFIG", "GET", "slowlog-max-len"]),
        b"%1\r\n$15\r\nslowlog-max-len\r\n$3\r\n128\r\n"
    );
    let stats = String::from_utf8(cmd3(&mut c, &["MEMORY", "STATS"])).unwrap();
    assert!(stats.starts_with('%'), "{stats:?}");
    let at = stats.find("$18\r\ndataset.percentage\r\n").unwrap();
    let value = &stats[at + "$18\r\ndataset.percentage\r\n".len()..];
    assert!(value.starts_with(','), "a RESP3 double: {value:?}");
    assert_eq!(cmd3(&mut c, &["MEMORY", "USAGE", "nosuch"]), b"_\r\n");
}

#[test]
fn subcommand_checks_come_before_authentication() {
    let srv = Server::start();
    let mut admin = srv.raw();
    assert_eq!(cmd(&mut admin, &["CONFIG", "SET", "requirepass", "pw"]), OK);
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "NOSUCH"]),
        b"-ERR unknown subcommand 'NOSUCH'. Try CONFIG HELP.\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET"]),
        b"-ERR wrong number of arguments for 'config|get' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "hz"]),
        b"-NOAUTH Authentication required.\r\n"
    );
    assert_eq!(cmd(&mut c, &["AUTH", "pw"]), OK);
    let stats = info(&mut c, "commandstats");
    assert!(
        stats.contains(
            "cmdstat_config|get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=2,failed_calls=0"
        ),
        "{stats}"
    );
    assert!(!stats.contains("cmdstat_config:"), "{stats}");
}
