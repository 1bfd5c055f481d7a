//! Lua scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, the redis.*
//! API, conversions, the sandbox, busy scripts, as Redis 7.0.
mod common;

use common::*;
use std::net::TcpStream;
use std::time::{Duration, Instant};

const RELEASE: &str = "if redis.call('get',KEYS[1]) == ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end";
const BUSY: &[u8] =
    b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

fn eval(c: &mut TcpStream, body: &str) -> Vec<u8> {
    cmd(c, &["EVAL", body, "0"])
}

/// The SHA1 the server gives a script body.
fn sha(c: &mut TcpStream, body: &str) -> String {
    let r = cmd(c, &["SCRIPT", "LOAD", body]);
    String::from_utf8(r[5..45].to_vec()).unwrap()
}

/// Redis 7.0's error reply for a script failing at `line`.
fn script_err(c: &mut TcpStream, body: &str, msg: &str, line: u32) -> Vec<u8> {
    format!(
        "-{msg} script: {}, on @user_script:{line}.\r\n",
        sha(c, body)
    )
    .into_bytes()
}

#[test]
fn seed_lock_pattern_end_to_end() {
    let s = Server::start();
    let mut a = s.raw();
    let mut b = s.raw();
    assert_eq!(
        cmd(&mut a, &["SET", "resource", "token-a", "NX", "EX", "10"]),
        b"+OK\r\n"
    );
    // Held: nobody else acquires it.
    assert_eq!(
        cmd(&mut b, &["SET", "resource", "token-b", "NX", "EX", "10"]),
        b"$-1\r\n"
    );
    let ttl = cmd(&mut b, &["TTL", "resource"]);
    assert!(ttl == b":10\r\n" || ttl == b":9\r\n", "{ttl:?}");
    // A client that does not hold the lock cannot release it.
    assert_eq!(
        cmd(&mut b, &["EVAL", RELEASE, "1", "resource", "token-b"]),
        b":0\r\n"
    );
    assert_eq!(cmd(&mut b, &["GET", "resource"]), b"$7\r\ntoken-a\r\n");
    // The holder can.
    assert_eq!(
        cmd(&mut a, &["EVAL", RELEASE, "1", "resource", "token-a"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut a, &["EXISTS", "resource"]), b":0\r\n");
    // Released twice: nothing to do.
    assert_eq!(
        cmd(&mut a, &["EVAL", RELEASE, "1", "resource", "token-a"]),
        b":0\r\n"
    );
    // Now b acquires it, and a's stale token cannot release b's lock.
    assert_eq!(
        cmd(&mut b, &["SET", "resource", "token-b", "NX", "EX", "10"]),
        b"+OK\r\n"
    );
    let sha = sha(&mut a, RELEASE);
    assert_eq!(
        cmd(&mut a, &["EVALSHA", &sha, "1", "resource", "token-a"]),
        b":0\r\n"
    );
    assert_eq!(
        cmd(&mut b, &["EVALSHA", &sha, "1", "resource", "token-b"]),
        b":1\r\n"
    );
}

#[test]
fn lua_to_resp_conversions() {
    let (_s, mut c) = conn();
    let cases: &[(&str, &[u8])] = &[
        ("return 1", b":1\r\n"),
        ("return 3.99", b":3\r\n"),
        ("return -3.99", b":-3\r\n"),
        ("return 1e20", b":-9223372036854775808\r\n"),
        ("return 'x'", b"$1\r\nx\r\n"),
        ("return true", b":1\r\n"),
        ("return false", b"$-1\r\n"),
        ("return nil", b"$-1\r\n"),
        ("return {1,2,nil,4}", b"*2\r\n:1\r\n:2\r\n"),
        ("return {1,2,x=3}", b"*2\r\n:1\r\n:2\r\n"),
        ("return {false,true,'a'}", b"*3\r\n$-1\r\n:1\r\n$1\r\na\r\n"),
        (
            "return {1, 2.9, 'x', {3, {}}}",
            b"*4\r\n:1\r\n:2\r\n$1\r\nx\r\n*2\r\n:3\r\n*0\r\n",
        ),
        ("return {ok='fine'}", b"+fine\r\n"),
        ("return {err='My Error'}", b"-My Error\r\n"),
        ("return {err='x\\r\\ny'}", b"-x  y\r\n"),
        ("return {err=3}", b"*0\r\n"),
        ("return {1, {err='x'}}", b"*2\r\n:1\r\n-x\r\n"),
        ("return redis.status_reply('X')", b"+X\r\n"),
        ("return redis.error_reply('xx')", b"-ERR xx\r\n"),
        ("return redis.error_reply('-XX yy')", b"-XX yy\r\n"),
        ("return {double=3.5}", b"$3\r\n3.5\r\n"),
        ("return {map={a=1}}", b"*2\r\n$1\r\na\r\n:1\r\n"),
    ];
    for (body, want) in cases {
        assert_eq!(eval(&mut c, body), *want, "{body}");
    }
}

#[test]
fn resp_to_lua_conversions() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "x"]);
    let cases: &[(&str, &[u8])] = &[
        (
            "return type(redis.call('get','nokey'))",
            b"$7\r\nboolean\r\n",
        ),
        ("return redis.call('get','nokey')", b"$-1\r\n"),
        ("return redis.call('ping')", b"+PONG\r\n"),
        ("return redis.call('ping').ok", b"$4\r\nPONG\r\n"),
        ("return type(redis.call('incr','n'))", b"$6\r\nnumber\r\n"),
        (
            "return redis.call('mget','s','nokey')",
            b"*2\r\n$1\r\nx\r\n$-1\r\n",
        ),
        (
            "return redis.pcall('incr','s')['err']",
            b"$43\r\nERR value is not an integer or out of range\r\n",
        ),
        (
            "return redis.pcall('incr','s')",
            b"-ERR value is not an integer or out of range\r\n",
        ),
        (
            "local ok, e = pcall(redis.call, 'incr', 's'); return e",
            b"$43\r\nERR value is not an integer or out of range\r\n",
        ),
        (
            "redis.setresp(3); return type(redis.call('get','nokey'))",
            b"$3\r\nnil\r\n",
        ),
        (
            "redis.setresp(3); return redis.call('get','nokey')",
            b"$-1\r\n",
        ),
        (
            "return redis.pcall('quit')",
            b"-ERR This Redis command is not allowed from script\r\n",
        ),
        (
            "return redis.pcall('config','get','maxclients')",
            b"-ERR This Redis command is not allowed from script\r\n",
        ),
        ("return redis.call('set', 'f', 3.5)", b"+OK\r\n"),
        ("return redis.call('get', 'f')", b"$3\r\n3.5\r\n"),
        ("return redis.call('set', 'i', 10)", b"+OK\r\n"),
        ("return redis.call('get', 'i')", b"$2\r\n10\r\n"),
    ];
    for (body, want) in cases {
        assert_eq!(eval(&mut c, body), *want, "{body}");
    }
}

