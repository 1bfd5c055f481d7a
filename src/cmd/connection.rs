//! Connection handshake and session commands: HELLO, AUTH, RESET.

use super::{Ctx, is};
use crate::clients::password_matches;
use crate::errors;
use crate::resp::Args;

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
pub fn hello(ctx: &mut Ctx, args: Args) {
    let mut proto = None;
    let mut next = 1;
    if args.len() >= 2 {
        let v = crate::util::num::parse_i64(args.get(1));
        let Some(v) = v else {
            return ctx.out.raw(errors::HELLO_PROTO_NOT_INT);
        };
        if !(2..=3).contains(&v) {
            return ctx.out.raw(errors::NOPROTO);
        }
        proto = Some(v as u8);
        next = 2;
    }
    let mut auth = None;
    let mut name = None;
    let mut j = next;
    while j < args.len() {
        let opt = args.get(j);
        let more = args.len() - 1 - j;
        if is(opt, "auth") && more >= 2 {
            auth = Some((args.get(j + 1), args.get(j + 2)));
            j += 3;
        } else if is(opt, "setname") && more >= 1 {
            name = Some(args.get(j + 1));
            j += 2;
        } else {
            return errors::hello_option(&mut ctx.out, opt);
        }
    }
    if let Some((user, pass)) = auth
        && !authenticate(ctx, user, pass)
    {
        return ctx.out.raw(errors::WRONGPASS);
    }
    if !ctx.client.authenticated {
        return ctx.out.raw(errors::HELLO_NOAUTH);
    }
    if let Some(name) = name {
        if !super::client::valid_client_text(name) {
            return ctx.out.raw(errors::CLIENT_NAME_CHARS);
        }
        ctx.client.name = (!name.is_empty()).then(|| name.to_vec());
    }
    if let Some(p) = proto {
        ctx.client.proto = p;
        ctx.out.set_proto(p);
    }
    ctx.out.map(7);
    ctx.out.bulk(b"server");
    ctx.out.bulk(b"redis");
    ctx.out.bulk(b"version");
    ctx.out.bulk(crate::REDIS_VERSION.as_bytes());
    ctx.out.bulk(b"proto");
    ctx.out.int(ctx.client.proto as i64);
    ctx.out.bulk(b"id");
    ctx.out.int(ctx.client.id as i64);
    ctx.out.bulk(b"mode");
    ctx.out.bulk(b"standalone");
    ctx.out.bulk(b"role");
    ctx.out.bulk(b"master");
    ctx.out.bulk(b"modules");
    ctx.out.array(0);
}

/// Redis's `ACLAuthenticateUser` for the one user ferrite has: `default`,
/// which takes any password while `requirepass` is empty. A failed attempt
/// leaves an authenticated client authenticated, as in Redis.
fn authenticate(ctx: &mut Ctx, user: &[u8], pass: &[u8]) -> bool {
    let expected = ctx.shared.config.requirepass.as_bytes();
    let ok = user == b"default" && (expected.is_empty() || password_matches(pass, expected));
    if ok {
        ctx.client.authenticated = true;
    } else {
        ctx.shared.stats.acl_access_denied_auth += 1;
    }
    ok
}

/// AUTH [username] password
pub fn auth(ctx: &mut Ctx, args: Args) {
    if args.len() > 3 {
        return ctx.out.raw(errors::SYNTAX);
    }
    let (user, pass) = if args.len() == 2 {
        // The old one-argument form is an error without a password, as
        // Redis keeps it for misconfigured clients.
        if ctx.shared.config.requirepass.is_empty() {
            return ctx.out.raw(errors::AUTH_NO_PASSWORD);
        }
        (&b"default"[..], args.get(1))
    } else {
        (args.get(1), args.get(2))
    };
    if authenticate(ctx, user, pass) {
        ctx.out.ok();
    } else {
        ctx.out.raw(errors::WRONGPASS);
    }
}

/// RESET — back to a fresh connection's state: RESP2, db 0, no name,
/// replies on, and unauthenticated if a password is set (Redis 7.0's
/// `clearClientConnectionState`, which keeps NO-EVICT).
pub fn reset(ctx: &mut Ctx, _args: Args) {
    // Out of any transaction, watching nothing, as Redis's RESET.
    crate::cmd::multi::discard_all(ctx.client, &mut ctx.shared.dbs);
    let c = &mut *ctx.client;
    c.proto = 2;
    c.db = 0;
    c.name = None;
    c.reply = 0;
    // Out of MONITOR; the loop drops the connection from the feed.
    c.monitor = false;
    c.authenticated = ctx.shared.config.requirepass.is_empty();
    ctx.out.set_proto(2);
    ctx.out.simple(b"RESET");
}
