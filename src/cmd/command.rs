//! COMMAND: the command table described to clients, in Redis 7.0's reply
//! shapes (redis-cli reads COMMAND DOCS, cluster clients COMMAND INFO).

use super::meta::{self, Doc, KeySpec};
use super::server::{help, sub_arity};
use super::{COMMANDS, Command, Ctx, is};
use crate::errors;
use crate::resp::{Args, Reply};
use crate::util::glob::glob_match;

/// COMMAND [COUNT | LIST [FILTERBY ...] | INFO [name ...] | DOCS [name ...]
/// | GETKEYS cmd [arg ...] | GETKEYSANDFLAGS cmd [arg ...] | HELP]
pub fn command(ctx: &mut Ctx, args: Args) {
    if args.len() == 1 {
        ctx.out.array(COMMANDS.len());
        for c in COMMANDS {
            info(&mut ctx.out, &Entry::top(c));
        }
        return;
    }
    let sub = args.get(1);
    if is(sub, "count") {
        if sub_arity(ctx, &args, "command", "count", 2) {
            ctx.out.int(COMMANDS.len() as i64);
        }
    } else if is(sub, "list") {
        if sub_arity(ctx, &args, "command", "list", -2) {
            list(ctx, &args);
        }
    } else if is(sub, "info") {
        if !sub_arity(ctx, &args, "command", "info", -2) {
            return;
        }
        if args.len() == 2 {
            ctx.out.array(COMMANDS.len());
            for c in COMMANDS {
                info(&mut ctx.out, &Entry::top(c));
            }
            return;
        }
        ctx.out.array(args.len() - 2);
        for name in args.iter().skip(2) {
            match find(name) {
                Some(e) => info(&mut ctx.out, &e),
                None => ctx.out.null(),
            }
        }
    } else if is(sub, "docs") {
        if !sub_arity(ctx, &args, "command", "docs", -2) {
            return;
        }
        let found: Vec<Entry> = if args.len() == 2 {
            COMMANDS.iter().map(Entry::top).collect()
        } else {
            args.iter().skip(2).filter_map(find).collect()
        };
        ctx.out.map(found.len());
        for e in &found {
            ctx.out.bulk(e.name.as_bytes());
            docs(&mut ctx.out, e);
        }
    } else if is(sub, "getkeys") || is(sub, "getkeysandflags") {
        let with_flags = is(sub, "getkeysandflags");
        let name = if with_flags {
            "getkeysandflags"
        } else {
            "getkeys"
        };
        if sub_arity(ctx, &args, "command", name, -4) {
            getkeys(ctx, &args, with_flags);
        }
    } else if is(sub, "help") {
        if sub_arity(ctx, &args, "command", "help", 2) {
            help(ctx, "COMMAND", HELP);
        }
    } else {
        errors::unknown_subcommand(&mut ctx.out, "COMMAND", sub);
    }
}

const HELP: &[&str] = &[
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
];

/// A command or subcommand with what COMMAND reports of it.
struct Entry {
    name: &'static str,
    arity: i32,
    flags: u32,
    first: i32,
    last: i32,
    step: i32,
    /// Container commands whose subcommand is mandatory show no flags and
    /// only @slow, as Redis's do.
    bare_container: bool,
    container: bool,
    group: &'static str,
    doc: Option<&'static Doc>,
}

impl Entry {
    fn top(c: &'static Command) -> Entry {
        let doc = meta::doc(c.name);
        let container = meta::is_container(c.name);
        Entry {
            name: c.name,
            arity: c.arity,
            flags: c.flags,
            first: c.first_key,
            last: c.last_key,
            step: c.step,
            bare_container: container && c.arity == -2,
            container,
            group: doc.map_or_else(|| meta::group_of_path(c.path), |d| d.group),
            doc,
        }
    }

    fn sub(d: &'static Doc, group: &'static str) -> Entry {
        // OBJECT's subcommands take their key as argument 2.
        let keyed = d.flags & super::flags::READONLY != 0 && d.syntax.starts_with("key");
        let k = if keyed { 2 } else { 0 };
        Entry {
            name: d.name,
            arity: d.arity,
            flags: d.flags,
            first: k,
            last: k,
            step: keyed as i32,
            bare_container: false,
            container: false,
            group,
            doc: Some(d),
        }
    }

    fn categories(&self) -> u32 {
        if self.bare_container {
            return meta::categories(0, "", "");
        }
        meta::categories(self.flags, self.group, self.doc.map_or("", |d| d.acl))
    }

    fn subs(&self) -> Vec<Entry> {
        if !self.container {
            return Vec::new();
        }
        meta::subcommands(self.name)
            .map(|d| Entry::sub(d, self.group))
            .collect()
    }
}

