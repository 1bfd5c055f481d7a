//! RESP2 wire protocol over raw sockets: pipelining, fragmentation, inline
//! commands, protocol errors (exact bytes + close), big payloads.
mod common;

use common::*;
use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const PONG: &[u8] = b"+PONG\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

/// Send `bytes`, expect exactly `reply`, then the connection to be closed.
fn expect_error_and_close(srv: &Server, bytes: &[u8], reply: &[u8]) {
    let mut c = srv.raw();
    send_raw(&mut c, bytes);
    let got = read_reply_bytes(&mut c);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(reply),
        "for input {:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(60)])
    );
    expect_closed(&mut c);
}

// --- pipelining & fragmentation ------------------------------------------------------

#[test]
fn pipelined_commands_in_one_write_reply_in_order() {
    let (_s, mut c) = conn();
    let mut buf = encode(&[b"SET", b"k", b"v"]);
    buf.extend(encode(&[b"GET", b"k"]));
    buf.extend(encode(&[b"PING"]));
    send_raw(&mut c, &buf);
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\nv\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
}

#[test]
fn request_split_one_byte_per_write_still_answers() {
    let (_s, mut c) = conn();
    let mut buf = encode(&[b"SET", b"key", b"hello world"]);
    buf.extend(encode(&[b"GET", b"key"]));
    for b in &buf {
        c.write_all(std::slice::from_ref(b)).unwrap();
        c.flush().unwrap();
    }
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$11\r\nhello world\r\n");
}

#[test]
fn incomplete_request_waits_for_the_rest() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"*1\r\n$4\r\nPI");
    expect_silence(&mut c, Duration::from_millis(150));
    send_raw(&mut c, b"NG\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
}

#[test]
fn bulk_trailing_crlf_is_skipped_not_validated() {
    // Surprise: Redis skips the two bytes after a bulk payload without
    // checking that they are "\r\n".
    let (_s, mut c) = conn();
    send_raw(&mut c, b"*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
    assert_eq!(read_reply_bytes(&mut c), PONG);
}

#[test]
fn empty_bulk_argument() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\nGET k\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$0\r\n\r\n");
}

// --- inline commands --------------------------------------------------------------------

#[test]
fn inline_ping_and_set() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"PING\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
    send_raw(&mut c, b"SET a b\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    send_raw(&mut c, b"GET a\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\nb\r\n");
}

#[test]
fn inline_with_lf_only_line_ending() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"PING\nSET a b\nGET a\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\nb\r\n");
}

#[test]
fn inline_quoted_arguments() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"SET k \"a b\"\r\nGET k\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$3\r\na b\r\n");
    send_raw(&mut c, b"SET k 'c d'\r\nGET k\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$3\r\nc d\r\n");
}

#[test]
fn inline_escapes_in_double_and_single_quotes() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"SET k \"a\\x41\\n\"\r\nGET k\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$3\r\naA\n\r\n");
    send_raw(&mut c, b"SET k 'a\\'b'\r\nGET k\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$3\r\na'b\r\n");
}

#[test]
fn inline_extra_spaces_and_empty_lines_are_ignored() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"\r\n\r\n   \r\nSET   k   v  \r\nGET k\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(read_reply_bytes(&mut c), b"$1\r\nv\r\n");
}

#[test]
fn inline_lines_starting_with_resp_type_bytes_are_commands() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"+PING\r\n");
    assert_eq!(
        read_reply_bytes(&mut c),
        &b"-ERR unknown command '+PING', with args beginning with: \r\n"[..]
    );
    send_raw(&mut c, b"$4\r\nPING\r\n");
    assert_eq!(
        read_reply_bytes(&mut c),
        &b"-ERR unknown command '$4', with args beginning with: \r\n"[..]
    );
    assert_eq!(read_reply_bytes(&mut c), PONG);
}

// --- empty / null multibulk ---------------------------------------------------------------

#[test]
fn empty_and_null_multibulk_are_ignored() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
    expect_silence(&mut c, Duration::from_millis(100));
    send_raw(&mut c, b"*0\r\nPING\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
    expect_silence(&mut c, Duration::from_millis(100));
}

// --- protocol errors -------------------------------------------------------------------------

#[test]
fn protocol_error_invalid_multibulk_length() {
    let srv = Server::start();
    let e = b"-ERR Protocol error: invalid multibulk length\r\n";
    for input in [
        &b"*abc\r\n"[..],
        b"*1a\r\n",
        b"*01\r\n$4\r\nPING\r\n",
        b"*+1\r\n$4\r\nPING\r\n",
        b"*2147483648\r\n",
    ] {
        expect_error_and_close(&srv, input, e);
    }
}

