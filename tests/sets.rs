//! Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP,
//! SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF, the STORE forms
//! and SSCAN, with their errors, encodings and keyspace integration.
mod common;

use common::*;
use std::collections::HashSet;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const WRONGTYPE: &[u8] = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const NOT_POSITIVE: &[u8] = b"-ERR value is out of range, must be positive\r\n";
const NIL: &[u8] = b"$-1\r\n";
const EMPTY: &[u8] = b"*0\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn sorted(c: &mut TcpStream, args: &[&str]) -> Vec<String> {
    let mut v = call(c, args).strings();
    v.sort();
    v
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// OBJECT ENCODING, or None while the server has no OBJECT command.
fn encoding(c: &mut TcpStream, key: &str) -> Option<String> {
    match call(c, &["OBJECT", "ENCODING", key]) {
        Reply::Error(e) if e.contains("unknown command") => {
            println!("OBJECT not available: encoding not checked");
            None
        }
        r => Some(r.text()),
    }
}

fn assert_encoding(c: &mut TcpStream, key: &str, want: &str) {
    if let Some(e) = encoding(c, key) {
        assert_eq!(e, want, "encoding of {key}");
    }
}

#[test]
fn sadd_counts_new_members_only() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SADD", "s", "a", "b", "a"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["SADD", "s", "b", "c"]), b":1\r\n");
    assert_eq!(sorted(&mut c, &["SMEMBERS", "s"]), strs(&["a", "b", "c"]));
    assert_eq!(cmd(&mut c, &["TYPE", "s"]), b"+set\r\n");
    assert_eq!(
        cmd(&mut c, &["SADD", "s"]),
        b"-ERR wrong number of arguments for 'sadd' command\r\n"
    );
}

#[test]
fn srem_and_empty_set_is_deleted() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "a", "b", "1"]);
    assert_eq!(cmd(&mut c, &["SREM", "s", "a", "zz"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SREM", "nokey", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SREM", "s", "b", "1"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "s"]), b":0\r\n");
}

#[test]
fn smembers_of_intset_is_sorted_and_missing_is_empty() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "3", "-1", "2"]);
    assert_eq!(
        cmd(&mut c, &["SMEMBERS", "s"]),
        b"*3\r\n$2\r\n-1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    );
    assert_eq!(cmd(&mut c, &["SMEMBERS", "nokey"]), EMPTY);
}

#[test]
fn sismember_smismember_scard() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "a", "1"]);
    assert_eq!(cmd(&mut c, &["SISMEMBER", "s", "a"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SISMEMBER", "s", "b"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SISMEMBER", "nokey", "a"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["SMISMEMBER", "s", "a", "b", "1"]),
        b"*3\r\n:1\r\n:0\r\n:1\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SMISMEMBER", "nokey", "a", "b"]),
        b"*2\r\n:0\r\n:0\r\n"
    );
    assert_eq!(cmd(&mut c, &["SCARD", "s"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["SCARD", "nokey"]), b":0\r\n");
}

