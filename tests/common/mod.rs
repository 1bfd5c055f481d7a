//! Shared harness for ferrite's integration tests.
//!
//! By default every test spawns the `ferrite` binary built by cargo. With
//! `FERRITE_TEST_AGAINST=redis` the same tests run against a real
//! `redis-server`, which is how the expectations in this suite were checked.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server gets to come up.
pub const START_DEADLINE: Duration = Duration::from_secs(10);
/// Read timeout on raw sockets.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// True when the suite targets a real redis-server (`FERRITE_TEST_AGAINST=redis`).
pub fn against_redis() -> bool {
    std::env::var("FERRITE_TEST_AGAINST")
        .map(|v| v.eq_ignore_ascii_case("redis"))
        .unwrap_or(false)
}

/// For ferrite-only tests: returns true (and says so) when running against redis.
pub fn skip_if_redis(test: &str) -> bool {
    if against_redis() {
        println!("skipped {test}: ferrite-only test (FERRITE_TEST_AGAINST=redis)");
        true
    } else {
        false
    }
}

/// Path of the ferrite binary under test.
pub fn ferrite_bin() -> &'static str {
    env!("CARGO_BIN_EXE_ferrite")
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().unwrap().port()
}

/// Poll `f` every few milliseconds until it returns true or `deadline` elapses.
pub fn poll_until(deadline: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + deadline;
    loop {
        if f() {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Collects everything a child writes to a pipe, on a background thread.
fn drain<R: Read + Send + 'static>(mut r: R) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b = buf.clone();
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

/// A running server (ferrite or redis-server), killed on drop.
pub struct Server {
    pub port: u16,
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
    stdout: Arc<Mutex<Vec<u8>>>,
    /// Scratch directory (redis' `--dir`), removed on drop.
    dir: Option<std::path::PathBuf>,
}

/// Extract the port from ferrite's banner `ferrite listening on 127.0.0.1:<port> ...`.
pub fn parse_banner_port(line: &str) -> Option<u16> {
    let tok = line.split_whitespace().find(|t| t.contains("127.0.0.1:"))?;
    let after = &tok[tok.rfind(':')? + 1..];
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

impl Server {
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// Start with extra `--directive value` arguments.
    pub fn start_with(args: &[&str]) -> Server {
        if against_redis() {
            Server::start_redis(args)
        } else {
            Server::try_start_ferrite(args).unwrap_or_else(|e| panic!("{e}"))
        }
    }

    /// Spawn ferrite with `--port 0` + `args` and wait for its banner.
    pub fn try_start_ferrite(args: &[&str]) -> Result<Server, String> {
        Server::try_start_ferrite_env(args, &[])
    }

    /// As [`Server::try_start_ferrite`], with extra environment variables
    /// (the binary's test seams).
    pub fn try_start_ferrite_env(args: &[&str], env: &[(&str, &str)]) -> Result<Server, String> {
        // As the redis-server reference, DEBUG is allowed from loopback.
        let mut full: Vec<&str> = vec!["--port", "0", "--enable-debug-command", "local"];
        // FERRITE_IO_BACKEND=epoll|uring|auto runs the suite on that I/O
        // backend (.ci/run runs it once per backend).
        let backend = io_backend();
        if let Some(b) = &backend {
            full.extend_from_slice(&["--io-backend", b]);
        }
        // FERRITE_EXTRA_ARGS="--io-uring-recv-ring yes": the suite with an
        // experiment switched on.
        let extra = std::env::var("FERRITE_EXTRA_ARGS").unwrap_or_default();
        full.extend(extra.split_whitespace());
        full.extend_from_slice(args);
        Server::spawn_ferrite(&full, env)
    }

    /// Spawn ferrite with exactly `args` (no implicit `--port 0`) and wait for its banner.
    pub fn try_spawn_ferrite_raw(args: &[&str]) -> Result<Server, String> {
        Server::spawn_ferrite(args, &[])
    }

    fn spawn_ferrite(args: &[&str], env: &[(&str, &str)]) -> Result<Server, String> {
        let mut child = Command::new(ferrite_bin())
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot spawn {}: {e}", ferrite_bin()))?;
        let stderr = drain(child.stderr.take().unwrap());
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<Option<String>>();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let so = stdout.clone();
        thread::spawn(move || {
            let mut r = BufReader::new(out);
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(n) if n > 0 => {
                    let _ = tx.send(Some(line));
                }
                _ => {
                    let _ = tx.send(None);
                    return;
                }
            }
            // Keep draining so the server never blocks on a full pipe.
            let mut chunk = [0u8; 4096];
            while let Ok(n) = r.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                so.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        let fail = |mut child: Child, why: String, stderr: &Arc<Mutex<Vec<u8>>>| -> String {
            let _ = child.kill();
            let status = child.wait().ok();
            thread::sleep(Duration::from_millis(20));
            let err = String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned();
            format!("ferrite {args:?}: {why} (status {status:?}); stderr:\n{err}")
        };
        match rx.recv_timeout(START_DEADLINE) {
            Ok(Some(line)) => match parse_banner_port(&line) {
                Some(port) => Ok(Server {
                    port,
                    child,
                    stderr,
                    stdout,
                    dir: None,
                }),
                None => Err(fail(child, format!("unparsable banner {line:?}"), &stderr)),
            },
            Ok(None) => Err(fail(
                child,
                "exited (or closed stdout) before printing its banner".into(),
                &stderr,
            )),
            Err(_) => Err(fail(
                child,
                format!("no banner within {START_DEADLINE:?}"),
                &stderr,
            )),
        }
    }

    fn start_redis(args: &[&str]) -> Server {
        let mut last_err = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let (mut child, dir) = spawn_redis(None, port, args);
            let stdout = drain(child.stdout.take().unwrap());
            let stderr = drain(child.stderr.take().unwrap());
            let end = Instant::now() + START_DEADLINE;
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    thread::sleep(Duration::from_millis(20));
                    last_err = format!(
                        "redis-server exited {status}: {}{}",
                        String::from_utf8_lossy(&stdout.lock().unwrap()),
                        String::from_utf8_lossy(&stderr.lock().unwrap())
                    );
                    break;
                }
                if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                    s.set_read_timeout(Some(Duration::from_secs(1))).ok();
                    if s.write_all(b"PING\r\n").is_ok() {
                        let mut buf = [0u8; 7];
                        if s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n" {
                            return Server {
                                port,
                                child,
                                stderr,
                                stdout,
                                dir: Some(dir),
                            };
                        }
                    }
                }
                if Instant::now() >= end {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("redis-server on port {port} did not answer PING in time");
                }
                thread::sleep(Duration::from_millis(5));
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        panic!("could not start redis-server: {last_err}");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Poll for the process to exit within `deadline`.
    pub fn wait_exit(&mut self, deadline: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + deadline;
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            if Instant::now() >= end {
                return None;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A redis-rs connection.
    pub fn client(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .expect("client url")
            .get_connection()
            .expect("connect with redis-rs")
    }

    /// A raw TCP connection (nodelay, 5 s read timeout).
    pub fn raw(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(d) = &self.dir {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Run ferrite with `args` and wait (up to `deadline`) for it to exit on its own.
/// Returns the exit status (None if it was still running and had to be killed)
/// and its stderr.
pub fn run_ferrite_to_exit(args: &[&str], deadline: Duration) -> (Option<ExitStatus>, String) {
    let mut child = Command::new(ferrite_bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ferrite");
    let err = drain(child.stderr.take().unwrap());
    let end = Instant::now() + deadline;
    let status = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break Some(st);
        }
        if Instant::now() >= end {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(5));
    };
    // Give the drain thread a moment to see EOF.
    poll_until(Duration::from_millis(200), || Arc::strong_count(&err) == 1);
    let text = String::from_utf8_lossy(&err.lock().unwrap()).into_owned();
    (status, text)
}

// ---------------------------------------------------------------------------
// Raw RESP helpers
// ---------------------------------------------------------------------------

/// Encode a command as a RESP2 multibulk.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

pub fn send_raw(s: &mut TcpStream, bytes: &[u8]) {
    s.write_all(bytes).expect("write to server");
}

fn read_line_raw<R: Read>(r: &mut R, out: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    let start = out.len();
    let mut b = [0u8; 1];
    loop {
        let n = r.read(&mut b)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "connection closed mid-reply after {:?}",
                    String::from_utf8_lossy(out)
                ),
            ));
        }
        out.push(b[0]);
        let len = out.len();
        if len - start >= 2 && &out[len - 2..] == b"\r\n" {
            return Ok(out[start + 1..len - 2].to_vec());
        }
    }
}

fn read_reply_into<R: Read>(r: &mut R, out: &mut Vec<u8>) -> io::Result<()> {
    let start = out.len();
    let line = read_line_raw(r, out)?;
    let kind = out[start];
    let num = || -> io::Result<i64> {
        std::str::from_utf8(&line)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad length line {:?}", String::from_utf8_lossy(&line)),
                )
            })
    };
    match kind {
        b'+' | b'-' | b':' => Ok(()),
        b'$' => {
            let n = num()?;
            if n >= 0 {
                let mut body = vec![0u8; n as usize + 2];
                r.read_exact(&mut body)?;
                out.extend_from_slice(&body);
            }
            Ok(())
        }
        b'*' => {
            let n = num()?;
            for _ in 0..n.max(0) {
                read_reply_into(r, out)?;
            }
            Ok(())
        }
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("unexpected RESP type byte {:?}", other as char),
        )),
    }
}

