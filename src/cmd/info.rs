//! INFO: the server's report, section by section, in Redis's field names
//! and formats.

use std::fmt::Write as _;

use super::{Ctx, is};
use crate::resp::Args;

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
