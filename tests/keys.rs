//! Keyspace commands: DEL, EXISTS, TYPE, RENAME, COPY, MOVE, KEYS, SCAN, SELECT, ...
mod common;

use common::*;
use std::collections::HashSet;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";
const NIL: &[u8] = b"$-1\r\n";
const SYNTAX: &[u8] = b"-ERR syntax error\r\n";
const NOT_INT: &[u8] = b"-ERR value is not an integer or out of range\r\n";
const DB_RANGE: &[u8] = b"-ERR DB index is out of range\r\n";
const NO_KEY: &[u8] = b"-ERR no such key\r\n";
const SAME: &[u8] = b"-ERR source and destination objects are the same\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn del_counts_only_existing_keys() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["MSET", "a", "1", "b", "2", "c", "3"]);
    assert_eq!(cmd(&mut c, &["DEL", "a", "b", "nokey"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["DEL", "a"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["DEL", "c", "c"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
}

#[test]
fn unlink_counts_only_existing_keys() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["MSET", "a", "1", "b", "2"]);
    assert_eq!(cmd(&mut c, &["UNLINK", "a", "nokey", "b"]), b":2\r\n");
    assert_eq!(cmd(&mut c, &["UNLINK", "a"]), b":0\r\n");
}

#[test]
fn exists_counts_duplicates() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["MSET", "a", "1", "b", "2"]);
    assert_eq!(cmd(&mut c, &["EXISTS", "a", "a", "b", "nokey"]), b":3\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "nokey"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["EXISTS"]),
        b"-ERR wrong number of arguments for 'exists' command\r\n"
    );
}

#[test]
fn type_of_string_and_missing() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    assert_eq!(cmd(&mut c, &["TYPE", "a"]), b"+string\r\n");
    assert_eq!(cmd(&mut c, &["TYPE", "nokey"]), b"+none\r\n");
}

#[test]
fn rename_moves_value_and_ttl() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1", "EX", "100"]);
    cmd(&mut c, &["SET", "b", "old"]);
    assert_eq!(cmd(&mut c, &["RENAME", "a", "b"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "b"]), b"$1\r\n1\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "a"]), b":0\r\n");
    assert!(call(&mut c, &["TTL", "b"]).int() > 90);
}

#[test]
fn rename_onto_itself_is_ok_when_key_exists() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    assert_eq!(cmd(&mut c, &["RENAME", "a", "a"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "a"]), b"$1\r\n1\r\n");
}

#[test]
fn rename_missing_key_is_no_such_key() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["RENAME", "nokey", "x"]), NO_KEY);
    assert_eq!(cmd(&mut c, &["RENAME", "nokey", "nokey"]), NO_KEY);
}

#[test]
fn renamenx_only_when_target_missing() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["MSET", "a", "1", "b", "2"]);
    assert_eq!(cmd(&mut c, &["RENAMENX", "a", "b"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "b"]), b"$1\r\n2\r\n");
    assert_eq!(cmd(&mut c, &["RENAMENX", "a", "c"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["GET", "c"]), b"$1\r\n1\r\n");
    assert_eq!(cmd(&mut c, &["RENAMENX", "nokey", "z"]), NO_KEY);
    // Renaming onto itself counts as "target exists".
    assert_eq!(cmd(&mut c, &["RENAMENX", "c", "c"]), b":0\r\n");
}

#[test]
fn copy_basic_and_replace() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "src", "v", "EX", "100"]);
    assert_eq!(cmd(&mut c, &["COPY", "src", "dst"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["GET", "dst"]), b"$1\r\nv\r\n");
    assert!(
        call(&mut c, &["TTL", "dst"]).int() > 90,
        "COPY keeps the TTL"
    );
    cmd(&mut c, &["SET", "src", "w"]);
    assert_eq!(cmd(&mut c, &["COPY", "src", "dst"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "dst"]), b"$1\r\nv\r\n");
    assert_eq!(cmd(&mut c, &["COPY", "src", "dst", "REPLACE"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["GET", "dst"]), b"$1\r\nw\r\n");
    assert_eq!(cmd(&mut c, &["TTL", "dst"]), b":-1\r\n");
    assert_eq!(cmd(&mut c, &["COPY", "nokey", "dst"]), b":0\r\n");
    // Copy is independent of the source.
    cmd(&mut c, &["APPEND", "src", "x"]);
    assert_eq!(cmd(&mut c, &["GET", "dst"]), b"$1\r\nw\r\n");
}

#[test]
fn copy_to_other_db() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "src", "v"]);
    assert_eq!(cmd(&mut c, &["COPY", "src", "cp", "DB", "1"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["COPY", "src", "cp", "DB", "1"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["COPY", "src", "src", "DB", "1"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "cp"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["SELECT", "1"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "cp"]), b"$1\r\nv\r\n");
}

#[test]
fn copy_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "src", "v"]);
    assert_eq!(cmd(&mut c, &["COPY", "src", "src"]), SAME);
    assert_eq!(cmd(&mut c, &["COPY", "src", "cp", "DB", "16"]), DB_RANGE);
    assert_eq!(cmd(&mut c, &["COPY", "src", "cp", "DB", "abc"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["COPY", "src", "cp", "foo"]), SYNTAX);
}