#[test]
fn wrongtype_on_every_set_command() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "str", "x"]);
    cmd(&mut c, &["SADD", "s", "a"]);
    let cases: &[&[&str]] = &[
        &["SADD", "str", "a"],
        &["SREM", "str", "a"],
        &["SMEMBERS", "str"],
        &["SISMEMBER", "str", "a"],
        &["SMISMEMBER", "str", "a"],
        &["SCARD", "str"],
        &["SPOP", "str"],
        &["SPOP", "str", "2"],
        &["SRANDMEMBER", "str"],
        &["SRANDMEMBER", "str", "2"],
        &["SMOVE", "str", "s", "a"],
        &["SMOVE", "s", "str", "a"],
        &["SINTER", "s", "str"],
        &["SINTERCARD", "2", "s", "str"],
        &["SUNION", "str", "s"],
        &["SDIFF", "s", "str"],
        &["SINTERSTORE", "d", "s", "str"],
        &["SUNIONSTORE", "d", "s", "str"],
        &["SDIFFSTORE", "d", "s", "str"],
        &["SSCAN", "str", "0"],
    ];
    for args in cases {
        assert_eq!(cmd(&mut c, args), WRONGTYPE, "{args:?}");
    }
    // A string command on a set.
    assert_eq!(cmd(&mut c, &["GET", "s"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["APPEND", "s", "x"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["INCR", "s"]), WRONGTYPE);
    // SET overwrites any type.
    assert_eq!(cmd(&mut c, &["SET", "s", "v"]), b"+OK\r\n");
    assert_eq!(cmd(&mut c, &["TYPE", "s"]), b"+string\r\n");
}

#[test]
fn spop_single_and_count() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SPOP", "nokey"]), NIL);
    assert_eq!(cmd(&mut c, &["SPOP", "nokey", "3"]), EMPTY);
    cmd(&mut c, &["SADD", "s", "a", "b", "c", "d", "e"]);
    let one = call(&mut c, &["SPOP", "s"]).text();
    assert!(["a", "b", "c", "d", "e"].contains(&one.as_str()));
    assert_eq!(cmd(&mut c, &["SCARD", "s"]), b":4\r\n");
    assert_eq!(cmd(&mut c, &["SPOP", "s", "0"]), EMPTY);
    let two = call(&mut c, &["SPOP", "s", "2"]).strings();
    assert_eq!(two.len(), 2);
    assert_ne!(two[0], two[1]);
    assert_eq!(cmd(&mut c, &["SCARD", "s"]), b":2\r\n");
    // Popping at least everything returns the rest and deletes the key.
    assert_eq!(call(&mut c, &["SPOP", "s", "10"]).strings().len(), 2);
    assert_eq!(cmd(&mut c, &["EXISTS", "s"]), b":0\r\n");
    cmd(&mut c, &["SADD", "one", "x"]);
    assert_eq!(cmd(&mut c, &["SPOP", "one"]), b"$1\r\nx\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "one"]), b":0\r\n");
}

#[test]
fn spop_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "a"]);
    assert_eq!(cmd(&mut c, &["SPOP", "s", "-1"]), NOT_POSITIVE);
    assert_eq!(cmd(&mut c, &["SPOP", "s", "x"]), NOT_POSITIVE);
    assert_eq!(cmd(&mut c, &["SPOP", "s", "1", "2"]), SYNTAX);
}

#[test]
fn spop_drains_a_large_set_exactly_once() {
    let (_s, mut c) = conn();
    let members: Vec<String> = (0..2000).map(|i| format!("m{i}")).collect();
    let mut args = vec!["SADD", "s"];
    args.extend(members.iter().map(|s| s.as_str()));
    assert_eq!(call(&mut c, &args).int(), 2000);
    let mut seen = HashSet::new();
    for _ in 0..20 {
        for m in call(&mut c, &["SPOP", "s", "100"]).strings() {
            assert!(seen.insert(m), "popped twice");
        }
    }
    assert_eq!(seen.len(), 2000);
    assert_eq!(cmd(&mut c, &["EXISTS", "s"]), b":0\r\n");
}