#[test]
fn error_replies_name_the_script_and_line() {
    let (_s, mut c) = conn();
    cmd(&mut c, &["SET", "s", "x"]);
    let cases: &[(&str, &str)] = &[
        (
            "return redis.call('incr','a','b')",
            "ERR Wrong number of args calling Redis command from script",
        ),
        (
            "return redis.call('incr','s')",
            "ERR value is not an integer or out of range",
        ),
        (
            "return redis.call('nosuch')",
            "ERR Unknown Redis command called from script",
        ),
        (
            "return redis.call()",
            "ERR Please specify at least one argument for this redis lib call",
        ),
        (
            "return redis.call('get',{})",
            "ERR Lua redis lib command arguments must be strings or integers",
        ),
        (
            "return redis.call('multi')",
            "ERR This Redis command is not allowed from script",
        ),
        (
            "return redis.call('eval','return 1','0')",
            "ERR This Redis command is not allowed from script",
        ),
        ("error('boom')", "ERR user_script:1: boom"),
        ("error({err='E1 boom'})", "E1 boom"),
        ("redis.setresp(4)", "ERR RESP version must be 2 or 3."),
        (
            "x = 1",
            "ERR user_script:1: Attempt to modify a readonly table",
        ),
        (
            "redis = 1",
            "ERR user_script:1: Attempt to modify a readonly table",
        ),
        (
            "return y",
            "ERR user_script:1: Script attempted to access nonexistent global variable 'y'",
        ),
        (
            "return print",
            "ERR user_script:1: Script attempted to access nonexistent global variable 'print'",
        ),
    ];
    for (body, msg) in cases {
        let want = script_err(&mut c, body, msg, 1);
        assert_eq!(
            eval(&mut c, body),
            want,
            "{body}: {}",
            String::from_utf8_lossy(&want)
        );
    }
    let body = "local a = 1\nlocal b = 2\nreturn redis.call('incr','s')";
    let want = script_err(
        &mut c,
        body,
        "ERR value is not an integer or out of range",
        3,
    );
    assert_eq!(eval(&mut c, body), want);
    assert_eq!(
        eval(&mut c, "return 1 +"),
        b"-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n"
    );
}

