//! List commands: exact replies and errors, checked against redis-server
//! 7.0.15 (`FERRITE_TEST_AGAINST=redis`).
mod common;

use common::*;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";
const NIL: &[u8] = b"$-1\r\n";
const NIL_ARRAY: &[u8] = b"*-1\r\n";
const EMPTY: &[u8] = b"*0\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const WRONGTYPE: &[u8] = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const NOT_POSITIVE: &[u8] = b"-ERR value is out of range, must be positive\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

/// The list's elements as RESP bulk strings in an array.
fn arr(items: &[&str]) -> Vec<u8> {
    let mut v = format!("*{}\r\n", items.len()).into_bytes();
    for i in items {
        v.extend_from_slice(format!("${}\r\n{i}\r\n", i.len()).as_bytes());
    }
    v
}

fn range(c: &mut TcpStream, key: &str) -> Vec<u8> {
    cmd(c, &["LRANGE", key, "0", "-1"])
}

#[test]
fn push_and_len() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("RPUSH l a b", b":2\r\n"),
            ("LPUSH l x y", b":4\r\n"),
            ("LLEN l", b":4\r\n"),
            ("LLEN nokey", b":0\r\n"),
            ("TYPE l", b"+list\r\n"),
        ],
    );
    assert_eq!(range(&mut c, "l"), arr(&["y", "x", "a", "b"]));
}

#[test]
fn pushx_only_on_existing_lists() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("LPUSHX l a", b":0\r\n"),
            ("RPUSHX l a", b":0\r\n"),
            ("EXISTS l", b":0\r\n"),
            ("RPUSH l m", b":1\r\n"),
            ("LPUSHX l a b", b":3\r\n"),
            ("RPUSHX l z", b":4\r\n"),
            ("SET s v", OK),
            ("LPUSHX s a", WRONGTYPE),
        ],
    );
    assert_eq!(range(&mut c, "l"), arr(&["b", "a", "m", "z"]));
}

#[test]
fn pop_with_and_without_count() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("RPUSH l a b c d", b":4\r\n"),
            ("LPOP l", b"$1\r\na\r\n"),
            ("RPOP l", b"$1\r\nd\r\n"),
            ("LPOP l 0", EMPTY),
            ("LPOP nokey", NIL),
            ("LPOP nokey 2", NIL_ARRAY),
            ("LPOP nokey 0", NIL_ARRAY),
            ("LPOP l -1", NOT_POSITIVE),
            ("LPOP l x", NOT_POSITIVE),
            (
                "LPOP l 1 2",
                b"-ERR wrong number of arguments for 'lpop' command\r\n",
            ),
            ("RPOP l 10", b"*2\r\n$1\r\nc\r\n$1\r\nb\r\n"),
            ("EXISTS l", b":0\r\n"),
            ("RPUSH l a", b":1\r\n"),
            ("RPOP l", b"$1\r\na\r\n"),
            ("EXISTS l", b":0\r\n"),
        ],
    );
}

#[test]
fn lrange_and_lindex() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a", "b", "c"]);
    assert_eq!(
        cmd(&mut c, &["LRANGE", "l", "-100", "100"]),
        arr(&["a", "b", "c"])
    );
    assert_eq!(cmd(&mut c, &["LRANGE", "l", "1", "1"]), arr(&["b"]));
    assert_eq!(cmd(&mut c, &["LRANGE", "l", "-2", "-1"]), arr(&["b", "c"]));
    script(
        &mut c,
        &[
            ("LRANGE l 2 1", EMPTY),
            ("LRANGE l 5 10", EMPTY),
            ("LRANGE nokey 0 -1", EMPTY),
            ("LRANGE nokey x 1", NOT_INT),
            ("LINDEX l 0", b"$1\r\na\r\n"),
            ("LINDEX l -1", b"$1\r\nc\r\n"),
            ("LINDEX l 3", NIL),
            ("LINDEX l -4", NIL),
            ("LINDEX l x", NOT_INT),
            ("LINDEX nokey x", NIL),
        ],
    );
}

#[test]
fn lset_errors_and_success() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("LSET nokey 0 v", b"-ERR no such key\r\n"),
            ("LSET nokey x v", b"-ERR no such key\r\n"),
            ("RPUSH l a b", b":2\r\n"),
            ("LSET l 2 v", b"-ERR index out of range\r\n"),
            ("LSET l x v", NOT_INT),
            ("LSET l -1 z", OK),
            ("LINDEX l 1", b"$1\r\nz\r\n"),
        ],
    );
}

