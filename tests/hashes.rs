//! Hash commands: exact replies and errors, checked against redis-server
//! 7.0.15 (`FERRITE_TEST_AGAINST=redis`).
mod common;

use common::*;
use std::collections::{HashMap, HashSet};
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";
const NIL: &[u8] = b"$-1\r\n";
const EMPTY: &[u8] = b"*0\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const NOT_FLOAT: &[u8] = b"-ERR value is not a valid float\r\n";
const WRONGTYPE: &[u8] = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

/// HGETALL as a map.
fn getall(c: &mut TcpStream, key: &str) -> HashMap<String, String> {
    let v = call(c, &["HGETALL", key]).strings();
    v.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect()
}

#[test]
fn hset_hget_hmget_hlen() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("HSET h a 1 b 2", b":2\r\n"),
            ("HSET h a 10 c 3", b":1\r\n"),
            ("HMSET h d 4", OK),
            ("HGET h a", b"$2\r\n10\r\n"),
            ("HGET h zz", NIL),
            ("HGET nokey a", NIL),
            ("HMGET h a zz d", b"*3\r\n$2\r\n10\r\n$-1\r\n$1\r\n4\r\n"),
            ("HMGET nokey a b", b"*2\r\n$-1\r\n$-1\r\n"),
            ("HLEN h", b":4\r\n"),
            ("HLEN nokey", b":0\r\n"),
            ("TYPE h", b"+hash\r\n"),
            (
                "HSET h a",
                b"-ERR wrong number of arguments for 'hset' command\r\n",
            ),
            (
                "HSET h a 1 b",
                b"-ERR wrong number of arguments for 'hset' command\r\n",
            ),
            (
                "HMSET h a 1 b",
                b"-ERR wrong number of arguments for 'hmset' command\r\n",
            ),
        ],
    );
}

#[test]
fn hsetnx_hexists_hstrlen() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("HSETNX h a 1", b":1\r\n"),
            ("HSETNX h a 2", b":0\r\n"),
            ("HGET h a", b"$1\r\n1\r\n"),
            ("HEXISTS h a", b":1\r\n"),
            ("HEXISTS h b", b":0\r\n"),
            ("HEXISTS nokey a", b":0\r\n"),
            ("HSET h s hello", b":1\r\n"),
            ("HSTRLEN h s", b":5\r\n"),
            ("HSTRLEN h zz", b":0\r\n"),
            ("HSTRLEN nokey s", b":0\r\n"),
        ],
    );
}

#[test]
fn hgetall_hkeys_hvals_in_insertion_order_while_compact() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["HSET", "h", "z", "1", "a", "2", "m", "3"]);
    assert_eq!(
        cmd(&mut c, &["HGETALL", "h"]),
        b"*6\r\n$1\r\nz\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nm\r\n$1\r\n3\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["HKEYS", "h"]),
        b"*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nm\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["HVALS", "h"]),
        b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    );
    script(
        &mut c,
        &[
            ("HGETALL nokey", EMPTY),
            ("HKEYS nokey", EMPTY),
            ("HVALS nokey", EMPTY),
        ],
    );
}

#[test]
fn hdel_counts_and_deletes_empty_hash() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("HSET h a 1 b 2 c 3", b":3\r\n"),
            ("HDEL h a zz a", b":1\r\n"),
            ("HDEL nokey a", b":0\r\n"),
            ("HDEL h b c", b":2\r\n"),
            ("EXISTS h", b":0\r\n"),
        ],
    );
}

#[test]
fn hincrby_and_errors() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("HINCRBY h n 5", b":5\r\n"),
            ("HINCRBY h n -7", b":-2\r\n"),
            ("HINCRBY h n x", NOT_INT),
            ("HSET h s abc big 9223372036854775807", b":2\r\n"),
            ("HINCRBY h s 1", b"-ERR hash value is not an integer\r\n"),
            (
                "HINCRBY h big 1",
                b"-ERR increment or decrement would overflow\r\n",
            ),
            ("HINCRBY nokey f x", NOT_INT),
            ("EXISTS nokey", b":0\r\n"),
            ("HGET h n", b"$2\r\n-2\r\n"),
        ],
    );
}

