//! HELLO and RESP3, AUTH and requirepass, RESET, protected mode: exact
//! bytes as redis-server 7.0.15 sends them.

mod common;

use common::*;

const OK: &[u8] = b"+OK\r\n";
const NOAUTH: &[u8] = b"-NOAUTH Authentication required.\r\n";
const WRONGPASS: &[u8] = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n";
const HELLO_NOAUTH: &[u8] = b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n";

/// A server whose default user needs `pw`: set by the `--requirepass`
/// flag on ferrite; by CONFIG SET on redis-server, which the harness
/// could not otherwise see answer PING.
fn server_with_password(pw: &str) -> Server {
    if against_redis() {
        let srv = Server::start();
        let mut c = srv.raw();
        assert_eq!(cmd(&mut c, &["CONFIG", "SET", "requirepass", pw]), OK);
        srv
    } else {
        Server::start_with(&["--requirepass", pw])
    }
}

fn id_of(c: &mut std::net::TcpStream) -> i64 {
    call(c, &["CLIENT", "ID"]).int()
}

#[test]
fn hello_switches_protocol_and_back() {
    let srv = Server::start();
    let mut c = srv.raw();
    let id = id_of(&mut c);
    assert_eq!(cmd3(&mut c, &["HELLO"]), hello_reply(2, id));
    assert_eq!(cmd3(&mut c, &["HELLO", "3"]), hello_reply(3, id));
    // RESP3 shapes after HELLO 3: null, map, verbatim text.
    assert_eq!(cmd3(&mut c, &["GET", "nosuch"]), b"_\r\n");
    assert_eq!(
        cmd3(&mut c, &["CONFIG", "GET", "databases"]),
        b"%1\r\n$9\r\ndatabases\r\n$2\r\n16\r\n"
    );
    let info = cmd3(&mut c, &["CLIENT", "INFO"]);
    assert!(
        info.starts_with(b"="),
        "{:?}",
        String::from_utf8_lossy(&info)
    );
    assert!(
        String::from_utf8_lossy(&info).contains("\r\ntxt:id="),
        "verbatim text with the txt format"
    );
    assert!(cmd3(&mut c, &["INFO", "server"]).starts_with(b"="));
    assert_eq!(
        cmd3(&mut c, &["MGET", "nosuch", "nosuch2"]),
        b"*2\r\n_\r\n_\r\n"
    );
    // HELLO with no version keeps the current one.
    assert_eq!(cmd3(&mut c, &["HELLO"]), hello_reply(3, id));
    assert_eq!(cmd3(&mut c, &["HELLO", "2"]), hello_reply(2, id));
    assert_eq!(cmd3(&mut c, &["GET", "nosuch"]), b"$-1\r\n");
}

#[test]
fn hello_errors() {
    let srv = Server::start();
    let mut c = srv.raw();
    for v in ["1", "4", "0", "-1"] {
        assert_eq!(
            cmd(&mut c, &["HELLO", v]),
            b"-NOPROTO unsupported protocol version\r\n"
        );
    }
    assert_eq!(
        cmd(&mut c, &["HELLO", "abc"]),
        b"-ERR Protocol version is not an integer or out of range\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["HELLO", "3", "foo"]),
        b"-ERR Syntax error in HELLO option 'foo'\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["HELLO", "3", "SETNAME"]),
        b"-ERR Syntax error in HELLO option 'SETNAME'\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["HELLO", "3", "AUTH", "default"]),
        b"-ERR Syntax error in HELLO option 'AUTH'\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["HELLO", "3", "SETNAME", "a", "b"]),
        b"-ERR Syntax error in HELLO option 'b'\r\n"
    );
    // Errors leave the protocol unchanged.
    assert_eq!(cmd(&mut c, &["GET", "nosuch"]), b"$-1\r\n");
}