/// Finds a command or `parent|sub` by name, case-insensitively.
fn find(name: &[u8]) -> Option<Entry> {
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    match lower.split_once('|') {
        None => COMMANDS.iter().find(|c| c.name == lower).map(Entry::top),
        Some((parent, _)) => {
            let top = COMMANDS.iter().find(|c| c.name == parent)?;
            let group =
                meta::doc(top.name).map_or_else(|| meta::group_of_path(top.path), |d| d.group);
            meta::subcommands(top.name)
                .find(|d| d.name == lower)
                .map(|d| Entry::sub(d, group))
        }
    }
}

/// A command's key specs: Redis's where `meta` lists them, else one
/// range spec from the table's first/last/step with `RW update` for
/// writes and `RO access` otherwise.
fn key_specs(name: &str, flags: u32, first: i32, last: i32, step: i32) -> Vec<KeySpec> {
    if let Some(specs) = meta::key_specs(name) {
        return specs
            .iter()
            .map(|s| KeySpec {
                flags: s.flags,
                index: s.index,
                lastkey: s.lastkey,
                keystep: s.keystep,
                limit: s.limit,
            })
            .collect();
    }
    if first <= 0 {
        return Vec::new();
    }
    vec![KeySpec {
        flags: if flags & super::flags::WRITE != 0 {
            "RW update"
        } else {
            "RO access"
        },
        index: first,
        lastkey: if last < 0 { last } else { last - first },
        keystep: step,
        limit: 0,
    }]
}

/// Writes a key-spec flag list (`RW access delete`) as a set.
fn spec_flags(out: &mut Reply, flags: &str) {
    out.set(flags.split_whitespace().count());
    for f in flags.split_whitespace() {
        out.simple(f.as_bytes());
    }
}

/// One COMMAND INFO entry: name, arity, flags, first, last, step, ACL
/// categories, tips, key specs, subcommands.
fn info(out: &mut Reply, e: &Entry) {
    out.array(10);
    out.bulk(e.name.as_bytes());
    out.int(e.arity as i64);
    let flags: Vec<&str> = if e.bare_container {
        Vec::new()
    } else {
        meta::FLAG_NAMES
            .iter()
            .filter(|(bit, _)| e.flags & bit != 0)
            .map(|(_, n)| *n)
            .collect()
    };
    out.set(flags.len());
    for f in flags {
        out.simple(f.as_bytes());
    }
    out.int(e.first as i64);
    out.int(e.last as i64);
    out.int(e.step as i64);
    let cats = e.categories();
    out.set(cats.count_ones() as usize);
    for (i, c) in meta::CATEGORIES.iter().enumerate() {
        if cats & (1 << i) != 0 {
            out.simple(format!("@{c}").as_bytes());
        }
    }
    let tips: Vec<&str> = e.doc.map_or("", |d| d.tips).split_whitespace().collect();
    out.set(tips.len());
    for t in tips {
        out.bulk(t.as_bytes());
    }
    let specs = key_specs(e.name, e.flags, e.first, e.last, e.step);
    out.set(specs.len());
    for s in &specs {
        key_spec(out, s);
    }
    let subs = e.subs();
    if subs.is_empty() {
        out.set(0);
    } else {
        out.array(subs.len());
        for s in &subs {
            info(out, s);
        }
    }
}

/// One key spec: flags, an index begin-search, a range find-keys.
fn key_spec(out: &mut Reply, s: &KeySpec) {
    out.map(3);
    out.bulk(b"flags");
    spec_flags(out, s.flags);
    out.bulk(b"begin_search");
    out.map(2);
    out.bulk(b"type");
    out.bulk(b"index");
    out.bulk(b"spec");
    out.map(1);
    out.bulk(b"index");
    out.int(s.index as i64);
    out.bulk(b"find_keys");
    out.map(2);
    out.bulk(b"type");
    out.bulk(b"range");
    out.bulk(b"spec");
    out.map(3);
    out.bulk(b"lastkey");
    out.int(s.lastkey as i64);
    out.bulk(b"keystep");
    out.int(s.keystep as i64);
    out.bulk(b"limit");
    out.int(s.limit as i64);
}

/// One COMMAND DOCS entry: a map of summary, since, group, complexity,
/// arguments (when there are any) and subcommands (for containers).
fn docs(out: &mut Reply, e: &Entry) {
    let d = e.doc;
    let args = d.map(|d| meta::arguments(d.syntax)).unwrap_or_default();
    let subs = e.subs();
    out.map(4 + !args.is_empty() as usize + !subs.is_empty() as usize);
    out.bulk(b"summary");
    out.bulk(d.map_or("", |d| d.summary).as_bytes());
    out.bulk(b"since");
    out.bulk(d.map_or("1.0.0", |d| d.since).as_bytes());
    out.bulk(b"group");
    out.bulk(e.group.as_bytes());
    out.bulk(b"complexity");
    out.bulk(d.map_or("", |d| d.complexity).as_bytes());
    if !args.is_empty() {
        out.bulk(b"arguments");
        arguments(out, &args);
    }
    if !subs.is_empty() {
        out.bulk(b"subcommands");
        out.map(subs.len());
        for s in &subs {
            out.bulk(s.name.as_bytes());
            docs(out, s);
        }
    }
}