#[test]
fn protocol_error_invalid_bulk_length() {
    let srv = Server::start();
    let e = b"-ERR Protocol error: invalid bulk length\r\n";
    for input in [
        &b"*1\r\n$abc\r\n"[..],
        b"*1\r\n$-5\r\n",
        b"*1\r\n$-1\r\n",
        b"*1\r\n$1a\r\n",
        b"*1\r\n$ 4\r\nPING\r\n",
        b"*1\r\n$04\r\nPING\r\n",
        b"*1\r\n$+4\r\nPING\r\n",
        b"*1\r\n$536870913\r\n",
    ] {
        expect_error_and_close(&srv, input, e);
    }
}

#[test]
fn protocol_error_expected_dollar() {
    let srv = Server::start();
    expect_error_and_close(
        &srv,
        b"*1\r\n+PING\r\n",
        b"-ERR Protocol error: expected '$', got '+'\r\n",
    );
    expect_error_and_close(
        &srv,
        b"*1\r\n:1\r\n",
        b"-ERR Protocol error: expected '$', got ':'\r\n",
    );
    expect_error_and_close(
        &srv,
        b"*2\r\n$4\r\nECHO\r\nhello\r\n",
        b"-ERR Protocol error: expected '$', got 'h'\r\n",
    );
}

#[test]
fn protocol_error_unbalanced_quotes_inline() {
    let srv = Server::start();
    let e = b"-ERR Protocol error: unbalanced quotes in request\r\n";
    expect_error_and_close(&srv, b"SET k \"a b\r\n", e);
    expect_error_and_close(&srv, b"SET k 'a b\r\n", e);
    // A closing quote must be followed by a space or the end.
    expect_error_and_close(&srv, b"SET k \"a\"b\r\n", e);
}

#[test]
fn protocol_error_too_big_inline_request() {
    let srv = Server::start();
    expect_error_and_close(
        &srv,
        &vec![b'X'; 70_000],
        b"-ERR Protocol error: too big inline request\r\n",
    );
}

#[test]
fn replies_before_a_protocol_error_are_delivered() {
    let (_s, mut c) = conn();
    send_raw(&mut c, b"PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n");
    assert_eq!(read_reply_bytes(&mut c), PONG);
    assert_eq!(read_reply_bytes(&mut c), PONG);
    assert_eq!(
        read_reply_bytes(&mut c),
        b"-ERR Protocol error: invalid multibulk length\r\n"
    );
    expect_closed(&mut c);
}

#[test]
fn other_connections_survive_a_protocol_error() {
    let srv = Server::start();
    let mut good = srv.raw();
    assert_eq!(cmd(&mut good, &["SET", "k", "v"]), b"+OK\r\n");
    expect_error_and_close(
        &srv,
        b"*1\r\n$abc\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    );
    assert_eq!(cmd(&mut good, &["GET", "k"]), b"$1\r\nv\r\n");
    let mut fresh = srv.raw();
    assert_eq!(cmd(&mut fresh, &["PING"]), PONG);
}

#[test]
fn max_bulk_length_header_is_accepted() {
    // $536870912 (= proto-max-bulk-len) is legal; the server waits for data.
    let (_s, mut c) = conn();
    send_raw(&mut c, b"*2\r\n$4\r\nECHO\r\n$536870912\r\n");
    expect_silence(&mut c, Duration::from_millis(200));
}

#[test]
fn multibulk_with_more_than_a_million_args_is_accepted() {
    // The multibulk count limit is INT_MAX (for authenticated clients), not 1M.
    let (_s, mut c) = conn();
    let n = 1_048_577usize;
    let mut buf = format!("*{n}\r\n").into_bytes();
    buf.extend_from_slice(b"$1\r\nx\r\n".repeat(n).as_slice());
    let mut w = c.try_clone().unwrap();
    let t = std::thread::spawn(move || w.write_all(&buf).unwrap());
    let want = format!(
        "-ERR unknown command 'x', with args beginning with: {}\r\n",
        "'x' ".repeat(32)
    );
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&read_reply_bytes(&mut c)),
        want.as_str()
    );
    t.join().unwrap();
    assert_eq!(cmd(&mut c, &["PING"]), PONG);
}

// --- volume -------------------------------------------------------------------------------

