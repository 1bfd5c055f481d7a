//! LATENCY LATEST | HISTORY | RESET | HISTOGRAM | DOCTOR | GRAPH | HELP:
//! the latency monitor's events and the per-command histograms.

use super::server::help;
use super::{COMMANDS, Ctx, is};
use crate::errors;
use crate::observ::Observ;
use crate::observ::latency::LatencyMonitor;
use crate::resp::Args;

/// LATENCY subcommand [arg ...] (dispatch has checked each one's arity)
pub fn latency(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    let now_secs = ctx.shared.now_ms / 1000;
    if is(sub, "latest") {
        let mon = &ctx.shared.observ.latency;
        let out = &mut ctx.out;
        let events: Vec<_> = mon.events().collect();
        out.array(events.len());
        for (name, s) in events {
            let last = s.latest();
            out.array(4);
            out.bulk(name.as_bytes());
            out.int(last.time as i64);
            out.int(last.ms as i64);
            out.int(s.max as i64);
        }
    } else if is(sub, "history") {
        let samples: Vec<_> = ctx
            .shared
            .observ
            .latency
            .get(args.get(2))
            .map(|s| s.history().collect())
            .unwrap_or_default();
        ctx.out.array(samples.len());
        for s in samples {
            ctx.out.array(2);
            ctx.out.int(s.time as i64);
            ctx.out.int(s.ms as i64);
        }
    } else if is(sub, "reset") {
        let n = ctx.shared.observ.latency.reset(args.iter().skip(2));
        ctx.out.int(n as i64);
    } else if is(sub, "doctor") {
        let c = &ctx.shared.config;
        let text = ctx
            .shared
            .observ
            .latency
            .doctor(c.slowlog_log_slower_than, c.latency_monitor_threshold);
        ctx.out.verbatim(text.as_bytes());
    } else if is(sub, "graph") {
        let event = args.get(2);
        match ctx.shared.observ.latency.get(event) {
            Some(s) => {
                let name = String::from_utf8_lossy(event);
                let text = LatencyMonitor::graph(&name, s, now_secs);
                ctx.out.verbatim(text.as_bytes());
            }
            None => {
                let mut msg = b"ERR No samples available for event '".to_vec();
                msg.extend_from_slice(event);
                msg.push(b'\'');
                ctx.out.error(&msg);
            }
        }
    } else if is(sub, "histogram") {
        histogram(ctx, args);
    } else if is(sub, "help") {
        help(
            ctx,
            "LATENCY",
            &[
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "LATENCY", sub);
    }
}

/// LATENCY HISTOGRAM [command ...]: per command with a histogram, a map
/// of `calls` and `histogram_usec` (bucket µs → calls at or below). A
/// container's name stands for its subcommands; `config|get` names one.
fn histogram(ctx: &mut Ctx, args: Args) {
    let obs = &ctx.shared.observ;
    let n = obs.cmds.len();
    let mut wanted: Vec<usize> = Vec::new();
    if args.len() == 2 {
        wanted.extend(0..n);
    } else {
        for a in args.iter().skip(2) {
            for i in 0..n {
                let name = Observ::stat_name(i);
                let parent =
                    i >= COMMANDS.len() && name.split('|').next().is_some_and(|p| is(a, p));
                if (is(a, name) || parent) && !wanted.contains(&i) {
                    wanted.push(i);
                }
            }
        }
    }
    type Cdf = Vec<(u64, u64)>;
    let found: Vec<(usize, u64, Cdf)> = wanted
        .into_iter()
        .filter_map(|i| {
            obs.cmds[i]
                .hist
                .as_ref()
                .map(|h| (i, h.total(), h.log_cdf()))
        })
        .collect();
    let out = &mut ctx.out;
    out.map(found.len());
    for (i, calls, cdf) in found {
        out.bulk(Observ::stat_name(i).as_bytes());
        out.map(2);
        out.bulk(b"calls");
        out.int(calls as i64);
        out.bulk(b"histogram_usec");
        out.map(cdf.len());
        for (us, count) in cdf {
            out.int(us as i64);
            out.int(count as i64);
        }
    }
}