#[test]
fn srandmember_counts() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SRANDMEMBER", "nokey"]), NIL);
    assert_eq!(cmd(&mut c, &["SRANDMEMBER", "nokey", "5"]), EMPTY);
    assert_eq!(cmd(&mut c, &["SRANDMEMBER", "nokey", "-5"]), EMPTY);
    for first in ["1", "a"] {
        cmd(&mut c, &["DEL", "s"]);
        cmd(&mut c, &["SADD", "s", first, "2", "3", "4", "5"]);
        let all: HashSet<String> = call(&mut c, &["SMEMBERS", "s"])
            .strings()
            .into_iter()
            .collect();
        let m = call(&mut c, &["SRANDMEMBER", "s"]).text();
        assert!(all.contains(&m));
        assert_eq!(cmd(&mut c, &["SRANDMEMBER", "s", "0"]), EMPTY);
        // Positive: distinct, at most the set.
        let three = call(&mut c, &["SRANDMEMBER", "s", "3"]).strings();
        assert_eq!(three.iter().collect::<HashSet<_>>().len(), 3);
        assert!(three.iter().all(|m| all.contains(m)));
        let every = call(&mut c, &["SRANDMEMBER", "s", "100"]).strings();
        assert_eq!(every.into_iter().collect::<HashSet<_>>(), all);
        // Negative: exactly |count|, repetitions allowed.
        let many = call(&mut c, &["SRANDMEMBER", "s", "-50"]).strings();
        assert_eq!(many.len(), 50);
        assert!(many.iter().all(|m| all.contains(m)));
        assert_eq!(cmd(&mut c, &["SCARD", "s"]), b":5\r\n", "nothing removed");
    }
}

#[test]
fn srandmember_on_a_big_table_picks_distinct_members() {
    let (_s, mut c) = conn();
    let members: Vec<String> = (0..1000).map(|i| format!("m{i}")).collect();
    let mut args = vec!["SADD", "s"];
    args.extend(members.iter().map(|s| s.as_str()));
    call(&mut c, &args);
    for n in ["10", "500", "999"] {
        let got = call(&mut c, &["SRANDMEMBER", "s", n]).strings();
        assert_eq!(got.len().to_string(), n);
        assert_eq!(got.iter().collect::<HashSet<_>>().len(), got.len());
    }
}

#[test]
fn srandmember_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "a"]);
    assert_eq!(cmd(&mut c, &["SRANDMEMBER", "s", "x"]), NOT_INT);
    assert_eq!(
        cmd(&mut c, &["SRANDMEMBER", "s", "-9223372036854775808"]),
        b"-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
    );
    assert_eq!(cmd(&mut c, &["SRANDMEMBER", "s", "1", "2"]), SYNTAX);
}

