//! Sorted set commands, their errors, score parsing and formatting,
//! encodings, RESP3 replies and keyspace integration.
mod common;

use common::*;
use std::collections::HashSet;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const WRONGTYPE: &[u8] = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const NOT_FLOAT: &[u8] = b"-ERR value is not a valid float\r\n";
const NOT_POSITIVE: &[u8] = b"-ERR value is out of range, must be positive\r\n";
const MINMAX_FLOAT: &[u8] = b"-ERR min or max is not a float\r\n";
const MINMAX_LEX: &[u8] = b"-ERR min or max not valid string range item\r\n";
const NIL: &[u8] = b"$-1\r\n";
const EMPTY: &[u8] = b"*0\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn list(c: &mut TcpStream, args: &[&str]) -> Vec<String> {
    call(c, args).strings()
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

fn abcd(c: &mut TcpStream) {
    assert_eq!(
        cmd(c, &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"]),
        b":4\r\n"
    );
}

#[test]
fn zadd_basic_and_ch() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "1", "a", "2", "b", "1", "a"]),
        b":2\r\n"
    );
    assert_eq!(cmd(&mut c, &["TYPE", "z"]), b"+zset\r\n");
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "5", "a", "2", "b", "3", "c"]),
        b":1\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "CH", "6", "a", "2", "b", "4", "d"]),
        b":2\r\n"
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "0", "-1", "WITHSCORES"]),
        strs(&["b", "2", "c", "3", "d", "4", "a", "6"])
    );
}

#[test]
fn zadd_nx_xx_gt_lt() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "z", "5", "a"]);
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "NX", "1", "a", "1", "b"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "a"]), b"$1\r\n5\r\n");
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "XX", "CH", "7", "a", "1", "c"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "c"]), NIL);
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "GT", "CH", "6", "a", "9", "b"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "a"]), b"$1\r\n7\r\n");
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "LT", "CH", "8", "a", "3", "b"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "b"]), b"$1\r\n3\r\n");
    // GT and LT never prevent adding new members.
    assert_eq!(cmd(&mut c, &["ZADD", "z", "GT", "1", "new"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["ZADD", "z", "XX", "GT", "1", "a"]), b":0\r\n");
    // XX on a missing key creates nothing.
    assert_eq!(cmd(&mut c, &["ZADD", "nk", "XX", "1", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "nk"]), b":0\r\n");
}

#[test]
fn zadd_incr() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "INCR", "2.5", "a"]),
        b"$3\r\n2.5\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "INCR", "1", "a"]),
        b"$3\r\n3.5\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZADD", "z", "INCR", "NX", "1", "a"]), NIL);
    assert_eq!(cmd(&mut c, &["ZADD", "z", "INCR", "XX", "1", "nope"]), NIL);
    assert_eq!(cmd(&mut c, &["ZADD", "z", "INCR", "GT", "-1", "a"]), NIL);
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "INCR", "LT", "-1", "a"]),
        b"$3\r\n2.5\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZADD", "nk", "XX", "INCR", "1", "a"]), NIL);
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "INCR", "inf", "i"]),
        b"$3\r\ninf\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "INCR", "-inf", "i"]),
        b"-ERR resulting score is not a number (NaN)\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "i"]), b"$3\r\ninf\r\n");
}

#[test]
fn zadd_errors() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "NX", "XX", "1", "a"]),
        b"-ERR XX and NX options at the same time are not compatible\r\n"
    );
    let gt_lt = b"-ERR GT, LT, and/or NX options at the same time are not compatible\r\n";
    assert_eq!(cmd(&mut c, &["ZADD", "z", "GT", "LT", "1", "a"]), gt_lt);
    assert_eq!(cmd(&mut c, &["ZADD", "z", "NX", "GT", "1", "a"]), gt_lt);
    assert_eq!(cmd(&mut c, &["ZADD", "z", "NX", "LT", "1", "a"]), gt_lt);
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "INCR", "1", "a", "2", "b"]),
        b"-ERR INCR option supports a single increment-element pair\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZADD", "z", "1", "a", "2"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["ZADD", "z", "NX", "a"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["ZADD", "z", "1"]),
        b"-ERR wrong number of arguments for 'zadd' command\r\n"
    );
    for bad in ["x", "nan", "1x", " 1", ""] {
        assert_eq!(cmd(&mut c, &["ZADD", "z", bad, "a"]), NOT_FLOAT, "{bad:?}");
    }
    // One bad score and nothing is added.
    assert_eq!(cmd(&mut c, &["ZADD", "z", "1", "a", "x", "b"]), NOT_FLOAT);
    assert_eq!(cmd(&mut c, &["EXISTS", "z"]), b":0\r\n");
}

#[test]
fn scores_parse_and_print_as_redis() {
    let (_s, mut c) = conn();
    let cases = [
        ("1.1", "1.1000000000000001"),
        ("0.1", "0.10000000000000001"),
        ("-2", "-2"),
        ("1e17", "1e+17"),
        ("100000000000000000000", "1e+20"),
        ("0.00001", "1.0000000000000001e-05"),
        ("+inf", "inf"),
        ("-INF", "-inf"),
        ("Infinity", "inf"),
        ("1.5e3", "1500"),
        ("0x10", "16"),
        ("-0", "0"),
        ("3.0", "3"),
        ("123456789.123456789", "123456789.12345679"),
    ];
    for (i, (input, want)) in cases.iter().enumerate() {
        let m = format!("m{i}");
        assert_eq!(cmd(&mut c, &["ZADD", "z", input, &m]), b":1\r\n", "{input}");
        assert_eq!(call(&mut c, &["ZSCORE", "z", &m]).text(), *want, "{input}");
    }
}

