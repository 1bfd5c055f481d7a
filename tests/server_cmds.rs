//! Server / connection commands: PING, ECHO, TIME, CONFIG, DEBUG, CLIENT, INFO,
//! error texts for unknown commands and wrong arity, QUIT.
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

/// CONFIG GET reply as a map.
fn config_get(c: &mut TcpStream, pats: &[&str]) -> HashMap<String, String> {
    let mut args = vec!["CONFIG", "GET"];
    args.extend_from_slice(pats);
    let items = call(c, &args).strings();
    assert_eq!(items.len() % 2, 0, "CONFIG GET returns name/value pairs");
    items
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect()
}

#[test]
fn ping_without_and_with_argument() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    assert_eq!(cmd(&mut c, &["PING", "hello"]), b"$5\r\nhello\r\n");
    assert_eq!(cmd(&mut c, &["ping", ""]), b"$0\r\n\r\n");
    assert_eq!(
        cmd(&mut c, &["PING", "a", "b"]),
        b"-ERR wrong number of arguments for 'ping' command\r\n"
    );
}

#[test]
fn echo_returns_bulk() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["ECHO", "hi"]), b"$2\r\nhi\r\n");
    assert_eq!(
        cmd_b(&mut c, &[b"ECHO", b"a\r\nb\x00"]),
        b"$5\r\na\r\nb\x00\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ECHO"]),
        b"-ERR wrong number of arguments for 'echo' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ECHO", "a", "b"]),
        b"-ERR wrong number of arguments for 'echo' command\r\n"
    );
}

#[test]
fn time_is_two_bulk_strings_seconds_and_micros() {
    let (_s, mut c) = conn();
    let parts = call(&mut c, &["TIME"]).array();
    assert_eq!(parts.len(), 2);
    let secs: u64 = parts[0].text().parse().expect("seconds");
    let micros: u64 = parts[1].text().parse().expect("micros");
    let now = now_ms() / 1000;
    assert!(secs.abs_diff(now) <= 2, "TIME {secs} vs now {now}");
    assert!(micros < 1_000_000);
    assert!(
        matches!(parts[0], Reply::Bulk(_)),
        "TIME elements are bulk strings"
    );
}

#[test]
fn config_get_port_and_globs() {
    let (srv, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "port"]),
        format!(
            "*2\r\n$4\r\nport\r\n${}\r\n{}\r\n",
            srv.port.to_string().len(),
            srv.port
        )
        .into_bytes()
    );
    let m = config_get(&mut c, &["*max*"]);
    assert!(m.contains_key("maxclients"), "{m:?}");
    assert!(m.keys().all(|k| k.contains("max")), "{m:?}");
    let m = config_get(&mut c, &["m*clients"]);
    assert_eq!(m.get("maxclients").map(String::as_str), Some("10000"));
    assert_eq!(cmd(&mut c, &["CONFIG", "GET", "nosuchparam"]), b"*0\r\n");
}

#[test]
fn config_get_several_patterns_at_once() {
    let (srv, mut c) = conn();
    let m = config_get(&mut c, &["port", "hz"]);
    assert_eq!(m.len(), 2);
    assert_eq!(m["port"], srv.port.to_string());
    assert_eq!(m["hz"], "10");
}

#[test]
fn config_get_save_and_appendonly_exist() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "save"]),
        b"*2\r\n$4\r\nsave\r\n$0\r\n\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "appendonly"]),
        b"*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n"
    );
}

#[test]
fn config_set_hz_and_timeout_then_get() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "hz", "20"]), OK);
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "hz"]),
        b"*2\r\n$2\r\nhz\r\n$2\r\n20\r\n"
    );
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "timeout", "7"]), OK);
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "timeout"]),
        b"*2\r\n$7\r\ntimeout\r\n$1\r\n7\r\n"
    );
    // Several pairs in one call.
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "hz", "15", "timeout", "0"]),
        OK
    );
    let m = config_get(&mut c, &["hz", "timeout"]);
    assert_eq!((m["hz"].as_str(), m["timeout"].as_str()), ("15", "0"));
}

