//! Lua scripting: one Lua 5.1 state (through `mlua`, vendored, as Redis
//! embeds 5.1), scripts compiled once and cached by SHA1, the `redis.*`
//! API, the sandbox (read-only globals), and the RESP conversions.
//!
//! `redis.call` runs a command through the same table and `Table::call`
//! as a client, with the script's own client state (its db, its RESP
//! version), replying into a scratch buffer that is then parsed into Lua
//! values, as Redis does with its fake Lua client.

pub mod busy;
pub mod convert;
mod current;
mod libs;
pub mod serve;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::rc::Rc;

use mlua::{
    Function, HookTriggers, Lua, LuaOptions, LuaString, MultiValue, StdLib, Table,
    Value as LuaValue, VmState,
};

use crate::cmd::{Ctx, flags, table};
use crate::conn::ClientState;
use crate::errors;
use crate::resp::{Args, Reply};

/// Instructions between two calls of the hook that watches the time
/// (Redis uses 100,000; the check is one clock read).
const HOOK_EVERY: u32 = 100_000;

/// Lua code run once at start: the `redis` table's Lua parts and the
/// sandbox. `hidden` is a table scripts cannot reach: the native helpers
/// (`is_call_error`, `loadstring`), the raw `redis` table, the scripts'
/// environment (`env`) and the last `redis.call` error (`last_err`).
const BOOTSTRAP: &str = r#"
local hidden, G, error, tostring, pcall, type = ...
local setmetatable, rawset, concat = setmetatable, rawset, table.concat
redis.LOG_DEBUG = 0
redis.LOG_VERBOSE = 1
redis.LOG_NOTICE = 2
redis.LOG_WARNING = 3
redis.REPL_NONE = 0
redis.REPL_AOF = 1
redis.REPL_SLAVE = 2
redis.REPL_REPLICA = 2
redis.REPL_ALL = 3
redis.REDIS_VERSION = "7.0.15"
redis.REDIS_VERSION_NUM = 0x0007000f
redis.set_repl = function() end
redis.replicate_commands = function() return true end
redis.breakpoint = function() return false end
redis.debug = function() end
print, dofile, loadfile, require, module, getfenv, setfenv, newproxy = nil
-- redis.call raises its error table through a marker (a native function
-- cannot raise a table). As Redis 7.0's pcall, an error table gives its
-- `err` text.
local is_call_error = hidden.is_call_error
local function fix(ok, ...)
  if ok then return ok, ... end
  local e = (...)
  if is_call_error(e) then e = hidden.last_err end
  if type(e) == "table" and e.err ~= nil then e = e.err end
  return false, e
end
G.pcall = function(f, ...) return fix(pcall(f, ...)) end
local xpcall = xpcall
G.xpcall = function(f, handler)
  return xpcall(f, function(e)
    if is_call_error(e) then e = hidden.last_err end
    return handler(e)
  end)