#[test]
fn zincrby() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["ZINCRBY", "z", "1.5", "a"]), b"$3\r\n1.5\r\n");
    assert_eq!(cmd(&mut c, &["ZINCRBY", "z", "-0.5", "a"]), b"$1\r\n1\r\n");
    assert_eq!(cmd(&mut c, &["ZINCRBY", "z", "x", "a"]), NOT_FLOAT);
    cmd(&mut c, &["ZINCRBY", "z", "inf", "a"]);
    assert_eq!(
        cmd(&mut c, &["ZINCRBY", "z", "-inf", "a"]),
        b"-ERR resulting score is not a number (NaN)\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZINCRBY", "nk", "-inf", "a"]),
        b"$4\r\n-inf\r\n"
    );
}

#[test]
fn zrem_zscore_zmscore_zcard() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(cmd(&mut c, &["ZREM", "z", "a", "nope", "b"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["ZREM", "nk", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZCARD", "z"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["ZCARD", "nk"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "c"]), b"$1\r\n3\r\n");
    assert_eq!(cmd(&mut c, &["ZSCORE", "z", "a"]), NIL);
    assert_eq!(cmd(&mut c, &["ZSCORE", "nk", "a"]), NIL);
    assert_eq!(
        cmd(&mut c, &["ZMSCORE", "z", "c", "a", "d"]),
        b"*3\r\n$1\r\n3\r\n$-1\r\n$1\r\n4\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZMSCORE", "nk", "a"]), b"*1\r\n$-1\r\n");
    assert_eq!(cmd(&mut c, &["ZREM", "z", "c", "d"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "z"]), b":0\r\n");
}

#[test]
fn zcount_and_zlexcount() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "-inf", "+inf"]), b":4\r\n");
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "(1", "3"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "(1", "(3"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "3", "1"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "(2", "(2"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZCOUNT", "nk", "0", "1"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "x", "1"]), MINMAX_FLOAT);
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "1", "(x"]), MINMAX_FLOAT);
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", "nan", "1"]), MINMAX_FLOAT);
    // Bounds follow strtod: blanks before, overflow to infinity.
    assert_eq!(cmd(&mut c, &["ZCOUNT", "z", " 2", "1e400"]), b":3\r\n");
    cmd(
        &mut c,
        &["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"],
    );
    assert_eq!(cmd(&mut c, &["ZLEXCOUNT", "l", "-", "+"]), b":4\r\n");
    assert_eq!(cmd(&mut c, &["ZLEXCOUNT", "l", "[b", "(d"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["ZLEXCOUNT", "l", "(a", "[a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZLEXCOUNT", "l", "+", "-"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZLEXCOUNT", "l", "b", "+"]), MINMAX_LEX);
    assert_eq!(cmd(&mut c, &["ZLEXCOUNT", "l", "-", "c"]), MINMAX_LEX);
}

#[test]
fn zrank_and_zrevrank() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(cmd(&mut c, &["ZRANK", "z", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZRANK", "z", "d"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["ZREVRANK", "z", "a"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["ZRANK", "z", "nope"]), NIL);
    assert_eq!(cmd(&mut c, &["ZRANK", "nk", "a"]), NIL);
    // WITHSCORE arrived in Redis 7.2; 7.0.15 refuses it by arity.
    assert_eq!(
        cmd(&mut c, &["ZRANK", "z", "a", "WITHSCORE"]),
        b"-ERR wrong number of arguments for 'zrank' command\r\n"
    );
}

#[test]
fn zrange_by_rank() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "0", "-1"]),
        strs(&["a", "b", "c", "d"])
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "-2", "100"]),
        strs(&["c", "d"])
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "1", "2", "REV"]),
        strs(&["c", "b"])
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "0", "0", "WITHSCORES"]),
        strs(&["a", "1"])
    );
    assert_eq!(cmd(&mut c, &["ZRANGE", "z", "3", "1"]), EMPTY);
    assert_eq!(cmd(&mut c, &["ZRANGE", "z", "10", "20"]), EMPTY);
    assert_eq!(cmd(&mut c, &["ZRANGE", "nk", "0", "-1"]), EMPTY);
    assert_eq!(
        list(&mut c, &["ZREVRANGE", "z", "0", "1"]),
        strs(&["d", "c"])
    );
    assert_eq!(
        list(&mut c, &["ZREVRANGE", "z", "0", "0", "WITHSCORES"]),
        strs(&["d", "4"])
    );
    assert_eq!(cmd(&mut c, &["ZRANGE", "z", "a", "1"]), NOT_INT);
}

