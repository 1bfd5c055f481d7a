//! String commands, pinned to Redis 7's exact reply bytes.
mod common;

use common::*;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";
const NIL: &[u8] = b"$-1\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const NOT_FLOAT: &[u8] = b"-ERR value is not a valid float\r\n";
const OVERFLOW: &[u8] = b"-ERR increment or decrement would overflow\r\n";
const WRONGTYPE: &[u8] = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

fn bulk(s: &str) -> Vec<u8> {
    format!("${}\r\n{}\r\n", s.len(), s).into_bytes()
}

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

// --- GET / GETSET / GETDEL -------------------------------------------------

#[test]
fn get_missing_key_is_nil() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["GET", "nokey"]), NIL);
}

#[test]
fn get_wrong_arity() {
    let (_s, mut c) = conn();
    let e = b"-ERR wrong number of arguments for 'get' command\r\n";
    assert_eq!(cmd(&mut c, &["GET"]), e);
    assert_eq!(cmd(&mut c, &["GET", "a", "b"]), e);
}

#[test]
fn getset_returns_old_value_and_sets_new() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["GETSET", "k", "v"]), NIL);
    assert_eq!(cmd(&mut c, &["GETSET", "k", "v2"]), bulk("v"));
    assert_eq!(cmd(&mut c, &["GET", "k"]), bulk("v2"));
}

#[test]
fn getset_clears_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v", "EX", "100"]);
    cmd(&mut c, &["GETSET", "k", "v2"]);
    assert_eq!(cmd(&mut c, &["TTL", "k"]), b":-1\r\n");
}

#[test]
fn getdel_returns_value_and_deletes() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v2"]);
    assert_eq!(cmd(&mut c, &["GETDEL", "k"]), bulk("v2"));
    assert_eq!(cmd(&mut c, &["GETDEL", "k"]), NIL);
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

// --- GETEX -----------------------------------------------------------------

#[test]
fn getex_without_options_is_get() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["GETEX", "nokey"]), NIL);
    cmd(&mut c, &["SET", "k", "v", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["GETEX", "k"]), bulk("v"));
    assert!(call(&mut c, &["TTL", "k"]).int() > 90);
}

#[test]
fn getex_ex_and_px_set_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "100"]), bulk("v"));
    let t = call(&mut c, &["TTL", "k"]).int();
    assert!((99..=100).contains(&t), "ttl {t}");
    assert_eq!(cmd(&mut c, &["getex", "k", "px", "50000"]), bulk("v"));
    let t = call(&mut c, &["PTTL", "k"]).int();
    assert!((49000..=50000).contains(&t), "pttl {t}");
}

#[test]
fn getex_exat_and_pxat_set_absolute_expiry() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(
        cmd(&mut c, &["GETEX", "k", "EXAT", "99999999999"]),
        bulk("v")
    );
    assert_eq!(cmd(&mut c, &["EXPIRETIME", "k"]), b":99999999999\r\n");
    assert_eq!(
        cmd(&mut c, &["GETEX", "k", "PXAT", "99999999999123"]),
        bulk("v")
    );
    assert_eq!(cmd(&mut c, &["PEXPIRETIME", "k"]), b":99999999999123\r\n");
}

#[test]
fn getex_persist_removes_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "PERSIST"]), bulk("v"));
    assert_eq!(cmd(&mut c, &["TTL", "k"]), b":-1\r\n");
}

#[test]
fn getex_past_exat_returns_value_then_deletes() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EXAT", "1"]), bulk("v"));
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn getex_invalid_expire_time() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    let e = b"-ERR invalid expire time in 'getex' command\r\n";
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "0"]), e);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "-1"]), e);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "PX", "0"]), e);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "9223372036854775807"]), e);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "abc"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["TTL", "k"]), b":-1\r\n");
}

#[test]
fn getex_on_missing_key_replies_nil_even_with_invalid_expire() {
    // Surprise: the key lookup happens before the time is validated.
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["GETEX", "nokey", "EX", "0"]), NIL);
}

