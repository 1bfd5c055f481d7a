//! INFO: the server's report, section by section, in Redis's field names
//! and formats.

use std::fmt::Write as _;

use super::{Ctx, is};
use crate::observ::Observ;
use crate::resp::Args;

/// INFO's sections in Redis's order; `all` and `everything` name every
/// one (ferrite has no module sections to tell them apart).
const SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "commandstats",
    "errorstats",
    "latencystats",
    "cluster",
    "keyspace",
];

/// Sections `INFO` and `INFO default` leave out.
const NOT_DEFAULT: &[&str] = &["commandstats", "latencystats"];

/// INFO [section [section ...]]
pub fn info(ctx: &mut Ctx, args: Args) {
    let mut wanted: Vec<&str> = Vec::new();
    let defaults = SECTIONS.iter().filter(|s| !NOT_DEFAULT.contains(s));
    if args.len() == 1 {
        wanted.extend(defaults.clone());
    }
    for a in args.iter().skip(1) {
        if is(a, "default") {
            wanted.extend(defaults.clone());
        } else if is(a, "all") || is(a, "everything") {
            wanted.extend(SECTIONS);
        } else if let Some(s) = SECTIONS.iter().find(|s| is(a, s)) {
            wanted.push(s);
        }
    }
    ctx.shared.observ.note_memory();
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

/// `12.34%` of `part` in `whole` (0 when `whole` is 0), as Redis prints.
fn perc(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
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
            line!("os:{}", crate::sys::os_name());
            line!("arch_bits:64");
            line!("monotonic_clock:{}", sh.observ.timer.describe());
            line!("multiplexing_api:{}", sh.io_backend);
            line!("atomicvar_api:c11-builtin");
            line!("gcc_version:0.0.0");
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
            line!("io_backend:{}", sh.io_backend);
            line!("ferrite_version:{}", env!("CARGO_PKG_VERSION"));
        }
        "clients" => {
            line!("# Clients");
            line!("connected_clients:{}", sh.connected_clients);
            line!("cluster_connections:0");
            line!("maxclients:{}", sh.config.maxclients);
            line!("client_recent_max_input_buffer:0");
            line!("client_recent_max_output_buffer:0");
            line!("blocked_clients:{}", sh.blocking.blocked_clients());
            line!("tracking_clients:0");
            line!("clients_in_timeout_table:0");
        }
        "memory" => {
            let o = &sh.observ;
            let used = crate::alloc::allocated() as u64;
            let peak = o.mem_peak.max(used);
            let rss = crate::sys::rss_bytes();
            let dataset: u64 = sh.dbs.iter().map(|d| d.memory() as u64).sum();
            let dataset = dataset.min(used);
            let overhead = used - dataset;
            let startup = o.mem_startup;
            let total_mem = crate::sys::total_memory();
            line!("# Memory");
            line!("used_memory:{used}");
            line!("used_memory_human:{}", human(used));
            line!("used_memory_rss:{rss}");
            line!("used_memory_rss_human:{}", human(rss));
            line!("used_memory_peak:{peak}");
            line!("used_memory_peak_human:{}", human(peak));
            line!("used_memory_peak_perc:{:.2}%", perc(used, peak));
            line!("used_memory_overhead:{overhead}");
            line!("used_memory_startup:{startup}");
            line!("used_memory_dataset:{dataset}");
            line!(
                "used_memory_dataset_perc:{:.2}%",
                perc(dataset, used.saturating_sub(startup))
            );
            line!("allocator_allocated:{used}");
            line!("allocator_active:{used}");
            line!("allocator_resident:{rss}");
            line!("total_system_memory:{total_mem}");
            line!("total_system_memory_human:{}", human(total_mem));
            line!("used_memory_lua:0");
            line!("used_memory_vm_eval:0");
            line!("used_memory_lua_human:0B");
            line!("used_memory_scripts_eval:0");
            line!("number_of_cached_scripts:0");
            line!("number_of_functions:0");
            line!("number_of_libraries:0");
            line!("used_memory_vm_functions:0");
            line!("used_memory_vm_total:0");
            line!("used_memory_vm_total_human:0B");
            line!("used_memory_functions:0");
            line!("used_memory_scripts:0");
            line!("used_memory_scripts_human:0B");
            line!("maxmemory:0");
            line!("maxmemory_human:0B");
            line!("maxmemory_policy:noeviction");
            line!("allocator_frag_ratio:1.00");
            line!("allocator_frag_bytes:0");
            line!("allocator_rss_ratio:{:.2}", ratio(rss, used));
            line!("allocator_rss_bytes:{}", rss as i64 - used as i64);
            line!("rss_overhead_ratio:1.00");
            line!("rss_overhead_bytes:0");
            line!("mem_fragmentation_ratio:{:.2}", ratio(rss, used));
            line!("mem_fragmentation_bytes:{}", rss as i64 - used as i64);
            line!("mem_not_counted_for_evict:0");
            line!("mem_replication_backlog:0");
            line!("mem_total_replication_buffers:0");
            line!("mem_clients_slaves:0");
            line!("mem_clients_normal:0");
            line!("mem_cluster_links:0");
            line!("mem_aof_buffer:0");
            line!("mem_allocator:libc");
            line!("active_defrag_running:0");
            line!("lazyfree_pending_objects:{}", sh.lazyfree.pending());
            line!("lazyfreed_objects:0");
        }
        "persistence" => {
            line!("# Persistence");
            line!("loading:0");
            line!("async_loading:0");
            line!("current_cow_peak:0");
            line!("current_cow_size:0");
            line!("current_cow_size_age:0");
            line!("current_fork_perc:0.00");
            line!("current_save_keys_processed:0");
            line!("current_save_keys_total:0");
            line!("rdb_changes_since_last_save:0");
            line!("rdb_bgsave_in_progress:0");
            line!("rdb_last_save_time:{}", sh.observ.lastsave);
            line!("rdb_last_bgsave_status:ok");
            line!("rdb_last_bgsave_time_sec:-1");
            line!("rdb_current_bgsave_time_sec:-1");
            line!("rdb_saves:0");
            line!("rdb_last_cow_size:0");
            line!("rdb_last_load_keys_expired:0");
            line!("rdb_last_load_keys_loaded:0");
            line!("aof_enabled:0");
            line!("aof_rewrite_in_progress:0");
            line!("aof_rewrite_scheduled:0");
            line!("aof_last_rewrite_time_sec:-1");
            line!("aof_current_rewrite_time_sec:-1");
            line!("aof_last_bgrewrite_status:ok");
            line!("aof_rewrites:0");
            line!("aof_rewrites_consecutive_failures:0");
            line!("aof_last_write_status:ok");
            line!("aof_last_cow_size:0");
            line!("module_fork_in_progress:0");
            line!("module_fork_last_cow_size:0");
        }
        "stats" => {
            let st = &sh.stats;
            let (in_kbps, out_kbps) = st.instantaneous_kbps();
            line!("# Stats");
            line!("total_connections_received:{}", st.total_connections);
            line!("total_commands_processed:{}", st.total_commands);
            line!("instantaneous_ops_per_sec:{}", st.instantaneous_ops());
            line!("total_net_input_bytes:{}", st.net_input_bytes);
            line!("total_net_output_bytes:{}", st.net_output_bytes);
            line!("total_net_repl_input_bytes:0");
            line!("total_net_repl_output_bytes:0");
            line!("instantaneous_input_kbps:{in_kbps:.2}");
            line!("instantaneous_output_kbps:{out_kbps:.2}");
            line!("instantaneous_input_repl_kbps:0.00");
            line!("instantaneous_output_repl_kbps:0.00");
            line!("rejected_connections:{}", st.rejected_connections);
            line!("sync_full:0");
            line!("sync_partial_ok:0");
            line!("sync_partial_err:0");
            line!("expired_keys:{}", sh.expired_keys());
            line!("expired_stale_perc:0.00");
            line!("expired_time_cap_reached_count:0");
            line!("expire_cycle_cpu_milliseconds:0");
            line!("evicted_keys:0");
            line!("evicted_clients:0");
            line!("total_eviction_exceeded_time:0");
            line!("current_eviction_exceeded_time:0");
            line!("keyspace_hits:{}", st.keyspace_hits);
            line!("keyspace_misses:{}", st.keyspace_misses);
            line!("pubsub_channels:0");
            line!("pubsub_patterns:0");
            line!("pubsubshard_channels:0");
            line!("latest_fork_usec:0");
            line!("total_forks:0");
            line!("migrate_cached_sockets:0");
            line!("slave_expires_tracked_keys:0");
            line!("active_defrag_hits:0");
            line!("active_defrag_misses:0");
            line!("active_defrag_key_hits:0");
            line!("active_defrag_key_misses:0");
            line!("total_active_defrag_time:0");
            line!("current_active_defrag_time:0");
            line!("tracking_total_keys:0");
            line!("tracking_total_items:0");
            line!("tracking_total_prefixes:0");
            line!("unexpected_error_replies:0");
            line!("total_error_replies:{}", sh.observ.total_error_replies);
            line!("dump_payload_sanitizations:0");
            line!("total_reads_processed:{}", st.reads_processed);
            line!("total_writes_processed:{}", st.writes_processed);
            line!("io_threaded_reads_processed:0");
            line!("io_threaded_writes_processed:0");
            line!("reply_buffer_shrinks:0");
            line!("reply_buffer_expands:0");
            line!("eventloop_cycles:{}", st.eventloop_cycles);
            line!("eventloop_duration_max_usec:{}", st.eventloop_max_us);
            line!("eventloop_cpu_max_usec:{}", st.eventloop_cpu_max_us);
        }
        "replication" => {
            line!("# Replication");
            line!("role:master");
            line!("connected_slaves:0");
            line!("master_failover_state:no-failover");
            line!("master_replid:{}", sh.run_id);
            line!("master_replid2:0000000000000000000000000000000000000000");
            line!("master_repl_offset:0");
            line!("second_repl_offset:-1");
            line!("repl_backlog_active:0");
            line!("repl_backlog_size:1048576");
            line!("repl_backlog_first_byte_offset:0");
            line!("repl_backlog_histlen:0");
        }
        "cpu" => {
            let (user, sys) = crate::sys::cpu_times();
            let (tuser, tsys) = crate::sys::thread_cpu_times();
            line!("# CPU");
            line!("used_cpu_sys:{sys:.6}");
            line!("used_cpu_user:{user:.6}");
            line!("used_cpu_sys_children:0.000000");
            line!("used_cpu_user_children:0.000000");
            line!("used_cpu_sys_main_thread:{tsys:.6}");
            line!("used_cpu_user_main_thread:{tuser:.6}");
        }
        "modules" => {
            line!("# Modules");
        }
        "commandstats" => {
            line!("# Commandstats");
            for (i, c) in sh.observ.cmds.iter().enumerate() {
                if c.calls == 0 && c.rejected == 0 && c.failed == 0 {
                    continue;
                }
                let usec = c.ns / 1000;
                line!(
                    "cmdstat_{}:calls={},usec={usec},usec_per_call={:.2},rejected_calls={},failed_calls={}",
                    Observ::stat_name(i),
                    c.calls,
                    ratio(usec, c.calls),
                    c.rejected,
                    c.failed
                );
            }
        }
        "errorstats" => {
            line!("# Errorstats");
            for (code, n) in &sh.observ.errors {
                line!("errorstat_{}:count={n}", String::from_utf8_lossy(code));
            }
        }
        "latencystats" => {
            line!("# Latencystats");
            let ps = &sh.config.latency_tracking_info_percentiles;
            for (i, c) in sh.observ.cmds.iter().enumerate() {
                let Some(h) = &c.hist else { continue };
                let _ = write!(t, "latency_percentiles_usec_{}:", Observ::stat_name(i));
                for (j, p) in ps.iter().enumerate() {
                    let v = h.value_at_percentile(*p) as f64 / 1000.0;
                    let sep = if j > 0 { "," } else { "" };
                    let _ = write!(t, "{sep}p{p}={v:.3}");
                }
                t.push_str("\r\n");
            }
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