#[test]
fn move_between_dbs() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "v"]);
    assert_eq!(cmd(&mut c, &["MOVE", "k", "1"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["EXISTS", "k"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["MOVE", "k", "1"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["MOVE", "nokey", "1"]), b":0\r\n");
    cmd(&mut c, &["SELECT", "1"]);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nv\r\n");
}

#[test]
fn move_does_not_overwrite_existing_target() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "x"]);
    cmd(&mut c, &["SELECT", "1"]);
    cmd(&mut c, &["SET", "k", "y"]);
    cmd(&mut c, &["SELECT", "0"]);
    assert_eq!(cmd(&mut c, &["MOVE", "k", "1"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$1\r\nx\r\n");
}

#[test]
fn move_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "x"]);
    assert_eq!(cmd(&mut c, &["MOVE", "k", "0"]), SAME);
    assert_eq!(cmd(&mut c, &["MOVE", "k", "16"]), DB_RANGE);
    assert_eq!(cmd(&mut c, &["MOVE", "k", "abc"]), NOT_INT);
    assert_eq!(
        cmd(&mut c, &["MOVE", "k"]),
        b"-ERR wrong number of arguments for 'move' command\r\n"
    );
}

#[test]
fn touch_counts_existing_including_duplicates() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "b", "x"]);
    assert_eq!(cmd(&mut c, &["TOUCH", "b", "nokey", "b"]), b":2\r\n");
}

#[test]
fn randomkey_empty_and_nonempty() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["RANDOMKEY"]), NIL);
    cmd(&mut c, &["MSET", "a", "1", "b", "2", "c", "3"]);
    for _ in 0..20 {
        let k = call(&mut c, &["RANDOMKEY"]).text();
        assert!(["a", "b", "c"].contains(&k.as_str()), "{k}");
    }
    cmd(&mut c, &["FLUSHDB"]);
    assert_eq!(cmd(&mut c, &["RANDOMKEY"]), NIL);
}

// --- KEYS glob patterns --------------------------------------------------------

fn glob_conn() -> (Server, TcpStream) {
    let (s, mut c) = conn();
    let keys = [
        "hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo", "hbllo", "h[a]llo",
        "h\\llo", "world",
    ];
    for k in keys {
        cmd(&mut c, &["SET", k, "1"]);
    }
    (s, c)
}

fn keys(c: &mut TcpStream, pat: &str) -> Vec<String> {
    sorted(call(c, &["KEYS", pat]).strings())
}

fn v(xs: &[&str]) -> Vec<String> {
    sorted(xs.iter().map(|s| s.to_string()).collect())
}

#[test]
fn keys_question_mark_matches_one_byte() {
    let (_s, mut c) = glob_conn();
    assert_eq!(
        keys(&mut c, "h?llo"),
        v(&[
            "hello", "hallo", "hxllo", "h*llo", "h?llo", "hbllo", "h\\llo"
        ])
    );
}

#[test]
fn keys_star_matches_any_run() {
    let (_s, mut c) = glob_conn();
    assert_eq!(
        keys(&mut c, "h*llo"),
        v(&[
            "hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo", "hbllo", "h[a]llo",
            "h\\llo"
        ])
    );
    assert_eq!(keys(&mut c, "*").len(), 11);
    assert_eq!(keys(&mut c, "w*"), v(&["world"]));
    assert_eq!(keys(&mut c, "nomatch*"), v(&[]));
    assert_eq!(keys(&mut c, "?"), v(&[]));
}