#[test]
fn evalsha_and_the_script_cache() {
    let (_s, mut c) = conn();
    let sha1 = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
    assert_eq!(
        cmd(&mut c, &["SCRIPT", "LOAD", "return 1"]),
        format!("$40\r\n{sha1}\r\n").into_bytes()
    );
    assert_eq!(
        cmd(&mut c, &["SCRIPT", "EXISTS", sha1, "ab"]),
        b"*2\r\n:1\r\n:0\r\n"
    );
    assert_eq!(cmd(&mut c, &["EVALSHA", sha1, "0"]), b":1\r\n");
    assert_eq!(
        cmd(&mut c, &["EVALSHA", &sha1.to_uppercase(), "0"]),
        b":1\r\n"
    );
    assert_eq!(cmd(&mut c, &["EVALSHA_RO", sha1, "0"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["SCRIPT", "FLUSH", "ASYNC"]), b"+OK\r\n");
    let noscript = b"-NOSCRIPT No matching script. Please use EVAL.\r\n";
    assert_eq!(cmd(&mut c, &["EVALSHA", sha1, "0"]), noscript);
    assert_eq!(cmd(&mut c, &["EVALSHA", "abc", "0"]), noscript);
    // EVAL caches what it runs.
    assert_eq!(cmd(&mut c, &["EVAL", "return 1", "0"]), b":1\r\n");
    assert_eq!(cmd(&mut c, &["EVALSHA", sha1, "0"]), b":1\r\n");
    assert_eq!(
        cmd(&mut c, &["SCRIPT", "FLUSH", "x"]),
        b"-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SCRIPT", "FOO"]),
        b"-ERR unknown subcommand 'FOO'. Try SCRIPT HELP.\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["SCRIPT", "KILL"]),
        b"-NOTBUSY No scripts in execution right now.\r\n"
    );
}

#[test]
fn numkeys_is_checked() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["EVAL", "return 1", "-1"]),
        b"-ERR Number of keys can't be negative\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EVAL", "return 1", "2", "a"]),
        b"-ERR Number of keys can't be greater than number of args\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EVAL", "return 1", "x"]),
        b"-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        cmd(
            &mut c,
            &[
                "EVAL",
                "return {KEYS[1], ARGV[1], #KEYS, #ARGV}",
                "1",
                "k",
                "a",
                "b"
            ]
        ),
        b"*4\r\n$1\r\nk\r\n$1\r\na\r\n:1\r\n:2\r\n"
    );
}

