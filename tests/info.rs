//! INFO: sections and their order, every field Redis 7.0.15 prints (so
//! redis_exporter finds them), commandstats / errorstats / latencystats
//! formats and semantics (rejected vs failed calls), CONFIG RESETSTAT.
mod common;

use common::*;
use std::net::TcpStream;

const OK: &[u8] = b"+OK\r\n";

fn conn() -> (Server, TcpStream) {
    let srv = Server::start();
    let c = srv.raw();
    (srv, c)
}

/// The `# Name` headers of an INFO reply, in order.
fn headers(info: &str) -> Vec<String> {
    info.lines()
        .filter_map(|l| l.strip_prefix("# "))
        .map(String::from)
        .collect()
}

fn info_args(c: &mut TcpStream, args: &[&str]) -> String {
    let mut a = vec!["INFO"];
    a.extend_from_slice(args);
    call(c, &a).text()
}

const DEFAULT: &[&str] = &[
    "Server",
    "Clients",
    "Memory",
    "Persistence",
    "Stats",
    "Replication",
    "CPU",
    "Modules",
    "Errorstats",
    "Cluster",
    "Keyspace",
];

const EVERYTHING: &[&str] = &[
    "Server",
    "Clients",
    "Memory",
    "Persistence",
    "Stats",
    "Replication",
    "CPU",
    "Modules",
    "Commandstats",
    "Errorstats",
    "Latencystats",
    "Cluster",
    "Keyspace",
];

#[test]
fn sections_and_their_order() {
    let (_s, mut c) = conn();
    assert_eq!(headers(&info_args(&mut c, &[])), DEFAULT);
    assert_eq!(headers(&info_args(&mut c, &["default"])), DEFAULT);
    assert_eq!(headers(&info_args(&mut c, &["all"])), EVERYTHING);
    assert_eq!(headers(&info_args(&mut c, &["EVERYTHING"])), EVERYTHING);
    // Several sections (7.0): printed in Redis's order, not the asked one.
    assert_eq!(
        headers(&info_args(&mut c, &["clients", "server"])),
        ["Server", "Clients"]
    );
    assert_eq!(
        headers(&info_args(&mut c, &["cpu", "default"])),
        DEFAULT,
        "a section already in default is not repeated"
    );
    assert_eq!(
        headers(&info_args(&mut c, &["commandstats", "keyspace"])),
        ["Commandstats", "Keyspace"]
    );
    assert_eq!(cmd(&mut c, &["INFO", "nosuch"]), b"$0\r\n\r\n");
    // Sections are separated by one empty line, lines end with CRLF.
    let two = info_args(&mut c, &["server", "clients"]);
    assert!(two.contains("\r\n\r\n# Clients\r\n"), "{two:?}");
    assert!(two.ends_with("\r\n"));
}