fn arguments(out: &mut Reply, args: &[meta::Arg]) {
    out.array(args.len());
    for a in args {
        let flags = a.optional as usize + a.multiple as usize;
        out.map(
            2 + a.token.is_some() as usize
                + a.key_spec_index.is_some() as usize
                + (flags > 0) as usize
                + !a.args.is_empty() as usize,
        );
        out.bulk(b"name");
        out.bulk(a.name.as_bytes());
        out.bulk(b"type");
        out.bulk(a.kind.as_bytes());
        if let Some(i) = a.key_spec_index {
            out.bulk(b"key_spec_index");
            out.int(i as i64);
        }
        if let Some(t) = &a.token {
            out.bulk(b"token");
            out.bulk(t.as_bytes());
        }
        if flags > 0 {
            out.bulk(b"flags");
            out.set(flags);
            if a.optional {
                out.simple(b"optional");
            }
            if a.multiple {
                out.simple(b"multiple");
            }
        }
        if !a.args.is_empty() {
            out.bulk(b"arguments");
            arguments(out, &a.args);
        }
    }
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
fn list(ctx: &mut Ctx, args: &Args) {
    enum Filter<'a> {
        None,
        Module,
        Cat(u32),
        Pattern(&'a [u8]),
    }
    let filter = match args.len() {
        2 => Filter::None,
        5 if is(args.get(2), "filterby") => {
            let (kind, v) = (args.get(3), args.get(4));
            if is(kind, "module") {
                Filter::Module
            } else if is(kind, "aclcat") {
                let v = String::from_utf8_lossy(v).to_ascii_lowercase();
                match meta::CATEGORIES.iter().position(|c| *c == v) {
                    Some(i) => Filter::Cat(1 << i),
                    // An unknown category matches nothing, as in Redis.
                    None => Filter::Cat(0),
                }
            } else if is(kind, "pattern") {
                Filter::Pattern(v)
            } else {
                return ctx.out.raw(errors::SYNTAX);
            }
        }
        _ => return ctx.out.raw(errors::SYNTAX),
    };
    let mut names = Vec::new();
    for c in COMMANDS {
        let top = Entry::top(c);
        let mut all = vec![];
        all.extend(top.subs());
        all.insert(0, top);
        for e in all {
            let keep = match filter {
                Filter::None => true,
                Filter::Module => false,
                Filter::Cat(bit) => bit != 0 && e.categories() & bit != 0,
                Filter::Pattern(p) => glob_match(p, e.name.as_bytes(), true),
            };
            if keep {
                names.push(e.name);
            }
        }
    }
    ctx.out.array(names.len());
    for n in names {
        ctx.out.bulk(n.as_bytes());
    }
}

/// COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...]: the keys the
/// command's key specs find, in spec order.
fn getkeys(ctx: &mut Ctx, args: &Args, with_flags: bool) {
    let Some(c) = COMMANDS.iter().find(|c| is(args.get(2), c.name)) else {
        return ctx.out.raw(errors::INVALID_COMMAND);
    };
    let argc = args.len() as i32 - 2;
    if (c.arity > 0 && argc != c.arity) || argc < -c.arity {
        return ctx.out.raw(errors::INVALID_ARGUMENTS);
    }
    let mut keys: Vec<(usize, &str)> = Vec::new();
    for s in key_specs(c.name, c.flags, c.first_key, c.last_key, c.step) {
        let last = if s.lastkey < 0 {
            argc + s.lastkey
        } else {
            s.index + s.lastkey
        }
        .min(argc - 1);
        let step = s.keystep.max(1) as usize;
        for i in (s.index..=last).step_by(step) {
            keys.push((i as usize + 2, s.flags));
        }
    }
    // A container's subcommand whose first argument is a key (OBJECT
    // ENCODING key, ...): Redis finds it through the subcommand's key spec.
    if keys.is_empty() && argc >= 3 {
        let sub = String::from_utf8_lossy(args.get(3)).to_ascii_lowercase();
        if let Some(d) = meta::doc(&format!("{}|{sub}", c.name))
            && (d.syntax == "key" || d.syntax.starts_with("key "))
        {
            keys.push((4, "RO"));
        }
    }
    if keys.is_empty() {
        return ctx.out.raw(errors::NO_KEY_ARGS);
    }
    ctx.out.array(keys.len());
    for (i, flags) in keys {
        if with_flags {
            ctx.out.array(2);
            ctx.out.bulk(args.get(i));
            spec_flags(&mut ctx.out, flags);
        } else {
            ctx.out.bulk(args.get(i));
        }
    }
}