/// Read exactly one complete RESP2 reply from any reader and return its raw bytes.
pub fn read_reply_from<R: Read>(r: &mut R) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    read_reply_into(r, &mut out)?;
    Ok(out)
}

/// Read exactly one complete RESP2 reply (no read-ahead past it) and return its raw bytes.
pub fn read_reply_bytes(s: &mut TcpStream) -> Vec<u8> {
    read_reply_from(s).unwrap_or_else(|e| panic!("reading reply: {e}"))
}

/// Read exactly `len` bytes.
pub fn read_exact_bytes(s: &mut TcpStream, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    s.read_exact(&mut buf)
        .unwrap_or_else(|e| panic!("reading {len} bytes: {e}"));
    buf
}

/// Send one command (multibulk) and return the raw bytes of its reply.
pub fn cmd(s: &mut TcpStream, args: &[&str]) -> Vec<u8> {
    let a: Vec<&[u8]> = args.iter().map(|x| x.as_bytes()).collect();
    cmd_b(s, &a)
}

/// Binary-safe variant of [`cmd`].
pub fn cmd_b(s: &mut TcpStream, args: &[&[u8]]) -> Vec<u8> {
    send_raw(s, &encode(args));
    read_reply_bytes(s)
}

/// Send one command and parse its reply.
pub fn call(s: &mut TcpStream, args: &[&str]) -> Reply {
    parse_reply(&cmd(s, args))
}