#[test]
fn hello_setname_and_auth_without_password() {
    let srv = Server::start();
    let mut c = srv.raw();
    let id = id_of(&mut c);
    assert_eq!(
        cmd3(&mut c, &["HELLO", "3", "SETNAME", "conn1"]),
        hello_reply(3, id)
    );
    assert_eq!(cmd3(&mut c, &["CLIENT", "GETNAME"]), b"$5\r\nconn1\r\n");
    // The default user takes any password while none is configured.
    assert_eq!(
        cmd3(&mut c, &["HELLO", "2", "AUTH", "default", "whatever"]),
        hello_reply(2, id)
    );
    assert_eq!(cmd(&mut c, &["HELLO", "2", "AUTH", "bob", "x"]), WRONGPASS);
    assert_eq!(
        cmd(&mut c, &["AUTH", "x"]),
        &b"-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"[..]
    );
    assert_eq!(cmd(&mut c, &["AUTH", "default", "x"]), OK);
    assert_eq!(cmd(&mut c, &["AUTH", "a", "b"]), WRONGPASS);
    assert_eq!(
        cmd(&mut c, &["AUTH", "a", "b", "c"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["AUTH"]),
        b"-ERR wrong number of arguments for 'auth' command\r\n"
    );
}

#[test]
fn requirepass_gates_every_command_but_auth_hello_quit_reset() {
    let srv = server_with_password("s3cret");
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["PING"]), NOAUTH);
    assert_eq!(cmd(&mut c, &["GET", "a"]), NOAUTH);
    assert_eq!(cmd(&mut c, &["CLIENT", "ID"]), NOAUTH);
    // Unknown commands and arity errors come before the auth check.
    assert_eq!(
        cmd(&mut c, &["FOO", "bar"]),
        &b"-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["GET"]),
        b"-ERR wrong number of arguments for 'get' command\r\n"
    );
    assert_eq!(cmd(&mut c, &["HELLO", "3"]), HELLO_NOAUTH);
    assert_eq!(cmd(&mut c, &["HELLO"]), HELLO_NOAUTH);
    assert_eq!(cmd(&mut c, &["AUTH", "nope"]), WRONGPASS);
    assert_eq!(cmd(&mut c, &["AUTH", "default", "nope"]), WRONGPASS);
    assert_eq!(
        cmd(&mut c, &["HELLO", "3", "AUTH", "default", "nope"]),
        WRONGPASS
    );
    assert_eq!(cmd(&mut c, &["RESET"]), b"+RESET\r\n");
    assert_eq!(cmd(&mut c, &["AUTH", "s3cret"]), OK);
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    // A failed AUTH does not undo an earlier success.
    assert_eq!(cmd(&mut c, &["AUTH", "default", "nope"]), WRONGPASS);
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    // RESET logs the client out again.
    assert_eq!(cmd(&mut c, &["RESET"]), b"+RESET\r\n");
    assert_eq!(cmd(&mut c, &["PING"]), NOAUTH);
    // HELLO AUTH authenticates, names and switches in one go.
    let mut d = srv.raw();
    let reply = cmd3(
        &mut d,
        &["HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "n1"],
    );
    assert!(
        reply.starts_with(b"%7\r\n"),
        "{:?}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(cmd3(&mut d, &["CLIENT", "GETNAME"]), b"$2\r\nn1\r\n");
    // The version is checked before the password.
    let mut e = srv.raw();
    assert_eq!(
        cmd(&mut e, &["HELLO", "4", "AUTH", "default", "nope"]),
        b"-NOPROTO unsupported protocol version\r\n"
    );
    assert_eq!(cmd(&mut e, &["QUIT"]), OK);
    expect_closed(&mut e);
}

#[test]
fn requirepass_by_config_set() {
    let srv = Server::start();
    let mut admin = srv.raw();
    assert_eq!(
        cmd(&mut admin, &["CONFIG", "GET", "requirepass"]),
        b"*2\r\n$11\r\nrequirepass\r\n$0\r\n\r\n"
    );
    assert_eq!(cmd(&mut admin, &["CONFIG", "SET", "requirepass", "pw"]), OK);
    // Connections open before stay authenticated, as in Redis.
    assert_eq!(cmd(&mut admin, &["PING"]), b"+PONG\r\n");
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["PING"]), NOAUTH);
    assert_eq!(cmd(&mut c, &["AUTH", "pw"]), OK);
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "requirepass"]),
        b"*2\r\n$11\r\nrequirepass\r\n$2\r\npw\r\n"
    );
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "requirepass", ""]), OK);
    let mut d = srv.raw();
    assert_eq!(cmd(&mut d, &["PING"]), b"+PONG\r\n");
}

#[test]
fn reset_restores_a_fresh_connection() {
    let srv = Server::start();
    let mut c = srv.raw();
    let id = id_of(&mut c);
    cmd3(&mut c, &["HELLO", "3"]);
    assert_eq!(cmd3(&mut c, &["CLIENT", "SETNAME", "x"]), OK);
    assert_eq!(cmd3(&mut c, &["SELECT", "5"]), OK);
    assert_eq!(cmd3(&mut c, &["SET", "k", "v"]), OK);
    assert_eq!(cmd3(&mut c, &["CLIENT", "NO-EVICT", "on"]), OK);
    assert_eq!(cmd3(&mut c, &["RESET"]), b"+RESET\r\n");
    // RESP2 again, db 0, no name, same id.
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$-1\r\n");
    assert_eq!(cmd(&mut c, &["CLIENT", "GETNAME"]), b"$-1\r\n");
    assert_eq!(id_of(&mut c), id);
    let info = call(&mut c, &["CLIENT", "INFO"]).text();
    // Redis 7.0's RESET keeps NO-EVICT.
    assert!(info.contains(" flags=e "), "{info}");
    assert!(
        info.contains(" db=0 ") && info.contains(" resp=2"),
        "{info}"
    );
    // RESET also turns CLIENT REPLY OFF back on.
    send_raw(&mut c, &encode(&[b"CLIENT", b"REPLY", b"OFF"]));
    assert_eq!(cmd(&mut c, &["RESET"]), b"+RESET\r\n");
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
}