#[test]
fn config_set_hz_is_clamped_to_1_through_500() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "hz", "0"]), OK);
    assert_eq!(config_get(&mut c, &["hz"])["hz"], "1");
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "hz", "1000"]), OK);
    assert_eq!(config_get(&mut c, &["hz"])["hz"], "500");
}

#[test]
fn config_set_errors() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "hz", "abc"]),
        &b"-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "nosuch", "1"]),
        &b"-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "hz", "16", "hz", "17"]),
        &b"-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "hz"]),
        b"-ERR wrong number of arguments for 'config|set' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET"]),
        b"-ERR wrong number of arguments for 'config|get' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "foo"]),
        b"-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n"
    );
    assert_eq!(config_get(&mut c, &["hz"])["hz"], "10");
}

#[test]
fn debug_sleep_zero() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0"]), OK);
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.01"]), OK);
}

#[test]
fn debug_populate_default_names() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "1000"]), OK);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":1000\r\n");
    assert_eq!(cmd(&mut c, &["GET", "key:0"]), b"$7\r\nvalue:0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "key:999"]), b"$9\r\nvalue:999\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "key:1000"]), b":0\r\n");
}

#[test]
fn debug_populate_skips_existing_keys() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "key:5", "custom"]);
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "10"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "key:5"]), b"$6\r\ncustom\r\n");
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":10\r\n");
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "10"]), OK);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":10\r\n");
}

#[test]
fn debug_populate_with_prefix_and_size() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "5", "pfx"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "pfx:0"]), b"$7\r\nvalue:0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "pfx:4"]), b"$7\r\nvalue:4\r\n");
    // A size pads the value with zero bytes ...
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "5", "big", "10"]), OK);
    assert_eq!(
        cmd(&mut c, &["GET", "big:4"]),
        b"$10\r\nvalue:4\x00\x00\x00\r\n"
    );
    // ... or truncates it.
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "3", "sm", "2"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "sm:2"]), b"$2\r\nva\r\n");
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":13\r\n");
}

#[test]
fn debug_populate_errors() {
    let (_s, mut c) = conn();
    let e = b"-ERR value is out of range, must be positive\r\n";
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "abc"]), e);
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "-1"]), e);
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "0"]), OK);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
}

#[test]
fn client_setname_getname() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$-1\r\n");
    assert_eq!(cmd(&mut c, &["CLIENT", "SETNAME", "myconn"]), OK);
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$6\r\nmyconn\r\n");
    assert_eq!(
        cmd(&mut c, &["CLIENT", "SETNAME", "bad name"]),
        &b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"[..]
    );
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$6\r\nmyconn\r\n");
    // Empty name clears it.
    assert_eq!(cmd(&mut c, &["CLIENT", "SETNAME", ""]), OK);
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$-1\r\n");
}

#[test]
fn client_name_is_per_connection() {
    let srv = Server::start();
    let mut a = srv.raw();
    let mut b = srv.raw();
    cmd(&mut a, &["CLIENT", "SETNAME", "alpha"]);
    assert_eq!(cmd(&mut b, &["CLIENT", "GETNAME"]), b"$-1\r\n");
    // CLIENT LIST (other clients' names) arrives with issue 3.
    let info = call(&mut a, &["CLIENT", "INFO"]).text();
    assert!(info.contains(" name=alpha "), "{info}");
    assert!(info.starts_with("id="), "{info}");
}

#[test]
fn client_id_is_unique_and_increasing() {
    let srv = Server::start();
    let mut a = srv.raw();
    let mut b = srv.raw();
    let ia = call(&mut a, &["CLIENT", "ID"]).int();
    let ib = call(&mut b, &["CLIENT", "ID"]).int();
    assert!(ia > 0 && ib > ia, "{ia} {ib}");
    assert_eq!(call(&mut a, &["CLIENT", "ID"]).int(), ia);
    let info = call(&mut a, &["CLIENT", "INFO"]).text();
    assert!(info.starts_with(&format!("id={ia} ")), "{info}");
}

#[test]
fn client_unknown_subcommand() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CLIENT", "foo"]),
        b"-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n"
    );
}