/// Assert the connection gets closed by the server (read returns 0 or ECONNRESET)
/// within 5 s, without any further bytes arriving.
pub fn expect_closed(s: &mut TcpStream) {
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let end = Instant::now() + READ_TIMEOUT;
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => panic!(
                "expected close, got bytes {:?}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => return,
            Err(e)
                if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::TimedOut => {
            }
            Err(e) => panic!("unexpected error waiting for close: {e}"),
        }
        if Instant::now() >= end {
            panic!("connection still open after {READ_TIMEOUT:?}");
        }
    }
}

/// Assert nothing arrives on `s` for `quiet` (and the connection stays open).
pub fn expect_silence(s: &mut TcpStream, quiet: Duration) {
    s.set_read_timeout(Some(quiet)).unwrap();
    let mut buf = [0u8; 256];
    match s.read(&mut buf) {
        Ok(0) => panic!("connection closed, expected it to stay open"),
        Ok(n) => panic!("unexpected bytes {:?}", String::from_utf8_lossy(&buf[..n])),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::TimedOut => {}
        Err(e) => panic!("unexpected error: {e}"),
    }
    s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
}

// ---------------------------------------------------------------------------
// Parsed replies
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

impl Reply {
    pub fn int(&self) -> i64 {
        match self {
            Reply::Int(i) => *i,
            other => panic!("expected integer reply, got {other:?}"),
        }
    }
    pub fn bulk(&self) -> Option<Vec<u8>> {
        match self {
            Reply::Bulk(b) => b.clone(),
            other => panic!("expected bulk reply, got {other:?}"),
        }
    }
    pub fn text(&self) -> String {
        match self {
            Reply::Bulk(Some(b)) => String::from_utf8_lossy(b).into_owned(),
            Reply::Status(s) => s.clone(),
            other => panic!("expected bulk/status reply, got {other:?}"),
        }
    }
    pub fn array(&self) -> Vec<Reply> {
        match self {
            Reply::Array(Some(a)) => a.clone(),
            other => panic!("expected array reply, got {other:?}"),
        }
    }
    /// An array of bulk strings as `String`s.
    pub fn strings(&self) -> Vec<String> {
        self.array().iter().map(|r| r.text()).collect()
    }
}