#[test]
fn keys_character_classes() {
    let (_s, mut c) = glob_conn();
    assert_eq!(keys(&mut c, "h[ae]llo"), v(&["hallo", "hello"]));
    assert_eq!(
        keys(&mut c, "h[^e]llo"),
        v(&["hallo", "hxllo", "h*llo", "h?llo", "hbllo", "h\\llo"])
    );
    assert_eq!(keys(&mut c, "h[a-b]llo"), v(&["hallo", "hbllo"]));
    // Reversed ranges work too.
    assert_eq!(keys(&mut c, "h[b-a]llo"), v(&["hallo", "hbllo"]));
    assert_eq!(keys(&mut c, "h[*]llo"), v(&["h*llo"]));
}

#[test]
fn keys_bang_is_not_negation() {
    // Surprise: only '^' negates; '!' is an ordinary class member.
    let (_s, mut c) = glob_conn();
    assert_eq!(keys(&mut c, "h[!e]llo"), v(&["hello"]));
}

#[test]
fn keys_escapes() {
    let (_s, mut c) = glob_conn();
    assert_eq!(keys(&mut c, "h\\*llo"), v(&["h*llo"]));
    assert_eq!(keys(&mut c, "h\\?llo"), v(&["h?llo"]));
    assert_eq!(keys(&mut c, "h\\[a\\]llo"), v(&["h[a]llo"]));
    assert_eq!(keys(&mut c, "h\\\\llo"), v(&["h\\llo"]));
    // Escaping an ordinary character matches it literally.
    assert_eq!(keys(&mut c, "hel\\lo"), v(&["hello"]));
    // Escapes inside a class.
    assert_eq!(keys(&mut c, "h[\\^e]llo"), v(&["hello"]));
}

#[test]
fn keys_unterminated_class_matches_nothing() {
    let (_s, mut c) = glob_conn();
    assert_eq!(keys(&mut c, "["), v(&[]));
    assert_eq!(keys(&mut c, "h[a-"), v(&[]));
}

// --- SCAN -----------------------------------------------------------------------

fn scan_all(c: &mut TcpStream, extra: &[&str]) -> (Vec<String>, usize) {
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    let mut calls = 0;
    loop {
        let mut args = vec!["SCAN", cursor.as_str()];
        args.extend_from_slice(extra);
        let r = call(c, &args).array();
        assert_eq!(r.len(), 2);
        calls += 1;
        seen.extend(r[1].strings());
        cursor = r[0].text();
        if cursor == "0" {
            break;
        }
        assert!(calls < 100_000, "SCAN never returned to 0");
    }
    (seen, calls)
}

#[test]
fn scan_visits_every_key_and_returns_to_zero() {
    let srv = Server::start();
    let mut con = srv.client();
    let mut p = redis::pipe();
    for i in 0..500 {
        p.cmd("SET").arg(format!("k:{i}")).arg(i).ignore();
    }
    p.query::<()>(&mut con).unwrap();
    let mut c = srv.raw();
    let (seen, calls) = scan_all(&mut c, &["COUNT", "10"]);
    let set: HashSet<_> = seen.into_iter().collect();
    assert_eq!(set.len(), 500);
    assert!(calls > 1, "COUNT 10 over 500 keys must take several calls");
}

#[test]
fn scan_match_filters() {
    let srv = Server::start();
    let mut c = srv.raw();
    for i in 0..100 {
        cmd(&mut c, &["SET", &format!("user:{i}"), "x"]);
        cmd(&mut c, &["SET", &format!("item:{i}"), "x"]);
    }
    let (seen, _) = scan_all(&mut c, &["MATCH", "user:*", "COUNT", "7"]);
    let set: HashSet<_> = seen.into_iter().collect();
    assert_eq!(set.len(), 100);
    assert!(set.iter().all(|k| k.starts_with("user:")));
}

#[test]
fn scan_type_filters() {
    let srv = Server::start();
    let mut c = srv.raw();
    cmd(&mut c, &["MSET", "a", "1", "b", "2", "hello", "3"]);
    let (seen, _) = scan_all(&mut c, &["TYPE", "string", "COUNT", "100"]);
    assert_eq!(sorted(seen), v(&["a", "b", "hello"]));
    let (seen, _) = scan_all(&mut c, &["TYPE", "list"]);
    assert!(seen.is_empty());
    // An unknown type name is not an error; it just matches nothing.
    let (seen, _) = scan_all(&mut c, &["TYPE", "nosuchtype"]);
    assert!(seen.is_empty());
    let (seen, _) = scan_all(&mut c, &["type", "STRING", "match", "h*"]);
    assert_eq!(seen, v(&["hello"]));
}