#[test]
fn client_setinfo_and_no_touch_as_redis_7_2() {
    // Redis 7.2 subcommands that client libraries send on connect; the
    // 7.0.15 reference answers unknown subcommand, hence ferrite-only.
    if skip_if_redis("client_setinfo_and_no_touch_as_redis_7_2") {
        return;
    }
    let (_s, mut c) = conn();
    for (args, want) in [
        (
            &["CLIENT", "SETINFO", "LIB-NAME", "redis-rs"][..],
            &b"+OK\r\n"[..],
        ),
        (&["CLIENT", "setinfo", "lib-ver", "1.8.1"][..], b"+OK\r\n"),
        (
            &["CLIENT", "SETINFO", "LIB-NAME", "bad name"][..],
            b"-ERR lib-name cannot contain spaces, newlines or special characters.\r\n",
        ),
        (
            &["CLIENT", "SETINFO", "colour", "x"][..],
            b"-ERR Unrecognized option 'colour'\r\n",
        ),
        (
            &["CLIENT", "SETINFO", "LIB-NAME"][..],
            b"-ERR wrong number of arguments for 'client|setinfo' command\r\n",
        ),
        (&["CLIENT", "NO-TOUCH", "on"][..], b"+OK\r\n"),
        (&["CLIENT", "no-touch", "OFF"][..], b"+OK\r\n"),
        (
            &["CLIENT", "NO-TOUCH", "maybe"][..],
            b"-ERR syntax error\r\n",
        ),
    ] {
        assert_eq!(
            String::from_utf8_lossy(&cmd(&mut c, args)),
            String::from_utf8_lossy(want),
            "{args:?}"
        );
    }
    assert_eq!(call(&mut c, &["PING"]), Reply::Status("PONG".into()));
}

#[test]
fn redis_rs_client_connects_and_works() {
    // redis-rs pipelines CLIENT SETINFO on connect and ignores the result.
    let srv = Server::start();
    let mut con = srv.client();
    let _: () = redis::cmd("SET").arg("k").arg("v").query(&mut con).unwrap();
    let v: String = redis::cmd("GET").arg("k").query(&mut con).unwrap();
    assert_eq!(v, "v");
}

// --- INFO -----------------------------------------------------------------------

fn assert_fields(text: &str, fields: &[&str]) {
    for f in fields {
        assert!(info_field(text, f).is_some(), "INFO lacks {f}:\n{text}");
    }
}

#[test]
fn info_server_section() {
    let (srv, mut c) = conn();
    let t = info(&mut c, "server");
    assert!(t.starts_with("# Server\r\n"), "{t}");
    assert_fields(
        &t,
        &["redis_version", "tcp_port", "uptime_in_seconds", "hz"],
    );
    assert_eq!(info_field(&t, "tcp_port").unwrap(), srv.port.to_string());
    assert!(info_field(&t, "redis_version").unwrap().starts_with('7'));
    let up: u64 = info_field(&t, "uptime_in_seconds")
        .unwrap()
        .parse()
        .unwrap();
    assert!(up < 60);
    assert!(!t.contains("# Clients"), "only the requested section");
}

#[test]
fn info_clients_section() {
    let srv = Server::start();
    let mut c = srv.raw();
    let _other = srv.raw();
    cmd(&mut c, &["PING"]);
    let t = info(&mut c, "clients");
    assert!(t.starts_with("# Clients\r\n"), "{t}");
    let n: u64 = info_field(&t, "connected_clients")
        .unwrap()
        .parse()
        .unwrap();
    assert!(n >= 2, "connected_clients {n}");
}

#[test]
fn info_memory_section() {
    let (_s, mut c) = conn();
    let t = info(&mut c, "memory");
    assert!(t.starts_with("# Memory\r\n"), "{t}");
    assert_fields(&t, &["used_memory", "used_memory_rss", "used_memory_human"]);
    let used: u64 = info_field(&t, "used_memory").unwrap().parse().unwrap();
    assert!(used > 0);
}