fn parse_at(b: &[u8], pos: &mut usize) -> Reply {
    let end = *pos
        + b[*pos..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("CRLF in reply");
    let kind = b[*pos];
    let line = String::from_utf8_lossy(&b[*pos + 1..end]).into_owned();
    *pos = end + 2;
    match kind {
        b'+' => Reply::Status(line),
        b'-' => Reply::Error(line),
        b':' => Reply::Int(line.parse().expect("integer reply")),
        b'$' => {
            let n: i64 = line.parse().expect("bulk len");
            if n < 0 {
                Reply::Bulk(None)
            } else {
                let n = n as usize;
                let v = b[*pos..*pos + n].to_vec();
                *pos += n + 2;
                Reply::Bulk(Some(v))
            }
        }
        b'*' => {
            let n: i64 = line.parse().expect("array len");
            if n < 0 {
                Reply::Array(None)
            } else {
                Reply::Array(Some((0..n).map(|_| parse_at(b, pos)).collect()))
            }
        }
        other => panic!("bad RESP type {:?}", other as char),
    }
}

/// Parse one complete RESP2 reply.
pub fn parse_reply(bytes: &[u8]) -> Reply {
    let mut pos = 0;
    let r = parse_at(bytes, &mut pos);
    assert_eq!(pos, bytes.len(), "trailing bytes after reply");
    r
}

/// `field:value` lookup in INFO text.
pub fn info_field(info: &str, field: &str) -> Option<String> {
    info.lines().find_map(|l| {
        l.strip_prefix(field)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|v| v.trim().to_string())
    })
}

/// Fetch `INFO [section]` over a raw connection.
pub fn info(s: &mut TcpStream, section: &str) -> String {
    let r = if section.is_empty() {
        call(s, &["INFO"])
    } else {
        call(s, &["INFO", section])
    };
    r.text()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Spawns the reference redis-server on `port` (optionally with a config
/// file as its first argument) in a scratch directory, without
/// persistence; returns the child and the directory.
fn spawn_redis(config: Option<&str>, port: u16, args: &[&str]) -> (Child, std::path::PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("ferrite-tests-redis-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    let mut cmd = Command::new("redis-server");
    if let Some(p) = config {
        cmd.arg(p);
    }
    let child = cmd
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ])
        // Redis 7 refuses DEBUG unless enabled; ferrite always allows it.
        .args(["--appendonly", "no", "--enable-debug-command", "local"])
        .arg("--dir")
        .arg(&dir)
        .args(args)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn redis-server (is it installed?)");
    (child, dir)
}

impl Server {
    /// Start with a config file, which both servers take as their first
    /// argument, then `args` (`--directive value`).
    pub fn start_with_config_file(path: &std::path::Path, args: &[&str]) -> Server {
        let p = path.to_str().expect("utf-8 config path");
        if !against_redis() {
            let mut full = vec![p, "--port", "0", "--enable-debug-command", "local"];
            full.extend_from_slice(args);
            return Server::try_spawn_ferrite_raw(&full).unwrap_or_else(|e| panic!("{e}"));
        }
        let port = free_port();
        let (mut child, dir) = spawn_redis(Some(p), port, args);
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = drain(child.stderr.take().unwrap());
        let up = poll_until(START_DEADLINE, || {
            let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
                return false;
            };
            s.set_read_timeout(Some(Duration::from_secs(1))).ok();
            let mut buf = [0u8; 7];
            s.write_all(b"PING\r\n").is_ok()
                && s.read_exact(&mut buf).is_ok()
                && &buf == b"+PONG\r\n"
        });
        if !up {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "redis-server with {p} did not start: {}",
                String::from_utf8_lossy(&stdout.lock().unwrap())
            );
        }
        Server {
            port,
            child,
            stderr,
            stdout,
            dir: Some(dir),
        }
    }
}
/// The I/O backend the suite runs ferrite on (`FERRITE_IO_BACKEND`), if set.
pub fn io_backend() -> Option<String> {
    std::env::var("FERRITE_IO_BACKEND")
        .ok()
        .filter(|v| !v.is_empty())
}