#[test]
fn zrange_by_score() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "(1", "3", "BYSCORE"]),
        strs(&["b", "c"])
    );
    assert_eq!(
        list(
            &mut c,
            &["ZRANGE", "z", "3", "(1", "BYSCORE", "REV", "WITHSCORES"]
        ),
        strs(&["c", "3", "b", "2"])
    );
    assert_eq!(
        list(
            &mut c,
            &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"]
        ),
        strs(&["b", "c"])
    );
    assert_eq!(
        list(
            &mut c,
            &[
                "ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"
            ]
        ),
        strs(&["c", "b"])
    );
    assert_eq!(
        list(
            &mut c,
            &[
                "ZRANGEBYSCORE",
                "z",
                "-inf",
                "+inf",
                "WITHSCORES",
                "LIMIT",
                "2",
                "-1"
            ]
        ),
        strs(&["c", "3", "d", "4"])
    );
    assert_eq!(
        cmd(
            &mut c,
            &["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2"]
        ),
        EMPTY
    );
    assert_eq!(
        cmd(
            &mut c,
            &["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", "0"]
        ),
        EMPTY
    );
    assert_eq!(
        list(&mut c, &["ZREVRANGEBYSCORE", "z", "(4", "2"]),
        strs(&["c", "b"])
    );
    assert_eq!(cmd(&mut c, &["ZRANGEBYSCORE", "z", "5", "1"]), EMPTY);
    assert_eq!(cmd(&mut c, &["ZRANGEBYSCORE", "z", "x", "1"]), MINMAX_FLOAT);
    assert_eq!(
        cmd(&mut c, &["ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"]),
        NOT_INT
    );
    assert_eq!(
        cmd(&mut c, &["ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "0"]),
        SYNTAX
    );
    // A fixed-kind command takes no BY* or REV option.
    assert_eq!(
        cmd(&mut c, &["ZRANGEBYSCORE", "z", "0", "1", "REV"]),
        SYNTAX
    );
    assert_eq!(
        cmd(&mut c, &["ZRANGEBYSCORE", "z", "0", "1", "BYLEX"]),
        SYNTAX
    );
}

#[test]
fn zrange_by_lex() {
    let (_s, mut c) = conn();
    cmd(
        &mut c,
        &[
            "ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e",
        ],
    );
    assert_eq!(list(&mut c, &["ZRANGEBYLEX", "l", "-", "+"]).len(), 5);
    assert_eq!(
        list(&mut c, &["ZRANGEBYLEX", "l", "[b", "(d"]),
        strs(&["b", "c"])
    );
    assert_eq!(
        list(&mut c, &["ZRANGEBYLEX", "l", "(b", "[d", "LIMIT", "1", "5"]),
        strs(&["d"])
    );
    assert_eq!(
        list(
            &mut c,
            &["ZREVRANGEBYLEX", "l", "[d", "(a", "LIMIT", "0", "2"]
        ),
        strs(&["d", "c"])
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "l", "[c", "+", "BYLEX"]),
        strs(&["c", "d", "e"])
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "l", "+", "[c", "BYLEX", "REV"]),
        strs(&["e", "d", "c"])
    );
    assert_eq!(cmd(&mut c, &["ZRANGEBYLEX", "l", "b", "d"]), MINMAX_LEX);
    assert_eq!(
        cmd(&mut c, &["ZRANGEBYLEX", "l", "-", "+", "WITHSCORES"]),
        b"-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"
    );
}

#[test]
fn zrange_option_errors() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(
        cmd(&mut c, &["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"]),
        b"-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES"]),
        b"-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"]),
        SYNTAX
    );
    assert_eq!(
        cmd(&mut c, &["ZRANGE", "z", "0", "1", "REV", "REV"]),
        SYNTAX
    );
    assert_eq!(cmd(&mut c, &["ZRANGE", "z", "0", "1", "FOO"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"]),
        b"-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"
    );
}

#[test]
fn zrangestore() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(cmd(&mut c, &["ZRANGESTORE", "d", "z", "1", "2"]), b":2\r\n");
    assert_eq!(
        list(&mut c, &["ZRANGE", "d", "0", "-1", "WITHSCORES"]),
        strs(&["b", "2", "c", "3"])
    );
    assert_eq!(
        cmd(
            &mut c,
            &[
                "ZRANGESTORE",
                "d",
                "z",
                "(1",
                "+inf",
                "BYSCORE",
                "LIMIT",
                "0",
                "1"
            ]
        ),
        b":1\r\n"
    );
    assert_eq!(list(&mut c, &["ZRANGE", "d", "0", "-1"]), strs(&["b"]));
    assert_eq!(
        cmd(&mut c, &["ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES"]),
        SYNTAX
    );
    // An empty result deletes the destination, whatever it held.
    cmd(&mut c, &["SET", "d", "x"]);
    assert_eq!(
        cmd(&mut c, &["ZRANGESTORE", "d", "z", "10", "20"]),
        b":0\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "d"]), b":0\r\n");
    cmd(&mut c, &["SET", "d", "x"]);
    assert_eq!(
        cmd(&mut c, &["ZRANGESTORE", "d", "nk", "0", "-1"]),
        b":0\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "d"]), b":0\r\n");
    cmd(&mut c, &["SET", "str", "x"]);
    assert_eq!(
        cmd(&mut c, &["ZRANGESTORE", "d", "str", "0", "-1"]),
        WRONGTYPE
    );
}

#[test]
fn zremrange_family() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(cmd(&mut c, &["ZREMRANGEBYRANK", "z", "0", "0"]), b":1\r\n");
    assert_eq!(
        cmd(&mut c, &["ZREMRANGEBYRANK", "z", "-1", "-1"]),
        b":1\r\n"
    );
    assert_eq!(list(&mut c, &["ZRANGE", "z", "0", "-1"]), strs(&["b", "c"]));
    assert_eq!(cmd(&mut c, &["ZREMRANGEBYRANK", "z", "5", "9"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZREMRANGEBYRANK", "z", "x", "1"]), NOT_INT);
    assert_eq!(
        cmd(&mut c, &["ZREMRANGEBYSCORE", "z", "(2", "+inf"]),
        b":1\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZREMRANGEBYSCORE", "z", "x", "1"]),
        MINMAX_FLOAT
    );
    assert_eq!(
        cmd(&mut c, &["ZREMRANGEBYSCORE", "z", "-inf", "+inf"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "z"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["ZREMRANGEBYSCORE", "nk", "-inf", "+inf"]),
        b":0\r\n"
    );
    cmd(&mut c, &["ZADD", "l", "0", "a", "0", "b", "0", "c"]);
    assert_eq!(cmd(&mut c, &["ZREMRANGEBYLEX", "l", "[b", "+"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["ZREMRANGEBYLEX", "l", "b", "+"]), MINMAX_LEX);
    assert_eq!(cmd(&mut c, &["ZREMRANGEBYLEX", "l", "-", "+"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "l"]), b":0\r\n");
}

#[test]
fn zpopmin_zpopmax() {
    let (_s, mut c) = conn();
    abcd(&mut c);
    assert_eq!(
        cmd(&mut c, &["ZPOPMIN", "z"]),
        b"*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZPOPMAX", "z"]),
        b"*2\r\n$1\r\nd\r\n$1\r\n4\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZPOPMIN", "z", "0"]), EMPTY);
    assert_eq!(
        cmd(&mut c, &["ZPOPMAX", "z", "5"]),
        b"*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "z"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZPOPMIN", "nk"]), EMPTY);
    assert_eq!(cmd(&mut c, &["ZPOPMIN", "nk", "2"]), EMPTY);
    assert_eq!(cmd(&mut c, &["ZPOPMIN", "z", "-1"]), NOT_POSITIVE);
    assert_eq!(cmd(&mut c, &["ZPOPMIN", "z", "x"]), NOT_POSITIVE);
    assert_eq!(cmd(&mut c, &["ZPOPMIN", "z", "1", "2"]), SYNTAX);
}