#[test]
fn scan_empty_db_returns_zero_cursor() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SCAN", "0"]), b"*2\r\n$1\r\n0\r\n*0\r\n");
}

#[test]
fn scan_errors() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    assert_eq!(cmd(&mut c, &["SCAN", "abc"]), b"-ERR invalid cursor\r\n");
    assert_eq!(
        cmd(&mut c, &["SCAN", "18446744073709551616"]),
        b"-ERR invalid cursor\r\n"
    );
    assert_eq!(cmd(&mut c, &["SCAN", "0", "COUNT", "0"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SCAN", "0", "COUNT", "-1"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SCAN", "0", "COUNT", "abc"]), NOT_INT);
    assert_eq!(cmd(&mut c, &["SCAN", "0", "foo", "bar"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["SCAN", "0", "MATCH"]), SYNTAX);
}

#[test]
fn scan_is_complete_while_keyspace_grows() {
    let srv = Server::start();
    let mut con = srv.client();
    let mut p = redis::pipe();
    for i in 0..2000 {
        p.cmd("SET").arg(format!("orig:{i}")).arg("v").ignore();
    }
    p.query::<()>(&mut con).unwrap();

    let mut seen: HashSet<String> = HashSet::new();
    let mut cursor: u64 = 0;
    let mut inserted = 0usize;
    let mut calls = 0usize;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("COUNT")
            .arg(10)
            .query(&mut con)
            .unwrap();
        calls += 1;
        seen.extend(batch);
        cursor = next;
        if cursor == 0 {
            break;
        }
        // Grow the keyspace between calls (forces rehashing/resizing).
        if inserted < 20_000 {
            let mut p = redis::pipe();
            for i in inserted..(inserted + 500).min(20_000) {
                p.cmd("SET").arg(format!("new:{i}")).arg("v").ignore();
            }
            inserted = (inserted + 500).min(20_000);
            p.query::<()>(&mut con).unwrap();
        }
        assert!(calls < 1_000_000, "SCAN never finished");
    }
    assert_eq!(inserted, 20_000, "the scan should outlive the inserts");
    let missing: Vec<_> = (0..2000)
        .map(|i| format!("orig:{i}"))
        .filter(|k| !seen.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "SCAN missed {} original keys: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
}

// --- DBSIZE / SELECT / SWAPDB / FLUSH* -----------------------------------------------

#[test]
fn dbsize_counts_keys_per_db() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    cmd(&mut c, &["MSET", "a", "1", "b", "2"]);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":2\r\n");
    cmd(&mut c, &["SELECT", "3"]);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    assert_eq!(
        cmd(&mut c, &["DBSIZE", "foo"]),
        b"-ERR wrong number of arguments for 'dbsize' command\r\n"
    );
}

#[test]
fn select_isolates_databases() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "k", "db0"]);
    assert_eq!(cmd(&mut c, &["SELECT", "15"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "k"]), NIL);
    cmd(&mut c, &["SET", "k", "db15"]);
    cmd(&mut c, &["SELECT", "0"]);
    assert_eq!(cmd(&mut c, &["GET", "k"]), b"$3\r\ndb0\r\n");
}

#[test]
fn select_is_per_connection() {
    let srv = Server::start();
    let mut a = srv.raw();
    let mut b = srv.raw();
    cmd(&mut a, &["SELECT", "1"]);
    cmd(&mut a, &["SET", "k", "in1"]);
    assert_eq!(cmd(&mut b, &["GET", "k"]), NIL);
}

#[test]
fn select_out_of_range() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SELECT", "16"]), DB_RANGE);
    assert_eq!(cmd(&mut c, &["SELECT", "-1"]), DB_RANGE);
    assert_eq!(cmd(&mut c, &["SELECT", "abc"]), NOT_INT);
}