end
-- Read-only tables, as Redis 7.0's: the globals, the libraries, `redis`.
-- Scripts see proxies; `rawset` and `setmetatable` refuse them, and code
-- made by loadstring / load gets the same environment as scripts.
local READONLY = "Attempt to modify a readonly table"
local function readonly() error(READONLY, 2) end
local function missing(t, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end
local protected = {}
local function protect(t)
  local p = setmetatable({}, {__index = t, __newindex = readonly, __metatable = false})
  protected[t] = true
  protected[p] = true
  return p
end
hidden.redis = redis
for _, name in ipairs({"redis", "bit", "cjson", "cmsgpack", "struct", "string", "table", "math", "coroutine"}) do
  G[name] = protect(G[name])
end
local env = protect(G)
G._G = env
G.rawset = function(t, k, v)
  if protected[t] then error(READONLY, 0) end
  return rawset(t, k, v)
end
G.setmetatable = function(t, mt)
  if protected[t] then error(READONLY, 0) end
  return setmetatable(t, mt)
end
local loadstring = hidden.loadstring
G.loadstring = loadstring
G.load = function(reader, name)
  local parts = {}
  while true do
    local piece = reader()
    if piece == nil or piece == "" then break end
    parts[#parts + 1] = piece
  end
  return loadstring(concat(parts), name or "=(load)")
end
setmetatable(G, {__index = missing, __newindex = readonly, __metatable = false})
return env
"#;

/// The error a failing `redis.call` raises; the handler and `pcall`
/// swap it for the error table kept in `hidden.last_err`.
const CALL_ERROR: &str = "\u{1}redis.call error";

/// State shared between the engine and its native Lua functions.
#[derive(Default)]
struct RunState {
    /// `redis.setresp`: the RESP version commands answer the script in.
    resp: Cell<u8>,
    /// EVAL_RO / EVALSHA_RO: write commands are refused.
    read_only: Cell<bool>,
}

/// What `redis.call` works with besides `Shared`.
struct Natives {
    /// The script's own client: its selected db and protocol.
    client: ClientState,
    /// Replies of `redis.call`, parsed into Lua values.
    scratch: Vec<u8>,
    /// Arguments of `redis.call`, back to back.
    argbuf: Vec<u8>,
    argranges: Vec<(usize, usize)>,
}

/// A compiled script and what its `#!lua` line declared.
struct Script {
    func: Function,
    /// Started with a shebang (Redis 7's flag-aware scripts).
    shebang: bool,
    /// `flags=no-writes`.
    no_writes: bool,
}

pub struct Engine {
    lua: Lua,
    /// Compiled scripts by lowercase hex SHA1.
    cache: HashMap<[u8; 40], Script, ahash::RandomState>,
    /// The read-only proxy scripts see as their environment.
    env: Table,
    xpcall: Function,
    handler: Function,
    natives: Rc<RefCell<Natives>>,
    state: Rc<RunState>,
    /// KEYS and ARGV, refilled for each run, and their lengths.
    keys: Table,
    argv: Table,
    lens: (usize, usize),
}

impl Engine {
    pub fn new() -> mlua::Result<Engine> {
        let lua = Lua::new_with(
            StdLib::TABLE | StdLib::STRING | StdLib::MATH,
            LuaOptions::default(),
        )?;
        let state = Rc::new(RunState::default());
        state.resp.set(2);
        let globals = lua.globals();
        let redis = lua.create_table()?;
        libs::install_redis_natives(&lua, &redis, state.clone())?;
        globals.raw_set("redis", redis)?;
        globals.raw_set("bit", libs::bit(&lua)?)?;
        globals.raw_set("cjson", libs::cjson(&lua)?)?;
        globals.raw_set("cmsgpack", libs::cmsgpack(&lua)?)?;
        globals.raw_set("struct", libs::struct_lib(&lua)?)?;
        libs::install_random(&lua, &globals.raw_get::<Table>("math")?)?;
        let hidden = lua.create_table()?;
        hidden.raw_set(
            "is_call_error",
            lua.create_function(|_, v: LuaValue| Ok(is_call_error(&v)))?,
        )?;
        // loadstring: code it makes runs in the scripts' environment (the
        // read-only proxy), as Redis's.
        hidden.raw_set(
            "loadstring",
            lua.create_function(|lua, (code, name): (LuaString, Option<LuaString>)| {
                let hidden: Table = lua.named_registry_value("ferrite.hidden")?;
                let env: Table = hidden.raw_get("env")?;
                let name = match name {
                    Some(n) => n.to_string_lossy(),
                    None => code.to_string_lossy(),
                };
                match lua
                    .load(&*code.as_bytes())
                    .set_name(name)
                    .set_environment(env)
                    .into_function()
                {
                    Ok(f) => Ok((LuaValue::Function(f), LuaValue::Nil)),
                    Err(e) => Ok((
                        LuaValue::Nil,
                        LuaValue::String(lua.create_string(error_text(&e))?),
                    )),
                }
            })?,
        )?;
        lua.set_named_registry_value("ferrite.hidden", hidden.clone())?;
        // Lua's own xpcall, before the bootstrap wraps the scripts' one (the
        // wrapper makes a closure per call).
        let xpcall = globals.raw_get::<Function>("xpcall")?;
        let env: Table = lua.load(BOOTSTRAP).set_name("=bootstrap").call((
            hidden.clone(),
            globals.clone(),
            globals.raw_get::<Function>("error")?,
            globals.raw_get::<Function>("tostring")?,
            globals.raw_get::<Function>("pcall")?,
            globals.raw_get::<Function>("type")?,
        ))?;
        let redis_raw: Table = hidden.raw_get("redis")?;
        let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0));
        let natives = Rc::new(RefCell::new(Natives {
            client: ClientState::new(u64::MAX, addr, 0),
            scratch: Vec::new(),
            argbuf: Vec::new(),
            argranges: Vec::new(),
        }));
        // Native functions, so that `return redis.call(...)` keeps the
        // script's frame (a Lua wrapper would be tail-called away) and
        // errors point at the script's line, as in Redis.
        for raise in [true, false] {
            let natives = natives.clone();
            let state = state.clone();
            let hidden = hidden.clone();
            let f = lua.create_function(move |lua, args: MultiValue| {
                let mut n = natives.borrow_mut();
                let (v, failed) =
                    current::with(|shared| call_command(lua, shared, &mut n, &state, args))
                        .unwrap_or_else(|| {
                            Err(mlua::Error::runtime("redis.call outside a script run"))
                        })?;
                if failed && raise {
                    hidden.raw_set("last_err", v)?;
                    return Err(mlua::Error::runtime(CALL_ERROR));
                }
                Ok(v)
            })?;
            redis_raw.raw_set(if raise { "call" } else { "pcall" }, f)?;
        }
        let keys = lua.create_table()?;
        let argv = lua.create_table()?;
        globals.raw_set("KEYS", keys.clone())?;
        globals.raw_set("ARGV", argv.clone())?;
        hidden.raw_set("env", env.clone())?;
        let handler = lua.create_function(error_handler)?;
        lua.set_hook(
            HookTriggers::new().every_nth_instruction(HOOK_EVERY),
            |_lua, _debug| {
                busy::on_hook();
                if busy::killed() {
                    return Err(mlua::Error::runtime(busy::KILLED_TEXT));
                }
                Ok(VmState::Continue)
            },
        )?;
        Ok(Engine {
            lua,
            cache: HashMap::default(),
            env,
            xpcall,
            handler,
            natives,
            state,
            keys,
            argv,
            lens: (0, 0),
        })
    }

    pub fn exists(&self, sha: &[u8]) -> bool {
        sha_key(sha).is_some_and(|k| self.cache.contains_key(&k))
    }

    /// Drops every cached script (SCRIPT FLUSH).
    pub fn flush(&mut self) {
        self.cache.clear();
        self.lua.gc_collect().ok();
    }

    /// Compiles `body` unless cached; returns its SHA1, or the error text.
    pub fn load(&mut self, body: &[u8]) -> Result<[u8; 40], Vec<u8>> {
        let sha = sha1_hex(body);
        if self.cache.contains_key(&sha) {
            return Ok(sha);
        }
        let shebang = parse_shebang(body)?;
        // The `#!lua` line becomes a comment, so that line numbers stay.
        let code: std::borrow::Cow<[u8]> = if shebang.is_some() {
            let mut c = b"--".to_vec();
            c.extend_from_slice(body);
            c.into()
        } else {
            body.into()
        };
        let func = self
            .lua
            .load(&*code)
            .set_name("@user_script")
            .set_environment(self.env.clone())
            .into_function()
            .map_err(|e| {
                let mut msg = b"ERR Error compiling script (new function): ".to_vec();
                msg.extend_from_slice(error_text(&e).as_bytes());
                msg
            })?;
        self.cache.insert(
            sha,
            Script {
                func,
                shebang: shebang.is_some(),
                no_writes: shebang.unwrap_or(false),
            },
        );
        Ok(sha)
    }

    /// Runs a cached script with `keys` and `argv` and writes its reply.
    /// `args` is the EVAL command: keys are `args[3..3 + numkeys]`, the
    /// script's arguments the rest; each is copied once, into Lua.
    pub fn run(
        &mut self,
        ctx: &mut Ctx,
        sha: &[u8; 40],
        args: Args,
        numkeys: usize,
        read_only: bool,
    ) {
        let Engine {
            lua,
            cache,
            keys,
            argv,
            lens,
            state,
            natives,
            xpcall,
            handler,
            ..
        } = self;
        // One lookup of the SHA per call.
        let Some(script) = cache.get(sha) else {
            return ctx.out.raw(errors::NOSCRIPT);
        };
        if read_only && script.shebang && !script.no_writes {
            return ctx.out.raw(errors::SCRIPT_RO_WRITE_FLAG);
        }
        let read_only = read_only || script.no_writes;
        let func = &script.func;
        if let Err(e) = set_arrays(lua, keys, argv, lens, args, numkeys) {
            return ctx.out.error(format!("ERR {}", error_text(&e)).as_bytes());
        }
        state.resp.set(2);
        state.read_only.set(read_only);
        natives.borrow_mut().client.db = ctx.client.db;
        let _guard =
            busy::Running::start(ctx.shared.config.busy_reply_threshold, ctx.shared.now_us);
        // Blocking commands a script may call (BLMPOP) answer at once.
        let deny = std::mem::replace(&mut ctx.shared.blocking.deny_blocking, true);
        let result = current::lend(ctx.shared, || xpcall.call::<MultiValue>((func, &*handler)));
        ctx.shared.blocking.deny_blocking = deny;
        let resp = state.resp.get();
        let out = &mut ctx.out;
        match result {
            Ok(mut values) => {
                let ok = matches!(values.pop_front(), Some(LuaValue::Boolean(true)));
                let v = values.pop_front().unwrap_or(LuaValue::Nil);
                if ok {
                    convert::lua_to_resp(out, &v, resp);
                } else {
                    script_error(out, &v, sha);
                }
            }
            Err(e) => out.error(format!("ERR {}", error_text(&e)).as_bytes()),
        }
    }
}

