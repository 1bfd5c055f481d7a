//! CONFIG GET, SET, RESETSTAT, REWRITE and HELP. The directives
//! themselves live in `crate::config`.

use super::server::help;
use super::{Ctx, is};
use crate::errors;
use crate::resp::Args;

/// CONFIG GET parameter [parameter ...] | SET parameter value [...] |
/// RESETSTAT | REWRITE | HELP (dispatch has checked each one's arity)
pub fn config(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "get") {
        let patterns: Vec<&[u8]> = args.iter().skip(2).collect();
        let found = ctx.shared.config.get_matching(&patterns);
        ctx.out.map(found.len());
        for (name, value) in found {
            ctx.out.bulk(name.as_bytes());
            ctx.out.bulk(value.as_bytes());
        }
    } else if is(sub, "set") {
        if args.len() % 2 == 1 {
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
            Ok(()) => {
                ctx.shared.observ.configure(&ctx.shared.config);
                ctx.out.ok();
            }
            Err(e) => ctx.out.error(e.as_bytes()),
        }
    } else if is(sub, "resetstat") {
        resetstat(ctx);
        ctx.out.ok();
    } else if is(sub, "rewrite") {
        match ctx.shared.config.rewrite() {
            Ok(()) => ctx.out.ok(),
            Err(e) => ctx.out.error(format!("ERR {e}").as_bytes()),
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
                "REWRITE",
                "    Rewrite the configuration file.",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "CONFIG", sub);
    }
}

/// Redis's `resetServerStats` and the command and error tables' reset:
/// counters, per-command statistics and histograms. The slow log and the
/// latency monitor are kept (they have their own RESET).
fn resetstat(ctx: &mut Ctx) {
    ctx.shared.stats.reset();
    ctx.shared.observ.reset_stats();
    for db in &mut ctx.shared.dbs {
        db.expired = 0;
    }
}