#[test]
fn smove_cases() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "src", "a", "b"]);
    assert_eq!(cmd(&mut c, &["SMOVE", "src", "dst", "a"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SMEMBERS", "dst"]), b"*1\r\n$1\r\na\r\n");
    assert_eq!(cmd(&mut c, &["SMOVE", "src", "dst", "zz"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SMOVE", "nokey", "dst", "a"]), b":0\r\n");
    // Same key: 1 if a member, nothing moves.
    assert_eq!(cmd(&mut c, &["SMOVE", "src", "src", "b"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SMOVE", "src", "src", "zz"]), b":0\r\n");
    // Moving the last member deletes the source.
    assert_eq!(cmd(&mut c, &["SMOVE", "src", "dst", "b"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "src"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SCARD", "dst"]), b":2\r\n");
    // A missing source answers 0 before the destination's type is checked.
    cmd(&mut c, &["SET", "str", "x"]);
    assert_eq!(cmd(&mut c, &["SMOVE", "nokey", "str", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SMOVE", "dst", "str", "a"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["SCARD", "dst"]), b":2\r\n");
}

#[test]
fn sinter_sunion_sdiff() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "a", "1", "2", "3", "x"]);
    cmd(&mut c, &["SADD", "b", "2", "3", "4", "x"]);
    cmd(&mut c, &["SADD", "c", "3", "x", "y"]);
    assert_eq!(
        sorted(&mut c, &["SINTER", "a", "b", "c"]),
        strs(&["3", "x"])
    );
    assert_eq!(
        sorted(&mut c, &["SINTER", "a"]),
        strs(&["1", "2", "3", "x"])
    );
    assert_eq!(cmd(&mut c, &["SINTER", "a", "nokey"]), EMPTY);
    assert_eq!(
        sorted(&mut c, &["SUNION", "a", "b", "nokey"]),
        strs(&["1", "2", "3", "4", "x"])
    );
    assert_eq!(sorted(&mut c, &["SDIFF", "a", "b"]), strs(&["1"]));
    assert_eq!(
        sorted(&mut c, &["SDIFF", "a", "nokey"]),
        strs(&["1", "2", "3", "x"])
    );
    assert_eq!(cmd(&mut c, &["SDIFF", "nokey", "a"]), EMPTY);
    assert_eq!(sorted(&mut c, &["SDIFF", "b", "a", "c"]), strs(&["4"]));
}

#[test]
fn store_forms_replace_or_delete_the_destination() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "a", "1", "2", "3"]);
    cmd(&mut c, &["SADD", "b", "2", "3", "4"]);
    cmd(&mut c, &["SET", "d", "string"]);
    assert_eq!(cmd(&mut c, &["SINTERSTORE", "d", "a", "b"]), b":2\r\n");
    assert_eq!(sorted(&mut c, &["SMEMBERS", "d"]), strs(&["2", "3"]));
    assert_encoding(&mut c, "d", "intset");
    assert_eq!(cmd(&mut c, &["SUNIONSTORE", "d", "a", "b"]), b":4\r\n");
    assert_eq!(
        sorted(&mut c, &["SMEMBERS", "d"]),
        strs(&["1", "2", "3", "4"])
    );
    assert_eq!(cmd(&mut c, &["SDIFFSTORE", "d", "a", "b"]), b":1\r\n");
    assert_eq!(sorted(&mut c, &["SMEMBERS", "d"]), strs(&["1"]));
    // The destination may be a source.
    assert_eq!(cmd(&mut c, &["SUNIONSTORE", "a", "a", "b"]), b":4\r\n");
    // An empty result deletes the destination.
    assert_eq!(cmd(&mut c, &["SINTERSTORE", "d", "a", "nokey"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "d"]), b":0\r\n");
    cmd(&mut c, &["SET", "d", "string"]);
    assert_eq!(cmd(&mut c, &["SDIFFSTORE", "d", "a", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "d"]), b":0\r\n");
}

#[test]
fn sintercard_and_its_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "a", "1", "2", "3", "4"]);
    cmd(&mut c, &["SADD", "b", "2", "3", "4", "5"]);
    assert_eq!(cmd(&mut c, &["SINTERCARD", "2", "a", "b"]), b":3\r\n");
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "2", "a", "b", "LIMIT", "2"]),
        b":2\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "2", "a", "b", "LIMIT", "0"]),
        b":3\r\n"
    );
    assert_eq!(cmd(&mut c, &["SINTERCARD", "2", "a", "nokey"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "0", "a"]),
        b"-ERR numkeys should be greater than 0\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "x", "a"]),
        b"-ERR numkeys should be greater than 0\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "3", "a", "b"]),
        b"-ERR Number of keys can't be greater than number of args\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "1", "a", "LIMIT", "-1"]),
        b"-ERR LIMIT can't be negative\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SINTERCARD", "1", "a", "LIMIT", "x"]),
        b"-ERR LIMIT can't be negative\r\n"
    );
    assert_eq!(cmd(&mut c, &["SINTERCARD", "1", "a", "FOO"]), SYNTAX);
}