#[test]
fn linsert_before_after_and_missing_pivot() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("LINSERT nokey foo a b", SYNTAX),
            ("LINSERT nokey before a b", b":0\r\n"),
            ("RPUSH l a c", b":2\r\n"),
            ("LINSERT l AFTER a b", b":3\r\n"),
            ("LINSERT l before a start", b":4\r\n"),
            ("LINSERT l after zz b", b":-1\r\n"),
        ],
    );
    assert_eq!(range(&mut c, "l"), arr(&["start", "a", "b", "c"]));
}

#[test]
fn lrem_from_head_tail_and_all() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "1", "2", "3", "1", "2", "3", "1"]);
    assert_eq!(cmd(&mut c, &["LREM", "l", "2", "1"]), b":2\r\n");
    assert_eq!(range(&mut c, "l"), arr(&["2", "3", "2", "3", "1"]));
    assert_eq!(cmd(&mut c, &["LREM", "l", "-1", "3"]), b":1\r\n");
    assert_eq!(range(&mut c, "l"), arr(&["2", "3", "2", "1"]));
    assert_eq!(cmd(&mut c, &["LREM", "l", "0", "2"]), b":2\r\n");
    assert_eq!(range(&mut c, "l"), arr(&["3", "1"]));
    script(
        &mut c,
        &[
            ("LREM l 0 zz", b":0\r\n"),
            ("LREM l x a", NOT_INT),
            ("LREM nokey 0 a", b":0\r\n"),
            ("LREM l 0 3", b":1\r\n"),
            ("LREM l 0 1", b":1\r\n"),
            ("EXISTS l", b":0\r\n"),
        ],
    );
}

#[test]
fn ltrim_keeps_range_and_deletes_empty() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a", "b", "c", "d"]);
    assert_eq!(cmd(&mut c, &["LTRIM", "l", "1", "-2"]), OK);
    assert_eq!(range(&mut c, "l"), arr(&["b", "c"]));
    script(
        &mut c,
        &[
            ("LTRIM l x 1", NOT_INT),
            ("LTRIM nokey 0 1", OK),
            ("LTRIM l 5 1", OK),
            ("EXISTS l", b":0\r\n"),
        ],
    );
}

#[test]
fn lpos_options_and_errors() {
    let (_s, mut c) = conn();
    cmd(
        &mut c,
        &["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"],
    );
    script(
        &mut c,
        &[
            ("LPOS l c", b":2\r\n"),
            ("LPOS l c RANK 2", b":6\r\n"),
            ("LPOS l c RANK -1", b":7\r\n"),
            ("LPOS l c RANK -3", b":2\r\n"),
            ("LPOS l c COUNT 0", b"*3\r\n:2\r\n:6\r\n:7\r\n"),
            ("LPOS l c COUNT 2 RANK -1", b"*2\r\n:7\r\n:6\r\n"),
            ("LPOS l c COUNT 0 MAXLEN 3", b"*1\r\n:2\r\n"),
            ("LPOS l c RANK -1 MAXLEN 1", b":7\r\n"),
            ("LPOS l c MAXLEN 2", NIL),
            ("LPOS l zz", NIL),
            ("LPOS l zz COUNT 1", EMPTY),
            ("LPOS nokey a", NIL),
            ("LPOS nokey a COUNT 1", EMPTY),
            ("LPOS l a RANK -9223372036854775808", b":0\r\n"),
            ("LPOS l a RANK 0", b"-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"),
            ("LPOS l a COUNT -1", b"-ERR COUNT can't be negative\r\n"),
            ("LPOS l a MAXLEN -1", b"-ERR MAXLEN can't be negative\r\n"),
            ("LPOS l a RANK x", NOT_INT),
            ("LPOS l a RANK", SYNTAX),
            ("LPOS l a FOO 1", SYNTAX),
        ],
    );
}

#[test]
fn lmove_and_rpoplpush() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a", "b", "c"]);
    script(
        &mut c,
        &[
            ("RPOPLPUSH l l", b"$1\r\nc\r\n"),
            ("LMOVE l l left right", b"$1\r\nc\r\n"),
            ("LMOVE l d RIGHT LEFT", b"$1\r\nc\r\n"),
            ("LMOVE l d right right", b"$1\r\nb\r\n"),
            ("RPOPLPUSH l d", b"$1\r\na\r\n"),
            ("EXISTS l", b":0\r\n"),
            ("LMOVE l d left left", NIL),
            ("RPOPLPUSH l d", NIL),
            ("LMOVE l d up left", SYNTAX),
            ("SET s v", OK),
            ("LMOVE d s left left", WRONGTYPE),
            ("LMOVE s d left left", WRONGTYPE),
            ("LLEN d", b":3\r\n"),
        ],
    );
    assert_eq!(range(&mut c, "d"), arr(&["a", "c", "b"]));
}

