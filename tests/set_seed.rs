//! SET / SETEX / PSETEX as described by the seed documents, pinned to the exact
//! bytes Redis 7 sends.
mod common;

use common::*;

const OK: &[u8] = b"+OK\r\n";
const NIL: &[u8] = b"$-1\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const BAD_EXPIRE_SET: &[u8] = b"-ERR invalid expire time in 'set' command\r\n";
const WRONGTYPE: &[u8] = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

fn ttl(s: &mut std::net::TcpStream, k: &str) -> i64 {
    call(s, &["TTL", k]).int()
}
fn pttl(s: &mut std::net::TcpStream, k: &str) -> i64 {
    call(s, &["PTTL", k]).int()
}

#[test]
fn set_then_get_round_trips() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "mykey", "Hello"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "mykey"]), b"$5\r\nHello\r\n");
}

#[test]
fn set_overwrites_existing_value() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "one"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "two"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$3\r\ntwo\r\n");
}

#[test]
fn set_is_binary_safe() {
    let srv = Server::start();
    let mut c = srv.raw();
    let v: &[u8] = b"a\r\n\x00\xffb";
    assert_eq!(cmd_b(&mut c, &[b"SET", b"bin\x00key", v]), OK);
    assert_eq!(
        cmd_b(&mut c, &[b"GET", b"bin\x00key"]),
        b"$6\r\na\r\n\x00\xffb\r\n"
    );
}

#[test]
fn set_empty_value_is_a_present_empty_string() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", ""]), OK);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$0\r\n\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":1\r\n");
}

#[test]
fn set_ex_sets_ttl_in_seconds() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "EX", "60"]), OK);
    let t = ttl(&mut c, "k");
    assert!((59..=60).contains(&t), "ttl {t}");
}

#[test]
fn set_px_sets_ttl_in_milliseconds() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PX", "10000"]), OK);
    let t = pttl(&mut c, "k");
    assert!((9000..=10000).contains(&t), "pttl {t}");
}

#[test]
fn set_exat_sets_absolute_expiry_in_seconds() {
    let srv = Server::start();
    let mut c = srv.raw();
    let at = now_ms() / 1000 + 100;
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "EXAT", &at.to_string()]), OK);
    assert_eq!(call(&mut c, &["EXPIRETIME", "k"]).int(), at as i64);
    let t = ttl(&mut c, "k");
    assert!((98..=100).contains(&t), "ttl {t}");
}

#[test]
fn set_pxat_sets_absolute_expiry_in_milliseconds() {
    let srv = Server::start();
    let mut c = srv.raw();
    let at = now_ms() + 100_000;
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PXAT", &at.to_string()]), OK);
    assert_eq!(call(&mut c, &["PEXPIRETIME", "k"]).int(), at as i64);
}

#[test]
fn set_exat_in_the_past_replies_ok_and_leaves_no_key() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "old"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "EXAT", "1"]), OK);
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "k"]), NIL);
}

#[test]
fn set_pxat_in_the_past_replies_ok_and_leaves_no_key() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PXAT", "1"]), OK);
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
}

#[test]
fn set_exat_in_the_past_with_get_returns_old_value_and_deletes() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "old"]);
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EXAT", "1", "GET"]),
        b"$3\r\nold\r\n"
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn set_discards_previous_ttl() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "v", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "v2"]), OK);
    assert_eq!(ttl(&mut c, "k"), -1);
}

#[test]
fn set_keepttl_retains_previous_ttl() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "v", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "v2", "KEEPTTL"]), OK);
    let t = ttl(&mut c, "k");
    assert!((99..=100).contains(&t), "ttl {t}");
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$2\r\nv2\r\n");
}

#[test]
fn set_keepttl_on_persistent_or_missing_key_stays_persistent() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "KEEPTTL"]), OK);
    assert_eq!(ttl(&mut c, "k"), -1);
}

#[test]
fn set_nx_only_sets_missing_key() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "a", "NX"]), OK);
    assert_eq!(cmd(&mut c, &["SET", "k", "b", "NX"]), NIL);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\na\r\n");
}

#[test]
fn set_xx_only_sets_existing_key() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "a", "XX"]), NIL);
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
    cmd(&mut c, &["SET", "k", "a"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "b", "XX"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nb\r\n");
}

#[test]
fn set_nx_failure_keeps_existing_ttl() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "a", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "b", "NX"]), NIL);
    assert!(ttl(&mut c, "k") > 0);
}

#[test]
fn set_xx_on_missing_key_with_ex_does_not_create_it() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "GET", "XX", "PX", "100"]),
        NIL
    );
    assert_eq!(pttl(&mut c, "k"), -2);
}

#[test]
fn set_get_returns_old_value() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "a", "GET"]), NIL);
    assert_eq!(cmd(&mut c, &["SET", "k", "b", "GET"]), b"$1\r\na\r\n");
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nb\r\n");
}

