//! COMMAND, COMMAND COUNT / LIST / INFO / DOCS / GETKEYS /
//! GETKEYSANDFLAGS: Redis 7.0.15's reply shapes. Where the two servers'
//! command sets differ (ferrite has fewer commands), the tests compare
//! entries for commands both have.

mod common;

use common::*;

#[test]
fn command_info_exact_bytes() {
    let srv = Server::start();
    let mut c = srv.raw();
    let get = b"*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
    let mut want = b"*2\r\n".to_vec();
    want.extend_from_slice(get);
    want.extend_from_slice(b"$-1\r\n");
    assert_eq!(cmd(&mut c, &["COMMAND", "INFO", "GET", "nosuch"]), want);
    // Commands without keys, and the connection commands' flags.
    assert_eq!(
        cmd(&mut c, &["COMMAND", "INFO", "hello"]),
        &b"*1\r\n*10\r\n$5\r\nhello\r\n:-1\r\n*6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no_auth\r\n+allow_busy\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"[..]
    );
    // RESP3: flags, categories, tips and key specs are sets; a missing
    // command is `_`.
    cmd3(&mut c, &["HELLO", "3"]);
    let r = cmd3(&mut c, &["COMMAND", "INFO", "get", "nosuch"]);
    let s = String::from_utf8_lossy(&r);
    assert!(
        s.starts_with("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"),
        "{s}"
    );
    assert!(s.ends_with("~0\r\n_\r\n"), "{s}");
}