/// Every field Redis 7.0.15 prints in `INFO everything` on a fresh server
/// (values vary; names must all be there).
const FIELDS: &[(&str, &[&str])] = &[
    (
        "server",
        &[
            "redis_version",
            "redis_git_sha1",
            "redis_git_dirty",
            "redis_build_id",
            "redis_mode",
            "os",
            "arch_bits",
            "monotonic_clock",
            "multiplexing_api",
            "atomicvar_api",
            "gcc_version",
            "process_id",
            "process_supervised",
            "run_id",
            "tcp_port",
            "server_time_usec",
            "uptime_in_seconds",
            "uptime_in_days",
            "hz",
            "configured_hz",
            "lru_clock",
            "executable",
            "config_file",
            "io_threads_active",
        ],
    ),
    (
        "clients",
        &[
            "connected_clients",
            "cluster_connections",
            "maxclients",
            "client_recent_max_input_buffer",
            "client_recent_max_output_buffer",
            "blocked_clients",
            "tracking_clients",
            "clients_in_timeout_table",
        ],
    ),
    (
        "memory",
        &[
            "used_memory",
            "used_memory_human",
            "used_memory_rss",
            "used_memory_rss_human",
            "used_memory_peak",
            "used_memory_peak_human",
            "used_memory_peak_perc",
            "used_memory_overhead",
            "used_memory_startup",
            "used_memory_dataset",
            "used_memory_dataset_perc",
            "allocator_allocated",
            "allocator_active",
            "allocator_resident",
            "total_system_memory",
            "total_system_memory_human",
            "used_memory_lua",
            "used_memory_vm_eval",
            "used_memory_lua_human",
            "used_memory_scripts_eval",
            "number_of_cached_scripts",
            "number_of_functions",
            "number_of_libraries",
            "used_memory_vm_functions",
            "used_memory_vm_total",
            "used_memory_vm_total_human",
            "used_memory_functions",
            "used_memory_scripts",
            "used_memory_scripts_human",
            "maxmemory",
            "maxmemory_human",
            "maxmemory_policy",
            "allocator_frag_ratio",
            "allocator_frag_bytes",
            "allocator_rss_ratio",
            "allocator_rss_bytes",
            "rss_overhead_ratio",
            "rss_overhead_bytes",
            "mem_fragmentation_ratio",
            "mem_fragmentation_bytes",
            "mem_not_counted_for_evict",
            "mem_replication_backlog",
            "mem_total_replication_buffers",
            "mem_clients_slaves",
            "mem_clients_normal",
            "mem_cluster_links",
            "mem_aof_buffer",
            "mem_allocator",
            "active_defrag_running",
            "lazyfree_pending_objects",
            "lazyfreed_objects",
        ],
    ),
    (
        "persistence",
        &[
            "loading",
            "async_loading",
            "current_cow_peak",
            "current_cow_size",
            "current_cow_size_age",
            "current_fork_perc",
            "current_save_keys_processed",
            "current_save_keys_total",
            "rdb_changes_since_last_save",
            "rdb_bgsave_in_progress",
            "rdb_last_save_time",
            "rdb_last_bgsave_status",
            "rdb_last_bgsave_time_sec",
            "rdb_current_bgsave_time_sec",
            "rdb_saves",
            "rdb_last_cow_size",
            "rdb_last_load_keys_expired",
            "rdb_last_load_keys_loaded",
            "aof_enabled",
            "aof_rewrite_in_progress",
            "aof_rewrite_scheduled",
            "aof_last_rewrite_time_sec",
            "aof_current_rewrite_time_sec",
            "aof_last_bgrewrite_status",
            "aof_rewrites",
            "aof_rewrites_consecutive_failures",
            "aof_last_write_status",
            "aof_last_cow_size",
            "module_fork_in_progress",
            "module_fork_last_cow_size",
        ],
    ),
    (
        "stats",
        &[
            "total_connections_received",
            "total_commands_processed",
            "instantaneous_ops_per_sec",
            "total_net_input_bytes",
            "total_net_output_bytes",
            "total_net_repl_input_bytes",
            "total_net_repl_output_bytes",
            "instantaneous_input_kbps",
            "instantaneous_output_kbps",
            "instantaneous_input_repl_kbps",
            "instantaneous_output_repl_kbps",
            "rejected_connections",
            "sync_full",
            "sync_partial_ok",
            "sync_partial_err",
            "expired_keys",
            "expired_stale_perc",
            "expired_time_cap_reached_count",
            "expire_cycle_cpu_milliseconds",
            "evicted_keys",
            "evicted_clients",
            "total_eviction_exceeded_time",
            "current_eviction_exceeded_time",
            "keyspace_hits",
            "keyspace_misses",
            "pubsub_channels",
            "pubsub_patterns",
            "pubsubshard_channels",
            "latest_fork_usec",
            "total_forks",
            "migrate_cached_sockets",
            "slave_expires_tracked_keys",
            "active_defrag_hits",
            "active_defrag_misses",
            "active_defrag_key_hits",
            "active_defrag_key_misses",
            "total_active_defrag_time",
            "current_active_defrag_time",
            "tracking_total_keys",
            "tracking_total_items",
            "tracking_total_prefixes",
            "unexpected_error_replies",
            "total_error_replies",
            "dump_payload_sanitizations",
            "total_reads_processed",
            "total_writes_processed",
            "io_threaded_reads_processed",
            "io_threaded_writes_processed",
            "reply_buffer_shrinks",
            "reply_buffer_expands",
        ],
    ),
    (
        "replication",
        &[
            "role",
            "connected_slaves",
            "master_failover_state",
            "master_replid",
            "master_replid2",
            "master_repl_offset",
            "second_repl_offset",
            "repl_backlog_active",
            "repl_backlog_size",
            "repl_backlog_first_byte_offset",
            "repl_backlog_histlen",
        ],
    ),
    (
        "cpu",
        &[
            "used_cpu_sys",
            "used_cpu_user",
            "used_cpu_sys_children",
            "used_cpu_user_children",
            "used_cpu_sys_main_thread",
            "used_cpu_user_main_thread",
        ],
    ),
    ("cluster", &["cluster_enabled"]),
];

