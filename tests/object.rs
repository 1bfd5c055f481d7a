//! OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP for every type,
//! checked against redis-server 7.0.15 (`FERRITE_TEST_AGAINST=redis`).
mod common;

use common::*;

const NIL: &[u8] = b"$-1\r\n";

fn bulk(s: &str) -> Vec<u8> {
    format!("${}\r\n{s}\r\n", s.len()).into_bytes()
}

#[test]
fn string_encodings_int_embstr_raw() {
    let srv = Server::start();
    let mut c = srv.raw();
    let s44 = "a".repeat(44);
    let s45 = "a".repeat(45);
    for (value, enc) in [
        ("12345", "int"),
        ("-9223372036854775808", "int"),
        ("9223372036854775808", "embstr"),
        ("012", "embstr"),
        ("1.5", "embstr"),
        ("123456789012345678901234567890", "embstr"),
        ("1234567890123456789012345678901", "embstr"),
        (s44.as_str(), "embstr"),
        (s45.as_str(), "raw"),
    ] {
        cmd(&mut c, &["SET", "k", value]);
        assert_eq!(
            cmd(&mut c, &["OBJECT", "ENCODING", "k"]),
            bulk(enc),
            "{value}"
        );
    }
    // In-place changes make a string raw; a new APPEND key is encoded as SET.
    cmd(&mut c, &["SET", "k", "abc"]);
    cmd(&mut c, &["APPEND", "k", ""]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "k"]), bulk("raw"));
    cmd(&mut c, &["APPEND", "n", "123"]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "n"]), bulk("int"));
    cmd(&mut c, &["SETRANGE", "r", "0", "x"]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "r"]), bulk("raw"));
    cmd(&mut c, &["INCRBYFLOAT", "f", "1.5"]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "f"]), bulk("embstr"));
    cmd(&mut c, &["SET", "e", &"b".repeat(40)]);
    cmd(&mut c, &["COPY", "e", "e2"]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "e2"]), bulk("embstr"));
}

#[test]
fn collection_encodings() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["RPUSH", "l", "a"]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "l"]), bulk("quicklist"));
    cmd(&mut c, &["HSET", "h", "f", "v"]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "h"]), bulk("listpack"));
    cmd(&mut c, &["HSET", "h", "g", &"x".repeat(100)]);
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "h"]), bulk("hashtable"));
    assert_eq!(cmd(&mut c, &["OBJECT", "ENCODING", "nokey"]), NIL);
}

#[test]
fn refcount_idletime_freq() {
    let srv = Server::start();
    let mut c = srv.raw();
    script(
        &mut c,
        &[
            ("SET small 100", b"+OK\r\n"),
            ("OBJECT REFCOUNT small", b":2147483647\r\n"),
            ("SET big 10000", b"+OK\r\n"),
            ("OBJECT REFCOUNT big", b":1\r\n"),
            ("SET neg -1", b"+OK\r\n"),
            ("OBJECT REFCOUNT neg", b":1\r\n"),
            ("RPUSH l a", b":1\r\n"),
            ("OBJECT REFCOUNT l", b":1\r\n"),
            ("OBJECT REFCOUNT nokey", NIL),
            ("OBJECT IDLETIME nokey", NIL),
            ("OBJECT FREQ nokey", NIL),
            ("OBJECT FREQ l", b"-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"),
        ],
    );
    let idle = call(&mut c, &["OBJECT", "IDLETIME", "l"]).int();
    assert!((0..5).contains(&idle));
}

#[test]
fn help_and_errors() {
    let srv = Server::start();
    let mut c = srv.raw();
    let help = call(&mut c, &["OBJECT", "HELP"]);
    let lines: Vec<String> = help.array().iter().map(|r| r.text()).collect();
    assert_eq!(lines.len(), 15);
    assert_eq!(
        lines[0],
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    );
    assert_eq!(lines[1], "ENCODING <key>");
    assert_eq!(lines[14], "    Prints this help.");
    script(
        &mut c,
        &[
            (
                "OBJECT FOO k",
                b"-ERR unknown subcommand 'FOO'. Try OBJECT HELP.\r\n",
            ),
            (
                "OBJECT ENCODING",
                b"-ERR wrong number of arguments for 'object|encoding' command\r\n",
            ),
            (
                "OBJECT ENCODING a b",
                b"-ERR wrong number of arguments for 'object|encoding' command\r\n",
            ),
            (
                "OBJECT HELP x",
                b"-ERR wrong number of arguments for 'object|help' command\r\n",
            ),
        ],
    );
    assert_eq!(
        cmd(&mut c, &["OBJECT"]),
        b"-ERR wrong number of arguments for 'object' command\r\n"
    );
}