#[test]
fn select_checks_range() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SELECT", "15"]), OK);
    assert_eq!(
        cmd(&mut c, &["SELECT", "16"]),
        b"-ERR DB index is out of range\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SELECT", "x"]),
        b"-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SELECT", "-1"]),
        b"-ERR DB index is out of range\r\n"
    );
}

#[test]
fn protected_mode_directive() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "protected-mode"]),
        b"*2\r\n$14\r\nprotected-mode\r\n$3\r\nyes\r\n"
    );
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "protected-mode", "no"]), OK);
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "protected-mode", "maybe"]),
        &b"-ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument must be 'yes' or 'no'\r\n"[..]
    );
    // Every peer here is loopback (servers bind 127.0.0.1 only), so
    // protected mode admits it; the decision for other peers (Redis's
    // `connIsLocal`: 127.x and ::1) is unit-tested in src/clients.rs.
    assert_eq!(cmd(&mut c, &["CONFIG", "SET", "protected-mode", "yes"]), OK);
    let mut d = srv.raw();
    assert_eq!(cmd(&mut d, &["PING"]), b"+PONG\r\n");
}

#[test]
fn redis_crate_with_resp3() {
    let srv = Server::start();
    let client = redis::Client::open(format!("{}?protocol=resp3", srv.url())).unwrap();
    let mut con = client.get_connection().unwrap();
    let _: () = redis::cmd("SET").arg("k").arg("v").query(&mut con).unwrap();
    let v: Option<String> = redis::cmd("GET").arg("k").query(&mut con).unwrap();
    assert_eq!(v.as_deref(), Some("v"));
    let none: Option<String> = redis::cmd("GET").arg("nosuch").query(&mut con).unwrap();
    assert_eq!(none, None);
    let cfg: std::collections::HashMap<String, String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("databases")
        .query(&mut con)
        .unwrap();
    assert_eq!(cfg.get("databases").map(String::as_str), Some("16"));
    let info: String = redis::cmd("CLIENT").arg("INFO").query(&mut con).unwrap();
    assert!(info.contains(" resp=3"), "{info}");
}

#[test]
fn resp3_shapes_of_existing_commands() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd3(&mut c, &["HELLO", "3"]);
    let ok = |c: &mut std::net::TcpStream, a: &[&str]| assert_eq!(cmd3(c, a), OK, "{a:?}");
    ok(&mut c, &["SELECT", "11"]);
    ok(&mut c, &["FLUSHDB"]);
    ok(&mut c, &["SET", "s1", "ohmytext"]);
    ok(&mut c, &["SET", "s2", "mynewtext"]);
    let cases: &[(&[&str], &[u8])] = &[
        (
            &["LCS", "s1", "s2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
            b"%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
        ),
        (&["SET", "k", "v", "GET"], b"_\r\n"),
        (&["SET", "k", "w", "GET"], b"$1\r\nv\r\n"),
        (&["GETEX", "nosuch"], b"_\r\n"),
        (&["GETDEL", "nosuch"], b"_\r\n"),
        (&["MGET", "k", "nosuch"], b"*2\r\n$1\r\nw\r\n_\r\n"),
        (&["SCAN", "0", "MATCH", "s1"], b"*2\r\n$1\r\n0\r\n*1\r\n$2\r\ns1\r\n"),
        (&["INCRBYFLOAT", "f", "1.5"], b"$3\r\n1.5\r\n"),
        (&["CONFIG", "GET", "hz"], b"%1\r\n$2\r\nhz\r\n$2\r\n10\r\n"),
        (&["CONFIG", "GET", "nosuch"], b"%0\r\n"),
        (&["EXPIRE", "s1", "100"], b":1\r\n"),
        (&["TTL", "s1"], b":100\r\n"),
        (&["TTL", "nosuch"], b":-2\r\n"),
        (&["TYPE", "s1"], b"+string\r\n"),
        (&["EXISTS", "s1", "s2", "nosuch"], b":2\r\n"),
        (&["ECHO", "hi"], b"$2\r\nhi\r\n"),
        (&["PING"], b"+PONG\r\n"),
        (&["CLIENT", "GETNAME"], b"_\r\n"),
        (&["COMMAND", "INFO", "nosuch"], b"*1\r\n_\r\n"),
        (&["COMMAND", "DOCS", "nosuch"], b"%0\r\n"),
        (&["KEYS", "nomatch*"], b"*0\r\n"),
    ];
    for (args, want) in cases {
        assert_eq!(
            String::from_utf8_lossy(&cmd3(&mut c, args)),
            String::from_utf8_lossy(want),
            "{args:?}"
        );
    }
    let time = cmd3(&mut c, &["TIME"]);
    assert!(
        time.starts_with(b"*2\r\n$"),
        "{:?}",
        String::from_utf8_lossy(&time)
    );
    let list = cmd3(&mut c, &["CLIENT", "LIST"]);
    assert!(list.starts_with(b"="), "verbatim");
    assert!(String::from_utf8_lossy(&list).contains("\r\ntxt:id="));
    ok(&mut c, &["FLUSHDB"]);
}