#[test]
fn every_redis_field_is_present() {
    let (_s, mut c) = conn();
    let all = info_args(&mut c, &["everything"]);
    for (section, fields) in FIELDS {
        let text = info_args(&mut c, &[section]);
        for f in *fields {
            assert!(
                info_field(&text, f).is_some(),
                "INFO {section} lacks {f}:\n{text}"
            );
            assert!(info_field(&all, f).is_some(), "INFO everything lacks {f}");
        }
    }
    // A few values with fixed meaning on a fresh, non-persisting server.
    assert_eq!(info_field(&all, "role").as_deref(), Some("master"));
    assert_eq!(
        info_field(&all, "rdb_bgsave_in_progress").as_deref(),
        Some("0")
    );
    assert_eq!(info_field(&all, "aof_enabled").as_deref(), Some("0"));
    assert_eq!(info_field(&all, "loading").as_deref(), Some("0"));
    assert_eq!(info_field(&all, "cluster_enabled").as_deref(), Some("0"));
    assert_eq!(info_field(&all, "redis_version").as_deref(), Some("7.0.15"));
    let peak_perc = info_field(&all, "used_memory_peak_perc").unwrap();
    assert!(peak_perc.ends_with('%'), "{peak_perc}");
    let cpu = info_field(&all, "used_cpu_user").unwrap();
    assert_eq!(cpu.split('.').nth(1).map(str::len), Some(6), "{cpu}");
}

#[test]
fn keyspace_lines() {
    let (_s, mut c) = conn();
    assert_eq!(cmd(&mut c, &["SET", "a", "1"]), OK);
    assert_eq!(cmd(&mut c, &["SET", "b", "1", "EX", "100"]), OK);
    let ks = info_args(&mut c, &["keyspace"]);
    let line = info_field(&ks, "db0").unwrap();
    assert!(line.starts_with("keys=2,expires=1,avg_ttl="), "{line}");
    assert!(info_field(&ks, "db1").is_none());
}

/// `cmdstat_<name>:calls=..,usec=..,usec_per_call=..,rejected_calls=..,failed_calls=..`
fn cmdstat(c: &mut TcpStream, name: &str) -> Option<(u64, u64, f64, u64, u64)> {
    let text = info_args(c, &["commandstats"]);
    let v = info_field(&text, &format!("cmdstat_{name}"))?;
    let parts: Vec<&str> = v.split(',').collect();
    assert_eq!(parts.len(), 5, "{v}");
    let val = |i: usize, key: &str| {
        parts[i]
            .strip_prefix(&format!("{key}="))
            .unwrap_or_else(|| panic!("{key} in {v}"))
            .to_string()
    };
    let per_call = val(2, "usec_per_call");
    assert_eq!(
        per_call.split('.').nth(1).map(str::len),
        Some(2),
        "two decimals: {v}"
    );
    Some((
        val(0, "calls").parse().unwrap(),
        val(1, "usec").parse().unwrap(),
        per_call.parse().unwrap(),
        val(3, "rejected_calls").parse().unwrap(),
        val(4, "failed_calls").parse().unwrap(),
    ))
}

