//! Server and connection commands: PING, ECHO, QUIT, TIME, CONFIG, DEBUG,
//! INFO, SHUTDOWN.

use std::fmt::Write as _;
use std::time::Duration;

use super::{Ctx, is};
use crate::db::{Ttl, Value};
use crate::errors;
use crate::resp::Args;
use crate::util::num::parse_i64;

/// Checks a subcommand's arity the way Redis checks a command's, naming
/// it `parent|sub` in the error.
pub(crate) fn sub_arity(ctx: &mut Ctx, args: &Args, parent: &str, sub: &str, arity: i32) -> bool {
    let argc = args.len() as i32;
    if (arity > 0 && argc != arity) || argc < -arity {
        errors::wrong_arity(&mut ctx.out, &format!("{parent}|{sub}"));
        return false;
    }
    true
}

/// PING [message]
pub fn ping(ctx: &mut Ctx, args: Args) {
    match args.len() {
        1 => ctx.out.raw(crate::resp::reply::PONG),
        2 => ctx.out.bulk(args.get(1)),
        _ => errors::wrong_arity(&mut ctx.out, "ping"),
    }
}

/// ECHO message
pub fn echo(ctx: &mut Ctx, args: Args) {
    ctx.out.bulk(args.get(1));
}

/// QUIT — replies OK, then the connection closes.
pub fn quit(ctx: &mut Ctx, _args: Args) {
    ctx.out.ok();
    ctx.client.close_after_reply = true;
}

/// TIME
pub fn time(ctx: &mut Ctx, _args: Args) {
    let us = ctx.shared.now_us;
    let mut b = itoa::Buffer::new();
    ctx.out.array(2);
    ctx.out.bulk(b.format(us / 1_000_000).as_bytes());
    ctx.out.bulk(b.format(us % 1_000_000).as_bytes());
}

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] — nothing to save: stops the
/// loop; the client sees the connection close, as with Redis.
pub fn shutdown(ctx: &mut Ctx, args: Args) {
    let (mut save, mut nosave, mut abort) = (false, false, false);
    for a in args.iter().skip(1) {
        if is(a, "save") {
            save = true;
        } else if is(a, "nosave") {
            nosave = true;
        } else if is(a, "abort") {
            abort = true;
        } else if !is(a, "now") && !is(a, "force") {
            return ctx.out.raw(errors::SYNTAX);
        }
    }
    if save && nosave || abort && args.len() > 2 {
        return ctx.out.raw(errors::SYNTAX);
    }
    if abort {
        // Shutdown is immediate here, so none is ever in progress.
        return ctx.out.raw(errors::NO_SHUTDOWN);
    }
    ctx.shared.shutdown = true;
    ctx.client.close_after_reply = true;
}

/// CONFIG GET parameter [parameter ...] | SET parameter value [...] |
/// RESETSTAT | HELP
pub fn config(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "get") {
        if !sub_arity(ctx, &args, "config", "get", -3) {
            return;
        }
        let patterns: Vec<&[u8]> = args.iter().skip(2).collect();
        let found = ctx.shared.config.get_matching(&patterns);
        ctx.out.map(found.len());
        for (name, value) in found {
            ctx.out.bulk(name.as_bytes());
            ctx.out.bulk(value.as_bytes());
        }
    } else if is(sub, "set") {
        if args.len() < 4 || args.len() % 2 == 1 {
            return errors::wrong_arity(&mut ctx.out, "config|set");
        }
        let mut pairs = Vec::with_capacity(args.len() / 2);
        for i in (2..args.len()).step_by(2) {
            // Names and values are ASCII; anything else fails validation later.
            pairs.push((
                String::from_utf8_lossy(args.get(i)),
                String::from_utf8_lossy(args.get(i + 1)),
            ));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (&**n, &**v)).collect();
        match ctx.shared.config.set_pairs(&pairs) {
            Ok(()) => ctx.out.ok(),
            Err(e) => ctx.out.error(e.as_bytes()),
        }
    } else if is(sub, "resetstat") {
        if sub_arity(ctx, &args, "config", "resetstat", 2) {
            ctx.shared.stats.reset();
            for db in &mut ctx.shared.dbs {
                db.expired = 0;
            }
            ctx.out.ok();
        }
    } else if is(sub, "help") {
        help(
            ctx,
            "CONFIG",
            &[
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "CONFIG", sub);
    }
}

pub(crate) fn help(ctx: &mut Ctx, cmd: &str, lines: &[&str]) {
    ctx.out.array(lines.len() + 3);
    ctx.out.simple(
        format!("{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").as_bytes(),
    );
    for l in lines {
        ctx.out.simple(l.as_bytes());
    }
    ctx.out.simple(b"HELP");
    ctx.out.simple(b"    Prints this help.");
}