#[test]
fn hincrbyfloat_matches_redis_digits_and_errors() {
    let (_s, mut c) = conn();
    script(
        &mut c,
        &[
            ("HINCRBYFLOAT h f 10.5", b"$4\r\n10.5\r\n"),
            ("HINCRBYFLOAT h f 0.1", b"$4\r\n10.6\r\n"),
            ("HINCRBYFLOAT h e 5.0e3", b"$4\r\n5000\r\n"),
            ("HINCRBYFLOAT h x 0x10", b"$2\r\n16\r\n"),
            ("HINCRBYFLOAT h f x", NOT_FLOAT),
            ("HINCRBYFLOAT h f 1e-5000", NOT_FLOAT),
            ("HINCRBYFLOAT h f inf", b"-ERR value is NaN or Infinity\r\n"),
            ("HSET h s abc", b":1\r\n"),
            ("HINCRBYFLOAT h s 1", b"-ERR hash value is not a float\r\n"),
            ("HINCRBYFLOAT nokey f x", NOT_FLOAT),
            ("EXISTS nokey", b":0\r\n"),
        ],
    );
    let big = cmd(&mut c, &["HINCRBYFLOAT", "h", "b", "1e308"]);
    assert!(big.starts_with(b"$308\r\n99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048"));
    cmd(&mut c, &["HSET", "h", "b", "1.7976931348623157e308"]);
    assert_eq!(
        cmd(
            &mut c,
            &["HINCRBYFLOAT", "h", "b", "1.7976931348623157e308"]
        )[0],
        b'$',
        "long double does not overflow here"
    );
}

#[test]
fn hrandfield_counts_and_shapes() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["HSET", "h", "a", "1", "b", "2", "c", "3"]);
    let fields: HashSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    for _ in 0..20 {
        let one = call(&mut c, &["HRANDFIELD", "h"]).text();
        assert!(fields.contains(&one));
    }
    // Positive count: distinct fields, at most the hash's size.
    let two: HashSet<String> = call(&mut c, &["HRANDFIELD", "h", "2"])
        .strings()
        .into_iter()
        .collect();
    assert_eq!(two.len(), 2);
    assert!(two.is_subset(&fields));
    let all: HashSet<String> = call(&mut c, &["HRANDFIELD", "h", "10"])
        .strings()
        .into_iter()
        .collect();
    assert_eq!(all, fields);
    // Negative count: exactly |count|, repetitions allowed.
    let many = call(&mut c, &["HRANDFIELD", "h", "-10"]).strings();
    assert_eq!(many.len(), 10);
    assert!(many.iter().all(|f| fields.contains(f)));
    // WITHVALUES: flat pairs in RESP2, each value belongs to its field.
    let pairs = call(&mut c, &["HRANDFIELD", "h", "-6", "WITHVALUES"]).strings();
    assert_eq!(pairs.len(), 12);
    let expected: HashMap<&str, &str> = [("a", "1"), ("b", "2"), ("c", "3")].into_iter().collect();
    for p in pairs.chunks(2) {
        assert_eq!(expected[p[0].as_str()], p[1]);
    }
    script(
        &mut c,
        &[
            ("HRANDFIELD nokey", NIL),
            ("HRANDFIELD nokey 3", EMPTY),
            ("HRANDFIELD nokey -3 WITHVALUES", EMPTY),
            ("HRANDFIELD h 0", EMPTY),
            ("HRANDFIELD h x", NOT_INT),
            ("HRANDFIELD nokey x", NOT_INT),
            ("HRANDFIELD h 1 foo", SYNTAX),
            ("HRANDFIELD h 1 withvalues x", SYNTAX),
            ("HRANDFIELD h -9223372036854775808", b"-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"),
            ("HRANDFIELD h 9223372036854775807 withvalues", b"-ERR value is out of range\r\n"),
            ("HRANDFIELD h 4611686018427387904 WITHVALUES", b"-ERR value is out of range\r\n"),
        ],
    );
}