#[test]
fn zmpop() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "p", "1", "a", "2", "b", "3", "c"]);
    assert_eq!(
        cmd(&mut c, &["ZMPOP", "2", "nk", "p", "MIN"]),
        b"*2\r\n$1\r\np\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZMPOP", "1", "p", "MAX", "COUNT", "5"]),
        b"*2\r\n$1\r\np\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "p"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["ZMPOP", "1", "p", "MIN"]), b"*-1\r\n");
    let numkeys = b"-ERR numkeys should be greater than 0\r\n";
    assert_eq!(cmd(&mut c, &["ZMPOP", "0", "p", "MIN"]), numkeys);
    assert_eq!(cmd(&mut c, &["ZMPOP", "x", "p", "MIN"]), numkeys);
    assert_eq!(cmd(&mut c, &["ZMPOP", "1", "p", "FOO"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["ZMPOP", "2", "p", "MIN"]), SYNTAX);
    let count = b"-ERR count should be greater than 0\r\n";
    assert_eq!(
        cmd(&mut c, &["ZMPOP", "1", "p", "MIN", "COUNT", "0"]),
        count
    );
    assert_eq!(
        cmd(&mut c, &["ZMPOP", "1", "p", "MIN", "COUNT", "-1"]),
        count
    );
    assert_eq!(
        cmd(
            &mut c,
            &["ZMPOP", "1", "p", "MIN", "COUNT", "1", "COUNT", "2"]
        ),
        SYNTAX
    );
    cmd(&mut c, &["SET", "str", "x"]);
    assert_eq!(cmd(&mut c, &["ZMPOP", "2", "nk", "str", "MIN"]), WRONGTYPE);
}

#[test]
fn zrandmember() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["ZRANDMEMBER", "nk"]), NIL);
    assert_eq!(cmd(&mut c, &["ZRANDMEMBER", "nk", "3"]), EMPTY);
    abcd(&mut c);
    let all: HashSet<String> = strs(&["a", "b", "c", "d"]).into_iter().collect();
    assert!(all.contains(&call(&mut c, &["ZRANDMEMBER", "z"]).text()));
    assert_eq!(cmd(&mut c, &["ZRANDMEMBER", "z", "0"]), EMPTY);
    let two = list(&mut c, &["ZRANDMEMBER", "z", "2"]);
    assert_eq!(two.iter().collect::<HashSet<_>>().len(), 2);
    // The whole set when asked for more: highest first, as Redis.
    assert_eq!(
        list(&mut c, &["ZRANDMEMBER", "z", "10", "WITHSCORES"]),
        strs(&["d", "4", "c", "3", "b", "2", "a", "1"])
    );
    let many = list(&mut c, &["ZRANDMEMBER", "z", "-20", "WITHSCORES"]);
    assert_eq!(many.len(), 40);
    for pair in many.chunks(2) {
        let want = match pair[0].as_str() {
            "a" => "1",
            "b" => "2",
            "c" => "3",
            "d" => "4",
            other => panic!("unknown member {other}"),
        };
        assert_eq!(pair[1], want);
    }
    assert_eq!(cmd(&mut c, &["ZRANDMEMBER", "z", "x"]), NOT_INT);
    assert_eq!(
        cmd(&mut c, &["ZRANDMEMBER", "z", "-9223372036854775808"]),
        b"-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
    );
    assert_eq!(
        cmd(
            &mut c,
            &["ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES"]
        ),
        b"-ERR value is out of range\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZRANDMEMBER", "z", "1", "FOO"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["ZRANDMEMBER", "z", "1", "WITHSCORES", "x"]),
        SYNTAX
    );
}