#[test]
fn set_nx_get_together_is_allowed_in_redis7() {
    let srv = Server::start();
    let mut c = srv.raw();
    // Missing key: sets it and returns nil.
    assert_eq!(cmd(&mut c, &["SET", "k", "a", "NX", "GET"]), NIL);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\na\r\n");
    // Existing key: does not set, returns the old value.
    assert_eq!(cmd(&mut c, &["SET", "k", "b", "NX", "GET"]), b"$1\r\na\r\n");
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\na\r\n");
}

#[test]
fn set_xx_get_on_existing_key() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["SET", "k", "a"]);
    assert_eq!(cmd(&mut c, &["SET", "k", "b", "GET", "XX"]), b"$1\r\na\r\n");
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nb\r\n");
}

#[test]
fn set_options_in_any_order_and_any_case() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["set", "k", "v", "ex", "100", "Nx"]), OK);
    assert_eq!(
        cmd(&mut c, &["SeT", "k", "w", "gEt", "xX", "pX", "50000"]),
        b"$1\r\nv\r\n"
    );
    let t = pttl(&mut c, "k");
    assert!((40000..=50000).contains(&t), "pttl {t}");
    assert_eq!(
        cmd(&mut c, &["SET", "k", "z", "KeepTtl", "GET", "XX"]),
        b"$1\r\nw\r\n"
    );
    assert!(pttl(&mut c, "k") > 40000);
}

#[test]
fn set_repeated_same_expire_option_is_accepted_last_wins() {
    // Surprise: Redis only rejects *different* expire options; repeating EX is fine.
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "EX", "10", "EX", "200"]), OK);
    let t = ttl(&mut c, "k");
    assert!((199..=200).contains(&t), "ttl {t}");
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "PX", "5000", "PX", "100000"]),
        OK
    );
    assert!(pttl(&mut c, "k") > 90000);
}

#[test]
fn set_repeated_flags_are_accepted() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "NX", "NX"]), OK);
    assert_eq!(
        cmd(&mut c, &["SET", "k", "w", "GET", "GET"]),
        b"$1\r\nv\r\n"
    );
    assert_eq!(cmd(&mut c, &["SET", "k", "x", "XX", "XX"]), OK);
    assert_eq!(cmd(&mut c, &["SET", "k", "y", "KEEPTTL", "KEEPTTL"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\ny\r\n");
}

#[test]
fn set_ex_with_px_is_syntax_error() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EX", "10", "PX", "100"]),
        SYNTAX
    );
    assert_eq!(
        cmd(
            &mut c,
            &["SET", "k", "v", "EX", "100", "EXAT", "99999999999"]
        ),
        SYNTAX
    );
    assert_eq!(
        cmd(
            &mut c,
            &[
                "SET",
                "k",
                "v",
                "PXAT",
                "99999999999999",
                "EXAT",
                "99999999999"
            ]
        ),
        SYNTAX
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn set_nx_with_xx_is_syntax_error() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "NX", "XX"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "xx", "nx"]), SYNTAX);
}

#[test]
fn set_expire_with_keepttl_is_syntax_error() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EX", "10", "KEEPTTL"]),
        SYNTAX
    );
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "KEEPTTL", "PX", "10"]),
        SYNTAX
    );
}

#[test]
fn set_unknown_option_or_missing_option_value_is_syntax_error() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "foo"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "EX"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PX"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn set_zero_or_negative_expire_is_invalid_expire_time() {
    let srv = Server::start();
    let mut c = srv.raw();
    for (opt, val) in [
        ("EX", "0"),
        ("EX", "-1"),
        ("PX", "0"),
        ("PX", "-100"),
        ("EXAT", "0"),
        ("EXAT", "-1"),
        ("PXAT", "0"),
        ("PXAT", "-1"),
    ] {
        assert_eq!(
            cmd(&mut c, &["SET", "k", "v", opt, val]),
            BAD_EXPIRE_SET,
            "{opt} {val}"
        );
    }
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn set_overflowing_expire_is_invalid_expire_time() {
    let srv = Server::start();
    let mut c = srv.raw();
    // EX converted to ms overflows i64.
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EX", "9223372036854775807"]),
        BAD_EXPIRE_SET
    );
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EX", "9223372036854776"]),
        BAD_EXPIRE_SET
    );
    // Fits after *1000 but not once "now" is added.
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EX", "9223372036854775"]),
        BAD_EXPIRE_SET
    );
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "PX", "9223372036854775807"]),
        BAD_EXPIRE_SET
    );
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "PX", "9223372036854775806"]),
        BAD_EXPIRE_SET
    );
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EXAT", "9223372036854776"]),
        BAD_EXPIRE_SET
    );
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn set_huge_but_representable_absolute_expire_is_accepted() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "PXAT", "9223372036854775807"]),
        OK
    );
    assert_eq!(call(&mut c, &["PEXPIRETIME", "k"]).int(), i64::MAX);
    assert_eq!(
        cmd(&mut c, &["SET", "k2", "v", "EXAT", "9223372036854775"]),
        OK
    );
    assert_eq!(
        call(&mut c, &["PEXPIRETIME", "k2"]).int(),
        9223372036854775000
    );
}

