//! MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP.

use super::server::help;
use super::{Ctx, is};
use crate::db::Slot;
use crate::db::dict::Node;
use crate::db::key::Key;
use crate::errors;
use crate::resp::Args;

/// Below this many allocated bytes MEMORY DOCTOR has nothing to say, as
/// Redis (5 MB).
const DOCTOR_MIN_MEMORY: u64 = 5 << 20;

/// Bytes malloc really hands out for a request: the request plus its
/// 8-byte header, rounded up to 16, at least 32 (glibc's chunks).
fn chunk(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        ((n + 8).div_ceil(16) * 16).max(32)
    }
}

/// What one key costs in ferrite's layout: its table node (key and value
/// inline), the bucket pointer, and the key's and value's own heap
/// buffers; a deadline adds its heap entry.
fn key_usage(key: &[u8], slot: &Slot) -> usize {
    const HEAP_ENTRY: usize = 16;
    chunk(std::mem::size_of::<Node<Slot>>())
        + std::mem::size_of::<usize>()
        + chunk(Key::from(key).heap_size())
        + chunk(slot.value.heap_size())
        + if slot.expire_at().is_some() {
            HEAP_ENTRY
        } else {
            0
        }
}

/// MEMORY subcommand [arg ...] (dispatch has checked each one's arity)
pub fn memory(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "usage") {
        // SAMPLES only matters for nested values, which strings are not;
        // it is still parsed as Redis parses it.
        let mut i = 3;
        while i < args.len() {
            if is(args.get(i), "samples") && i + 1 < args.len() {
                if super::int_arg(&mut ctx.out, args.get(i + 1)).is_none() {
                    return;
                }
                i += 2;
            } else {
                return ctx.out.raw(errors::SYNTAX);
            }
        }
        let key = args.get(2);
        let now = ctx.now();
        match ctx.db().lookup(key, now) {
            Some(slot) => {
                let n = key_usage(key, slot);
                ctx.out.int(n as i64);
            }
            None => ctx.out.null(),
        }
    } else if is(sub, "stats") {
        stats(ctx);
    } else if is(sub, "doctor") {
        let used = crate::alloc::allocated() as u64;
        let text: &[u8] = if used < DOCTOR_MIN_MEMORY {
            b"Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting."
        } else {
            b"Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base."
        };
        ctx.out.verbatim(text);
    } else if is(sub, "malloc-stats") {
        ctx.out
            .verbatim(b"Stats not supported for the current allocator");
    } else if is(sub, "purge") {
        ctx.out.ok();
    } else if is(sub, "help") {
        help(
            ctx,
            "MEMORY",
            &[
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "MEMORY", sub);
    }
}

/// MEMORY STATS's ratios: Redis keeps them as C floats, so they print
/// as a float widened to double (`99.862327575683594`).
fn double(ctx: &mut Ctx, v: f64) {
    ctx.out.double((v as f32) as f64);
}

/// MEMORY STATS: Redis's map, with ferrite's figures where it has them
/// and 0 for what it does not have (replication, AOF, Lua).
fn stats(ctx: &mut Ctx) {
    let used = ctx.shared.observ.note_memory();
    let peak = ctx.shared.observ.mem_peak;
    let startup = ctx.shared.observ.mem_startup;
    let rss = crate::sys::rss_bytes();
    let dbs: Vec<(usize, u64, u64)> = ctx
        .shared
        .dbs
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.is_empty())
        .map(|(i, d)| (i, d.len() as u64, d.memory() as u64))
        .collect();
    let keys: u64 = dbs.iter().map(|d| d.1).sum();
    let dataset = dbs.iter().map(|d| d.2).sum::<u64>().min(used);
    let overhead = used - dataset;
    let net = used.saturating_sub(startup);
    let pct = |a: u64, b: u64| {
        if b == 0 {
            0.0
        } else {
            a as f64 * 100.0 / b as f64
        }
    };
    let ratio = if used == 0 {
        0.0
    } else {
        rss as f64 / used as f64
    };
    let diff = rss as i64 - used as i64;
    use Stat::*;
    let head = [
        ("peak.allocated", Int(peak as i64)),
        ("total.allocated", Int(used as i64)),
        ("startup.allocated", Int(startup as i64)),
        ("replication.backlog", Int(0)),
        ("clients.slaves", Int(0)),
        ("clients.normal", Int(0)),
        ("cluster.links", Int(0)),
        ("aof.buffer", Int(0)),
        ("lua.caches", Int(0)),
        ("functions.caches", Int(0)),
    ];
    let tail = [
        ("overhead.total", Int(overhead as i64)),
        ("keys.count", Int(keys as i64)),
        (
            "keys.bytes-per-key",
            Int(net.checked_div(keys).unwrap_or(0) as i64),
        ),
        ("dataset.bytes", Int(dataset as i64)),
        ("dataset.percentage", Double(pct(dataset, net))),
        ("peak.percentage", Double(pct(used, peak))),
        ("allocator.allocated", Int(used as i64)),
        ("allocator.active", Int(used as i64)),
        ("allocator.resident", Int(rss as i64)),
        ("allocator-fragmentation.ratio", Double(1.0)),
        ("allocator-fragmentation.bytes", Int(0)),
        ("allocator-rss.ratio", Double(ratio)),
        ("allocator-rss.bytes", Int(diff)),
        ("rss-overhead.ratio", Double(1.0)),
        ("rss-overhead.bytes", Int(0)),
        ("fragmentation", Double(ratio)),
        ("fragmentation.bytes", Int(diff)),
    ];
    ctx.out.map(head.len() + dbs.len() + tail.len());
    let write = |ctx: &mut Ctx, (k, v): (&str, Stat)| {
        ctx.out.bulk(k.as_bytes());
        match v {
            Int(n) => ctx.out.int(n),
            Double(d) => double(ctx, d),
        }
    };
    for kv in head {
        write(ctx, kv);
    }
    for (i, _, mem) in &dbs {
        ctx.out.bulk(format!("db.{i}").as_bytes());
        ctx.out.map(3);
        ctx.out.bulk(b"overhead.hashtable.main");
        ctx.out.int(*mem as i64);
        ctx.out.bulk(b"overhead.hashtable.expires");
        ctx.out.int(0);
        ctx.out.bulk(b"overhead.hashtable.slot-to-keys");
        ctx.out.int(0);
    }
    for kv in tail {
        write(ctx, kv);
    }
}

/// A MEMORY STATS value.
enum Stat {
    Int(i64),
    Double(f64),
}