/// DEBUG SLEEP seconds | POPULATE count [prefix] [size] | HELP
pub fn debug(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "sleep") && args.len() == 3 {
        // As Redis: strtod without error checking; garbage sleeps 0.
        let secs: f64 = std::str::from_utf8(args.get(2))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0.0);
        // Too large for a Duration means "for ever", as in Redis.
        if secs > 0.0 {
            std::thread::sleep(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
        }
        ctx.out.ok();
    } else if is(sub, "populate") && (3..=5).contains(&args.len()) {
        populate(ctx, args);
    } else if is(sub, "help") {
        help(
            ctx,
            "DEBUG",
            &[
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>, or <prefix>:<num>.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
            ],
        );
    } else {
        errors::subcommand_syntax(&mut ctx.out, "DEBUG", sub);
    }
}

/// DEBUG POPULATE count [prefix] [size], as Redis: keys `prefix:N` with
/// values `value:N`, zero-padded or cut to `size`; existing keys are kept.
fn populate(ctx: &mut Ctx, args: Args) {
    let Some(count) = parse_i64(args.get(2)).filter(|&n| n >= 0) else {
        return ctx.out.raw(errors::NOT_POSITIVE);
    };
    let size = if args.len() == 5 {
        match parse_i64(args.get(4)).filter(|&n| n >= 0) {
            Some(s) => Some(s as usize),
            None => return ctx.out.raw(errors::NOT_POSITIVE),
        }
    } else {
        None
    };
    let prefix: &[u8] = if args.len() >= 4 { args.get(3) } else { b"key" };
    let now = ctx.now();
    let db = ctx.db();
    let mut key = Vec::with_capacity(prefix.len() + 21);
    let mut val = Vec::with_capacity(32);
    let mut n = itoa::Buffer::new();
    for i in 0..count as u64 {
        key.clear();
        key.extend_from_slice(prefix);
        key.push(b':');
        key.extend_from_slice(n.format(i).as_bytes());
        // Redis formats into a 128-byte buffer: longer names are cut.
        key.truncate(127);
        if db.lookup(&key, now).is_some() {
            continue;
        }
        val.clear();
        val.extend_from_slice(b"value:");
        val.extend_from_slice(n.format(i).as_bytes());
        // Size 0 means no padding, as Redis.
        if let Some(size) = size.filter(|&s| s > 0) {
            val.resize(size, 0);
        }
        db.set(&key, Value::from_bytes_no_int(&val), Ttl::Clear, now);
    }
    ctx.out.ok();
}

/// INFO's sections in Redis's order. `all` and `everything` name the same
/// list until sections outside the default one (commandstats,
/// latencystats) exist.
const SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

/// INFO [section [section ...]]
pub fn info(ctx: &mut Ctx, args: Args) {
    let mut wanted: Vec<&str> = Vec::new();
    if args.len() == 1 {
        wanted.extend(SECTIONS);
    }
    for a in args.iter().skip(1) {
        if is(a, "default") || is(a, "all") || is(a, "everything") {
            wanted.extend(SECTIONS);
        } else if let Some(s) = SECTIONS.iter().find(|s| is(a, s)) {
            wanted.push(s);
        }
    }
    let mut text = String::with_capacity(4096);
    for s in SECTIONS.iter().filter(|s| wanted.contains(s)) {
        if !text.is_empty() {
            text.push_str("\r\n");
        }
        info_section(ctx, s, &mut text);
    }
    ctx.out.verbatim(text.as_bytes());
}

/// Redis's `bytesToHuman`.
fn human(n: u64) -> String {
    let f = n as f64;
    match n {
        0..1024 => format!("{n}B"),
        1024..1048576 => format!("{:.2}K", f / 1024.0),
        1048576..1073741824 => format!("{:.2}M", f / 1048576.0),
        _ => format!("{:.2}G", f / 1073741824.0),
    }
}