#[test]
fn set_non_integer_expire_is_not_an_integer() {
    let srv = Server::start();
    let mut c = srv.raw();
    for val in [
        "abc",
        "1.5",
        "5a",
        " 5",
        "+5",
        "01",
        "",
        "99999999999999999999",
    ] {
        assert_eq!(
            cmd(&mut c, &["SET", "k", "v", "EX", val]),
            NOT_INT,
            "EX {val:?}"
        );
    }
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PX", "1e3"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "EXAT", "x"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["SET", "k", "v", "PXAT", "x"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn set_syntax_error_wins_over_bad_number_when_options_conflict() {
    let srv = Server::start();
    let mut c = srv.raw();
    // Option parsing happens before the number is validated.
    assert_eq!(
        cmd(&mut c, &["SET", "k", "v", "EX", "abc", "PX", "1"]),
        SYNTAX
    );
}

#[test]
fn set_wrong_arity() {
    let srv = Server::start();
    let mut c = srv.raw();
    let e = b"-ERR wrong number of arguments for 'set' command\r\n";
    assert_eq!(cmd(&mut c, &["SET"]), e);
    assert_eq!(cmd(&mut c, &["SET", "k"]), e);
}

#[test]
fn setex_sets_value_and_ttl() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SETEX", "foo", "10", "bar"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "foo"]), b"$3\r\nbar\r\n");
    let t = ttl(&mut c, "foo");
    assert!((9..=10).contains(&t), "ttl {t}");
    // Overwrites value and resets the ttl.
    assert_eq!(cmd(&mut c, &["SETEX", "foo", "20", "new_value"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "foo"]), b"$9\r\nnew_value\r\n");
    let t = ttl(&mut c, "foo");
    assert!((19..=20).contains(&t), "ttl {t}");
}

#[test]
fn psetex_sets_value_and_ttl_in_ms() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["PSETEX", "foo", "10000", "bar"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "foo"]), b"$3\r\nbar\r\n");
    let t = pttl(&mut c, "foo");
    assert!((9000..=10000).contains(&t), "pttl {t}");
}

#[test]
fn setex_invalid_expire_time() {
    let srv = Server::start();
    let mut c = srv.raw();
    let e = b"-ERR invalid expire time in 'setex' command\r\n";
    assert_eq!(cmd(&mut c, &["SETEX", "foo", "0", "bar"]), e);
    assert_eq!(cmd(&mut c, &["SETEX", "foo", "-10", "bar"]), e);
    assert_eq!(
        cmd(&mut c, &["SETEX", "foo", "9223372036854775807", "bar"]),
        e
    );
    assert_eq!(cmd(&mut c, &["SETEX", "foo", "9223372036854775", "bar"]), e);
    assert_eq!(cmd(&mut c, &["EXISTS", "foo"]), b":0\r\n");
}

#[test]
fn psetex_invalid_expire_time() {
    let srv = Server::start();
    let mut c = srv.raw();
    let e = b"-ERR invalid expire time in 'psetex' command\r\n";
    assert_eq!(cmd(&mut c, &["PSETEX", "foo", "0", "bar"]), e);
    assert_eq!(cmd(&mut c, &["PSETEX", "foo", "-1", "bar"]), e);
    assert_eq!(
        cmd(&mut c, &["PSETEX", "foo", "9223372036854775807", "bar"]),
        e
    );
}

#[test]
fn setex_non_integer_seconds() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SETEX", "foo", "abc", "bar"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["PSETEX", "foo", "1.5", "bar"]), NOT_INT);
}

#[test]
fn setex_wrong_arity() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["SETEX", "foo", "10"]),
        b"-ERR wrong number of arguments for 'setex' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["setex", "foo", "10", "bar", "extra"]),
        b"-ERR wrong number of arguments for 'setex' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["PSETEX", "foo", "10"]),
        b"-ERR wrong number of arguments for 'psetex' command\r\n"
    );
}

// ---------------------------------------------------------------------------
// WRONGTYPE: these need a non-string key, created with RPUSH.
// ---------------------------------------------------------------------------

#[test]
fn wrongtype_set_get_on_list_aborts_the_set() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["RPUSH", "l", "a"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SET", "l", "v", "GET"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["TYPE", "l"]), b"+list\r\n");
    assert_eq!(cmd(&mut c, &["SET", "l", "v", "NX", "GET"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["SET", "l", "v", "XX", "GET"]), WRONGTYPE);
    assert_eq!(cmd(&mut c, &["TYPE", "l"]), b"+list\r\n");
}

#[test]
fn wrongtype_plain_set_overwrites_non_string() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["RPUSH", "l", "a"]);
    assert_eq!(cmd(&mut c, &["SET", "l", "v"]), OK);
    assert_eq!(cmd(&mut c, &["TYPE", "l"]), b"+string\r\n");
    assert_eq!(cmd(&mut c, &["GET", "l"]), b"$1\r\nv\r\n");
}

#[test]
fn wrongtype_setex_overwrites_non_string() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["RPUSH", "l", "a"]);
    assert_eq!(cmd(&mut c, &["SETEX", "l", "100", "v"]), OK);
    assert_eq!(cmd(&mut c, &["TYPE", "l"]), b"+string\r\n");
}