#[test]
fn getex_syntax_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "10", "PX", "10"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX", "10", "PERSIST"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "foo"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["GETEX", "k", "EX"]), SYNTAX);
    // Repeating the same option is accepted.
    assert_eq!(
        cmd(&mut c, &["GETEX", "k", "PERSIST", "PERSIST"]),
        bulk("v")
    );
    assert_eq!(
        cmd(&mut c, &["GETEX", "k", "EX", "10", "EX", "20"]),
        bulk("v")
    );
    let t = call(&mut c, &["TTL", "k"]).int();
    assert!((19..=20).contains(&t), "ttl {t}");
    assert_eq!(
        cmd(&mut c, &["GETEX"]),
        b"-ERR wrong number of arguments for 'getex' command\r\n"
    );
}

// --- MGET / MSET / MSETNX ----------------------------------------------------

#[test]
fn mset_and_mget() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["MSET", "a", "1", "b", "2"]), OK);
    assert_eq!(
        cmd(&mut c, &["MGET", "a", "b", "nokey"]),
        b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n"
    );
}

#[test]
fn mset_last_duplicate_wins_and_clears_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "0", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["MSET", "a", "1", "a", "2"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "a"]), bulk("2"));
    assert_eq!(cmd(&mut c, &["TTL", "a"]), b":-1\r\n");
}

#[test]
fn mset_odd_arguments_is_arity_error() {
    let (_s, mut c) = conn();
    let e = b"-ERR wrong number of arguments for 'mset' command\r\n";
    assert_eq!(cmd(&mut c, &["MSET", "a", "1", "b"]), e);
    assert_eq!(cmd(&mut c, &["MSET", "a"]), e);
    assert_eq!(cmd(&mut c, &["EXISTS", "a"]), b":0\r\n");
}

#[test]
fn msetnx_all_or_nothing() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    assert_eq!(cmd(&mut c, &["MSETNX", "a", "x", "c", "3"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "c"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["MSETNX", "c", "3", "d", "4"]), b":1\r\n");
    assert_eq!(
        cmd(&mut c, &["MGET", "c", "d"]),
        b"*2\r\n$1\r\n3\r\n$1\r\n4\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["MSETNX", "e", "1", "f"]),
        b"-ERR wrong number of arguments for 'msetnx' command\r\n"
    );
}

#[test]
fn msetnx_with_duplicate_new_key_sets_last_value() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["MSETNX", "e", "1", "e", "2"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["GET", "e"]), bulk("2"));
}

// --- APPEND / STRLEN ---------------------------------------------------------

#[test]
fn append_creates_and_extends() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["APPEND", "s", "hello"]), b":5\r\n");
    assert_eq!(cmd(&mut c, &["APPEND", "s", " world"]), b":11\r\n");
    assert_eq!(cmd(&mut c, &["GET", "s"]), bulk("hello world"));
}

#[test]
fn append_keeps_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "a", "EX", "100"]);
    cmd(&mut c, &["APPEND", "s", "b"]);
    assert!(call(&mut c, &["TTL", "s"]).int() > 90);
}

#[test]
fn append_to_integer_value() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "n", "10"]);
    cmd(&mut c, &["INCR", "n"]);
    assert_eq!(cmd(&mut c, &["APPEND", "n", "5"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["GET", "n"]), bulk("115"));
}

#[test]
fn strlen_counts_bytes() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["STRLEN", "nokey"]), b":0\r\n");
    cmd(&mut c, &["SET", "s", "hello world"]);
    assert_eq!(cmd(&mut c, &["STRLEN", "s"]), b":11\r\n");
    cmd(&mut c, &["SET", "u", "h\u{e9}"]);
    assert_eq!(cmd(&mut c, &["STRLEN", "u"]), b":3\r\n");
    cmd(&mut c, &["SET", "n", "12345"]);
    cmd(&mut c, &["INCR", "n"]);
    assert_eq!(cmd(&mut c, &["STRLEN", "n"]), b":5\r\n");
}

// --- GETRANGE / SUBSTR -------------------------------------------------------

#[test]
fn getrange_positive_and_negative_indexes() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "hello world"]);
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "0", "4"]), bulk("hello"));
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "-5", "-1"]), bulk("world"));
    assert_eq!(
        cmd(&mut c, &["GETRANGE", "s", "0", "-1"]),
        bulk("hello world")
    );
    assert_eq!(
        cmd(&mut c, &["GETRANGE", "s", "-100", "100"]),
        bulk("hello world")
    );
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "6", "1000"]), bulk("world"));
}

