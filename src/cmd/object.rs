//! OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP: how a key's value
//! is stored, with Redis's names.

use super::{Ctx, is};
use crate::db::Value;
use crate::errors;
use crate::resp::Args;

/// Redis shares the integer objects 0..10000 (`OBJ_SHARED_INTEGERS`) and
/// reports their reference count as `OBJ_SHARED_REFCOUNT`.
const SHARED_INTEGERS: i64 = 10_000;
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// OBJECT <subcommand> [key]
pub fn object(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    let (name, arity) = if is(sub, "help") {
        ("help", 2)
    } else if is(sub, "encoding") {
        ("encoding", 3)
    } else if is(sub, "refcount") {
        ("refcount", 3)
    } else if is(sub, "idletime") {
        ("idletime", 3)
    } else if is(sub, "freq") {
        ("freq", 3)
    } else {
        return errors::unknown_subcommand(&mut ctx.out, "OBJECT", sub);
    };
    if args.len() != arity {
        return errors::wrong_arity(&mut ctx.out, &format!("object|{name}"));
    }
    if name == "help" {
        return super::server::help(
            ctx,
            "OBJECT",
            &[
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.",
            ],
        );
    }
    // As Redis, OBJECT looks without touching: no hit/miss counted.
    let now = ctx.now();
    let (out, db, _, _) = ctx.split();
    let Some(slot) = db.lookup(args.get(2), now) else {
        return out.null();
    };
    match name {
        "encoding" => out.bulk(slot.value.encoding().as_bytes()),
        "refcount" => out.int(match slot.value {
            Value::Int(i) if (0..SHARED_INTEGERS).contains(&i) => SHARED_REFCOUNT,
            _ => 1,
        }),
        // ferrite keeps no per-key access clock (it would not fit the
        // 40-byte slot without growing every key by 16 bytes): every key
        // reports 0 seconds idle.
        "idletime" => out.int(0),
        _ => out.raw(errors::LFU_NOT_SELECTED),
    }
}