/// Refills KEYS and ARGV (the same two tables every run) from the
/// request's arguments; `lens` keeps their lengths between runs.
fn set_arrays(
    lua: &Lua,
    keys: &Table,
    argv: &Table,
    lens: &mut (usize, usize),
    args: Args,
    numkeys: usize,
) -> mlua::Result<()> {
    let split = 3 + numkeys;
    let (old_keys, old_argv) = *lens;
    for (t, range, old) in [
        (keys, 3..split, old_keys),
        (argv, split..args.len(), old_argv),
    ] {
        let n = range.len();
        for (i, j) in range.enumerate() {
            t.raw_set(i + 1, lua.create_string(args.get(j))?)?;
        }
        // What the last run left (a script may have grown the table).
        for i in n + 1..=old.max(t.raw_len()) {
            t.raw_set(i, LuaValue::Nil)?;
        }
    }
    *lens = (numkeys, args.len() - split);
    Ok(())
}

/// `redis.call` / `redis.pcall`'s native part: returns the reply as a Lua
/// value and whether it is an error (the Lua wrapper raises it for call).
fn call_command(
    lua: &Lua,
    shared: &mut crate::server::Shared,
    natives: &mut Natives,
    state: &RunState,
    args: MultiValue,
) -> mlua::Result<(LuaValue, bool)> {
    let Natives {
        client,
        scratch,
        argbuf,
        argranges,
    } = natives;
    let fail = |msg: &str| Ok((error_table(lua, msg.as_bytes())?, true));
    if args.is_empty() {
        return fail("Please specify at least one argument for this redis lib call");
    }
    argbuf.clear();
    argranges.clear();
    for a in args.iter() {
        let start = argbuf.len();
        match a {
            LuaValue::String(s) => argbuf.extend_from_slice(&s.as_bytes()),
            LuaValue::Integer(i) => {
                argbuf.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes())
            }
            LuaValue::Number(n) => convert::number_arg(*n, argbuf),
            _ => return fail("Lua redis lib command arguments must be strings or integers"),
        }
        argranges.push((start, argbuf.len()));
    }
    let args = Args::new(argbuf, argranges);
    let Some(cmd) = table().lookup(args.get(0)) else {
        return fail("Unknown Redis command called from script");
    };
    let argc = args.len() as i32;
    if (cmd.arity > 0 && argc != cmd.arity) || argc < -cmd.arity {
        return fail("Wrong number of args calling Redis command from script");
    }
    if refused_in_scripts(cmd) {
        return fail("This Redis command is not allowed from script");
    }
    let write = cmd.flags & flags::WRITE != 0;
    if write && state.read_only.get() {
        return fail("Write commands are not allowed from read-only scripts.");
    }
    let resp = state.resp.get();
    scratch.clear();
    client.proto = resp;
    {
        let mut c = Ctx {
            out: Reply::new(scratch, resp),
            client,
            shared,
        };
        crate::cmd::call(&mut c, cmd, args);
    }
    if write {
        busy::wrote();
    }
    if scratch.first() == Some(&b'-') {
        let end = scratch.len().saturating_sub(2);
        let msg = scratch[..end].to_vec();
        return Ok((error_table(lua, &msg)?, true));
    }
    let mut pos = 0;
    Ok((convert::resp_to_lua(lua, scratch, &mut pos)?, false))
}

