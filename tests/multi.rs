//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, as Redis 7.0.
mod common;

use common::*;
use std::net::TcpStream;
use std::time::Duration;

const OK: &[u8] = b"+OK\r\n";
const QUEUED: &[u8] = b"+QUEUED\r\n";
const NULL_ARRAY: &[u8] = b"*-1\r\n";
const EXECABORT: &[u8] = b"-EXECABORT Transaction discarded because of previous errors.\r\n";

fn two() -> (Server, TcpStream, TcpStream) {
    let srv = Server::start();
    let a = srv.raw();
    let b = srv.raw();
    (srv, a, b)
}

/// MULTI, the commands (each must answer QUEUED), then EXEC's raw reply.
fn transaction(c: &mut TcpStream, cmds: &[&[&str]]) -> Vec<u8> {
    assert_eq!(cmd(c, &["MULTI"]), OK);
    for args in cmds {
        assert_eq!(cmd(c, args), QUEUED, "queueing {args:?}");
    }
    cmd(c, &["EXEC"])
}

#[test]
fn exec_runs_queued_commands_in_order() {
    let (_s, mut a, _) = two();
    let got = transaction(
        &mut a,
        &[&["SET", "k", "1"], &["INCR", "k"], &["GET", "k"], &["PING"]],
    );
    assert_eq!(got, b"*4\r\n+OK\r\n:2\r\n$1\r\n2\r\n+PONG\r\n");
    assert_eq!(transaction(&mut a, &[]), b"*0\r\n");
}

#[test]
fn runtime_errors_are_returned_in_place_and_the_rest_runs() {
    let (_s, mut a, _) = two();
    let got = transaction(
        &mut a,
        &[&["SET", "k", "abc"], &["INCR", "k"], &["SET", "j", "1"]],
    );
    assert_eq!(
        got,
        b"*3\r\n+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n"
    );
    assert_eq!(cmd(&mut a, &["GET", "j"]), b"$1\r\n1\r\n");
}

#[test]
fn queue_time_errors_abort_exec() {
    let (_s, mut a, _) = two();
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["SET", "k", "1"]), QUEUED);
    assert_eq!(
        cmd(&mut a, &["NOSUCHCMD", "x"]),
        b"-ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' \r\n"
    );
    assert_eq!(cmd(&mut a, &["EXEC"]), EXECABORT);
    assert_eq!(cmd(&mut a, &["EXISTS", "k"]), b":0\r\n");
    // The transaction is over.
    assert_eq!(cmd(&mut a, &["EXEC"]), b"-ERR EXEC without MULTI\r\n");

    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(
        cmd(&mut a, &["GET"]),
        b"-ERR wrong number of arguments for 'get' command\r\n"
    );
    assert_eq!(cmd(&mut a, &["SET", "k", "1"]), QUEUED);
    assert_eq!(cmd(&mut a, &["EXEC"]), EXECABORT);
    assert_eq!(cmd(&mut a, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn misplaced_transaction_commands() {
    let (_s, mut a, _) = two();
    assert_eq!(cmd(&mut a, &["EXEC"]), b"-ERR EXEC without MULTI\r\n");
    assert_eq!(cmd(&mut a, &["DISCARD"]), b"-ERR DISCARD without MULTI\r\n");
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    // Neither error aborts the transaction.
    assert_eq!(
        cmd(&mut a, &["MULTI"]),
        b"-ERR MULTI calls can not be nested\r\n"
    );
    assert_eq!(
        cmd(&mut a, &["WATCH", "x"]),
        b"-ERR WATCH inside MULTI is not allowed\r\n"
    );
    assert_eq!(cmd(&mut a, &["SET", "a", "1"]), QUEUED);
    assert_eq!(cmd(&mut a, &["EXEC"]), b"*1\r\n+OK\r\n");
    assert_eq!(
        cmd(&mut a, &["MULTI", "x"]),
        b"-ERR wrong number of arguments for 'multi' command\r\n"
    );
}

#[test]
fn discard_drops_the_queue_and_the_watches() {
    let (_s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "w"]), OK);
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["SET", "k", "1"]), QUEUED);
    assert_eq!(cmd(&mut a, &["DISCARD"]), OK);
    assert_eq!(cmd(&mut a, &["EXISTS", "k"]), b":0\r\n");
    assert_eq!(cmd(&mut b, &["SET", "w", "changed"]), OK);
    // No longer watched: this transaction runs.
    assert_eq!(transaction(&mut a, &[&["SET", "k", "2"]]), b"*1\r\n+OK\r\n");
}