#[test]
fn lmpop_shapes_and_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a", "b", "c"]);
    script(
        &mut c,
        &[
            (
                "LMPOP 2 nokey l left",
                b"*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n",
            ),
            (
                "LMPOP 1 l right COUNT 5",
                b"*2\r\n$1\r\nl\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n",
            ),
            ("LMPOP 1 l left", NIL_ARRAY),
            (
                "LMPOP 0 l left",
                b"-ERR numkeys should be greater than 0\r\n",
            ),
            (
                "LMPOP x l left",
                b"-ERR numkeys should be greater than 0\r\n",
            ),
            ("LMPOP 2 l left", SYNTAX),
            ("LMPOP 9223372036854775807 l left", SYNTAX),
            ("LMPOP 1 l middle", SYNTAX),
            (
                "LMPOP 1 l left COUNT 0",
                b"-ERR count should be greater than 0\r\n",
            ),
            (
                "LMPOP 1 l left COUNT x",
                b"-ERR count should be greater than 0\r\n",
            ),
            ("LMPOP 1 l left COUNT 1 COUNT 1", SYNTAX),
            ("LMPOP 1 l left FOO", SYNTAX),
            ("SET s v", OK),
            ("LMPOP 2 nokey s left", WRONGTYPE),
        ],
    );
}

#[test]
fn wrongtype_on_every_list_command() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "v"]);
    for line in [
        "LPUSH s a",
        "RPUSH s a",
        "RPUSHX s a",
        "LPOP s",
        "RPOP s 1",
        "LLEN s",
        "LRANGE s 0 -1",
        "LINDEX s 0",
        "LSET s 0 a",
        "LINSERT s before a b",
        "LREM s 0 a",
        "LTRIM s 0 1",
        "LPOS s a",
        "RPOPLPUSH s d",
        "LMPOP 1 s left",
        "BLPOP s 0",
        "BRPOP s 0",
        "BLMOVE s d left left 0",
        "BRPOPLPUSH s d 0",
        "BLMPOP 0 1 s left",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        assert_eq!(cmd(&mut c, &args), WRONGTYPE, "{line}");
    }
    // And string commands on a list.
    cmd(&mut c, &["RPUSH", "l", "a"]);
    assert_eq!(cmd(&mut c, &["GET", "l"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["HGET", "l", "f"]), WRONGTYPE);
}

#[test]
fn arity_errors() {
    let (_s, mut c) = conn();
    for (line, name) in [
        ("LPUSH l", "lpush"),
        ("LLEN", "llen"),
        ("LRANGE l 0", "lrange"),
        ("LINSERT l before a", "linsert"),
        ("LMOVE a b left", "lmove"),
        ("BLPOP l", "blpop"),
        ("BLMPOP 0 1 l", "blmpop"),
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        let want = format!("-ERR wrong number of arguments for '{name}' command\r\n");
        assert_eq!(String::from_utf8_lossy(&cmd(&mut c, &args)), want, "{line}");
    }
}

#[test]
fn nonblocking_forms_of_blocking_pops_when_data_is_there() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a", "b", "c", "d"]);
    script(
        &mut c,
        &[
            ("BLPOP nokey l 0", b"*2\r\n$1\r\nl\r\n$1\r\na\r\n"),
            ("BRPOP l 1", b"*2\r\n$1\r\nl\r\n$1\r\nd\r\n"),
            ("BLMOVE l d left left 0", b"$1\r\nb\r\n"),
            ("BRPOPLPUSH l d 0", b"$1\r\nc\r\n"),
            (
                "BLMPOP 0 1 d right COUNT 5",
                b"*2\r\n$1\r\nd\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
            ),
            ("EXISTS l d", b":0\r\n"),
        ],
    );
}

#[test]
fn blocking_timeout_argument_errors() {
    let (_s, mut c) = conn();
    let not_float: &[u8] = b"-ERR timeout is not a float or out of range\r\n";
    let negative: &[u8] = b"-ERR timeout is negative\r\n";
    for t in ["abc", " 1", "nan", "1x"] {
        assert_eq!(cmd(&mut c, &["BLPOP", "l", t]), not_float, "{t:?}");
    }
    for t in ["-1", "inf", "-inf", "1e30", "9223372036854775807"] {
        assert_eq!(cmd(&mut c, &["BLPOP", "l", t]), negative, "{t:?}");
    }
    script(
        &mut c,
        &[
            ("BLMPOP x 1 l left", not_float),
            ("BLMPOP -1 1 l left", negative),
            (
                "BLMPOP 0 x l left",
                b"-ERR numkeys should be greater than 0\r\n",
            ),
            ("BLMPOP 0 1 l up", SYNTAX),
            ("BLMOVE l d up left x", SYNTAX),
            ("BLMOVE l d left left x", not_float),
            ("BRPOPLPUSH l d -1", negative),
        ],
    );
}