/// Every command Redis 7.0.15 flags `noscript` (`COMMAND` lists them),
/// sorted: refused from scripts even where a table row lacks the flag
/// (blocking list commands, QUIT, pub/sub...).
const REDIS_NOSCRIPT: &[&str] = &[
    "auth",
    "bgrewriteaof",
    "bgsave",
    "blmove",
    "blpop",
    "brpop",
    "brpoplpush",
    "bzpopmax",
    "bzpopmin",
    "debug",
    "discard",
    "eval",
    "eval_ro",
    "evalsha",
    "evalsha_ro",
    "exec",
    "failover",
    "fcall",
    "fcall_ro",
    "hello",
    "monitor",
    "multi",
    "psubscribe",
    "psync",
    "punsubscribe",
    "quit",
    "replconf",
    "replicaof",
    "reset",
    "role",
    "save",
    "script",
    "shutdown",
    "slaveof",
    "ssubscribe",
    "subscribe",
    "sunsubscribe",
    "sync",
    "unsubscribe",
    "unwatch",
    "wait",
    "watch",
];

/// NOSCRIPT in the table or in Redis's list: answered from a table of
/// flags made once, indexed by the command's row (a string search per
/// `redis.call` showed in profiles).
fn refused_in_scripts(cmd: &'static crate::cmd::Command) -> bool {
    use crate::cmd::{COMMANDS, Command};
    static REFUSED: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let refused = REFUSED.get_or_init(|| {
        COMMANDS
            .iter()
            .map(|c| {
                c.flags & flags::NOSCRIPT != 0 || REDIS_NOSCRIPT.binary_search(&c.name).is_ok()
            })
            .collect()
    });
    let row = (cmd as *const Command as usize).wrapping_sub(COMMANDS.as_ptr() as usize)
        / std::mem::size_of::<Command>();
    match refused.get(row) {
        Some(&r) if std::ptr::eq(&COMMANDS[row], cmd) => r,
        _ => cmd.flags & flags::NOSCRIPT != 0 || REDIS_NOSCRIPT.binary_search(&cmd.name).is_ok(),
    }
}