#[test]
fn queued_commands_keep_their_arguments() {
    let (_s, mut a, _) = two();
    let big = "x".repeat(100_000);
    let got = transaction(
        &mut a,
        &[&["SET", "big", &big], &["STRLEN", "big"], &["ECHO", ""]],
    );
    assert_eq!(got, b"*3\r\n+OK\r\n:100000\r\n$0\r\n\r\n");
}

#[test]
fn watch_fails_exec_when_another_client_modifies_the_key() {
    let (_s, mut a, mut b) = two();
    cmd(&mut a, &["SET", "k", "1"]);
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    assert_eq!(cmd(&mut b, &["SET", "k", "2"]), OK);
    assert_eq!(transaction(&mut a, &[&["SET", "k", "mine"]]), NULL_ARRAY);
    assert_eq!(cmd(&mut a, &["GET", "k"]), b"$1\r\n2\r\n");
    // EXEC unwatched everything: the next transaction runs.
    cmd(&mut b, &["SET", "k", "3"]);
    assert_eq!(
        transaction(&mut a, &[&["SET", "k", "mine"]]),
        b"*1\r\n+OK\r\n"
    );
}

#[test]
fn watch_unmodified_key_lets_exec_run() {
    let (_s, mut a, mut b) = two();
    cmd(&mut a, &["SET", "k", "1"]);
    assert_eq!(cmd(&mut a, &["WATCH", "k", "missing"]), OK);
    assert_eq!(cmd(&mut b, &["GET", "k"]), b"$1\r\n1\r\n");
    assert_eq!(cmd(&mut b, &["SET", "other", "1"]), OK);
    assert_eq!(transaction(&mut a, &[&["INCR", "k"]]), b"*1\r\n:2\r\n");
}

#[test]
fn watch_sees_in_place_changes_and_deletion() {
    let (_s, mut a, mut b) = two();
    for change in [
        &["INCR", "k"][..],
        &["APPEND", "k", "x"],
        &["SETRANGE", "k", "0", "9"],
        &["DEL", "k"],
        &["EXPIRE", "k", "100"],
        &["SET", "k", "1"], // the same value still counts, as in Redis
        &["GETDEL", "k"],
        &["RENAME", "k", "k2"],
    ] {
        cmd(&mut a, &["SET", "k", "1"]);
        assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
        cmd(&mut b, change);
        assert_eq!(
            transaction(&mut a, &[&["PING"]]),
            NULL_ARRAY,
            "after {change:?}"
        );
    }
}

#[test]
fn watch_ignores_writes_that_change_nothing() {
    let (_s, mut a, mut b) = two();
    for noop in [
        &["SETNX", "k", "2"][..],
        &["SET", "k", "2", "NX"],
        &["DEL", "missing"],
        &["SET", "missing", "1", "XX"],
        &["PERSIST", "k"],
        &["EXPIRE", "missing", "10"],
        &["INCR", "notanumber"],
    ] {
        cmd(&mut a, &["SET", "k", "1"]);
        cmd(&mut a, &["SET", "notanumber", "x"]);
        assert_eq!(cmd(&mut a, &["WATCH", "k", "missing", "notanumber"]), OK);
        cmd(&mut b, noop);
        assert_eq!(
            transaction(&mut a, &[&["PING"]]),
            b"*1\r\n+PONG\r\n",
            "after {noop:?}"
        );
    }
}