#[test]
fn zunion_zinter_zdiff() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "a", "1", "x", "2", "y", "3", "z"]);
    cmd(&mut c, &["ZADD", "b", "10", "y", "20", "z", "30", "w"]);
    cmd(&mut c, &["SADD", "s", "x", "w", "q"]);
    assert_eq!(
        list(&mut c, &["ZUNION", "2", "a", "b", "WITHSCORES"]),
        strs(&["x", "1", "y", "12", "z", "23", "w", "30"])
    );
    assert_eq!(
        list(
            &mut c,
            &["ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"]
        ),
        strs(&["x", "2", "y", "9", "w", "15", "z", "16"])
    );
    assert_eq!(
        list(&mut c, &["ZUNION", "2", "a", "b", "AGGREGATE", "MAX"]),
        strs(&["x", "y", "z", "w"])
    );
    assert_eq!(
        list(
            &mut c,
            &["ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"]
        ),
        strs(&["x", "1", "y", "2", "z", "3", "w", "30"])
    );
    // A plain set counts with score 1.
    assert_eq!(
        list(&mut c, &["ZINTER", "2", "a", "s", "WITHSCORES"]),
        strs(&["x", "2"])
    );
    assert_eq!(
        list(&mut c, &["ZINTER", "2", "a", "b", "WITHSCORES"]),
        strs(&["y", "12", "z", "23"])
    );
    assert_eq!(cmd(&mut c, &["ZINTER", "2", "a", "nk"]), EMPTY);
    assert_eq!(
        list(&mut c, &["ZDIFF", "2", "a", "b", "WITHSCORES"]),
        strs(&["x", "1"])
    );
    assert_eq!(list(&mut c, &["ZDIFF", "2", "a", "s"]), strs(&["y", "z"]));
    assert_eq!(cmd(&mut c, &["ZDIFF", "2", "nk", "a"]), EMPTY);
    assert_eq!(cmd(&mut c, &["ZUNION", "1", "nk"]), EMPTY);
    // inf + -inf sums to 0, and 0 * inf weighs 0, as Redis.
    cmd(&mut c, &["ZADD", "pinf", "inf", "m"]);
    cmd(&mut c, &["ZADD", "ninf", "-inf", "m"]);
    assert_eq!(
        list(&mut c, &["ZUNION", "2", "pinf", "ninf", "WITHSCORES"]),
        strs(&["m", "0"])
    );
    assert_eq!(
        list(
            &mut c,
            &["ZUNION", "1", "pinf", "WEIGHTS", "0", "WITHSCORES"]
        ),
        strs(&["m", "0"])
    );
}

#[test]
fn zsetop_stores() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "a", "1", "x", "2", "y"]);
    cmd(&mut c, &["ZADD", "b", "10", "y", "20", "z"]);
    cmd(&mut c, &["SET", "d", "string"]);
    assert_eq!(cmd(&mut c, &["ZUNIONSTORE", "d", "2", "a", "b"]), b":3\r\n");
    assert_eq!(
        list(&mut c, &["ZRANGE", "d", "0", "-1", "WITHSCORES"]),
        strs(&["x", "1", "y", "12", "z", "20"])
    );
    assert_encoding(&mut c, "d", "listpack");
    assert_eq!(
        cmd(
            &mut c,
            &["ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "-1"]
        ),
        b":1\r\n"
    );
    assert_eq!(
        list(&mut c, &["ZRANGE", "d", "0", "-1", "WITHSCORES"]),
        strs(&["y", "-8"])
    );
    assert_eq!(cmd(&mut c, &["ZDIFFSTORE", "d", "2", "a", "b"]), b":1\r\n");
    assert_eq!(list(&mut c, &["ZRANGE", "d", "0", "-1"]), strs(&["x"]));
    assert_eq!(cmd(&mut c, &["ZDIFFSTORE", "d", "2", "a", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "d"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["ZUNIONSTORE", "d", "1", "a", "WITHSCORES"]),
        SYNTAX
    );
}

#[test]
fn zsetop_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "a", "1", "x"]);
    cmd(&mut c, &["SET", "str", "x"]);
    assert_eq!(
        cmd(&mut c, &["ZUNIONSTORE", "d", "0", "a"]),
        b"-ERR at least 1 input key is needed for 'zunionstore' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["ZINTER", "0", "a"]),
        b"-ERR at least 1 input key is needed for 'zinter' command\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZUNION", "x", "a"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["ZUNIONSTORE", "d", "3", "a"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["ZUNION", "1", "a", "WEIGHTS", "x"]),
        b"-ERR weight value is not a float\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZUNION", "1", "a", "WEIGHTS"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["ZUNION", "1", "a", "AGGREGATE", "AVG"]),
        SYNTAX
    );
    assert_eq!(cmd(&mut c, &["ZDIFF", "1", "a", "WEIGHTS", "1"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["ZDIFF", "1", "a", "AGGREGATE", "MIN"]),
        SYNTAX
    );
    // The key types are checked before the options.
    assert_eq!(cmd(&mut c, &["ZUNION", "2", "a", "str", "FOO"]), WRONGTYPE);
}