#[test]
fn getrange_empty_results() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "hello world"]);
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "5", "2"]), b"$0\r\n\r\n");
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "100", "200"]), b"$0\r\n\r\n");
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "-1", "-5"]), b"$0\r\n\r\n");
    assert_eq!(
        cmd(&mut c, &["GETRANGE", "nokey", "0", "10"]),
        b"$0\r\n\r\n"
    );
}

#[test]
fn getrange_end_before_start_of_string_clamps_to_first_byte() {
    // Surprise (Redis 7.0): an end that is negative beyond the start clamps
    // to 0, so the first byte is returned rather than an empty string.
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "hello world"]);
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "0", "-100"]), bulk("h"));
}

#[test]
fn getrange_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "hello"]);
    assert_eq!(cmd(&mut c, &["GETRANGE", "s", "a", "b"]), NOT_INT);
    assert_eq!(
        cmd(&mut c, &["GETRANGE", "s", "0"]),
        b"-ERR wrong number of arguments for 'getrange' command\r\n"
    );
}

#[test]
fn substr_is_getrange() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "hello world"]);
    assert_eq!(cmd(&mut c, &["SUBSTR", "s", "0", "4"]), bulk("hello"));
    assert_eq!(cmd(&mut c, &["SUBSTR", "s", "-5", "-1"]), bulk("world"));
}

#[test]
fn getrange_on_integer_encoded_value() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "n", "12345"]);
    cmd(&mut c, &["INCR", "n"]);
    assert_eq!(cmd(&mut c, &["GETRANGE", "n", "1", "2"]), bulk("23"));
}

// --- SETRANGE ---------------------------------------------------------------

#[test]
fn setrange_pads_with_zero_bytes() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SETRANGE", "sr", "5", "hi"]), b":7\r\n");
    assert_eq!(
        cmd(&mut c, &["GET", "sr"]),
        b"$7\r\n\x00\x00\x00\x00\x00hi\r\n"
    );
}

#[test]
fn setrange_overwrites_in_place() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "hello world"]);
    assert_eq!(cmd(&mut c, &["SETRANGE", "s", "6", "Redis"]), b":11\r\n");
    assert_eq!(cmd(&mut c, &["GET", "s"]), bulk("hello Redis"));
    assert_eq!(cmd(&mut c, &["SETRANGE", "s", "9", "xxxx"]), b":13\r\n");
    assert_eq!(cmd(&mut c, &["GET", "s"]), bulk("hello Redxxxx"));
}

#[test]
fn setrange_empty_value_does_not_create_or_grow() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SETRANGE", "nokey", "0", ""]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SETRANGE", "nokey", "100", ""]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "nokey"]), b":0\r\n");
    cmd(&mut c, &["SET", "s", "abc"]);
    assert_eq!(cmd(&mut c, &["SETRANGE", "s", "100", ""]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["STRLEN", "s"]), b":3\r\n");
}

#[test]
fn setrange_offset_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "abc"]);
    assert_eq!(
        cmd(&mut c, &["SETRANGE", "s", "-1", "x"]),
        b"-ERR offset is out of range\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SETRANGE", "s", "536870912", "x"]),
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SETRANGE", "nokey", "536870912", "x"]),
        b"-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(cmd(&mut c, &["SETRANGE", "s", "abc", "x"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["GET", "s"]), bulk("abc"));
}

// --- INCR family ---------------------------------------------------------------

#[test]
fn incr_decr_family() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["INCR", "n"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["INCRBY", "n", "10"]), b":11\r\n");
    assert_eq!(cmd(&mut c, &["DECR", "n"]), b":10\r\n");
    assert_eq!(cmd(&mut c, &["DECRBY", "n", "5"]), b":5\r\n");
    assert_eq!(cmd(&mut c, &["INCRBY", "n", "-3"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["DECRBY", "n", "-3"]), b":5\r\n");
    assert_eq!(cmd(&mut c, &["GET", "n"]), bulk("5"));
    assert_eq!(cmd(&mut c, &["DECR", "neg"]), b":-1\r\n");
}

#[test]
fn incr_keeps_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "n", "1", "EX", "100"]);
    cmd(&mut c, &["INCR", "n"]);
    assert!(call(&mut c, &["TTL", "n"]).int() > 90);
}

