//! Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT
//! LOAD / EXISTS / FLUSH / KILL / HELP. The engine is in `crate::script`.

use super::{Ctx, int_arg, is};
use crate::errors;
use crate::resp::Args;
use crate::script::{self, Engine, busy};

/// EVAL script numkeys [key ...] [arg ...]
pub fn eval(ctx: &mut Ctx, args: Args) {
    eval_generic(ctx, args, false, false);
}

/// EVALSHA sha1 numkeys [key ...] [arg ...]
pub fn evalsha(ctx: &mut Ctx, args: Args) {
    eval_generic(ctx, args, true, false);
}

/// EVAL_RO script numkeys [key ...] [arg ...]
pub fn eval_ro(ctx: &mut Ctx, args: Args) {
    eval_generic(ctx, args, false, true);
}

/// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
pub fn evalsha_ro(ctx: &mut Ctx, args: Args) {
    eval_generic(ctx, args, true, true);
}

/// The engine, created on first use; taken out of `Shared` while a script
/// runs so that the script's commands can borrow `Shared` themselves.
fn take_engine(ctx: &mut Ctx) -> Option<Box<Engine>> {
    if let Some(e) = ctx.shared.scripts.take() {
        return Some(e);
    }
    match Engine::new() {
        Ok(e) => Some(Box::new(e)),
        Err(e) => {
            let msg = format!(
                "ERR cannot start the Lua engine: {}",
                script::error_text(&e)
            );
            ctx.out.error(msg.as_bytes());
            None
        }
    }
}

fn eval_generic(ctx: &mut Ctx, args: Args, by_sha: bool, read_only: bool) {
    let Some(numkeys) = int_arg(&mut ctx.out, args.get(2)) else {
        return;
    };
    if numkeys < 0 {
        return ctx.out.raw(errors::NUMKEYS_NEGATIVE);
    }
    if numkeys as u64 > (args.len() - 3) as u64 {
        return ctx.out.raw(errors::NUMKEYS_TOO_MANY);
    }
    let Some(mut engine) = take_engine(ctx) else {
        return;
    };
    let sha = if by_sha {
        // An unknown SHA gets NOSCRIPT from `run`.
        script::sha_key(args.get(1))
    } else {
        match engine.load(args.get(1)) {
            Ok(sha) => Some(sha),
            Err(msg) => {
                ctx.out.error(&msg);
                ctx.shared.scripts = Some(engine);
                return;
            }
        }
    };
    match sha {
        Some(sha) => engine.run(ctx, &sha, args, numkeys as usize, read_only),
        None => ctx.out.raw(errors::NOSCRIPT),
    }
    ctx.shared.scripts = Some(engine);
}

/// SCRIPT LOAD script | EXISTS sha1 [sha1 ...] | FLUSH [ASYNC | SYNC] |
/// KILL | HELP
pub fn script(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    let argc = args.len();
    let arity_ok = |want: i32| {
        let n = argc as i32;
        if want > 0 { n == want } else { n >= -want }
    };
    let (name, want) = if is(sub, "load") {
        ("load", 3)
    } else if is(sub, "exists") {
        ("exists", -3)
    } else if is(sub, "flush") {
        ("flush", -2)
    } else if is(sub, "kill") {
        ("kill", 2)
    } else if is(sub, "help") {
        ("help", 2)
    } else {
        return errors::unknown_subcommand(&mut ctx.out, "SCRIPT", sub);
    };
    if !arity_ok(want) {
        return errors::wrong_arity(&mut ctx.out, &format!("script|{name}"));
    }
    match name {
        "load" => {
            let Some(mut engine) = take_engine(ctx) else {
                return;
            };
            match engine.load(args.get(2)) {
                Ok(sha) => ctx.out.bulk(&sha),
                Err(msg) => ctx.out.error(&msg),
            }
            ctx.shared.scripts = Some(engine);
        }
        "exists" => {
            ctx.out.array(argc - 2);
            for sha in args.iter().skip(2) {
                let known = ctx.shared.scripts.as_ref().is_some_and(|e| e.exists(sha));
                ctx.out.int(i64::from(known));
            }
        }
        "flush" => {
            let mode_ok = match argc {
                2 => true,
                3 => is(args.get(2), "async") || is(args.get(2), "sync"),
                _ => false,
            };
            if !mode_ok {
                return ctx.out.raw(errors::SCRIPT_FLUSH_MODE);
            }
            if let Some(e) = ctx.shared.scripts.as_mut() {
                e.flush();
            }
            ctx.out.ok();
        }
        "kill" => ctx.out.raw(busy::request_kill()),
        _ => {
            let lines = [
                "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.",
                "HELP",
                "    Prints this help.",
            ];
            ctx.out.array(lines.len());
            for l in lines {
                ctx.out.simple(l.as_bytes());
            }
        }
    }
}