#[test]
fn zintercard() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "a", "1", "x", "2", "y", "3", "z"]);
    cmd(&mut c, &["SADD", "s", "x", "y", "q"]);
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "2", "a", "s"]), b":2\r\n");
    assert_eq!(
        cmd(&mut c, &["ZINTERCARD", "2", "a", "s", "LIMIT", "1"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "2", "a", "nk"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["ZINTERCARD", "0", "a"]),
        b"-ERR at least 1 input key is needed for 'zintercard' command\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "x", "a"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "3", "a"]), SYNTAX);
    let neg = b"-ERR LIMIT can't be negative\r\n";
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "1", "a", "LIMIT", "-1"]), neg);
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "1", "a", "LIMIT", "x"]), neg);
    assert_eq!(cmd(&mut c, &["ZINTERCARD", "1", "a", "WITHSCORES"]), SYNTAX);
}

#[test]
fn zscan() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["ZSCAN", "nk", "0"]),
        b"*2\r\n$1\r\n0\r\n*0\r\n"
    );
    cmd(&mut c, &["ZADD", "z", "1.5", "a", "1e17", "b"]);
    let r = call(&mut c, &["ZSCAN", "z", "0"]).array();
    assert_eq!(r[0].text(), "0");
    // ZSCAN writes integral scores as integers, unlike ZSCORE.
    assert_eq!(
        r[1].strings(),
        strs(&["a", "1.5", "b", "100000000000000000"])
    );
    let r = call(&mut c, &["ZSCAN", "z", "0", "MATCH", "b"]).array();
    assert_eq!(r[1].strings(), strs(&["b", "100000000000000000"]));
    // A skiplist set is walked by cursor.
    let mut args = vec!["ZADD".to_string(), "big".to_string()];
    for i in 0..300 {
        args.push(i.to_string());
        args.push(format!("m{i}"));
    }
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    call(&mut c, &a);
    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    for _ in 0..1000 {
        let r = call(&mut c, &["ZSCAN", "big", &cursor, "COUNT", "25"]).array();
        cursor = r[0].text();
        let items = r[1].strings();
        for pair in items.chunks(2) {
            assert_eq!(format!("m{}", pair[1]), pair[0]);
            seen.insert(pair[0].clone());
        }
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen.len(), 300);
    assert_eq!(
        cmd(&mut c, &["ZSCAN", "z", "x"]),
        b"-ERR invalid cursor\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZSCAN", "z", "0", "COUNT", "0"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["ZSCAN", "z", "0", "FOO", "1"]), SYNTAX);
}

#[test]
fn wrongtype_on_every_zset_command() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "str", "x"]);
    cmd(&mut c, &["SADD", "set", "x"]);
    let cases: &[&[&str]] = &[
        &["ZADD", "str", "1", "a"],
        &["ZINCRBY", "str", "1", "a"],
        &["ZREM", "str", "a"],
        &["ZSCORE", "str", "a"],
        &["ZMSCORE", "str", "a"],
        &["ZCARD", "str"],
        &["ZCOUNT", "str", "0", "1"],
        &["ZLEXCOUNT", "str", "-", "+"],
        &["ZRANK", "str", "a"],
        &["ZREVRANK", "str", "a"],
        &["ZRANGE", "str", "0", "1"],
        &["ZRANGEBYSCORE", "str", "0", "1"],
        &["ZREVRANGEBYSCORE", "str", "1", "0"],
        &["ZRANGEBYLEX", "str", "-", "+"],
        &["ZREVRANGEBYLEX", "str", "+", "-"],
        &["ZREVRANGE", "str", "0", "1"],
        &["ZRANGESTORE", "d", "str", "0", "1"],
        &["ZREMRANGEBYRANK", "str", "0", "1"],
        &["ZREMRANGEBYSCORE", "str", "0", "1"],
        &["ZREMRANGEBYLEX", "str", "-", "+"],
        &["ZPOPMIN", "str"],
        &["ZPOPMAX", "str", "2"],
        &["ZMPOP", "1", "str", "MIN"],
        &["ZRANDMEMBER", "str"],
        &["ZRANDMEMBER", "str", "2"],
        &["ZUNION", "1", "str"],
        &["ZINTER", "1", "str"],
        &["ZDIFF", "1", "str"],
        &["ZUNIONSTORE", "d", "1", "str"],
        &["ZINTERCARD", "1", "str"],
        &["ZSCAN", "str", "0"],
        // A plain set is not a sorted set, except as a ZUNION-family input.
        &["ZADD", "set", "1", "a"],
        &["ZRANGE", "set", "0", "1"],
        &["ZSCORE", "set", "x"],
        &["SADD", "z", "x"],
    ];
    cmd(&mut c, &["ZADD", "z", "1", "a"]);
    for args in cases {
        assert_eq!(cmd(&mut c, args), WRONGTYPE, "{args:?}");
    }
    assert_eq!(cmd(&mut c, &["GET", "z"]), WRONGTYPE);
}