#[test]
fn read_only_scripts_refuse_writes() {
    let (_s, mut c) = conn();
    let body = "return redis.call('set','x','1')";
    let want = script_err(
        &mut c,
        body,
        "ERR Write commands are not allowed from read-only scripts.",
        1,
    );
    assert_eq!(cmd(&mut c, &["EVAL_RO", body, "0"]), want);
    assert_eq!(cmd(&mut c, &["EXISTS", "x"]), b":0\r\n");
    cmd(&mut c, &["SET", "x", "v"]);
    assert_eq!(
        cmd(
            &mut c,
            &["EVAL_RO", "return redis.call('get',KEYS[1])", "1", "x"]
        ),
        b"$1\r\nv\r\n"
    );
}

#[test]
fn scripts_may_touch_undeclared_keys_and_select_stays_inside() {
    let (_s, mut c) = conn();
    assert_eq!(
        eval(
            &mut c,
            "redis.call('set','undeclared','1'); redis.call('select','1'); return redis.call('set','indb1','v')"
        ),
        b"+OK\r\n"
    );
    assert_eq!(cmd(&mut c, &["GET", "undeclared"]), b"$1\r\n1\r\n");
    // The caller's database is unchanged.
    assert_eq!(cmd(&mut c, &["EXISTS", "indb1"]), b":0\r\n");
    cmd(&mut c, &["SELECT", "1"]);
    assert_eq!(cmd(&mut c, &["EXISTS", "indb1"]), b":1\r\n");
}

#[test]
fn scripts_are_atomic() {
    let s = Server::start();
    let mut a = s.raw();
    let mut b = s.raw();
    cmd(&mut a, &["SET", "counter", "0"]);
    // Increments interleaved with a busy loop: another client reading
    // meanwhile sees the value before the script or after it, never between.
    let body = "for i = 1, 100 do redis.call('incr', 'counter') \
                local x = 0 for j = 1, 20000 do x = x + j end end \
                return redis.call('get', 'counter')";
    send_raw(&mut a, &encode(&[b"EVAL", body.as_bytes(), b"0"]));
    let seen_final = poll_until(Duration::from_secs(10), || {
        let r = cmd(&mut b, &["GET", "counter"]);
        assert!(
            r == b"$1\r\n0\r\n" || r == b"$3\r\n100\r\n",
            "a partial script was visible: {r:?}"
        );
        r == b"$3\r\n100\r\n"
    });
    assert!(seen_final);
    assert_eq!(read_reply_bytes(&mut a), b"$3\r\n100\r\n");
}

#[test]
fn redis_helpers() {
    let (_s, mut c) = conn();
    assert_eq!(
        eval(&mut c, "return redis.sha1hex('')"),
        b"$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n"
    );
    assert_eq!(
        eval(&mut c, "redis.log(redis.LOG_WARNING, 'from a test')"),
        b"$-1\r\n"
    );
    assert_eq!(
        eval(&mut c, "return {redis.LOG_WARNING, redis.LOG_NOTICE}"),
        b"*2\r\n:3\r\n:2\r\n"
    );
    assert_eq!(
        eval(&mut c, "return redis.REDIS_VERSION"),
        b"$6\r\n7.0.15\r\n"
    );
    assert_eq!(
        eval(&mut c, "return cjson.encode({1,2,{a=1}})"),
        b"$13\r\n[1,2,{\"a\":1}]\r\n"
    );
    assert_eq!(
        eval(&mut c, "return cjson.decode('[1,2,{\"a\":7}]')[3].a"),
        b":7\r\n"
    );
    assert_eq!(
        eval(&mut c, "return bit.tohex(bit.band(0xff, 0x0f))"),
        b"$8\r\n0000000f\r\n"
    );
    assert_eq!(eval(&mut c, "return bit.tobit(0xffffffff)"), b":-1\r\n");
    assert_eq!(eval(&mut c, "return loadstring('return 7')()"), b":7\r\n");
}

