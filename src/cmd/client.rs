//! The CLIENT command: the connection's own identity and attributes.

use super::server::{help, sub_arity};
use super::{Ctx, is};
use crate::errors;
use crate::resp::Args;

/// CLIENT ID | SETNAME name | GETNAME | SETINFO attr value | HELP
pub fn client(ctx: &mut Ctx, args: Args) {
    let sub = args.get(1);
    if is(sub, "id") {
        if sub_arity(ctx, &args, "client", "id", 2) {
            ctx.out.int(ctx.client.id as i64);
        }
    } else if is(sub, "setname") {
        if !sub_arity(ctx, &args, "client", "setname", 3) {
            return;
        }
        let name = args.get(2);
        if !valid_client_text(name) {
            return ctx.out.raw(errors::CLIENT_NAME_CHARS);
        }
        ctx.client.name = (!name.is_empty()).then(|| name.to_vec());
        ctx.out.ok();
    } else if is(sub, "getname") {
        if sub_arity(ctx, &args, "client", "getname", 2) {
            match &ctx.client.name {
                Some(n) => ctx.out.bulk(n),
                None => ctx.out.null(),
            }
        }
    } else if is(sub, "setinfo") {
        if !sub_arity(ctx, &args, "client", "setinfo", 4) {
            return;
        }
        let (attr, value) = (args.get(2), args.get(3));
        let which = if is(attr, "lib-name") {
            "lib-name"
        } else if is(attr, "lib-ver") {
            "lib-ver"
        } else {
            return errors::unrecognized_option(&mut ctx.out, attr);
        };
        if !valid_client_text(value) {
            return errors::bad_client_attr(&mut ctx.out, which);
        }
        let v = (!value.is_empty()).then(|| value.to_vec());
        if which == "lib-name" {
            ctx.client.lib_name = v;
        } else {
            ctx.client.lib_ver = v;
        }
        ctx.out.ok();
    } else if is(sub, "info") {
        if sub_arity(ctx, &args, "client", "info", 2) {
            let line = client_info_line(ctx);
            ctx.out.verbatim(line.as_bytes());
        }
    } else if is(sub, "help") {
        help(
            ctx,
            "CLIENT",
            &[
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
            ],
        );
    } else {
        errors::unknown_subcommand(&mut ctx.out, "CLIENT", sub);
    }
}

/// Names and library attributes are printable ASCII without spaces.
fn valid_client_text(s: &[u8]) -> bool {
    s.iter().all(|&c| (b'!'..=b'~').contains(&c))
}

fn client_info_line(ctx: &Ctx) -> String {
    let c = &*ctx.client;
    let now = ctx.shared.now_ms;
    let text = |v: &Option<Vec<u8>>| {
        v.as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
            .into_owned()
    };
    format!(
        "id={} addr={} laddr=127.0.0.1:{} fd=0 name={} age={} idle={} flags=N db={} sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=client|info user=default redir=-1 resp={} lib-name={} lib-ver={}\n",
        c.id,
        c.addr,
        ctx.shared.port,
        text(&c.name),
        now.saturating_sub(c.created_ms) / 1000,
        now.saturating_sub(c.last_interaction_ms) / 1000,
        c.db,
        c.proto,
        text(&c.lib_name),
        text(&c.lib_ver),
    )
}