#[test]
fn pipeline_of_100k_sets_gets_100k_oks() {
    let srv = Server::start();
    let c = srv.raw();
    const N: usize = 100_000;
    let mut buf = Vec::with_capacity(N * 40);
    for i in 0..N {
        buf.extend(encode(&[b"SET", format!("k:{i}").as_bytes(), b"v"]));
    }
    let mut w = c.try_clone().unwrap();
    let writer = std::thread::spawn(move || w.write_all(&buf).unwrap());
    let mut r = BufReader::with_capacity(1 << 16, c);
    let mut five = [0u8; 5];
    for i in 0..N {
        r.read_exact(&mut five)
            .unwrap_or_else(|e| panic!("reply {i}: {e}"));
        assert_eq!(&five, b"+OK\r\n", "reply {i}");
    }
    writer.join().unwrap();
    let mut c2 = srv.raw();
    assert_eq!(call(&mut c2, &["DBSIZE"]).int(), N as i64);
    assert_eq!(cmd(&mut c2, &["GET", "k:99999"]), b"$1\r\nv\r\n");
}

#[test]
fn eight_megabyte_bulk_sent_in_64k_pieces_round_trips() {
    let (_s, mut c) = conn();
    let len = 8 * 1024 * 1024;
    let value: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let req = encode(&[b"SET", b"big", &value]);
    for piece in req.chunks(64 * 1024) {
        c.write_all(piece).unwrap();
    }
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    assert_eq!(
        cmd(&mut c, &["STRLEN", "big"]),
        format!(":{len}\r\n").into_bytes()
    );
    send_raw(&mut c, &encode(&[b"GET", b"big"]));
    let mut r = BufReader::new(c.try_clone().unwrap());
    let reply = read_reply_from(&mut r).unwrap();
    let header = format!("${len}\r\n");
    assert!(reply.starts_with(header.as_bytes()));
    assert!(reply.ends_with(b"\r\n"));
    assert!(
        reply[header.len()..reply.len() - 2] == value[..],
        "value corrupted"
    );
}

#[test]
fn ferrite_only_512mb_bulk_value() {
    if skip_if_redis("ferrite_only_512mb_bulk_value") {
        return;
    }
    if std::env::var("FERRITE_BIG_TESTS").as_deref() != Ok("1") {
        println!("skipped ferrite_only_512mb_bulk_value: set FERRITE_BIG_TESTS=1");
        return;
    }
    let (_s, mut c) = conn();
    let len: usize = 512 * 1024 * 1024;
    let mut w = c.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        w.write_all(format!("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${len}\r\n").as_bytes())
            .unwrap();
        let chunk = vec![b'z'; 1 << 20];
        for _ in 0..(len >> 20) {
            w.write_all(&chunk).unwrap();
        }
        w.write_all(b"\r\n").unwrap();
    });
    c.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    assert_eq!(read_reply_bytes(&mut c), b"+OK\r\n");
    writer.join().unwrap();
    assert_eq!(cmd(&mut c, &["STRLEN", "big"]), b":536870912\r\n");
}

#[test]
fn commands_sent_before_a_half_close_still_run_and_reply() {
    let srv = Server::start();
    let mut c = srv.raw();
    c.write_all(b"SET half closed\r\nGET half\r\n").unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    let mut got = Vec::new();
    c.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"+OK\r\n$6\r\nclosed\r\n");
    let mut other = srv.raw();
    assert_eq!(cmd(&mut other, &["GET", "half"]), b"$6\r\nclosed\r\n");
}

#[test]
fn a_huge_bulk_header_alone_commits_no_memory() {
    if skip_if_redis("a_huge_bulk_header_alone_commits_no_memory") {
        return;
    }
    let srv = Server::start();
    let mut admin = srv.raw();
    let rss = |c: &mut TcpStream| -> u64 {
        info_field(&info(c, "memory"), "used_memory_rss")
            .unwrap()
            .parse()
            .unwrap()
    };
    let before = rss(&mut admin);
    let mut attackers = Vec::new();
    for _ in 0..4 {
        let mut a = srv.raw();
        a.write_all(b"*2\r\n$3\r\nGET\r\n$500000000\r\n").unwrap();
        attackers.push(a);
    }
    // Every header has been read once a PING behind them is answered.
    let t = std::time::Instant::now();
    assert_eq!(cmd(&mut admin, &["PING"]), PONG);
    let after = rss(&mut admin);
    assert!(
        after < before + 64 * 1024 * 1024,
        "four 500 MB headers grew RSS from {before} to {after}"
    );
    assert!(
        t.elapsed() < Duration::from_millis(100),
        "PING waited {:?}",
        t.elapsed()
    );
}