#[test]
fn scripts_inside_transactions_and_watch() {
    let s = Server::start();
    let mut a = s.raw();
    let mut b = s.raw();
    assert_eq!(cmd(&mut a, &["MULTI"]), b"+OK\r\n");
    assert_eq!(
        cmd(
            &mut a,
            &["EVAL", "return redis.call('incr', KEYS[1])", "1", "n"]
        ),
        b"+QUEUED\r\n"
    );
    assert_eq!(cmd(&mut a, &["EXEC"]), b"*1\r\n:1\r\n");
    // A script's write breaks another client's WATCH.
    assert_eq!(cmd(&mut a, &["WATCH", "n"]), b"+OK\r\n");
    cmd(&mut b, &["EVAL", "return redis.call('incr', 'n')", "0"]);
    assert_eq!(cmd(&mut a, &["MULTI"]), b"+OK\r\n");
    assert_eq!(cmd(&mut a, &["GET", "n"]), b"+QUEUED\r\n");
    assert_eq!(cmd(&mut a, &["EXEC"]), b"*-1\r\n");
}

#[test]
fn busy_threshold_is_a_config_with_an_alias() {
    let (_s, mut c) = conn();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "busy-reply-threshold"]),
        b"*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n5000\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "lua-time-limit", "300"]),
        b"+OK\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "busy-reply-threshold"]),
        b"*2\r\n$20\r\nbusy-reply-threshold\r\n$3\r\n300\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "lua-time-limit"]),
        b"*2\r\n$14\r\nlua-time-limit\r\n$3\r\n300\r\n"
    );
}