#[test]
fn info_persistence_section() {
    let (_s, mut c) = conn();
    let t = info(&mut c, "persistence");
    assert!(t.starts_with("# Persistence\r\n"), "{t}");
    assert_eq!(info_field(&t, "loading").as_deref(), Some("0"));
}

#[test]
fn info_stats_section_counts_commands_and_hits() {
    let (_s, mut c) = conn();
    let t = info(&mut c, "stats");
    assert!(t.starts_with("# Stats\r\n"), "{t}");
    assert_fields(
        &t,
        &[
            "total_commands_processed",
            "instantaneous_ops_per_sec",
            "expired_keys",
            "keyspace_hits",
            "keyspace_misses",
            "total_connections_received",
        ],
    );
    let num = |t: &str, f: &str| -> u64 { info_field(t, f).unwrap().parse().unwrap() };
    let (cmds0, hits0, miss0) = (
        num(&t, "total_commands_processed"),
        num(&t, "keyspace_hits"),
        num(&t, "keyspace_misses"),
    );
    cmd(&mut c, &["SET", "k", "v"]);
    cmd(&mut c, &["GET", "k"]);
    cmd(&mut c, &["GET", "nokey"]);
    let t = info(&mut c, "stats");
    assert!(num(&t, "total_commands_processed") >= cmds0 + 3);
    assert_eq!(num(&t, "keyspace_hits"), hits0 + 1);
    assert_eq!(num(&t, "keyspace_misses"), miss0 + 1);
    assert!(num(&t, "total_connections_received") >= 1);
}

#[test]
fn info_default_has_main_sections_and_lowercase_section_names_work() {
    let (_s, mut c) = conn();
    let t = info(&mut c, "");
    for s in [
        "# Server",
        "# Clients",
        "# Memory",
        "# Persistence",
        "# Stats",
        "# Keyspace",
    ] {
        assert!(t.contains(&format!("{s}\r\n")), "INFO lacks {s}");
    }
    let t = info(&mut c, "SERVER");
    assert!(t.starts_with("# Server\r\n"));
    // Unknown section: empty bulk string.
    assert_eq!(cmd(&mut c, &["INFO", "nosuchsection"]), b"$0\r\n\r\n");
}

// --- error texts ------------------------------------------------------------------

#[test]
fn unknown_command_error_text_exact() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["foo", "a", "b"]),
        &b"-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["foo"]),
        &b"-ERR unknown command 'foo', with args beginning with: \r\n"[..]
    );
    // The command name keeps its case.
    assert_eq!(
        cmd(&mut c, &["FOO", "A"]),
        &b"-ERR unknown command 'FOO', with args beginning with: 'A' \r\n"[..]
    );
    // Still usable afterwards.
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
}

#[test]
fn unknown_command_error_replaces_newlines_with_spaces() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd_b(&mut c, &[b"foo", b"a\r\nb"]),
        &b"-ERR unknown command 'foo', with args beginning with: 'a  b' \r\n"[..]
    );
    assert_eq!(
        cmd_b(&mut c, &[b"f\r\noo", b"a"]),
        &b"-ERR unknown command 'f  oo', with args beginning with: 'a' \r\n"[..]
    );
}

#[test]
fn unknown_command_error_truncates_long_name_and_args() {
    let (_s, mut c) = conn();
    // Command name is cut to 128 bytes.
    let long = "X".repeat(300);
    let want = format!(
        "-ERR unknown command '{}', with args beginning with: \r\n",
        "X".repeat(128)
    );
    assert_eq!(cmd(&mut c, &[&long]), want.as_bytes());
    // Args are appended while the args text is shorter than 128 bytes; each
    // arg is cut to what is left of those 128 bytes.
    let a200 = "a".repeat(200);
    let want = format!(
        "-ERR unknown command 'foo', with args beginning with: '{}' \r\n",
        "a".repeat(128)
    );
    assert_eq!(cmd(&mut c, &["foo", &a200, "b"]), want.as_bytes());
    // 125 a's + quotes + space = 128 bytes: nothing more is appended.
    let a125 = "a".repeat(125);
    let want = format!("-ERR unknown command 'foo', with args beginning with: '{a125}' \r\n");
    assert_eq!(cmd(&mut c, &["foo", &a125, "b", "c"]), want.as_bytes());
    // 124 a's leave room (127 < 128) for one more arg, then it stops.
    let a124 = "a".repeat(124);
    let want = format!("-ERR unknown command 'foo', with args beginning with: '{a124}' 'b' \r\n");
    assert_eq!(cmd(&mut c, &["foo", &a124, "b", "c"]), want.as_bytes());
    let many: Vec<String> = (0..40).map(|_| "a".to_string()).collect();
    let mut args = vec!["foo"];
    args.extend(many.iter().map(String::as_str));
    let want = format!(
        "-ERR unknown command 'foo', with args beginning with: {}\r\n",
        "'a' ".repeat(32)
    );
    assert_eq!(cmd(&mut c, &args), want.as_bytes());
}