#[test]
fn hrandfield_on_a_large_hash() {
    let (_s, mut c) = conn();
    let mut args: Vec<String> = vec!["HSET".into(), "h".into()];
    for i in 0..1000 {
        args.push(format!("f{i}"));
        args.push(format!("v{i}"));
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(cmd(&mut c, &a), b":1000\r\n");
    assert_eq!(
        cmd(&mut c, &["OBJECT", "ENCODING", "h"]),
        b"$9\r\nhashtable\r\n"
    );
    for n in ["5", "600", "1000"] {
        let got = call(&mut c, &["HRANDFIELD", "h", n, "WITHVALUES"]).strings();
        let want: usize = n.parse().unwrap();
        assert_eq!(got.len(), want * 2);
        let distinct: HashSet<&String> = got.iter().step_by(2).collect();
        assert_eq!(distinct.len(), want);
        for p in got.chunks(2) {
            assert_eq!(p[1], format!("v{}", &p[0][1..]));
        }
    }
}

#[test]
fn hscan_compact_returns_everything_at_once() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["HSET", "h", "a", "1", "ab", "2", "b", "3"]);
    script(
        &mut c,
        &[
            ("HSCAN h 0", b"*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n"),
            ("HSCAN h 0 MATCH a* COUNT 1", b"*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n2\r\n"),
            ("HSCAN nokey 0", b"*2\r\n$1\r\n0\r\n*0\r\n"),
            ("HSCAN nokey 0 COUNT 0", b"*2\r\n$1\r\n0\r\n*0\r\n"),
            ("HSCAN h x", b"-ERR invalid cursor\r\n"),
            ("HSCAN nokey x", b"-ERR invalid cursor\r\n"),
            ("HSCAN h 0 COUNT 0", SYNTAX),
            ("HSCAN h 0 COUNT x", NOT_INT),
            ("HSCAN h 0 MATCH", SYNTAX),
            ("HSCAN h 0 FOO 1", SYNTAX),
        ],
    );
}