#[test]
fn commandstats_calls_rejected_and_failed() {
    let (_s, mut c) = conn();
    assert!(cmdstat(&mut c, "get").is_none(), "no line before a call");
    assert_eq!(cmd(&mut c, &["SET", "s", "abc"]), OK);
    assert_eq!(cmd(&mut c, &["GET", "s"]), b"$3\r\nabc\r\n");
    // Rejected: refused before running (arity).
    assert_eq!(
        cmd(&mut c, &["GET"]),
        b"-ERR wrong number of arguments for 'get' command\r\n"
    );
    // Failed: ran and replied an error.
    assert_eq!(
        cmd(&mut c, &["INCR", "s"]),
        b"-ERR value is not an integer or out of range\r\n"
    );
    let (calls, _, _, rejected, failed) = cmdstat(&mut c, "get").unwrap();
    assert_eq!((calls, rejected, failed), (1, 1, 0));
    let (calls, _, _, rejected, failed) = cmdstat(&mut c, "incr").unwrap();
    assert_eq!((calls, rejected, failed), (1, 0, 1));
    // Only rejected: the line exists with no calls.
    assert_eq!(
        cmd(&mut c, &["STRLEN"]),
        b"-ERR wrong number of arguments for 'strlen' command\r\n"
    );
    let (calls, usec, _, rejected, _) = cmdstat(&mut c, "strlen").unwrap();
    assert_eq!((calls, usec, rejected), (0, 0, 1));
    // Subcommands are counted apart, named parent|sub.
    call(&mut c, &["CONFIG", "GET", "hz"]);
    assert_eq!(cmdstat(&mut c, "config|get").unwrap().0, 1);
    assert!(cmdstat(&mut c, "config").is_none());
    // A subcommand's arity error is a rejection of that subcommand.
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET"]),
        b"-ERR wrong number of arguments for 'config|get' command\r\n"
    );
    assert_eq!(cmdstat(&mut c, "config|get").unwrap().3, 1);
    // DEBUG SLEEP's time shows in usec.
    assert_eq!(cmd(&mut c, &["DEBUG", "SLEEP", "0.01"]), OK);
    let (calls, usec, per_call, _, _) = cmdstat(&mut c, "debug").unwrap();
    assert_eq!(calls, 1);
    assert!(usec >= 10_000, "{usec}");
    assert!(per_call >= 10_000.0);
}

#[test]
fn errorstats_and_total_error_replies() {
    let (_s, mut c) = conn();
    assert!(!info_args(&mut c, &["errorstats"]).contains("errorstat_"));
    // Unknown command and unknown subcommand: errors counted, no cmdstat.
    call(&mut c, &["NOSUCHCMD"]);
    call(&mut c, &["CONFIG", "NOSUCHSUB"]);
    call(&mut c, &["GET"]);
    call(&mut c, &["INCRBYFLOAT", "k", "x"]);
    let es = info_args(&mut c, &["errorstats"]);
    assert_eq!(info_field(&es, "errorstat_ERR").as_deref(), Some("count=4"));
    let st = info_args(&mut c, &["stats"]);
    assert_eq!(info_field(&st, "total_error_replies").as_deref(), Some("4"));
    assert!(cmdstat(&mut c, "config").is_none());
    assert!(cmdstat(&mut c, "nosuchcmd").is_none());
}

#[test]
fn total_commands_processed_counts_only_commands_that_ran() {
    let (_s, mut c) = conn();
    let n = |c: &mut TcpStream| -> u64 {
        info_field(&info_args(c, &["stats"]), "total_commands_processed")
            .unwrap()
            .parse()
            .unwrap()
    };
    let before = n(&mut c);
    call(&mut c, &["GET"]);
    call(&mut c, &["NOSUCH"]);
    call(&mut c, &["PING"]);
    // The INFO that measured `before` ran, then PING.
    assert_eq!(n(&mut c), before + 2);
    let ops = info_field(&info_args(&mut c, &["stats"]), "instantaneous_ops_per_sec").unwrap();
    assert!(ops.parse::<u64>().is_ok(), "{ops}");
}

