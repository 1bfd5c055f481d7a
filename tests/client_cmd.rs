//! CLIENT: LIST, INFO, KILL, SETNAME/GETNAME, NO-EVICT, REPLY,
//! PAUSE/UNPAUSE, HELP and errors, as redis-server 7.0.15 answers them.

mod common;

use std::time::{Duration, Instant};

use common::*;

const OK: &[u8] = b"+OK\r\n";

/// Redis 7.0.15's CLIENT LIST fields, in order.
const FIELDS: &[&str] = &[
    "id",
    "addr",
    "laddr",
    "fd",
    "name",
    "age",
    "idle",
    "flags",
    "db",
    "sub",
    "psub",
    "ssub",
    "multi",
    "qbuf",
    "qbuf-free",
    "argv-mem",
    "multi-mem",
    "rbs",
    "rbp",
    "obl",
    "oll",
    "omem",
    "tot-mem",
    "events",
    "cmd",
    "user",
    "redir",
    "resp",
];

fn field<'a>(line: &'a str, name: &str) -> &'a str {
    line.split(' ')
        .find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
        .unwrap_or_else(|| panic!("no {name} in {line}"))
}

fn list(c: &mut std::net::TcpStream, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["CLIENT", "LIST"];
    args.extend_from_slice(extra);
    let text = call(c, &args).text();
    assert!(text.is_empty() || text.ends_with('\n'), "{text:?}");
    text.lines().map(String::from).collect()
}

#[test]
fn client_list_fields_and_filters() {
    let srv = Server::start();
    let mut a = srv.raw();
    let mut b = srv.raw();
    assert_eq!(cmd(&mut b, &["CLIENT", "SETNAME", "bee"]), OK);
    assert_eq!(cmd(&mut b, &["SELECT", "4"]), OK);
    let ida = call(&mut a, &["CLIENT", "ID"]).int();
    let idb = call(&mut b, &["CLIENT", "ID"]).int();
    let lines = list(&mut a, &[]);
    assert_eq!(lines.len(), 2, "{lines:?}");
    for l in &lines {
        let names: Vec<&str> = l
            .split(' ')
            .map(|kv| kv.split('=').next().unwrap())
            .collect();
        assert_eq!(names, FIELDS, "{l}");
    }
    let la = lines
        .iter()
        .find(|l| field(l, "id") == ida.to_string())
        .unwrap();
    let lb = lines
        .iter()
        .find(|l| field(l, "id") == idb.to_string())
        .unwrap();
    assert_eq!(field(la, "cmd"), "client|list");
    assert_eq!(field(lb, "cmd"), "client|id");
    assert_eq!(field(lb, "name"), "bee");
    assert_eq!(field(lb, "db"), "4");
    assert_eq!(field(la, "flags"), "N");
    assert_eq!(field(la, "user"), "default");
    assert_eq!(field(la, "resp"), "2");
    assert_eq!(field(la, "laddr"), format!("127.0.0.1:{}", srv.port));
    assert_eq!(field(la, "addr"), a.local_addr().unwrap().to_string());
    // Filters.
    let only_b = list(&mut a, &["ID", &idb.to_string()]);
    assert_eq!(only_b.len(), 1);
    assert_eq!(field(&only_b[0], "name"), "bee");
    assert_eq!(
        list(&mut a, &["ID", &ida.to_string(), &idb.to_string()]).len(),
        2
    );
    assert_eq!(list(&mut a, &["ID", "999999"]).len(), 0);
    assert_eq!(list(&mut a, &["TYPE", "normal"]).len(), 2);
    for t in ["pubsub", "master", "replica", "slave"] {
        assert_eq!(cmd(&mut a, &["CLIENT", "LIST", "TYPE", t]), b"$0\r\n\r\n");
    }
    assert_eq!(
        cmd(&mut a, &["CLIENT", "LIST", "TYPE", "foo"]),
        b"-ERR Unknown client type 'foo'\r\n"
    );
    assert_eq!(
        cmd(&mut a, &["CLIENT", "LIST", "ID", "1", "abc"]),
        b"-ERR Invalid client ID\r\n"
    );
    assert_eq!(
        cmd(&mut a, &["CLIENT", "LIST", "ID"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut a, &["CLIENT", "LIST", "foo"]),
        b"-ERR syntax error\r\n"
    );
    // CLIENT INFO is this client's line.
    let info = call(&mut b, &["CLIENT", "INFO"]).text();
    assert_eq!(field(&info, "id"), idb.to_string());
    assert_eq!(field(&info, "cmd"), "client|info");
    assert!(info.ends_with('\n'));
}

#[test]
fn client_kill_forms() {
    let srv = Server::start();
    let mut admin = srv.raw();
    let mut v1 = srv.raw();
    let mut v2 = srv.raw();
    let id1 = call(&mut v1, &["CLIENT", "ID"]).int();
    let id2 = call(&mut v2, &["CLIENT", "ID"]).int();
    // Old form: by address, +OK or an error.
    let addr1 = v1.local_addr().unwrap().to_string();
    assert_eq!(cmd(&mut admin, &["CLIENT", "KILL", &addr1]), OK);
    expect_closed(&mut v1);
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", &addr1]),
        b"-ERR No such client\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "ID"]),
        b"-ERR No such client\r\n"
    );
    // New form: counts.
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "ID", &id1.to_string()]),
        b":0\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "ID", &id2.to_string()]),
        b":1\r\n"
    );
    expect_closed(&mut v2);
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "ID", "abc"]),
        b"-ERR client-id should be greater than 0\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "TYPE", "foo"]),
        b"-ERR Unknown client type 'foo'\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "USER", "nobody"]),
        b"-ERR No such user 'nobody'\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "SKIPME", "maybe"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "foo", "bar"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "ID", "5", "SKIPME"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "ADDR", "1.2.3.4:5"]),
        b":0\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "KILL", "LADDR", "127.0.0.1:1"]),
        b":0\r\n"
    );
    // By local address and user, sparing the caller (SKIPME yes default).
    let mut v3 = srv.raw();
    let mut v4 = srv.raw();
    call(&mut v3, &["PING"]);
    call(&mut v4, &["PING"]);
    let laddr = format!("127.0.0.1:{}", srv.port);
    assert_eq!(
        cmd(
            &mut admin,
            &["CLIENT", "KILL", "LADDR", &laddr, "USER", "default"]
        ),
        b":2\r\n"
    );
    expect_closed(&mut v3);
    expect_closed(&mut v4);
    assert_eq!(cmd(&mut admin, &["PING"]), b"+PONG\r\n");
    // TYPE normal SKIPME no kills the caller too, after its reply.
    assert_eq!(
        cmd(
            &mut admin,
            &["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"]
        ),
        b":1\r\n"
    );
    expect_closed(&mut admin);
    // The server is fine.
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
}