#[test]
fn watch_of_a_missing_key_fails_when_it_is_created() {
    let (_s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    cmd(&mut b, &["SET", "k", "v"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
}

#[test]
fn watch_fails_exec_when_the_key_expires() {
    let (_s, mut a, _) = two();
    cmd(&mut a, &["SET", "k", "1", "PX", "300"]);
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    std::thread::sleep(Duration::from_millis(450));
    // Expired by now: deleted by active expiry or found stale by EXEC.
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
}

#[test]
fn watch_detects_lazy_expiry_at_exec() {
    let (_s, mut a, _) = two();
    cmd(&mut a, &["SET", "k", "1", "PX", "300"]);
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["GET", "k"]), QUEUED);
    std::thread::sleep(Duration::from_millis(450));
    assert_eq!(cmd(&mut a, &["EXEC"]), NULL_ARRAY);
}

#[test]
fn watch_of_an_already_expired_key_does_not_fail_exec() {
    let (_s, mut a, _) = two();
    cmd(&mut a, &["SET", "k", "1", "PX", "1"]);
    std::thread::sleep(Duration::from_millis(10));
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(transaction(&mut a, &[&["PING"]]), b"*1\r\n+PONG\r\n");
}

#[test]
fn flushdb_and_flushall_touch_existing_watched_keys() {
    let (_s, mut a, mut b) = two();
    for flush in [&["FLUSHDB"][..], &["FLUSHALL"]] {
        cmd(&mut a, &["SET", "k", "1"]);
        assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
        cmd(&mut b, flush);
        assert_eq!(
            transaction(&mut a, &[&["PING"]]),
            NULL_ARRAY,
            "after {flush:?}"
        );
        // A watched key that does not exist is not affected.
        assert_eq!(cmd(&mut a, &["WATCH", "nokey"]), OK);
        cmd(&mut b, &["SET", "other", "1"]);
        cmd(&mut b, flush);
        assert_eq!(transaction(&mut a, &[&["PING"]]), b"*1\r\n+PONG\r\n");
    }
}

#[test]
fn flush_of_another_database_does_not_touch() {
    let (_s, mut a, mut b) = two();
    cmd(&mut a, &["SET", "k", "1"]);
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    cmd(&mut b, &["SELECT", "1"]);
    cmd(&mut b, &["SET", "k", "1"]);
    cmd(&mut b, &["FLUSHDB"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), b"*1\r\n+PONG\r\n");
}

#[test]
fn swapdb_touches_watched_keys() {
    let (_s, mut a, mut b) = two();
    // A key that exists in the watched database.
    cmd(&mut a, &["SET", "k", "1"]);
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    cmd(&mut b, &["SWAPDB", "0", "1"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
    cmd(&mut b, &["FLUSHALL"]);
    // A missing key that the other database brings in.
    cmd(&mut b, &["SELECT", "1"]);
    cmd(&mut b, &["SET", "x", "1"]);
    assert_eq!(cmd(&mut a, &["WATCH", "x"]), OK);
    cmd(&mut b, &["SWAPDB", "0", "1"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
    // Neither database has it: untouched.
    assert_eq!(cmd(&mut a, &["WATCH", "nokey"]), OK);
    cmd(&mut b, &["SWAPDB", "0", "1"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), b"*1\r\n+PONG\r\n");
}

#[test]
fn watch_remembers_the_database_of_the_key() {
    let (_s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    cmd(&mut a, &["SELECT", "1"]);
    cmd(&mut b, &["SELECT", "1"]);
    cmd(&mut b, &["SET", "k", "db1"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), b"*1\r\n+PONG\r\n");
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    cmd(&mut a, &["SELECT", "0"]);
    cmd(&mut b, &["SET", "k", "db1 again"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
}

#[test]
fn unwatch_forgets_the_keys() {
    let (_s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    assert_eq!(cmd(&mut a, &["UNWATCH"]), OK);
    cmd(&mut b, &["SET", "k", "2"]);
    assert_eq!(transaction(&mut a, &[&["PING"]]), b"*1\r\n+PONG\r\n");
    // UNWATCH inside MULTI is queued, as in Redis.
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["UNWATCH"]), QUEUED);
    assert_eq!(cmd(&mut a, &["EXEC"]), b"*1\r\n+OK\r\n");
}

#[test]
fn a_transaction_breaks_other_clients_watches() {
    let (_s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    assert_eq!(transaction(&mut b, &[&["INCR", "k"]]), b"*1\r\n:1\r\n");
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
}

#[test]
fn closing_a_watching_client_leaves_no_trace() {
    let (s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    drop(a);
    cmd(&mut b, &["SET", "k", "1"]);
    let mut c = s.raw();
    assert_eq!(cmd(&mut c, &["WATCH", "k"]), OK);
    assert_eq!(transaction(&mut c, &[&["GET", "k"]]), b"*1\r\n$1\r\n1\r\n");
}

#[test]
fn redis_rs_atomic_pipeline() {
    let s = Server::start();
    let mut con = s.client();
    let (a, b): (i64, String) = redis::pipe()
        .atomic()
        .cmd("SET")
        .arg("k")
        .arg(5)
        .ignore()
        .cmd("INCRBY")
        .arg("k")
        .arg(10)
        .cmd("GET")
        .arg("k")
        .query(&mut con)
        .expect("atomic pipeline");
    assert_eq!((a, b), (15, "15".to_string()));
}

#[test]
fn redis_rs_optimistic_update_with_watch() {
    let s = Server::start();
    let mut con = s.client();
    let mut other = s.client();
    redis::cmd("SET").arg("n").arg(1).exec(&mut con).unwrap();
    let mut attempts = 0;
    let result: (i64,) = redis::transaction(&mut con, &["n"], |con, pipe| {
        attempts += 1;
        let n: i64 = redis::cmd("GET").arg("n").query(con)?;
        if attempts == 1 {
            // Somebody else changes it between WATCH and EXEC.
            redis::cmd("INCR").arg("n").exec(&mut other)?;
        }
        pipe.set("n", n * 10).ignore().get("n").query(con)
    })
    .expect("transaction");
    assert_eq!(attempts, 2);
    assert_eq!(result, (20,));
}

/// True (and says so) when the server lacks `command` (types that other
/// work adds): the test that needs it returns early.
fn lacks(c: &mut TcpStream, command: &[&str]) -> bool {
    let r = cmd(c, command);
    if r.starts_with(b"-ERR unknown command") {
        println!("skipped: {} is not implemented yet", command[0]);
        return true;
    }
    false
}

#[test]
fn watch_on_collections_is_precise() {
    let (_s, mut a, mut b) = two();
    cmd(&mut a, &["RPUSH", "list", "x"]);
    cmd(&mut a, &["HSET", "hash", "f", "v"]);
    // Sets and sorted sets join when their commands exist.
    let sets = !lacks(&mut a, &["SADD", "set", "m"]);
    let zsets = !lacks(&mut a, &["ZADD", "zset", "1", "m"]);
    let watch_all = ["WATCH", "set", "hash", "list", "zset"];
    // Writes that change nothing leave the watch intact.
    let mut noops: Vec<&[&str]> = vec![
        &["HDEL", "hash", "nofield"],
        &["HSETNX", "hash", "f", "w"],
        &["LREM", "list", "0", "nothing"],
        &["LINSERT", "list", "BEFORE", "nopivot", "y"],
        &["LPUSHX", "nolist", "y"],
    ];
    if sets {
        noops.extend([&["SADD", "set", "m"][..], &["SREM", "set", "other"]]);
    }
    if zsets {
        noops.push(&["ZREM", "zset", "nomember"]);
    }
    for noop in noops {
        assert_eq!(cmd(&mut a, &watch_all), OK);
        cmd(&mut b, noop);
        assert_eq!(
            transaction(&mut a, &[&["PING"]]),
            b"*1\r\n+PONG\r\n",
            "after {noop:?}"
        );
    }
    // Writes that change the value in place break it.
    let mut changes: Vec<&[&str]> = vec![
        &["HSET", "hash", "f", "changed"],
        &["HINCRBY", "hash", "n", "1"],
        &["RPUSH", "list", "y"],
        &["LSET", "list", "0", "z"],
        &["LMPOP", "1", "list", "RIGHT"],
        &["LPOP", "list"],
    ];
    if sets {
        changes.push(&["SADD", "set", "n"]);
    }
    if zsets {
        changes.push(&["ZINCRBY", "zset", "1", "m"]);
    }
    for change in changes {
        assert_eq!(cmd(&mut a, &watch_all), OK);
        cmd(&mut b, change);
        assert_eq!(
            transaction(&mut a, &[&["PING"]]),
            NULL_ARRAY,
            "after {change:?}"
        );
    }
}

#[test]
fn blocking_commands_answer_at_once_inside_exec() {
    let (_s, mut a, _) = two();
    let got = transaction(
        &mut a,
        &[
            &["BLPOP", "empty", "0"],
            &["RPUSH", "l", "x"],
            &["BRPOP", "l", "0"],
        ],
    );
    assert_eq!(got, b"*3\r\n*-1\r\n:1\r\n*2\r\n$1\r\nl\r\n$1\r\nx\r\n");
}

#[test]
fn a_served_blocked_client_breaks_watches_on_what_it_writes() {
    let s = Server::start();
    let mut a = s.raw();
    let mut blocked = s.raw();
    let mut pusher = s.raw();
    cmd(&mut a, &["RPUSH", "dst", "old"]);
    // BLMOVE src dst waits; a push to src wakes it, and it pushes onto dst
    // in place.
    send_raw(
        &mut blocked,
        &encode(&[b"BLMOVE", b"src", b"dst", b"LEFT", b"LEFT", b"0"]),
    );
    // Wait until it is blocked where INFO says so; otherwise give it a
    // moment (if the push came first, BLMOVE would not block, and the
    // watch must break all the same).
    poll_until(Duration::from_millis(300), || {
        let info = cmd(&mut a, &["INFO", "clients"]);
        String::from_utf8_lossy(&info).contains("blocked_clients:1")
    });
    assert_eq!(cmd(&mut a, &["WATCH", "dst"]), OK);
    assert_eq!(cmd(&mut pusher, &["RPUSH", "src", "v"]), b":1\r\n");
    assert_eq!(read_reply_bytes(&mut blocked), b"$1\r\nv\r\n");
    assert_eq!(transaction(&mut a, &[&["PING"]]), NULL_ARRAY);
    assert_eq!(
        cmd(&mut a, &["LRANGE", "dst", "0", "-1"]),
        b"*2\r\n$1\r\nv\r\n$3\r\nold\r\n"
    );
}

#[test]
fn failed_exec_is_a_resp3_null() {
    use std::io::Read;
    let (_s, mut a, mut b) = two();
    // HELLO's reply is a RESP3 map, which the raw reader does not parse:
    // read what arrives instead.
    send_raw(&mut a, &encode(&[b"HELLO", b"3"]));
    std::thread::sleep(Duration::from_millis(100));
    a.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut hello = vec![0u8; 4096];
    let n = a.read(&mut hello).unwrap_or(0);
    if hello[..n].starts_with(b"-ERR unknown command") {
        println!("skipped: HELLO is not implemented yet");
        return;
    }
    assert!(hello[..n].starts_with(b"%"), "{:?}", &hello[..n]);
    a.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    cmd(&mut b, &["SET", "k", "1"]);
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["PING"]), QUEUED);
    // The raw reader knows no RESP3 null either: read its three bytes.
    send_raw(&mut a, &encode(&[b"EXEC"]));
    assert_eq!(read_exact_bytes(&mut a, 3), b"_\r\n");
}

#[test]
fn discard_clears_a_broken_watch() {
    let (_s, mut a, mut b) = two();
    assert_eq!(cmd(&mut a, &["WATCH", "x"]), OK);
    cmd(&mut b, &["SET", "x", "10"]);
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["DISCARD"]), OK);
    assert_eq!(transaction(&mut a, &[&["INCR", "x"]]), b"*1\r\n:11\r\n");
    // UNWATCH with nothing watched is fine too.
    assert_eq!(cmd(&mut a, &["UNWATCH"]), OK);
}

#[test]
fn reset_leaves_the_transaction_and_the_watches() {
    let (_s, mut a, mut b) = two();
    if lacks(&mut a, &["RESET"]) {
        return;
    }
    assert_eq!(cmd(&mut a, &["WATCH", "k"]), OK);
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(cmd(&mut a, &["SET", "k", "1"]), QUEUED);
    assert_eq!(cmd(&mut a, &["RESET"]), b"+RESET\r\n");
    assert_eq!(cmd(&mut a, &["EXEC"]), b"-ERR EXEC without MULTI\r\n");
    cmd(&mut b, &["SET", "k", "2"]);
    assert_eq!(transaction(&mut a, &[&["GET", "k"]]), b"*1\r\n$1\r\n2\r\n");
}

#[test]
fn no_multi_commands_are_refused_inside_multi() {
    let (_s, mut a, _) = two();
    assert_eq!(cmd(&mut a, &["MULTI"]), OK);
    assert_eq!(
        cmd(&mut a, &["SHUTDOWN", "NOSAVE"]),
        b"-ERR Command not allowed inside a transaction\r\n"
    );
    assert_eq!(cmd(&mut a, &["EXEC"]), EXECABORT);
}