#[test]
fn wrong_arity_error_text_uses_lowercase_command_name() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["GET"]),
        b"-ERR wrong number of arguments for 'get' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SeT", "a"]),
        b"-ERR wrong number of arguments for 'set' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["DBSIZE", "x"]),
        b"-ERR wrong number of arguments for 'dbsize' command\r\n"
    );
}

#[test]
fn quit_replies_ok_then_closes() {
    let (_s, mut c) = conn();
    send_raw(&mut c, &encode(&[b"QUIT"]));
    assert_eq!(read_reply_bytes(&mut c), OK);
    expect_closed(&mut c);
}

#[test]
fn quit_discards_pipelined_commands_after_it() {
    let (_s, mut c) = conn();
    let mut buf = encode(&[b"QUIT"]);
    buf.extend(encode(&[b"PING"]));
    send_raw(&mut c, &buf);
    assert_eq!(read_reply_bytes(&mut c), OK);
    expect_closed(&mut c);
}

#[test]
fn quit_ignores_extra_arguments() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"QUIT now please\r\n");
    assert_eq!(read_reply_bytes(&mut c), OK);
    expect_closed(&mut c);
}

#[test]
fn debug_is_refused_unless_enabled() {
    let srv = Server::start_with(&["--enable-debug-command", "no"]);
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["DEBUG", "SLEEP", "0"]),
        b"-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n".to_vec()
    );
}

#[test]
fn debug_edge_cases() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "abc"]), OK);
    assert_eq!(
        cmd(&mut c, &["DEBUG", "foo"]),
        b"-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n"
            .to_vec()
    );
    assert_eq!(cmd(&mut c, &["DEBUG", "POPULATE", "2", "z", "0"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "z:1"]), b"$7\r\nvalue:1\r\n");
}

#[test]
fn shutdown_option_errors() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["SHUTDOWN", "NOSAVE", "SAVE"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SHUTDOWN", "ABORT"]),
        b"-ERR No shutdown in progress.\r\n"
    );
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
}

#[test]
fn config_resetstat_clears_expired_keys_and_ttl_counts_hits() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SET", "gone", "1", "PX", "1"]), OK);
    assert!(poll_until(std::time::Duration::from_secs(2), || {
        info_field(&info(&mut c, "stats"), "expired_keys").as_deref() == Some("1")
    }));
    assert_eq!(cmd(&mut c, &["CONFIG", "RESETSTAT"]), OK);
    let stats = info(&mut c, "stats");
    assert_eq!(info_field(&stats, "expired_keys").as_deref(), Some("0"));
    assert_eq!(info_field(&stats, "keyspace_hits").as_deref(), Some("0"));
    assert_eq!(cmd(&mut c, &["SET", "k", "v"]), OK);
    assert_eq!(cmd(&mut c, &["TTL", "k"]), b":-1\r\n");
    assert_eq!(cmd(&mut c, &["TYPE", "nokey"]), b"+none\r\n");
    let stats = info(&mut c, "stats");
    assert_eq!(info_field(&stats, "keyspace_hits").as_deref(), Some("1"));
    assert_eq!(info_field(&stats, "keyspace_misses").as_deref(), Some("1"));
}