#[test]
fn client_kill_in_a_pipeline_closes_the_victim_only() {
    let srv = Server::start();
    let mut victim = srv.raw();
    let vid = call(&mut victim, &["CLIENT", "ID"]).int();
    let mut killer = srv.raw();
    let mut batch = encode(&[b"CLIENT", b"KILL", b"ID", vid.to_string().as_bytes()]);
    batch.extend(encode(&[b"PING"]));
    send_raw(&mut killer, &batch);
    assert_eq!(read_reply_bytes(&mut killer), b":1\r\n");
    assert_eq!(read_reply_bytes(&mut killer), b"+PONG\r\n");
    expect_closed(&mut victim);
}

#[test]
fn client_setname_getname_no_evict() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$-1\r\n");
    assert_eq!(cmd(&mut c, &["CLIENT", "SETNAME", "n"]), OK);
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$1\r\nn\r\n");
    assert_eq!(
        cmd(&mut c, &["CLIENT", "SETNAME"]),
        b"-ERR wrong number of arguments for 'client|setname' command\r\n"
    );
    assert_eq!(cmd(&mut c, &["CLIENT", "NO-EVICT", "on"]), OK);
    assert!(
        call(&mut c, &["CLIENT", "INFO"])
            .text()
            .contains(" flags=e ")
    );
    assert_eq!(cmd(&mut c, &["CLIENT", "NO-EVICT", "OFF"]), OK);
    assert!(
        call(&mut c, &["CLIENT", "INFO"])
            .text()
            .contains(" flags=N ")
    );
    assert_eq!(
        cmd(&mut c, &["CLIENT", "NO-EVICT", "maybe"]),
        b"-ERR syntax error\r\n"
    );
    for sub in ["id", "info", "getname", "unpause"] {
        assert_eq!(
            cmd(&mut c, &["CLIENT", sub, "x"]),
            format!("-ERR wrong number of arguments for 'client|{sub}' command\r\n").as_bytes()
        );
    }
    assert_eq!(
        cmd(&mut c, &["CLIENT", "FOO"]),
        b"-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CLIENT"]),
        b"-ERR wrong number of arguments for 'client' command\r\n"
    );
    let help = call(&mut c, &["CLIENT", "HELP"]).strings();
    assert_eq!(
        help[0],
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    );
    for want in [
        "KILL <ip:port>",
        "PAUSE <timeout> [WRITE|ALL]",
        "REPLY (ON|OFF|SKIP)",
        "HELP",
    ] {
        assert!(help.iter().any(|l| l == want), "{want} in {help:?}");
    }
}