#[test]
fn hscan_large_hash_visits_every_field() {
    let (_s, mut c) = conn();
    let mut args: Vec<String> = vec!["HSET".into(), "h".into()];
    for i in 0..700 {
        args.push(format!("f{i}"));
        args.push(format!("{i}"));
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    cmd(&mut c, &a);
    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    let mut calls = 0;
    loop {
        let r = call(&mut c, &["HSCAN", "h", &cursor, "COUNT", "50"]).array();
        cursor = r[0].text();
        let items = r[1].strings();
        for p in items.chunks(2) {
            assert_eq!(p[0], format!("f{}", p[1]));
            seen.insert(p[0].clone());
        }
        calls += 1;
        if cursor == "0" {
            break;
        }
        assert!(calls < 1000);
    }
    assert_eq!(seen.len(), 700);
    assert!(calls > 1, "a table is scanned in steps");
}

#[test]
fn encoding_follows_the_listpack_limits() {
    let (_s, mut c) = conn();
    let long = "x".repeat(65);
    script(
        &mut c,
        &[
            ("HSET h a 1", b":1\r\n"),
            ("OBJECT ENCODING h", b"$8\r\nlistpack\r\n"),
            (
                "CONFIG GET hash-max-listpack-entries",
                b"*2\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n512\r\n",
            ),
            (
                "CONFIG GET hash-max-ziplist-value",
                b"*2\r\n$22\r\nhash-max-ziplist-value\r\n$2\r\n64\r\n",
            ),
            (
                "CONFIG GET list-max-listpack-size",
                b"*2\r\n$22\r\nlist-max-listpack-size\r\n$2\r\n-2\r\n",
            ),
            ("CONFIG SET hash-max-listpack-entries 2", OK),
            ("HSET h b 2", b":1\r\n"),
            ("OBJECT ENCODING h", b"$8\r\nlistpack\r\n"),
            ("HSET h c 3", b":1\r\n"),
            ("OBJECT ENCODING h", b"$9\r\nhashtable\r\n"),
            ("HDEL h a b", b":2\r\n"),
            ("OBJECT ENCODING h", b"$9\r\nhashtable\r\n"),
            ("CONFIG SET hash-max-ziplist-entries 128", OK),
            ("CONFIG SET hash-max-listpack-value 1kb", OK),
            ("CONFIG GET hash-max-listpack-value", b"*2\r\n$23\r\nhash-max-listpack-value\r\n$4\r\n1024\r\n"),
            ("CONFIG SET hash-max-listpack-value -1", b"-ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-value') - argument must be a memory value\r\n"),
            ("CONFIG SET hash-max-listpack-entries 1k", b"-ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - argument couldn't be parsed into an integer\r\n"),
            ("CONFIG SET hash-max-listpack-value 64", OK),
            (
                "CONFIG GET hash-max-listpack-entries",
                b"*2\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n128\r\n",
            ),
        ],
    );
    cmd(&mut c, &["HSET", "v", "f", &"x".repeat(64)]);
    assert_eq!(
        cmd(&mut c, &["OBJECT", "ENCODING", "v"]),
        b"$8\r\nlistpack\r\n"
    );
    cmd(&mut c, &["HSET", "v", "g", &long]);
    assert_eq!(
        cmd(&mut c, &["OBJECT", "ENCODING", "v"]),
        b"$9\r\nhashtable\r\n"
    );
    cmd(&mut c, &["HSET", "w", &long, "1"]);
    assert_eq!(
        cmd(&mut c, &["OBJECT", "ENCODING", "w"]),
        b"$9\r\nhashtable\r\n"
    );
    // A value grown by HINCRBYFLOAT past the limit converts too.
    cmd(&mut c, &["HSET", "z", "n", "1e100"]);
    cmd(&mut c, &["HINCRBYFLOAT", "z", "n", "1"]);
    assert_eq!(
        cmd(&mut c, &["OBJECT", "ENCODING", "z"]),
        b"$9\r\nhashtable\r\n"
    );
    assert_eq!(getall(&mut c, "v").len(), 2);
}

#[test]
fn wrongtype_on_every_hash_command() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "x"]);
    for line in [
        "HSET l a 1",
        "HMSET l a 1",
        "HSETNX l a 1",
        "HGET l a",
        "HMGET l a",
        "HGETALL l",
        "HKEYS l",
        "HVALS l",
        "HDEL l a",
        "HEXISTS l a",
        "HLEN l",
        "HSTRLEN l a",
        "HINCRBY l a 1",
        "HINCRBYFLOAT l a 1",
        "HRANDFIELD l",
        "HRANDFIELD l 2",
        "HSCAN l 0",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        assert_eq!(cmd(&mut c, &args), WRONGTYPE, "{line}");
    }
    cmd(&mut c, &["HSET", "h", "a", "1"]);
    assert_eq!(cmd(&mut c, &["LLEN", "h"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["GET", "h"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["INCR", "h"]), WRONGTYPE);
}

#[test]
fn keys_commands_work_with_hashes() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["HSET", "h", "a", "1", "b", "2"]);
    script(
        &mut c,
        &[
            ("COPY h h2", b":1\r\n"),
            ("HSET h2 c 3", b":1\r\n"),
            ("HLEN h", b":2\r\n"),
            ("RENAME h2 h3", OK),
            ("HLEN h3", b":3\r\n"),
            ("MOVE h3 2", b":1\r\n"),
            ("SCAN 0 TYPE hash", b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\nh\r\n"),
            ("EXPIRE h 100", b":1\r\n"),
            ("HSET h d 4", b":1\r\n"),
            ("TTL h", b":100\r\n"),
            ("DEL h", b":1\r\n"),
            ("SELECT 2", OK),
            ("HGET h3 c", b"$1\r\n3\r\n"),
        ],
    );
}

/// RESP3 shapes (after HELLO 3): HGETALL is a map, HRANDFIELD WITHVALUES
/// gives pairs. Skipped while ferrite has no HELLO.
#[test]
fn resp3_map_and_pairs() {
    let (_s, mut c) = conn();
    if !hello3(&mut c) {
        return;
    }
    cmd(&mut c, &["HSET", "h", "a", "1"]);
    send_raw(&mut c, &encode(&[b"HGETALL", b"h"]));
    assert_eq!(
        read_exact_bytes(&mut c, 18),
        b"%1\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    send_raw(
        &mut c,
        &encode(&[b"HRANDFIELD", b"h", b"-2", b"WITHVALUES"]),
    );
    assert_eq!(
        read_exact_bytes(&mut c, 40),
        b"*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    send_raw(&mut c, &encode(&[b"HGETALL", b"nokey"]));
    assert_eq!(read_exact_bytes(&mut c, 4), b"%0\r\n");
    send_raw(&mut c, &encode(&[b"HGET", b"h", b"zz"]));
    assert_eq!(read_exact_bytes(&mut c, 3), b"_\r\n");
}