#[test]
fn encodings_and_their_directives() {
    let (_s, mut c) = conn();
    let got = list(&mut c, &["CONFIG", "GET", "zset-max-*"]);
    for pair in [
        ("zset-max-listpack-entries", "128"),
        ("zset-max-listpack-value", "64"),
        ("zset-max-ziplist-entries", "128"),
        ("zset-max-ziplist-value", "64"),
    ] {
        let at = got.iter().position(|n| n == pair.0).expect(pair.0);
        assert_eq!(got[at + 1], pair.1);
    }
    cmd(&mut c, &["ZADD", "small", "1", "a"]);
    assert_encoding(&mut c, "small", "listpack");
    let long = "x".repeat(65);
    cmd(&mut c, &["ZADD", "long", "1", "a", "2", &long]);
    assert_encoding(&mut c, "long", "skiplist");
    // The alias sets the same value.
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "zset-max-ziplist-entries", "3"]),
        b"+OK\r\n"
    );
    assert_eq!(
        list(&mut c, &["CONFIG", "GET", "zset-max-listpack-entries"]),
        strs(&["zset-max-listpack-entries", "3"])
    );
    cmd(&mut c, &["ZADD", "z", "1", "a", "2", "b", "3", "c"]);
    assert_encoding(&mut c, "z", "listpack");
    cmd(&mut c, &["ZADD", "z", "4", "d"]);
    assert_encoding(&mut c, "z", "skiplist");
    assert_eq!(
        list(&mut c, &["ZRANGE", "z", "0", "-1"]),
        strs(&["a", "b", "c", "d"])
    );
    // A small STORE result goes back to listpack.
    assert_eq!(cmd(&mut c, &["ZRANGESTORE", "d", "z", "0", "1"]), b":2\r\n");
    assert_encoding(&mut c, "d", "listpack");
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "zset-max-listpack-value", "x"]),
        b"-ERR CONFIG SET failed (possibly related to argument 'zset-max-listpack-value') - argument must be a memory value\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "zset-max-listpack-value", "1kb"]),
        b"+OK\r\n"
    );
    assert_eq!(
        list(&mut c, &["CONFIG", "GET", "zset-max-ziplist-value"]),
        strs(&["zset-max-ziplist-value", "1024"])
    );
}

#[test]
fn both_encodings_answer_alike() {
    let (_s, mut c) = conn();
    // The same members in a listpack (p) and a skiplist (k).
    let mut p = vec!["ZADD".to_string(), "p".to_string()];
    for i in 0..100 {
        p.push(((i * 37) % 100 / 3).to_string());
        p.push(format!("m{:02}", (i * 37) % 100));
    }
    let mut k = p.clone();
    k[1] = "k".into();
    k.extend(["1000".to_string(), "x".repeat(100)]);
    let pa: Vec<&str> = p.iter().map(|s| s.as_str()).collect();
    let ka: Vec<&str> = k.iter().map(|s| s.as_str()).collect();
    call(&mut c, &pa);
    call(&mut c, &ka);
    cmd(&mut c, &["ZREM", "k", &"x".repeat(100)]);
    assert_encoding(&mut c, "p", "listpack");
    assert_encoding(&mut c, "k", "skiplist");
    let queries: &[&[&str]] = &[
        &["ZRANGE", "?", "0", "-1", "WITHSCORES"],
        &["ZRANGE", "?", "10", "20", "REV"],
        &["ZRANGE", "?", "(5", "10", "BYSCORE", "LIMIT", "2", "5"],
        &["ZRANGE", "?", "10", "(5", "BYSCORE", "REV", "WITHSCORES"],
        &["ZCOUNT", "?", "(3", "20"],
        &["ZRANK", "?", "m50"],
        &["ZREVRANK", "?", "m50"],
        &["ZSCORE", "?", "m77"],
        &["ZRANGEBYLEX", "?", "[m10", "(m20"],
        &["ZLEXCOUNT", "?", "-", "+"],
    ];
    for q in queries {
        let mut a: Vec<&str> = q.to_vec();
        a[1] = "p";
        let rp = cmd(&mut c, &a);
        a[1] = "k";
        let rk = cmd(&mut c, &a);
        assert_eq!(rp, rk, "{q:?}");
    }
    for key in ["p", "k"] {
        assert_eq!(
            cmd(&mut c, &["ZREMRANGEBYRANK", key, "10", "19"]),
            b":10\r\n"
        );
        assert_eq!(
            cmd(&mut c, &["ZREMRANGEBYSCORE", key, "(20", "25"]),
            b":15\r\n"
        );
        assert_eq!(cmd(&mut c, &["ZCARD", key]), b":75\r\n");
    }
    assert_eq!(
        cmd(&mut c, &["ZRANGE", "p", "0", "-1", "WITHSCORES"]),
        cmd(&mut c, &["ZRANGE", "k", "0", "-1", "WITHSCORES"])
    );
}