#[test]
fn sscan_compact_and_table() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["SSCAN", "nokey", "0"]),
        b"*2\r\n$1\r\n0\r\n*0\r\n"
    );
    cmd(&mut c, &["SADD", "ints", "1", "2", "3"]);
    assert_eq!(
        cmd(&mut c, &["SSCAN", "ints", "0"]),
        b"*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    );
    let members: Vec<String> = (0..500).map(|i| format!("m{i}")).collect();
    let mut args = vec!["SADD", "big"];
    args.extend(members.iter().map(|s| s.as_str()));
    call(&mut c, &args);
    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    for _ in 0..1000 {
        let r = call(&mut c, &["SSCAN", "big", &cursor, "COUNT", "20"]).array();
        cursor = r[0].text();
        seen.extend(r[1].strings());
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(cursor, "0");
    assert_eq!(seen.len(), 500);
    let mut cursor = "0".to_string();
    let mut matched = HashSet::new();
    loop {
        let r = call(&mut c, &["SSCAN", "big", &cursor, "MATCH", "m1?"]).array();
        cursor = r[0].text();
        matched.extend(r[1].strings());
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(matched.len(), 10);
}

#[test]
fn sscan_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "a"]);
    assert_eq!(
        cmd(&mut c, &["SSCAN", "s", "x"]),
        b"-ERR invalid cursor\r\n"
    );
    assert_eq!(cmd(&mut c, &["SSCAN", "s", "0", "COUNT", "0"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SSCAN", "s", "0", "COUNT", "x"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["SSCAN", "s", "0", "TYPE", "set"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SSCAN", "s", "0", "MATCH"]), SYNTAX);
}

#[test]
fn encodings_follow_set_max_intset_entries() {
    let (_s, mut c) = conn();
    assert_eq!(
        call(&mut c, &["CONFIG", "GET", "set-max-intset-entries"]).strings(),
        strs(&["set-max-intset-entries", "512"])
    );
    cmd(&mut c, &["SADD", "i", "1", "2", "3"]);
    assert_encoding(&mut c, "i", "intset");
    cmd(&mut c, &["SADD", "t", "a"]);
    assert_encoding(&mut c, "t", "hashtable");
    // A non-integer converts, and the set never goes back.
    cmd(&mut c, &["SADD", "i", "x"]);
    assert_encoding(&mut c, "i", "hashtable");
    cmd(&mut c, &["SREM", "i", "x"]);
    assert_encoding(&mut c, "i", "hashtable");
    // Past the limit.
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "set-max-intset-entries", "4"]),
        b"+OK\r\n"
    );
    cmd(&mut c, &["SADD", "j", "1", "2", "3", "4"]);
    assert_encoding(&mut c, "j", "intset");
    cmd(&mut c, &["SADD", "j", "5"]);
    assert_encoding(&mut c, "j", "hashtable");
    assert_eq!(
        sorted(&mut c, &["SMEMBERS", "j"]),
        strs(&["1", "2", "3", "4", "5"])
    );
    // "01" is not an integer in Redis's strict sense.
    cmd(&mut c, &["SADD", "k", "01"]);
    assert_encoding(&mut c, "k", "hashtable");
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "set-max-intset-entries", "x"]),
        b"-ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - argument couldn't be parsed into an integer\r\n"
    );
}

#[test]
fn integers_keep_their_text() {
    let (_s, mut c) = conn();
    cmd(
        &mut c,
        &[
            "SADD",
            "s",
            "-9223372036854775808",
            "9223372036854775807",
            "0",
        ],
    );
    assert_eq!(
        sorted(&mut c, &["SMEMBERS", "s"]),
        strs(&["-9223372036854775808", "0", "9223372036854775807"])
    );
    assert_eq!(cmd(&mut c, &["SISMEMBER", "s", "0"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SISMEMBER", "s", "-0"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SISMEMBER", "s", "00"]), b":0\r\n");
}