#[test]
fn incr_overflow_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "m", "9223372036854775807"]);
    assert_eq!(cmd(&mut c, &["INCR", "m"]), OVERFLOW);
    assert_eq!(cmd(&mut c, &["INCRBY", "m", "1"]), OVERFLOW);
    cmd(&mut c, &["SET", "m", "-9223372036854775808"]);
    assert_eq!(cmd(&mut c, &["DECR", "m"]), OVERFLOW);
    assert_eq!(cmd(&mut c, &["DECRBY", "m", "1"]), OVERFLOW);
    assert_eq!(cmd(&mut c, &["INCRBY", "m", "-1"]), OVERFLOW);
    assert_eq!(cmd(&mut c, &["GET", "m"]), bulk("-9223372036854775808"));
}

#[test]
fn decrby_i64_min_has_its_own_error_text() {
    // Surprise: negating the decrement itself would overflow.
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "n", "1"]);
    assert_eq!(
        cmd(&mut c, &["DECRBY", "n", "-9223372036854775808"]),
        b"-ERR decrement would overflow\r\n"
    );
}

#[test]
fn incr_non_integer_values_are_rejected() {
    let (_s, mut c) = conn();
    for v in [
        " 1",
        "1 ",
        "+1",
        "01",
        "abc",
        "1.5",
        "",
        "99999999999999999999",
    ] {
        cmd(&mut c, &["SET", "x", v]);
        assert_eq!(cmd(&mut c, &["INCR", "x"]), NOT_INT, "value {v:?}");
    }
    assert_eq!(cmd(&mut c, &["GET", "x"]), bulk("99999999999999999999"));
}

#[test]
fn incrby_non_integer_increment_is_rejected() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["INCRBY", "n", "abc"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["INCRBY", "n", "1.5"]), NOT_INT);
    assert_eq!(
        cmd(&mut c, &["DECRBY", "n", "99999999999999999999"]),
        NOT_INT
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "n"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["INCR"]),
        b"-ERR wrong number of arguments for 'incr' command\r\n"
    );
}

#[test]
fn incr_accepts_negative_zero_free_canonical_values() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "x", "-5"]);
    assert_eq!(cmd(&mut c, &["INCR", "x"]), b":-4\r\n");
    cmd(&mut c, &["SET", "x", "0"]);
    assert_eq!(cmd(&mut c, &["DECR", "x"]), b":-1\r\n");
}

// --- INCRBYFLOAT -------------------------------------------------------------

#[test]
fn incrbyfloat_formats_shortest() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "f", "10.50"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "f", "0.1"]), bulk("10.6"));
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "f", "-5"]), bulk("5.6"));
    assert_eq!(cmd(&mut c, &["GET", "f"]), bulk("5.6"));
}

#[test]
fn incrbyfloat_exponent_inputs_and_integer_results() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "nf", "3.0e3"]), bulk("3000"));
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "nf", "1.5"]), bulk("3001.5"));
    cmd(&mut c, &["SET", "g", "5.0e3"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "g", "2.0e2"]), bulk("5200"));
    cmd(&mut c, &["SET", "x", "10"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "x", "0"]), bulk("10"));
    cmd(&mut c, &["SET", "x", "3"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "x", "1.5"]), bulk("4.5"));
    cmd(&mut c, &["SET", "y", "1"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "y", "0.1"]), bulk("1.1"));
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "z", "-2.5"]), bulk("-2.5"));
}

#[test]
fn incrbyfloat_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "g", "3"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "g", "abc"]), NOT_FLOAT);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "g", "nan"]), NOT_FLOAT);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "g", " 1"]), NOT_FLOAT);
    assert_eq!(
        cmd(&mut c, &["INCRBYFLOAT", "g", "inf"]),
        b"-ERR increment would produce NaN or Infinity\r\n"
    );
    cmd(&mut c, &["SET", "h", "abc"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "h", "1"]), NOT_FLOAT);
    cmd(&mut c, &["SET", "h", " 1"]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "h", "1"]), NOT_FLOAT);
    cmd(&mut c, &["SET", "h", "1 "]);
    assert_eq!(cmd(&mut c, &["INCRBYFLOAT", "h", "1"]), NOT_FLOAT);
    assert_eq!(cmd(&mut c, &["GET", "g"]), bulk("3"));
}

// --- LCS ------------------------------------------------------------------------