#[test]
fn keyspace_commands_work_on_zsets() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["ZADD", "z", "1", "a", "2", "b"]);
    assert_eq!(
        call(&mut c, &["SCAN", "0", "TYPE", "zset", "COUNT", "100"]).array()[1].strings(),
        strs(&["z"])
    );
    assert_eq!(cmd(&mut c, &["COPY", "z", "c"]), b":1\r\n");
    cmd(&mut c, &["ZADD", "c", "3", "c"]);
    assert_eq!(cmd(&mut c, &["ZCARD", "z"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["ZCARD", "c"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["RENAME", "c", "r"]), b"+OK\r\n");
    assert_eq!(cmd(&mut c, &["MOVE", "r", "2"]), b":1\r\n");
    cmd(&mut c, &["SELECT", "2"]);
    assert_eq!(cmd(&mut c, &["ZSCORE", "r", "c"]), b"$1\r\n3\r\n");
    cmd(&mut c, &["SELECT", "0"]);
    assert_eq!(cmd(&mut c, &["PEXPIRE", "z", "30"]), b":1\r\n");
    assert!(poll_until(Duration::from_secs(2), || {
        cmd(&mut c, &["ZCARD", "z"]) == b":0\r\n"
    }));
    assert_eq!(cmd(&mut c, &["EXISTS", "z"]), b":0\r\n");
}

#[test]
fn resp3_uses_doubles_and_pairs() {
    let (_s, mut c) = conn();
    if !hello3(&mut c) {
        println!("HELLO 3 not available: RESP3 not checked");
        return;
    }
    cmd3(&mut c, &["ZADD", "z", "1.5", "a", "2", "b"]);
    assert_eq!(cmd3(&mut c, &["ZSCORE", "z", "a"]), b",1.5\r\n");
    assert_eq!(cmd3(&mut c, &["ZSCORE", "z", "x"]), b"_\r\n");
    assert_eq!(
        cmd3(&mut c, &["ZMSCORE", "z", "b", "x"]),
        b"*2\r\n,2\r\n_\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZRANGE", "z", "0", "-1", "WITHSCORES"]),
        b"*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZRANGE", "z", "0", "-1"]),
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    );
    assert_eq!(cmd3(&mut c, &["ZINCRBY", "z", "1", "a"]), b",2.5\r\n");
    assert_eq!(
        cmd3(&mut c, &["ZADD", "z", "INCR", "inf", "i"]),
        b",inf\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZPOPMAX", "z"]),
        b"*2\r\n$1\r\ni\r\n,inf\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZPOPMIN", "z", "1"]),
        b"*1\r\n*2\r\n$1\r\nb\r\n,2\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZRANDMEMBER", "z", "1", "WITHSCORES"]),
        b"*1\r\n*2\r\n$1\r\na\r\n,2.5\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZMPOP", "1", "z", "MIN"]),
        b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,2.5\r\n"
    );
    assert_eq!(cmd3(&mut c, &["ZMPOP", "1", "z", "MIN"]), b"_\r\n");
    cmd3(&mut c, &["ZADD", "z", "1", "a"]);
    assert_eq!(
        cmd3(&mut c, &["ZUNION", "1", "z", "WITHSCORES"]),
        b"*1\r\n*2\r\n$1\r\na\r\n,1\r\n"
    );
    assert_eq!(
        cmd3(&mut c, &["ZSCAN", "z", "0"]),
        b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
}

#[test]
fn ranks_of_a_big_sorted_set() {
    let (_s, mut c) = conn();
    let mut batch = Vec::new();
    for b in 0..50 {
        let mut args: Vec<Vec<u8>> = vec![b"ZADD".to_vec(), b"big".to_vec()];
        for i in 0..1000 {
            let n = b * 1000 + i;
            args.push(n.to_string().into_bytes());
            args.push(format!("m{n:06}").into_bytes());
        }
        let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
        batch.extend(encode(&refs));
    }
    send_raw(&mut c, &batch);
    for _ in 0..50 {
        assert_eq!(read_reply_bytes(&mut c), b":1000\r\n");
    }
    assert_eq!(cmd(&mut c, &["ZRANK", "big", "m031337"]), b":31337\r\n");
    assert_eq!(cmd(&mut c, &["ZREVRANK", "big", "m031337"]), b":18662\r\n");
    assert_eq!(
        list(&mut c, &["ZRANGE", "big", "25000", "25002"]),
        strs(&["m025000", "m025001", "m025002"])
    );
    assert_eq!(cmd(&mut c, &["ZCOUNT", "big", "(100", "200"]), b":100\r\n");
    assert_eq!(
        cmd(&mut c, &["ZREMRANGEBYRANK", "big", "0", "9999"]),
        b":10000\r\n"
    );
    assert_eq!(cmd(&mut c, &["ZRANK", "big", "m031337"]), b":21337\r\n");
    assert_eq!(
        cmd(&mut c, &["ZPOPMIN", "big"]),
        b"*2\r\n$7\r\nm010000\r\n$5\r\n10000\r\n"
    );
}

#[test]
fn deleting_a_huge_sorted_set_does_not_stall() {
    if skip_if_redis("deleting_a_huge_sorted_set_does_not_stall") {
        return;
    }
    let (_s, mut c) = conn();
    let mut batch = Vec::new();
    for b in 0..150 {
        let mut args: Vec<Vec<u8>> = vec![b"ZADD".to_vec(), b"big".to_vec()];
        for i in 0..1000 {
            args.push(i.to_string().into_bytes());
            args.push(format!("member:{b}:{i}").into_bytes());
        }
        let refs: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
        batch.extend(encode(&refs));
    }
    send_raw(&mut c, &batch);
    for _ in 0..150 {
        assert_eq!(read_reply_bytes(&mut c), b":1000\r\n");
    }
    let t = Instant::now();
    assert_eq!(cmd(&mut c, &["UNLINK", "big"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    let took = t.elapsed();
    assert!(took < Duration::from_millis(15), "UNLINK took {took:?}");
}