#[test]
fn command_info_of_a_container_lists_its_subcommands() {
    let srv = Server::start();
    let mut c = srv.raw();
    let r = call(&mut c, &["COMMAND", "INFO", "config"]).array();
    let top = r[0].array();
    assert_eq!(top[0].text(), "config");
    assert_eq!(top[1], Reply::Int(-2));
    assert_eq!(
        top[2],
        Reply::Array(Some(vec![])),
        "containers have no flags"
    );
    assert_eq!(top[6].strings(), ["@slow"]);
    let subs = top[9].array();
    let names: Vec<String> = subs.iter().map(|s| s.array()[0].text()).collect();
    for n in [
        "config|get",
        "config|set",
        "config|resetstat",
        "config|help",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    let get = subs
        .iter()
        .find(|s| s.array()[0].text() == "config|get")
        .unwrap()
        .array();
    assert_eq!(get[1], Reply::Int(-3));
    assert_eq!(get[2].strings(), ["admin", "noscript", "loading", "stale"]);
    assert_eq!(get[6].strings(), ["@admin", "@slow", "@dangerous"]);
    // A subcommand by its full name.
    let one = call(&mut c, &["COMMAND", "INFO", "client|list"]).array();
    let l = one[0].array();
    assert_eq!(l[0].text(), "client|list");
    assert_eq!(
        l[6].strings(),
        ["@admin", "@slow", "@dangerous", "@connection"]
    );
}

#[test]
fn command_count_list_and_filters() {
    let srv = Server::start();
    let mut c = srv.raw();
    let count = call(&mut c, &["COMMAND", "COUNT"]).int();
    let all = call(&mut c, &["COMMAND"]).array();
    assert_eq!(all.len() as i64, count);
    assert_eq!(
        call(&mut c, &["COMMAND", "INFO"]).array().len() as i64,
        count
    );
    let list = call(&mut c, &["COMMAND", "LIST"]).strings();
    let top = list.iter().filter(|n| !n.contains('|')).count() as i64;
    assert_eq!(top, count);
    for n in [
        "get",
        "set",
        "client|list",
        "config|get",
        "command|docs",
        "hello",
        "auth",
    ] {
        assert!(list.iter().any(|x| x == n), "{n}");
    }
    let mut got = call(
        &mut c,
        &["COMMAND", "LIST", "FILTERBY", "pattern", "client|*"],
    )
    .strings();
    got.sort();
    for n in [
        "client|id",
        "client|kill",
        "client|list",
        "client|pause",
        "client|reply",
    ] {
        assert!(got.iter().any(|x| x == n), "{n} in {got:?}");
    }
    let conn = call(
        &mut c,
        &["COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection"],
    )
    .strings();
    for n in [
        "ping",
        "auth",
        "hello",
        "select",
        "client|setname",
        "command",
    ] {
        assert!(conn.iter().any(|x| x == n), "{n} in {conn:?}");
    }
    assert!(!conn.iter().any(|x| x == "get"));
    assert_eq!(
        cmd(&mut c, &["COMMAND", "LIST", "FILTERBY", "aclcat", "nosuch"]),
        b"*0\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "LIST", "FILTERBY", "module", "x"]),
        b"*0\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "LIST", "FILTERBY", "foo", "x"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "LIST", "FILTERBY", "aclcat"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "LIST", "x"]),
        b"-ERR syntax error\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "COUNT", "x"]),
        b"-ERR wrong number of arguments for 'command|count' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "FOO"]),
        b"-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n"
    );
    let help = call(&mut c, &["COMMAND", "HELP"]).strings();
    assert_eq!(help.len(), 21);
    assert_eq!(help[1], "(no subcommand)");
}

#[test]
fn command_docs_shapes() {
    let srv = Server::start();
    let mut c = srv.raw();
    // RESP2: a flat name/doc list; docs are flat key/value lists.
    let r = call(&mut c, &["COMMAND", "DOCS", "get", "nosuch"]).array();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].text(), "get");
    let d = r[1].array();
    let keys: Vec<String> = d.iter().step_by(2).map(|k| k.text()).collect();
    assert_eq!(
        keys,
        ["summary", "since", "group", "complexity", "arguments"]
    );
    assert_eq!(d[3].text(), "1.0.0");
    assert_eq!(d[5].text(), "string");
    assert_eq!(d[7].text(), "O(1)");
    assert_eq!(
        d[9],
        Reply::Array(Some(vec![Reply::Array(Some(vec![
            Reply::Bulk(Some(b"name".to_vec())),
            Reply::Bulk(Some(b"key".to_vec())),
            Reply::Bulk(Some(b"type".to_vec())),
            Reply::Bulk(Some(b"key".to_vec())),
            Reply::Bulk(Some(b"key_spec_index".to_vec())),
            Reply::Int(0),
        ]))]))
    );
    assert_eq!(cmd(&mut c, &["COMMAND", "DOCS", "nosuch"]), b"*0\r\n");
    // SET's options: a oneof of pure tokens, then tokens with values.
    let set = call(&mut c, &["COMMAND", "DOCS", "set"]).array()[1].array();
    let args = set
        .iter()
        .position(|x| *x == Reply::Bulk(Some(b"arguments".to_vec())))
        .unwrap();
    let args = set[args + 1].array();
    assert_eq!(args.len(), 5);
    let cond = args[2].array();
    assert!(
        cond.contains(&Reply::Bulk(Some(b"oneof".to_vec()))),
        "{cond:?}"
    );
    // Containers document their subcommands.
    let cfg = call(&mut c, &["COMMAND", "DOCS", "config"]).array()[1].array();
    let keys: Vec<String> = cfg.iter().step_by(2).map(|k| k.text()).collect();
    assert_eq!(
        keys,
        ["summary", "since", "group", "complexity", "subcommands"]
    );
    // RESP3: maps.
    cmd3(&mut c, &["HELLO", "3"]);
    let r = cmd3(&mut c, &["COMMAND", "DOCS", "get"]);
    assert!(
        r.starts_with(b"%1\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n"),
        "{:?}",
        String::from_utf8_lossy(&r)
    );
    assert!(r.ends_with(b"$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n"));
    // Every command's docs parse (what redis-cli reads at start).
    let all = cmd3(&mut c, &["COMMAND", "DOCS"]);
    assert!(all.starts_with(b"%"));
}

#[test]
fn command_getkeys() {
    let srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "set", "a", "b"]),
        b"*1\r\n$1\r\na\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"]),
        b"*2\r\n$1\r\na\r\n$1\r\nc\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "del", "a", "b", "c"]),
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "rename", "a", "b"]),
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "set", "a"]),
        b"-ERR Invalid number of arguments specified for command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "nosuch", "a"]),
        b"-ERR Invalid command specified\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "config", "get", "x"]),
        b"-ERR The command has no key arguments\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYS", "get"]),
        b"-ERR wrong number of arguments for 'command|getkeys' command\r\n"
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYSANDFLAGS", "get", "k"]),
        b"*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n"
    );
    // Each key with its own spec's flags.
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"]),
        &b"*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"[..]
    );
    assert_eq!(
        cmd(&mut c, &["COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"]),
        &b"*2\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"[..]
    );
    // Two key specs in COMMAND INFO.
    let info = call(&mut c, &["COMMAND", "INFO", "rename"]).array()[0].array();
    assert_eq!(info[8].array().len(), 2);
}