#[test]
fn keyspace_commands_work_on_sets() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SADD", "s", "a", "b"]);
    cmd(&mut c, &["SET", "str", "x"]);
    assert_eq!(
        call(&mut c, &["SCAN", "0", "TYPE", "set", "COUNT", "100"]).array()[1].strings(),
        strs(&["s"])
    );
    // COPY is deep: changing the copy leaves the source alone.
    assert_eq!(cmd(&mut c, &["COPY", "s", "c"]), b":1\r\n");
    cmd(&mut c, &["SADD", "c", "z"]);
    assert_eq!(cmd(&mut c, &["SCARD", "s"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["SCARD", "c"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["RENAME", "c", "r"]), b"+OK\r\n");
    assert_eq!(cmd(&mut c, &["SCARD", "r"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["MOVE", "r", "1"]), b":1\r\n");
    cmd(&mut c, &["SELECT", "1"]);
    assert_eq!(cmd(&mut c, &["TYPE", "r"]), b"+set\r\n");
    cmd(&mut c, &["SELECT", "0"]);
    // Expiry applies, and an expired set is gone for every command.
    assert_eq!(cmd(&mut c, &["PEXPIRE", "s", "30"]), b":1\r\n");
    assert!(poll_until(Duration::from_secs(2), || {
        cmd(&mut c, &["SCARD", "s"]) == b":0\r\n"
    }));
    assert_eq!(cmd(&mut c, &["EXISTS", "s"]), b":0\r\n");
    // A write to an existing set keeps its TTL.
    cmd(&mut c, &["SADD", "t", "a"]);
    cmd(&mut c, &["EXPIRE", "t", "100"]);
    cmd(&mut c, &["SADD", "t", "b"]);
    assert!(call(&mut c, &["TTL", "t"]).int() > 90);
}

#[test]
fn resp3_replies_use_sets() {
    let (_s, mut c) = conn();
    if !hello3(&mut c) {
        println!("HELLO 3 not available: RESP3 not checked");
        return;
    }
    cmd3(&mut c, &["SADD", "s", "1", "2"]);
    cmd3(&mut c, &["SADD", "t", "2", "3"]);
    assert_eq!(
        cmd3(&mut c, &["SMEMBERS", "s"]),
        b"~2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    );
    assert_eq!(cmd3(&mut c, &["SMEMBERS", "nokey"]), b"~0\r\n");
    assert_eq!(cmd3(&mut c, &["SINTER", "s", "t"]), b"~1\r\n$1\r\n2\r\n");
    assert_eq!(cmd3(&mut c, &["SUNION", "s", "t"]).first(), Some(&b'~'));
    assert_eq!(cmd3(&mut c, &["SDIFF", "s", "t"]), b"~1\r\n$1\r\n1\r\n");
    assert_eq!(cmd3(&mut c, &["SPOP", "nokey", "1"]), b"~0\r\n");
    assert_eq!(cmd3(&mut c, &["SPOP", "nokey"]), b"_\r\n");
    assert_eq!(cmd3(&mut c, &["SPOP", "s", "1"]).first(), Some(&b'~'));
    assert_eq!(
        cmd3(&mut c, &["SRANDMEMBER", "t", "1"]).first(),
        Some(&b'*')
    );
}

#[test]
fn deleting_a_huge_set_does_not_stall() {
    if skip_if_redis("deleting_a_huge_set_does_not_stall") {
        return;
    }
    let (_s, mut c) = conn();
    // 200k members in pipelined batches.
    let mut batch = Vec::new();
    for b in 0..200 {
        let members: Vec<String> = (0..1000).map(|i| format!("member:{b}:{i}")).collect();
        let mut args: Vec<&[u8]> = vec![b"SADD", b"big"];
        args.extend(members.iter().map(|s| s.as_bytes()));
        batch.extend(encode(&args));
    }
    send_raw(&mut c, &batch);
    for _ in 0..200 {
        assert_eq!(read_reply_bytes(&mut c), b":1000\r\n");
    }
    assert_eq!(cmd(&mut c, &["SCARD", "big"]), b":200000\r\n");
    let t = Instant::now();
    assert_eq!(cmd(&mut c, &["DEL", "big"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    let took = t.elapsed();
    // Freeing 200k nodes on the loop takes tens of ms (more in debug).
    assert!(took < Duration::from_millis(15), "DEL took {took:?}");
    assert_eq!(cmd(&mut c, &["EXISTS", "big"]), b":0\r\n");
}