fn info_section(ctx: &Ctx, name: &str, t: &mut String) {
    let sh = &*ctx.shared;
    let uptime = sh.started.elapsed().as_secs();
    // Writing to a String cannot fail.
    macro_rules! line { ($($a:tt)*) => { let _ = write!(t, $($a)*); t.push_str("\r\n"); } }
    match name {
        "server" => {
            line!("# Server");
            line!("redis_version:7.0.15");
            line!("redis_git_sha1:00000000");
            line!("redis_git_dirty:0");
            line!("redis_build_id:0");
            line!("redis_mode:standalone");
            line!("os:{} {}", std::env::consts::OS, std::env::consts::ARCH);
            line!("arch_bits:64");
            line!("monotonic_clock:POSIX clock_gettime");
            line!("multiplexing_api:{}", sh.io_backend);
            line!("io_backend:{}", sh.io_backend);
            line!("ferrite_version:{}", env!("CARGO_PKG_VERSION"));
            line!("process_id:{}", std::process::id());
            line!("process_supervised:no");
            line!("run_id:{}", sh.run_id);
            line!("tcp_port:{}", sh.port);
            line!("server_time_usec:{}", sh.now_us);
            line!("uptime_in_seconds:{uptime}");
            line!("uptime_in_days:{}", uptime / 86400);
            line!("hz:{}", sh.config.hz);
            line!("configured_hz:{}", sh.config.hz);
            line!("lru_clock:{}", (sh.now_ms / 1000) & ((1 << 24) - 1));
            line!(
                "executable:{}",
                std::env::current_exe()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
            line!(
                "config_file:{}",
                sh.config.config_file.as_deref().unwrap_or("")
            );
            line!("io_threads_active:0");
        }
        "clients" => {
            line!("# Clients");
            line!("connected_clients:{}", sh.connected_clients);
            line!("cluster_connections:0");
            line!("maxclients:{}", sh.config.maxclients);
            line!("client_recent_max_input_buffer:0");
            line!("client_recent_max_output_buffer:0");
            line!("blocked_clients:0");
            line!("tracking_clients:0");
            line!("clients_in_timeout_table:0");
        }
        "memory" => {
            let used = crate::alloc::allocated() as u64;
            let rss = crate::sys::rss_bytes();
            let dataset: u64 = sh.dbs.iter().map(|d| d.memory() as u64).sum();
            line!("# Memory");
            line!("used_memory:{used}");
            line!("used_memory_human:{}", human(used));
            line!("used_memory_rss:{rss}");
            line!("used_memory_rss_human:{}", human(rss));
            line!("used_memory_dataset:{dataset}");
            line!("maxmemory:0");
            line!("maxmemory_human:0B");
            line!("maxmemory_policy:noeviction");
            line!(
                "mem_fragmentation_ratio:{:.2}",
                if used > 0 {
                    rss as f64 / used as f64
                } else {
                    0.0
                }
            );
            line!("mem_allocator:libc");
            line!("lazyfree_pending_objects:{}", sh.lazyfree.pending());
        }
        "persistence" => {
            line!("# Persistence");
            line!("loading:0");
            line!("async_loading:0");
            line!("rdb_changes_since_last_save:0");
            line!("rdb_bgsave_in_progress:0");
            line!("rdb_last_save_time:{}", sh.now_ms / 1000 - uptime);
            line!("rdb_last_bgsave_status:ok");
            line!("aof_enabled:0");
            line!("aof_rewrite_in_progress:0");
            line!("aof_last_write_status:ok");
        }
        "stats" => {
            let st = &sh.stats;
            line!("# Stats");
            line!("total_connections_received:{}", st.total_connections);
            line!("total_commands_processed:{}", st.total_commands);
            line!("instantaneous_ops_per_sec:{}", st.instantaneous_ops());
            line!("total_net_input_bytes:{}", st.net_input_bytes);
            line!("total_net_output_bytes:{}", st.net_output_bytes);
            line!("rejected_connections:{}", st.rejected_connections);
            line!("expired_keys:{}", sh.expired_keys());
            line!("evicted_keys:0");
            line!("keyspace_hits:{}", st.keyspace_hits);
            line!("keyspace_misses:{}", st.keyspace_misses);
            line!("pubsub_channels:0");
            line!("pubsub_patterns:0");
            line!("lazyfree_pending_objects:{}", sh.lazyfree.pending());
            line!("eventloop_cycles:{}", st.eventloop_cycles);
            line!("eventloop_duration_max_usec:{}", st.eventloop_max_us);
            line!("eventloop_cpu_max_usec:{}", st.eventloop_cpu_max_us);
        }
        "replication" => {
            line!("# Replication");
            line!("role:master");
            line!("connected_slaves:0");
            line!("master_replid:{}", sh.run_id);
            line!("master_repl_offset:0");
        }
        "cpu" => {
            let (user, sys) = crate::sys::cpu_times();
            line!("# CPU");
            line!("used_cpu_sys:{sys:.6}");
            line!("used_cpu_user:{user:.6}");
        }
        "modules" => {
            line!("# Modules");
        }
        "errorstats" => {
            line!("# Errorstats");
        }
        "cluster" => {
            line!("# Cluster");
            line!("cluster_enabled:0");
        }
        "keyspace" => {
            line!("# Keyspace");
            for (i, db) in sh.dbs.iter().enumerate() {
                if !db.is_empty() {
                    line!(
                        "db{i}:keys={},expires={},avg_ttl={}",
                        db.len(),
                        db.expires(),
                        db.avg_ttl(sh.now_ms)
                    );
                }
            }
        }
        _ => {}
    }
}
