//! Blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP): waiting,
//! waking by other clients in arrival order, timeouts, pipelining and
//! disconnection. Checked against redis-server 7.0.15 too.
mod common;

use common::*;
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn blpop_is_woken_by_a_push_from_another_client() {
    let srv = Server::start();
    let (mut a, mut b) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLPOP l 0");
    assert_eq!(cmd(&mut b, &["RPUSH", "l", "x", "y"]), b":2\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"*2\r\n$1\r\nl\r\n$1\r\nx\r\n");
    assert_eq!(
        cmd(&mut b, &["LRANGE", "l", "0", "-1"]),
        b"*1\r\n$1\r\ny\r\n"
    );
}

#[test]
fn clients_are_served_in_arrival_order() {
    let srv = Server::start();
    let (mut a, mut b, mut c, mut p) = (srv.raw(), srv.raw(), srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BRPOP q 0");
    send_and_expect_block(&mut b, "BLPOP q other 0");
    send_and_expect_block(&mut c, "BLPOP q 0");
    assert_eq!(cmd(&mut p, &["RPUSH", "q", "1"]), b":1\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
    expect_silence(&mut b, Duration::from_millis(20));
    // One push of two elements serves the next two in order.
    assert_eq!(cmd(&mut p, &["RPUSH", "q", "2", "3"]), b":2\r\n");
    assert_eq!(read_reply_bytes(&mut b), b"*2\r\n$1\r\nq\r\n$1\r\n2\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"*2\r\n$1\r\nq\r\n$1\r\n3\r\n");
    assert_eq!(cmd(&mut p, &["EXISTS", "q"]), b":0\r\n");
}

#[test]
fn sub_second_timeout_replies_null_array() {
    let srv = Server::start();
    let mut a = srv.raw();
    for line in [
        "BLPOP l 0.1",
        "BRPOP l m 0.1",
        "BLMOVE l d left right 0.1",
        "BRPOPLPUSH l d 0.1",
        "BLMPOP 0.1 1 l left",
    ] {
        let t = Instant::now();
        send_line(&mut a, line);
        assert_eq!(read_reply_bytes(&mut a), b"*-1\r\n", "{line}");
        let took = t.elapsed();
        assert!(took >= Duration::from_millis(95), "{line}: {took:?}");
        assert!(took < Duration::from_millis(600), "{line}: {took:?}");
    }
}

#[test]
fn pipelined_commands_wait_until_the_client_is_unblocked() {
    let srv = Server::start();
    let (mut a, mut b) = (srv.raw(), srv.raw());
    let mut pipe = encode(&[b"BLPOP", b"l", b"0"]);
    pipe.extend_from_slice(&encode(&[b"SET", b"after", b"1"]));
    pipe.extend_from_slice(&encode(&[b"PING"]));
    send_raw(&mut a, &pipe);
    expect_silence(&mut a, BLOCK_SETTLE);
    assert_eq!(cmd(&mut b, &["EXISTS", "after"]), b":0\r\n");
    cmd(&mut b, &["LPUSH", "l", "v"]);
    assert_eq!(read_reply_bytes(&mut a), b"*2\r\n$1\r\nl\r\n$1\r\nv\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"+PONG\r\n");
    assert_eq!(cmd(&mut b, &["EXISTS", "after"]), b":1\r\n");
}

#[test]
fn a_disconnected_blocked_client_takes_nothing() {
    let srv = Server::start();
    let (mut a, mut b) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLPOP l 0");
    drop(a);
    // Give the server a moment to notice the close, then push.
    assert!(poll_until(Duration::from_secs(2), || {
        cmd(&mut b, &["PING"]) == b"+PONG\r\n"
    }));
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(cmd(&mut b, &["RPUSH", "l", "x"]), b":1\r\n");
    assert_eq!(cmd(&mut b, &["LLEN", "l"]), b":1\r\n");
}

#[test]
fn a_push_then_pop_in_one_pipeline_serves_the_blocked_client_first() {
    let srv = Server::start();
    let (mut a, mut b) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLPOP l 0");
    let mut pipe = encode(&[b"RPUSH", b"l", b"x"]);
    pipe.extend_from_slice(&encode(&[b"LPOP", b"l"]));
    send_raw(&mut b, &pipe);
    assert_eq!(read_reply_bytes(&mut b), b":1\r\n");
    assert_eq!(read_reply_bytes(&mut b), b"$-1\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"*2\r\n$1\r\nl\r\n$1\r\nx\r\n");
}

#[test]
fn blmove_and_brpoplpush_are_woken_and_chain() {
    let srv = Server::start();
    let (mut a, mut b, mut c, mut p) = (srv.raw(), srv.raw(), srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLMOVE src mid left right 0");
    send_and_expect_block(&mut b, "BRPOPLPUSH mid dst 0");
    send_and_expect_block(&mut c, "BLPOP dst 0");
    assert_eq!(cmd(&mut p, &["RPUSH", "src", "v"]), b":1\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"$1\r\nv\r\n");
    assert_eq!(read_reply_bytes(&mut b), b"$1\r\nv\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"*2\r\n$3\r\ndst\r\n$1\r\nv\r\n");
    assert_eq!(cmd(&mut p, &["EXISTS", "src", "mid", "dst"]), b":0\r\n");
}

#[test]
fn blmpop_is_woken_with_count() {
    let srv = Server::start();
    let (mut a, mut p) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLMPOP 0 2 k1 k2 RIGHT COUNT 2");
    assert_eq!(cmd(&mut p, &["RPUSH", "k2", "a", "b", "c"]), b":3\r\n");
    assert_eq!(
        read_reply_bytes(&mut a),
        b"*2\r\n$2\r\nk2\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n"
    );
    assert_eq!(cmd(&mut p, &["LLEN", "k2"]), b":1\r\n");
}

#[test]
fn a_key_of_another_type_keeps_the_client_waiting() {
    let srv = Server::start();
    let (mut a, mut p) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLPOP k 0");
    assert_eq!(cmd(&mut p, &["SET", "k", "string"]), b"+OK\r\n");
    expect_silence(&mut a, BLOCK_SETTLE);
    assert_eq!(cmd(&mut p, &["DEL", "k"]), b":1\r\n");
    assert_eq!(cmd(&mut p, &["LPUSH", "k", "v"]), b":1\r\n");
    assert_eq!(read_reply_bytes(&mut a), b"*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
}

#[test]
fn blmove_to_a_wrong_type_destination_answers_wrongtype() {
    let srv = Server::start();
    let (mut a, mut p) = (srv.raw(), srv.raw());
    cmd(&mut p, &["SET", "dst", "x"]);
    send_and_expect_block(&mut a, "BLMOVE src dst left left 0");
    assert_eq!(cmd(&mut p, &["RPUSH", "src", "v"]), b":1\r\n");
    assert_eq!(
        read_reply_bytes(&mut a),
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    );
    assert_eq!(cmd(&mut p, &["LLEN", "src"]), b":1\r\n");
}

#[test]
fn rename_onto_a_watched_key_wakes_the_client() {
    let srv = Server::start();
    let (mut a, mut p) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLPOP watched 0");
    cmd(&mut p, &["RPUSH", "other", "v"]);
    assert_eq!(cmd(&mut p, &["RENAME", "other", "watched"]), b"+OK\r\n");
    assert_eq!(
        read_reply_bytes(&mut a),
        b"*2\r\n$7\r\nwatched\r\n$1\r\nv\r\n"
    );
}

#[test]
fn blocked_clients_in_other_databases_are_separate() {
    let srv = Server::start();
    let (mut a, mut p) = (srv.raw(), srv.raw());
    cmd(&mut a, &["SELECT", "3"]);
    send_and_expect_block(&mut a, "BLPOP l 0");
    cmd(&mut p, &["RPUSH", "l", "db0"]);
    expect_silence(&mut a, BLOCK_SETTLE);
    cmd(&mut p, &["SELECT", "3"]);
    cmd(&mut p, &["RPUSH", "l", "db3"]);
    assert_eq!(read_reply_bytes(&mut a), b"*2\r\n$1\r\nl\r\n$3\r\ndb3\r\n");
}

#[test]
fn many_blocked_clients_time_out_independently() {
    let srv = Server::start();
    let mut clients: Vec<TcpStream> = (0..20).map(|_| srv.raw()).collect();
    let t = Instant::now();
    for (i, c) in clients.iter_mut().enumerate() {
        // Deadlines 50, 60, ... 240 ms.
        let timeout = format!("{:.2}", 0.05 + 0.01 * i as f64);
        send_raw(c, &encode(&[b"BLPOP", b"k", timeout.as_bytes()]));
    }
    for c in clients.iter_mut() {
        assert_eq!(read_reply_bytes(c), b"*-1\r\n");
    }
    assert!(t.elapsed() < Duration::from_secs(2));
}

#[test]
fn swapdb_wakes_clients_whose_key_now_exists() {
    let srv = Server::start();
    let (mut a, mut p) = (srv.raw(), srv.raw());
    send_and_expect_block(&mut a, "BLPOP l 0");
    cmd(&mut p, &["SELECT", "1"]);
    cmd(&mut p, &["RPUSH", "l", "from1"]);
    assert_eq!(cmd(&mut p, &["SWAPDB", "0", "1"]), b"+OK\r\n");
    assert_eq!(
        read_reply_bytes(&mut a),
        b"*2\r\n$1\r\nl\r\n$5\r\nfrom1\r\n"
    );
}
