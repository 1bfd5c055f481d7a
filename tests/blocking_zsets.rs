//! Blocking sorted-set pops (BZPOPMIN, BZPOPMAX, BZMPOP): immediate pops,
//! waiting and waking by other clients' writes, timeouts, errors and
//! RESP3 shapes. Checked against redis-server 7.0.15 too.
mod common;

use common::*;
use std::time::{Duration, Instant};

#[test]
fn bzpop_pops_at_once_when_a_set_has_members() {
    let srv = Server::start();
    let mut c = srv.raw();
    script(
        &mut c,
        &[
            ("ZADD z 1 a 2 b 3 c", b":3\r\n"),
            (
                "BZPOPMIN missing z 0",
                b"*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n",
            ),
            ("BZPOPMAX z 0", b"*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n"),
            ("BZPOPMAX z 0", b"*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n"),
            ("EXISTS z", b":0\r\n"),
            ("ZADD y 1.5 a 2 b 3 c", b":3\r\n"),
            (
                "BZMPOP 0 2 missing y MAX COUNT 2",
                b"*2\r\n$1\r\ny\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
            ),
            (
                "BZMPOP 0 1 y MIN",
                b"*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$1\r\na\r\n$3\r\n1.5\r\n",
            ),
            ("EXISTS y", b":0\r\n"),
        ],
    );
}

#[test]
fn bzpopmax_is_woken_by_zadd_from_another_client() {
    let srv = Server::start();
    let (mut a, mut b) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BZPOPMAX z1 z2 5");
    assert_eq!(cmd(&mut b, &["ZADD", "z2", "3", "c", "7", "d"]), b":2\r\n");
    assert_eq!(
        read_reply_bytes(&mut a),
        b"*3\r\n$2\r\nz2\r\n$1\r\nd\r\n$1\r\n7\r\n"
    );
    assert_eq!(cmd(&mut b, &["ZCARD", "z2"]), b":1\r\n");
}

#[test]
fn bzmpop_is_woken_by_a_store_and_clients_are_served_in_order() {
    let srv = Server::start();
    let (mut a, mut b, mut p) = (srv.raw(), srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BZMPOP 0 1 dst MIN COUNT 10");
    send_and_expect_block(&mut b, "BZPOPMIN dst 0");
    script(
        &mut p,
        &[
            ("ZADD src 1 x 2 y", b":2\r\n"),
            ("ZUNIONSTORE dst 1 src", b":2\r\n"),
        ],
    );
    assert_eq!(
        read_reply_bytes(&mut a),
        b"*2\r\n$3\r\ndst\r\n*2\r\n*2\r\n$1\r\nx\r\n$1\r\n1\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n"
    );
    // The first client took everything: the second keeps waiting.
    expect_silence(&mut b, Duration::from_millis(30));
    assert_eq!(cmd(&mut p, &["ZINCRBY", "dst", "4", "w"]), b"$1\r\n4\r\n");
    assert_eq!(
        read_reply_bytes(&mut b),
        b"*3\r\n$3\r\ndst\r\n$1\r\nw\r\n$1\r\n4\r\n"
    );
}

#[test]
fn sub_second_timeouts_reply_null_array() {
    let srv = Server::start();
    let mut a = srv.raw();
    for line in ["BZPOPMIN z 0.1", "BZPOPMAX z y 0.1", "BZMPOP 0.1 2 z y MAX"] {
        let t = Instant::now();
        send_line(&mut a, line);
        assert_eq!(read_reply_bytes(&mut a), b"*-1\r\n", "{line}");
        let took = t.elapsed();
        assert!(took >= Duration::from_millis(95), "{line}: {took:?}");
        assert!(took < Duration::from_millis(600), "{line}: {took:?}");
    }
}

#[test]
fn errors_match_redis() {
    let srv = Server::start();
    let mut c = srv.raw();
    script(
        &mut c,
        &[
            ("SET s x", b"+OK\r\n"),
            (
                "BZPOPMIN s 0",
                b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            ),
            (
                "BZMPOP 0 1 s MIN",
                b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            ),
            (
                "BZPOPMIN z abc",
                b"-ERR timeout is not a float or out of range\r\n",
            ),
            ("BZPOPMAX z -1", b"-ERR timeout is negative\r\n"),
            (
                "BZMPOP 0 0 z MIN",
                b"-ERR numkeys should be greater than 0\r\n",
            ),
            ("BZMPOP 0 1 z SIDEWAYS", b"-ERR syntax error\r\n"),
            (
                "BZMPOP 0 1 z MIN COUNT 0",
                b"-ERR count should be greater than 0\r\n",
            ),
            (
                "BZPOPMIN z",
                b"-ERR wrong number of arguments for 'bzpopmin' command\r\n",
            ),
        ],
    );
}

#[test]
fn resp3_scores_are_doubles() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert!(hello3(&mut c));
    assert_eq!(cmd(&mut c, &["ZADD", "z", "2.5", "a"]), b":1\r\n");
    send_line(&mut c, "BZPOPMIN z 0");
    assert_eq!(
        read_reply3_bytes(&mut c),
        b"*3\r\n$1\r\nz\r\n$1\r\na\r\n,2.5\r\n"
    );
    send_line(&mut c, "BZPOPMIN z 0.05");
    assert_eq!(read_reply3_bytes(&mut c), b"_\r\n");
}