fn lcs_conn() -> (Server, TcpStream) {
    let (s, mut c) = conn();
    cmd(&mut c, &["MSET", "key1", "ohmytext", "key2", "mynewtext"]);
    (s, c)
}

#[test]
fn lcs_plain_and_len() {
    let (_s, mut c) = lcs_conn();
    assert_eq!(cmd(&mut c, &["LCS", "key1", "key2"]), bulk("mytext"));
    assert_eq!(cmd(&mut c, &["LCS", "key1", "key2", "LEN"]), b":6\r\n");
}

#[test]
fn lcs_idx_shape() {
    let (_s, mut c) = lcs_conn();
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "IDX"]),
        &b"*4\r\n$7\r\nmatches\r\n*2\r\n\
*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n\
*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n\
$3\r\nlen\r\n:6\r\n"[..]
    );
}

#[test]
fn lcs_idx_minmatchlen() {
    let (_s, mut c) = lcs_conn();
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"]),
        &b"*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"[..]
    );
}

#[test]
fn lcs_idx_withmatchlen() {
    let (_s, mut c) = lcs_conn();
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"]),
        &b"*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["lcs", "key1", "key2", "withmatchlen", "idx"]),
        &b"*4\r\n$7\r\nmatches\r\n*2\r\n\
*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n\
*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n\
$3\r\nlen\r\n:6\r\n"[..]
    );
}

#[test]
fn lcs_missing_keys_are_empty_strings() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["LCS", "a", "b"]), b"$0\r\n\r\n");
    assert_eq!(cmd(&mut c, &["LCS", "a", "b", "LEN"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["LCS", "a", "b", "IDX"]),
        b"*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
    );
}

#[test]
fn lcs_option_errors_and_ignored_options() {
    let (_s, mut c) = lcs_conn();
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "LEN", "IDX"]),
        b"-ERR If you want both the length and indexes, please just use IDX.\r\n"
    );
    assert_eq!(cmd(&mut c, &["LCS", "key1", "key2", "foo"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["LCS", "key1", "key2", "MINMATCHLEN"]), SYNTAX);
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "MINMATCHLEN", "abc"]),
        NOT_INT
    );
    // Without IDX, MINMATCHLEN/WITHMATCHLEN do not change the plain reply;
    // a negative MINMATCHLEN is accepted.
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "MINMATCHLEN", "-1"]),
        bulk("mytext")
    );
    assert_eq!(
        cmd(&mut c, &["LCS", "key1", "key2", "WITHMATCHLEN"]),
        bulk("mytext")
    );
    assert_eq!(
        cmd(&mut c, &["LCS", "key1"]),
        b"-ERR wrong number of arguments for 'lcs' command\r\n"
    );
}

// --- SETNX ---------------------------------------------------------------------

#[test]
fn setnx_sets_only_missing() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SETNX", "sn", "a"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SETNX", "sn", "b"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "sn"]), bulk("a"));
}

// ---------------------------------------------------------------------------
// WRONGTYPE: need a non-string key (RPUSH).
// ---------------------------------------------------------------------------

#[test]
fn wrongtype_string_commands_on_list() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["RPUSH", "l", "a"]);
    for args in [
        &["GET", "l"][..],
        &["GETSET", "l", "x"],
        &["GETDEL", "l"],
        &["GETEX", "l"],
        &["APPEND", "l", "x"],
        &["STRLEN", "l"],
        &["GETRANGE", "l", "0", "1"],
        &["SETRANGE", "l", "0", "x"],
        &["INCR", "l"],
        &["INCRBYFLOAT", "l", "1"],
    ] {
        assert_eq!(cmd(&mut c, args), WRONGTYPE, "{args:?}");
    }
    assert_eq!(cmd(&mut c, &["TYPE", "l"]), b"+list\r\n");
}

#[test]
fn wrongtype_mget_returns_nil_for_non_strings() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    cmd(&mut c, &["RPUSH", "l", "x"]);
    assert_eq!(
        cmd(&mut c, &["MGET", "a", "l"]),
        b"*2\r\n$1\r\n1\r\n$-1\r\n"
    );
}

#[test]
fn wrongtype_lcs_on_list() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    cmd(&mut c, &["RPUSH", "l", "x"]);
    assert_eq!(
        cmd(&mut c, &["LCS", "a", "l"]),
        b"-ERR The specified keys must contain string values\r\n"
    );
}