/// Starts a script that loops forever on `a` and waits until `b` sees the
/// server busy.
fn start_busy_script(s: &Server, body: &str) -> (TcpStream, TcpStream) {
    let mut b = s.raw();
    assert_eq!(
        cmd(&mut b, &["CONFIG", "SET", "busy-reply-threshold", "100"]),
        b"+OK\r\n"
    );
    let mut a = s.raw();
    send_raw(&mut a, &encode(&[b"EVAL", body.as_bytes(), b"0"]));
    let start = Instant::now();
    // Fresh connections too are accepted and answered while busy.
    loop {
        let mut c = s.raw();
        let r = cmd(&mut c, &["PING"]);
        if r == BUSY {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "never busy: {r:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (a, b)
}

#[test]
fn script_kill_stops_a_busy_read_only_script() {
    let s = Server::start();
    let body = "local i = 0 while true do i = i + 1 end";
    let (mut a, mut b) = start_busy_script(&s, body);
    assert_eq!(cmd(&mut b, &["GET", "x"]), BUSY);
    // QUIT is allowed while busy, as in Redis.
    let mut q = s.raw();
    assert_eq!(cmd(&mut q, &["QUIT"]), b"+OK\r\n");
    assert_eq!(cmd(&mut b, &["SCRIPT", "KILL"]), b"+OK\r\n");
    let got = read_reply_bytes(&mut a);
    let mut c = s.raw();
    let want = script_err(
        &mut c,
        body,
        "ERR Script killed by user with SCRIPT KILL...",
        1,
    );
    assert_eq!(got, want);
    assert_eq!(cmd(&mut b, &["PING"]), b"+PONG\r\n");
    assert_eq!(
        cmd(&mut b, &["SCRIPT", "KILL"]),
        b"-NOTBUSY No scripts in execution right now.\r\n"
    );
    assert_eq!(cmd(&mut a, &["PING"]), b"+PONG\r\n");
}

#[test]
fn a_script_that_wrote_is_unkillable_but_shutdown_nosave_stops_it() {
    let mut s = Server::start();
    let body = "redis.call('set','w','1') local i = 0 while true do i = i + 1 end";
    let (_a, mut b) = start_busy_script(&s, body);
    assert_eq!(
        cmd(&mut b, &["SCRIPT", "KILL"]),
        b"-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n"
    );
    assert_eq!(cmd(&mut b, &["SET", "x", "1"]), BUSY);
    send_raw(&mut b, &encode(&[b"SHUTDOWN", b"NOSAVE"]));
    assert!(
        s.wait_exit(Duration::from_secs(5)).is_some(),
        "server still running after SHUTDOWN NOSAVE"
    );
}

#[test]
fn redis_rs_script_invocation() {
    let s = Server::start();
    let mut con = s.client();
    let script = redis::Script::new(RELEASE);
    redis::cmd("SET")
        .arg("lock")
        .arg("me")
        .arg("NX")
        .arg("EX")
        .arg(10)
        .exec(&mut con)
        .unwrap();
    // The first call gets NOSCRIPT for EVALSHA and falls back to EVAL.
    let n: i64 = script.key("lock").arg("other").invoke(&mut con).unwrap();
    assert_eq!(n, 0);
    let n: i64 = script.key("lock").arg("me").invoke(&mut con).unwrap();
    assert_eq!(n, 1);
    let exists: bool = redis::cmd("EXISTS").arg("lock").query(&mut con).unwrap();
    assert!(!exists);
}

#[test]
fn the_sandbox_holds_across_scripts() {
    let (_s, mut c) = conn();
    let cases: &[(&str, &str)] = &[
        (
            "rawset(_G, 'x', 1)",
            "ERR Attempt to modify a readonly table",
        ),
        (
            "rawset(redis, 'call', 1)",
            "ERR Attempt to modify a readonly table",
        ),
        (
            "setmetatable(_G, nil)",
            "ERR Attempt to modify a readonly table",
        ),
        (
            "table.insert = nil",
            "ERR user_script:1: Attempt to modify a readonly table",
        ),
        (
            "_G.x = 1",
            "ERR user_script:1: Attempt to modify a readonly table",
        ),
    ];
    for (body, msg) in cases {
        let want = script_err(&mut c, body, msg, 1);
        assert_eq!(eval(&mut c, body), want, "{body}");
    }
    // Code made by loadstring runs in the same read-only environment.
    let body = "loadstring('redis = nil')()";
    let want = format!(
        "-ERR [string \"redis = nil\"]:1: Attempt to modify a readonly table script: {}, on redis = nil:1.\r\n",
        sha(&mut c, body)
    );
    assert_eq!(eval(&mut c, body), want.into_bytes());
    // Nothing above changed what the next script sees.
    assert_eq!(
        eval(&mut c, "return {type(redis), type(table.insert), type(x)}"),
        b"-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: "
            .iter()
            .chain(sha(&mut c, "return {type(redis), type(table.insert), type(x)}").as_bytes())
            .chain(b", on @user_script:1.\r\n")
            .copied()
            .collect::<Vec<u8>>()
    );
    assert_eq!(
        eval(
            &mut c,
            "return {type(redis.call), type(table.insert), (\"ab\"):upper()}"
        ),
        b"*3\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n$2\r\nAB\r\n"
    );
}

#[test]
fn a_command_refused_while_busy_fails_the_transaction() {
    let s = Server::start();
    let mut m = s.raw();
    assert_eq!(cmd(&mut m, &["MULTI"]), b"+OK\r\n");
    assert_eq!(cmd(&mut m, &["SET", "k", "1"]), b"+QUEUED\r\n");
    let body = "local i = 0 while true do i = i + 1 end";
    let (mut a, mut b) = start_busy_script(&s, body);
    assert_eq!(cmd(&mut m, &["GET", "k"]), BUSY);
    // MULTI is allowed while busy (and nested here).
    assert_eq!(
        cmd(&mut m, &["MULTI"]),
        b"-ERR MULTI calls can not be nested\r\n"
    );
    let mut n = s.raw();
    assert_eq!(cmd(&mut n, &["MULTI"]), b"+OK\r\n");
    assert_eq!(cmd(&mut n, &["DISCARD"]), b"+OK\r\n");
    assert_eq!(cmd(&mut b, &["SCRIPT", "KILL"]), b"+OK\r\n");
    read_reply_bytes(&mut a);
    assert_eq!(
        cmd(&mut m, &["EXEC"]),
        b"-EXECABORT Transaction discarded because of previous errors.\r\n"
    );
    assert_eq!(cmd(&mut m, &["EXISTS", "k"]), b":0\r\n");
}

#[test]
fn shebang_flags_as_redis_7() {
    let (_s, mut c) = conn();
    assert_eq!(eval(&mut c, "#!lua\nreturn 1"), b":1\r\n");
    let body = "#!lua flags=no-writes\nreturn redis.call('set','x','1')";
    let want = script_err(
        &mut c,
        body,
        "ERR Write commands are not allowed from read-only scripts.",
        2,
    );
    assert_eq!(eval(&mut c, body), want);
    assert_eq!(
        eval(&mut c, "#!lua flags=bad\nreturn 1"),
        b"-ERR Unexpected flag in script shebang: bad\r\n"
    );
    assert_eq!(
        eval(&mut c, "#!lua name=x\nreturn 1"),
        b"-ERR Unknown lua shebang option: name=x\r\n"
    );
    assert_eq!(
        eval(&mut c, "#!python\nreturn 1"),
        b"-ERR Unexpected engine in script shebang: #!python\r\n"
    );
    assert_eq!(eval(&mut c, "#!lua"), b"-ERR Invalid script shebang\r\n");
    assert_eq!(
        cmd(
            &mut c,
            &["EVAL_RO", "#!lua\nreturn redis.call('set','x','1')", "0"]
        ),
        b"-ERR Can not execute a script with write flag using *_ro command.\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["EVAL_RO", "#!lua flags=no-writes\nreturn 3", "0"]),
        b":3\r\n"
    );
}

#[test]
fn blocking_commands_in_scripts_as_redis() {
    let (_s, mut c) = conn();
    // BLPOP and friends are refused; BLMPOP runs without blocking.
    assert_eq!(
        eval(&mut c, "return redis.pcall('blpop', 'nolist', '0')"),
        b"-ERR This Redis command is not allowed from script\r\n"
    );
    assert_eq!(
        eval(
            &mut c,
            "return redis.call('blmpop', '0', '1', 'nolist', 'LEFT')"
        ),
        b"$-1\r\n"
    );
    assert_eq!(
        eval(
            &mut c,
            "redis.call('rpush', 'bl', 'a') return redis.call('blmpop', '0', '1', 'bl', 'LEFT')"
        ),
        b"*2\r\n$2\r\nbl\r\n*1\r\n$1\r\na\r\n"
    );
}

#[test]
fn a_busy_server_still_requires_authentication() {
    let s = Server::start();
    let mut b = s.raw();
    // Set at run time (the harness pings redis-server unauthenticated).
    assert_eq!(
        cmd(&mut b, &["CONFIG", "SET", "requirepass", "pw"]),
        b"+OK\r\n"
    );
    assert_eq!(cmd(&mut b, &["AUTH", "pw"]), b"+OK\r\n");
    assert_eq!(
        cmd(&mut b, &["CONFIG", "SET", "busy-reply-threshold", "100"]),
        b"+OK\r\n"
    );
    let mut a = s.raw();
    assert_eq!(cmd(&mut a, &["AUTH", "pw"]), b"+OK\r\n");
    let body = "local i = 0 while true do i = i + 1 end";
    send_raw(&mut a, &encode(&[b"EVAL", body.as_bytes(), b"0"]));
    assert!(poll_until(Duration::from_secs(5), || cmd(
        &mut b,
        &["PING"]
    ) == BUSY));
    // A client that has not authenticated can neither kill nor shut down.
    let mut stranger = s.raw();
    assert_eq!(
        cmd(&mut stranger, &["SCRIPT", "KILL"]),
        b"-NOAUTH Authentication required.\r\n"
    );
    assert_eq!(
        cmd(&mut stranger, &["SHUTDOWN", "NOSAVE"]),
        b"-NOAUTH Authentication required.\r\n"
    );
    assert_eq!(cmd(&mut b, &["SCRIPT", "KILL"]), b"+OK\r\n");
    read_reply_bytes(&mut a);
}