#[test]
fn empty_lists_are_deleted_and_keys_commands_work() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a", "b"]);
    script(
        &mut c,
        &[
            ("RENAME l l2", OK),
            ("COPY l2 l3", b":1\r\n"),
            ("LPOP l3", b"$1\r\na\r\n"),
            ("LLEN l2", b":2\r\n"),
            ("MOVE l2 1", b":1\r\n"),
            ("SELECT 1", OK),
            ("LRANGE l2 0 -1", b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
            ("PEXPIRE l2 50", b":1\r\n"),
            ("SELECT 0", OK),
            ("SCAN 0 TYPE list", b"*2\r\n$1\r\n0\r\n*1\r\n$2\r\nl3\r\n"),
            ("SCAN 0 TYPE string", b"*2\r\n$1\r\n0\r\n*0\r\n"),
            ("SET l3 x", OK),
            ("TYPE l3", b"+string\r\n"),
        ],
    );
    assert!(poll_until(std::time::Duration::from_secs(2), || {
        cmd(&mut c, &["SELECT", "1"]);
        let gone = cmd(&mut c, &["EXISTS", "l2"]) == b":0\r\n";
        cmd(&mut c, &["SELECT", "0"]);
        gone
    }));
}

#[test]
fn binary_and_long_elements_round_trip() {
    let (_s, mut c) = conn();
    let long = vec![b'x'; 5000];
    let bin: &[u8] = b"a\r\n\0b";
    assert_eq!(cmd_b(&mut c, &[b"RPUSH", b"l", &long, bin, b""]), b":3\r\n");
    let mut want = b"*3\r\n$5000\r\n".to_vec();
    want.extend_from_slice(&long);
    want.extend_from_slice(b"\r\n$5\r\na\r\n\0b\r\n$0\r\n\r\n");
    assert_eq!(cmd(&mut c, &["LRANGE", "l", "0", "-1"]), want);
    assert_eq!(cmd_b(&mut c, &[b"LPOS", b"l", bin]), b":1\r\n");
}

#[test]
fn a_long_queue_keeps_order() {
    let (_s, mut c) = conn();
    let items: Vec<String> = (0..2000)
        .map(|i| format!("item-{i:06}-with-a-longer-tail"))
        .collect();
    let mut args: Vec<&str> = vec!["RPUSH", "q"];
    args.extend(items.iter().map(String::as_str));
    assert_eq!(cmd(&mut c, &args), b":2000\r\n");
    let bulk = |s: &str| format!("${}\r\n{s}\r\n", s.len()).into_bytes();
    assert_eq!(cmd(&mut c, &["LINDEX", "q", "1500"]), bulk(&items[1500]));
    for item in &items[..1990] {
        let want = bulk(item);
        assert_eq!(cmd(&mut c, &["LPOP", "q"]), want);
    }
    assert_eq!(cmd(&mut c, &["LLEN", "q"]), b":10\r\n");
}

/// RESP3 shapes (after HELLO 3): nulls are `_`, pops stay arrays.
#[test]
fn resp3_null_and_array_shapes() {
    let (_s, mut c) = conn();
    if !hello3(&mut c) {
        return;
    }
    cmd(&mut c, &["RPUSH", "l", "a"]);
    let checks: &[(&[&str], &[u8])] = &[
        (&["LPOP", "nokey"], b"_\r\n"),
        (&["LPOP", "nokey", "2"], b"_\r\n"),
        (&["LINDEX", "l", "5"], b"_\r\n"),
        (&["LPOS", "l", "z"], b"_\r\n"),
        (&["LMPOP", "1", "nokey", "left"], b"_\r\n"),
        (&["BLPOP", "nokey", "0.01"], b"_\r\n"),
        (&["BLMOVE", "nokey", "d", "left", "left", "0.01"], b"_\r\n"),
        (&["BLPOP", "l", "0"], b"*2\r\n$1\r\nl\r\n$1\r\na\r\n"),
    ];
    for (args, want) in checks {
        send_raw(
            &mut c,
            &encode(&args.iter().map(|a| a.as_bytes()).collect::<Vec<_>>()),
        );
        assert_eq!(read_exact_bytes(&mut c, want.len()), *want, "{args:?}");
    }
}