#[test]
fn swapdb_swaps_contents_for_all_clients() {
    let srv = Server::start();
    let mut c = srv.raw();
    let mut other = srv.raw();
    cmd(&mut c, &["SET", "a", "0"]);
    cmd(&mut c, &["SELECT", "1"]);
    cmd(&mut c, &["SET", "b", "1"]);
    assert_eq!(cmd(&mut c, &["SWAPDB", "0", "1"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "a"]), b"$1\r\n0\r\n");
    assert_eq!(cmd(&mut c, &["GET", "b"]), NIL);
    // A client that stayed in db 0 now sees the old db 1.
    assert_eq!(cmd(&mut other, &["GET", "b"]), b"$1\r\n1\r\n");
    assert_eq!(cmd(&mut other, &["GET", "a"]), NIL);
    assert_eq!(cmd(&mut c, &["SWAPDB", "0", "0"]), OK);
}

#[test]
fn swapdb_errors() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SWAPDB", "0", "16"]), DB_RANGE);
    assert_eq!(
        cmd(&mut c, &["SWAPDB", "abc", "0"]),
        b"-ERR invalid first DB index\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SWAPDB", "0", "abc"]),
        b"-ERR invalid second DB index\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SWAPDB", "0"]),
        b"-ERR wrong number of arguments for 'swapdb' command\r\n"
    );
}

#[test]
fn flushdb_only_current_db() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "a", "1"]);
    cmd(&mut c, &["SELECT", "1"]);
    cmd(&mut c, &["SET", "b", "1"]);
    assert_eq!(cmd(&mut c, &["FLUSHDB"]), OK);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    cmd(&mut c, &["SELECT", "0"]);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["FLUSHDB", "ASYNC"]), OK);
    assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    assert_eq!(cmd(&mut c, &["FLUSHDB", "sync"]), OK);
    assert_eq!(cmd(&mut c, &["FLUSHDB", "foo"]), SYNTAX);
    assert_eq!(cmd(&mut c, &["FLUSHDB", "ASYNC", "SYNC"]), SYNTAX);
}

#[test]
fn flushall_clears_every_db() {
    let (_s, mut c) = conn();
    for (mode, db) in [(None, "1"), (Some("ASYNC"), "2"), (Some("SYNC"), "3")] {
        cmd(&mut c, &["SELECT", "0"]);
        cmd(&mut c, &["SET", "a", "1"]);
        cmd(&mut c, &["SELECT", db]);
        cmd(&mut c, &["SET", "b", "1"]);
        let r = match mode {
            None => cmd(&mut c, &["FLUSHALL"]),
            Some(m) => cmd(&mut c, &["FLUSHALL", m]),
        };
        assert_eq!(r, OK);
        assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
        cmd(&mut c, &["SELECT", "0"]);
        assert_eq!(cmd(&mut c, &["DBSIZE"]), b":0\r\n");
    }
    assert_eq!(cmd(&mut c, &["FLUSHALL", "foo"]), SYNTAX);
}

#[test]
fn db_index_32_bit_and_order_of_errors() {
    let (_s, mut c) = conn();
    let range32 = b"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n";
    assert_eq!(cmd(&mut c, &["SELECT", "99999999999"]), range32.to_vec());
    assert_eq!(cmd(&mut c, &["SET", "k", "v"]), OK);
    assert_eq!(cmd(&mut c, &["MOVE", "k", "99999999999"]), range32.to_vec());
    assert_eq!(
        cmd(&mut c, &["COPY", "k", "k2", "DB", "4294967296"]),
        range32.to_vec()
    );
    assert_eq!(cmd(&mut c, &["COPY", "k", "k2", "DB", "16"]), DB_RANGE);
    assert_eq!(
        cmd(&mut c, &["SWAPDB", "100", "abc"]),
        b"-ERR invalid second DB index\r\n"
    );
}

#[test]
fn scan_cursor_parses_as_strtoull() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SET", "k", "v"]), OK);
    let r = call(&mut c, &["SCAN", ""]).array();
    assert_eq!(r[0].bulk().unwrap(), b"0");
    assert_eq!(r[1].strings(), vec!["k"]);
    assert_eq!(call(&mut c, &["SCAN", "-1"]).array().len(), 2);
    assert_eq!(cmd(&mut c, &["SCAN", " 1"]), b"-ERR invalid cursor\r\n");
    assert_eq!(
        cmd(&mut c, &["SCAN", "18446744073709551616"]),
        b"-ERR invalid cursor\r\n"
    );
}