#[test]
fn client_reply_off_skip_on() {
    let srv = Server::start();
    let mut c = srv.raw();
    let mut batch = Vec::new();
    for a in [
        &[&b"CLIENT"[..], b"REPLY", b"SKIP"][..],
        &[b"SET", b"k", b"1"],
        &[b"ECHO", b"one"],
        &[b"CLIENT", b"REPLY", b"OFF"],
        &[b"ECHO", b"two"],
        &[b"NOSUCH"],
        &[b"CLIENT", b"REPLY", b"SKIP"],
        &[b"ECHO", b"three"],
        &[b"CLIENT", b"REPLY", b"ON"],
        &[b"GET", b"k"],
    ] {
        batch.extend(encode(a));
    }
    send_raw(&mut c, &batch);
    assert_eq!(read_reply_bytes(&mut c), b"$3\r\none\r\n");
    assert_eq!(read_reply_bytes(&mut c), OK);
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\n1\r\n");
    expect_silence(&mut c, Duration::from_millis(50));
    assert_eq!(
        cmd(&mut c, &["CLIENT", "REPLY", "foo"]),
        b"-ERR syntax error\r\n"
    );
}

#[test]
fn client_pause_write_holds_writes_only_and_unpause_releases() {
    let srv = Server::start();
    let mut admin = srv.raw();
    let mut w = srv.raw();
    let mut r = srv.raw();
    assert_eq!(cmd(&mut admin, &["SET", "k", "old"]), OK);
    assert_eq!(cmd(&mut admin, &["CLIENT", "PAUSE", "10000", "WRITE"]), OK);
    send_raw(&mut w, &encode(&[b"SET", b"k", b"new"]));
    // Reads go on, and the loop is not blocked.
    assert_eq!(cmd(&mut r, &["GET", "k"]), b"$3\r\nold\r\n");
    expect_silence(&mut w, Duration::from_millis(100));
    assert_eq!(cmd(&mut admin, &["CLIENT", "UNPAUSE"]), OK);
    assert_eq!(read_reply_bytes(&mut w), OK);
    assert_eq!(cmd(&mut r, &["GET", "k"]), b"$3\r\nnew\r\n");
}

#[test]
fn client_pause_all_ends_by_itself() {
    let srv = Server::start();
    let mut admin = srv.raw();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut admin, &["CLIENT", "PAUSE", "300"]), OK);
    let t = Instant::now();
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(200), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "PAUSE", "abc"]),
        b"-ERR timeout is not an integer or out of range\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "PAUSE", "-1"]),
        b"-ERR timeout is negative\r\n"
    );
    assert_eq!(
        cmd(&mut admin, &["CLIENT", "PAUSE", "10", "FOO"]),
        b"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"
    );
}

#[test]
fn client_tracking_state_without_tracking() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["CLIENT", "GETREDIR"]), b":-1\r\n");
    assert_eq!(
        cmd(&mut c, &["CLIENT", "TRACKINGINFO"]),
        b"*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CLIENT", "CACHING", "yes"]),
        &b"-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n"[..]
    );
    cmd3(&mut c, &["HELLO", "3"]);
    assert_eq!(
        cmd3(&mut c, &["CLIENT", "TRACKINGINFO"]),
        b"%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n"
    );
}