/// Flags a `#!lua flags=...` line may name (Redis 7.0).
const SHEBANG_FLAGS: &[&str] = &[
    "no-writes",
    "allow-oom",
    "allow-stale",
    "no-cluster",
    "allow-cross-slot-keys",
];

/// Redis 7's script shebang: None without one, Some(no-writes) with a
/// valid `#!lua [flags=a,b]` first line, or Redis's error reply text.
fn parse_shebang(body: &[u8]) -> Result<Option<bool>, Vec<u8>> {
    if !body.starts_with(b"#!") {
        return Ok(None);
    }
    let Some(end) = memchr::memchr(b'\n', body) else {
        return Err(b"ERR Invalid script shebang".to_vec());
    };
    let line = &body[..end];
    let line = String::from_utf8_lossy(line);
    let mut words = line.split(' ').filter(|w| !w.is_empty());
    let engine = words.next().unwrap_or("#!");
    if engine != "#!lua" {
        return Err(format!("ERR Unexpected engine in script shebang: {engine}").into_bytes());
    }
    let mut no_writes = false;
    for opt in words {
        let Some(flags) = opt.strip_prefix("flags=") else {
            return Err(format!("ERR Unknown lua shebang option: {opt}").into_bytes());
        };
        for flag in flags.split(',').filter(|f| !f.is_empty()) {
            if !SHEBANG_FLAGS.contains(&flag) {
                return Err(format!("ERR Unexpected flag in script shebang: {flag}").into_bytes());
            }
            no_writes |= flag == "no-writes";
        }
    }
    Ok(Some(no_writes))
}

/// Redis's `luaPushErrorBuff`: `-CODE msg` keeps its code, text without
/// a leading `-` gets `ERR`; the result is `{err="CODE msg"}`.
pub fn error_table(lua: &Lua, text: &[u8]) -> mlua::Result<LuaValue> {
    let t = lua.create_table()?;
    t.raw_set("err", lua.create_string(error_code_text(text))?)?;
    Ok(LuaValue::Table(t))
}