/// Runs each `(command line, expected reply bytes)` in order on `c`; the
/// line is split on single spaces. Fails naming the first mismatch.
pub fn script(c: &mut TcpStream, steps: &[(&str, &[u8])]) {
    for (line, want) in steps {
        let args: Vec<&str> = line.split(' ').collect();
        let got = cmd(c, &args);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want),
            "reply to {line:?}"
        );
    }
}

/// Switches `c` to RESP3 with `HELLO 3` and drains its reply. False (and a
/// note) when the server has no HELLO yet: the caller skips its test.
pub fn hello3(c: &mut TcpStream) -> bool {
    send_raw(c, &encode(&[b"HELLO", b"3"]));
    let mut first = [0u8; 1];
    c.read_exact(&mut first).expect("reply to HELLO");
    let mut line = Vec::new();
    while !line.ends_with(b"\r\n") {
        c.read_exact(&mut first[..]).expect("reply to HELLO");
        line.push(first[0]);
    }
    if line.first() == Some(&b'E') || line.starts_with(b"ERR") {
        println!("skipped: no HELLO");
        return false;
    }
    // The HELLO map's bytes are not parsed: a PING marks their end.
    send_raw(c, &encode(&[b"PING"]));
    let mut tail = Vec::new();
    while !tail.ends_with(b"+PONG\r\n") {
        c.read_exact(&mut first).expect("reply to PING");
        tail.push(first[0]);
    }
    true
}

// ---------------------------------------------------------------------------
// RESP3 raw replies
// ---------------------------------------------------------------------------

fn read_reply3_into<R: Read>(r: &mut R, out: &mut Vec<u8>) -> io::Result<()> {
    let start = out.len();
    let line = read_line_raw(r, out)?;
    let kind = out[start];
    let num = || -> io::Result<i64> {
        std::str::from_utf8(&line)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad length line"))
    };
    match kind {
        b'+' | b'-' | b':' | b'_' | b'#' | b',' | b'(' => Ok(()),
        b'$' | b'=' | b'!' => {
            let n = num()?;
            if n >= 0 {
                let mut body = vec![0u8; n as usize + 2];
                r.read_exact(&mut body)?;
                out.extend_from_slice(&body);
            }
            Ok(())
        }
        b'*' | b'~' | b'>' | b'%' | b'|' => {
            let n = num()?;
            let items = if kind == b'%' || kind == b'|' {
                2 * n
            } else {
                n
            };
            for _ in 0..items.max(0) {
                read_reply3_into(r, out)?;
            }
            Ok(())
        }
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("unexpected RESP3 type byte {:?}", other as char),
        )),
    }
}

/// Read exactly one complete RESP2 or RESP3 reply and return its raw bytes.
pub fn read_reply3_bytes(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    read_reply3_into(s, &mut out).unwrap_or_else(|e| panic!("reading reply: {e}"));
    out
}

/// Send one command and return the raw bytes of its (RESP2 or RESP3) reply.
pub fn cmd3(s: &mut TcpStream, args: &[&str]) -> Vec<u8> {
    let a: Vec<&[u8]> = args.iter().map(|x| x.as_bytes()).collect();
    send_raw(s, &encode(&a));
    read_reply3_bytes(s)
}

/// The HELLO map (RESP3) or flat array (RESP2) Redis 7.0.15 sends, for a
/// client with `id`.
pub fn hello_reply(proto: u8, id: i64) -> Vec<u8> {
    let head = if proto == 3 { "%7" } else { "*14" };
    let id = id.to_string();
    format!(
        "{head}\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:{proto}\r\n$2\r\nid\r\n:{id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
    )
    .into_bytes()
}

/// How long a client is given to reach the blocked state before another
/// client writes (no protocol signal shared by both servers says
/// "blocked" besides silence).
pub const BLOCK_SETTLE: Duration = Duration::from_millis(80);

/// Sends `line`, split on single spaces, as one RESP command.
pub fn send_line(c: &mut TcpStream, line: &str) {
    let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    send_raw(c, &encode(&args));
}

/// Sends a blocking command and checks that no reply comes for a moment.
pub fn send_and_expect_block(c: &mut TcpStream, line: &str) {
    send_line(c, line);
    expect_silence(c, BLOCK_SETTLE);
}