#[test]
fn latencystats_percentiles() {
    let (_s, mut c) = conn();
    call(&mut c, &["SET", "a", "1"]);
    call(&mut c, &["DEBUG", "SLEEP", "0.002"]);
    let ls = info_args(&mut c, &["latencystats"]);
    let set = info_field(&ls, "latency_percentiles_usec_set").unwrap();
    let keys: Vec<&str> = set
        .split(',')
        .map(|p| p.split('=').next().unwrap())
        .collect();
    assert_eq!(keys, ["p50", "p99", "p99.9"], "{set}");
    for p in set.split(',') {
        let v = p.split('=').nth(1).unwrap();
        assert_eq!(v.split('.').nth(1).map(str::len), Some(3), "{set}");
    }
    let debug = info_field(&ls, "latency_percentiles_usec_debug").unwrap();
    let p50: f64 = debug
        .strip_prefix("p50=")
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(p50 >= 2000.0, "{debug}");
    // The percentiles listed follow the directive.
    assert_eq!(
        cmd(
            &mut c,
            &[
                "CONFIG",
                "SET",
                "latency-tracking-info-percentiles",
                "12.5 100"
            ]
        ),
        OK
    );
    let ls = info_args(&mut c, &["latencystats"]);
    let set = info_field(&ls, "latency_percentiles_usec_set").unwrap();
    assert!(set.starts_with("p12.5=") && set.contains(",p100="), "{set}");
    // Not in the default INFO.
    assert!(!info_args(&mut c, &[]).contains("latency_percentiles_usec_"));
    // With tracking off, reset histograms stay empty.
    assert_eq!(
        cmd(&mut c, &["CONFIG", "SET", "latency-tracking", "no"]),
        OK
    );
    assert_eq!(cmd(&mut c, &["CONFIG", "RESETSTAT"]), OK);
    call(&mut c, &["SET", "a", "2"]);
    let ls = info_args(&mut c, &["latencystats"]);
    assert!(
        info_field(&ls, "latency_percentiles_usec_set").is_none(),
        "{ls}"
    );
    assert_eq!(
        cmdstat(&mut c, "set").unwrap().0,
        1,
        "commandstats still count"
    );
}

#[test]
fn resetstat_clears_command_error_and_server_counters() {
    let (_s, mut c) = conn();
    call(&mut c, &["SET", "a", "1"]);
    call(&mut c, &["GET", "a"]);
    call(&mut c, &["GET", "nosuch"]);
    call(&mut c, &["NOSUCH"]);
    assert_eq!(cmd(&mut c, &["CONFIG", "RESETSTAT"]), OK);
    let all = info_args(&mut c, &["everything"]);
    assert!(!all.contains("cmdstat_get"), "{all}");
    assert!(!all.contains("errorstat_"));
    assert!(!all.contains("latency_percentiles_usec_get"));
    assert_eq!(
        info_field(&all, "total_error_replies").as_deref(),
        Some("0")
    );
    assert_eq!(info_field(&all, "keyspace_hits").as_deref(), Some("0"));
    assert_eq!(info_field(&all, "keyspace_misses").as_deref(), Some("0"));
    // CONFIG RESETSTAT itself ran after the reset.
    assert!(all.contains("cmdstat_config|resetstat:calls=1,"), "{all}");
    assert_eq!(
        info_field(&all, "total_commands_processed").as_deref(),
        Some("1")
    );
}

#[test]
fn protocol_errors_are_counted() {
    let srv = Server::start();
    let mut bad = srv.raw();
    send_raw(&mut bad, b"*1\r\n$abc\r\n");
    assert_eq!(
        read_reply_bytes(&mut bad),
        b"-ERR Protocol error: invalid bulk length\r\n"
    );
    expect_closed(&mut bad);
    let mut c = srv.raw();
    let es = info_args(&mut c, &["errorstats"]);
    assert_eq!(info_field(&es, "errorstat_ERR").as_deref(), Some("count=1"));
}

#[test]
fn blocked_clients_are_counted() {
    let srv = Server::start();
    let mut waiter = srv.raw();
    let mut c = srv.raw();
    send_raw(&mut waiter, &encode(&[b"BLPOP", b"list", b"0"]));
    let blocked = |c: &mut TcpStream| info_field(&info(c, "clients"), "blocked_clients");
    assert!(
        poll_until(std::time::Duration::from_secs(5), || blocked(&mut c)
            .as_deref()
            == Some("1")),
        "{:?}",
        blocked(&mut c)
    );
    assert_eq!(cmd(&mut c, &["RPUSH", "list", "x"]), b":1\r\n");
    assert_eq!(
        read_reply_bytes(&mut waiter),
        b"*2\r\n$4\r\nlist\r\n$1\r\nx\r\n"
    );
    assert_eq!(blocked(&mut c).as_deref(), Some("0"));
}

#[test]
fn a_container_without_subcommand_counts_as_itself() {
    let (_s, mut c) = conn();
    assert!(!call(&mut c, &["COMMAND"]).array().is_empty());
    call(&mut c, &["COMMAND", "COUNT"]);
    assert_eq!(cmdstat(&mut c, "command").unwrap().0, 1);
    assert_eq!(cmdstat(&mut c, "command|count").unwrap().0, 1);
}