pub fn error_code_text(text: &[u8]) -> Vec<u8> {
    let (code, msg): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match memchr::memchr(b' ', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let mut msg = msg;
    while let Some((&last, head)) = msg.split_last() {
        if last == b'\r' || last == b'\n' {
            msg = head;
        } else {
            break;
        }
    }
    let mut out = Vec::with_capacity(code.len() + 1 + msg.len());
    out.extend_from_slice(code);
    out.push(b' ');
    out.extend_from_slice(msg);
    out
}

/// The message handler of the script's `xpcall`, as Redis's: any error
/// becomes `{err=..., source=..., line=...}`, a plain message getting
/// `ERR`; source and line are those of the innermost script frame.
fn error_handler(lua: &Lua, err: LuaValue) -> mlua::Result<Table> {
    let t = match err {
        LuaValue::Table(t) => t,
        e if is_call_error(&e) => {
            let hidden: Table = lua.named_registry_value("ferrite.hidden")?;
            hidden.raw_get("last_err")?
        }
        other => {
            let text = match &other {
                LuaValue::String(s) => s.to_string_lossy(),
                LuaValue::Error(e) => error_text(e),
                v => format!("{v:?}"),
            };
            let t = lua.create_table()?;
            t.raw_set("err", format!("ERR {text}"))?;
            t
        }
    };
    // The frame that raised, as Redis's handler (`debug.getinfo(2)`, or 3
    // past a C function): the innermost Lua frame that is not ours.
    for level in 0..64 {
        let Some((source, what, line)) = lua.inspect_stack(level, |d| {
            let s = d.source();
            (s.source.map(|s| s.into_owned()), s.what, d.current_line())
        }) else {
            break;
        };
        if what == "C"
            || source
                .as_deref()
                .is_none_or(|s| s.starts_with("=bootstrap"))
        {
            continue;
        }
        if let Some(source) = source {
            t.raw_set("source", source)?;
        }
        if let Some(line) = line {
            t.raw_set("line", line)?;
        }
        break;
    }
    Ok(t)
}

fn is_call_error(v: &LuaValue) -> bool {
    matches!(v, LuaValue::Error(e) if error_text(e) == CALL_ERROR)
}

/// The reply for a script that raised an error: `-<err> script: <sha>,
/// on @user_script:<line>.`
fn script_error(out: &mut Reply, v: &LuaValue, sha: &[u8; 40]) {
    let LuaValue::Table(t) = v else {
        return out.error(b"ERR Error running script, execution failure");
    };
    let mut msg: Vec<u8> = match t.raw_get::<LuaValue>("err") {
        Ok(LuaValue::String(s)) => s.as_bytes().to_vec(),
        _ => b"ERR unknown error".to_vec(),
    };
    let source: Option<String> = t.raw_get("source").ok();
    let line: Option<i64> = t.raw_get("line").ok();
    if let (Some(source), Some(line)) = (source, line) {
        msg.extend_from_slice(b" script: ");
        msg.extend_from_slice(sha);
        msg.extend_from_slice(format!(", on {source}:{line}.").as_bytes());
    }
    out.error(&msg);
}

/// The plain text of an mlua error (no "runtime error:" prefix, no
/// traceback).
pub fn error_text(e: &mlua::Error) -> String {
    match e {
        mlua::Error::RuntimeError(m) => m.clone(),
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::CallbackError { cause, .. } => error_text(cause),
        mlua::Error::MemoryError(m) => m.clone(),
        other => other.to_string(),
    }
}

/// The lowercase hex SHA1 of `body` (script names, `redis.sha1hex`).
pub fn sha1_hex(body: &[u8]) -> [u8; 40] {
    let digest = sha1_smol::Sha1::from(body).digest().bytes();
    let mut out = [0u8; 40];
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = HEX[(b >> 4) as usize];
        out[2 * i + 1] = HEX[(b & 15) as usize];
    }
    out
}

/// A SHA argument as a cache key: 40 characters, lowercased.
pub fn sha_key(sha: &[u8]) -> Option<[u8; 40]> {
    let mut k: [u8; 40] = sha.try_into().ok()?;
    k.make_ascii_lowercase();
    Some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noscript_list_is_sorted() {
        assert!(REDIS_NOSCRIPT.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn error_codes_as_redis() {
        assert_eq!(error_code_text(b"-ERR value bad\r\n"), b"ERR value bad");
        assert_eq!(error_code_text(b"-xx"), b"ERR xx");
        assert_eq!(error_code_text(b"-"), b"ERR ");
        assert_eq!(error_code_text(b"plain text"), b"ERR plain text");
        assert_eq!(
            error_code_text(b"-WRONGTYPE Operation"),
            b"WRONGTYPE Operation"
        );
    }

    #[test]
    fn sha1_of_empty() {
        assert_eq!(&sha1_hex(b""), b"da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }
}
