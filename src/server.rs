//! The event loop: reactor events → connections → commands; the cron
//! (`hz` times a second) and the work done before each sleep.

use std::io::{self, ErrorKind};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use slab::Slab;

use crate::blocking::{self, Blocking};
use crate::clients::{self, Clients};
use crate::cmd::{self, Ctx};
use crate::config::Config;
use crate::conn::{ClientState, Conn, ReadBuf, output_over_limit};
use crate::db::Db;
use crate::db::dict::WARM_MAX;
use crate::db::lazyfree::LazyFree;
use crate::errors;
use crate::monitor::Monitors;
use crate::observ::Observ;
use crate::reactor::{Event, Flush, READ_BUDGET, Reactor};
use crate::resp::{Args, Parsed, Parser, Reply};
use crate::sys;

/// Commands one connection may run per loop iteration before the others
/// get their turn: big enough to amortise a read and a write over a deep
/// pipeline, small enough that one client cannot hold the loop for more
/// than about a millisecond.
const COMMANDS_PER_SLICE: usize = 512;

/// Time one connection's slice may take (checked every
/// [`SLICE_CLOCK_EVERY`] commands): cheap commands hit the count first;
/// this bounds slices whose commands turn slow (page faults into a table
/// being grown, large values).
const SLICE_BUDGET: Duration = Duration::from_micros(500);
const SLICE_CLOCK_EVERY: usize = 64;
/// ... or whenever the slice's replies have grown by this much since the
/// last look: 64 LRANGE 0 599 replies are ~38,000 elements, 4 ms of work.
const SLICE_CLOCK_BYTES: usize = 64 << 10;

/// Time one expiry or rehash pass may take: the longest the loop holds
/// requests for its own housekeeping.
const HOUSEKEEPING_BUDGET: Duration = Duration::from_micros(500);

/// Buckets of an emptied table array released per pass (2 MB): unmapping
/// that much takes well under a millisecond.
const RELEASE_BUCKETS: usize = 256 * 1024;

/// Buckets moved per cron rehash batch between clock checks.
const REHASH_BATCH: usize = 100;

/// Descriptors Redis keeps for itself beyond `maxclients`.
const RESERVED_FDS: u64 = 32;

/// Samples averaged for `instantaneous_ops_per_sec` (Redis uses 16).
const OPS_SAMPLES: usize = 16;

#[derive(Default)]
pub struct Stats {
    pub total_commands: u64,
    pub total_connections: u64,
    pub rejected_connections: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub net_input_bytes: u64,
    pub net_output_bytes: u64,
    /// Longest loop iteration (event handling through before-sleep), in
    /// µs: the longest any ready client could have waited on the server.
    pub eventloop_max_us: u64,
    /// Longest iteration in CPU time (with `eventloop-cpu-tracking`).
    pub eventloop_cpu_max_us: u64,
    pub eventloop_cycles: u64,
    /// Reads and writes that moved bytes (INFO `total_reads_processed`).
    pub reads_processed: u64,
    pub writes_processed: u64,
    /// Waits on the reactor (`epoll_wait` or `io_uring_enter`), including
    /// extra submits when the io_uring submission queue was full.
    pub io_wait_calls: u64,
    /// Failed AUTH / HELLO AUTH attempts (INFO `acl_access_denied_auth`).
    pub acl_access_denied_auth: u64,
    ops_samples: [u64; OPS_SAMPLES],
    /// Network input and output, bytes per second, sampled with the ops.
    in_samples: [u64; OPS_SAMPLES],
    out_samples: [u64; OPS_SAMPLES],
    ops_sample_idx: usize,
    last_sample_ms: u64,
    last_sample_cmds: u64,
    last_sample_in: u64,
    last_sample_out: u64,
}

impl Stats {
    pub fn instantaneous_ops(&self) -> u64 {
        self.ops_samples.iter().sum::<u64>() / OPS_SAMPLES as u64
    }

    /// Redis's `instantaneous_input_kbps` and `instantaneous_output_kbps`.
    pub fn instantaneous_kbps(&self) -> (f64, f64) {
        let avg = |s: &[u64]| s.iter().sum::<u64>() as f64 / OPS_SAMPLES as f64 / 1024.0;
        (avg(&self.in_samples), avg(&self.out_samples))
    }

    fn sample(&mut self, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(self.last_sample_ms);
        if elapsed < 100 {
            return;
        }
        let ops = self.total_commands - self.last_sample_cmds;
        self.ops_samples[self.ops_sample_idx] = ops * 1000 / elapsed;
        self.in_samples[self.ops_sample_idx] =
            (self.net_input_bytes - self.last_sample_in) * 1000 / elapsed;
        self.out_samples[self.ops_sample_idx] =
            (self.net_output_bytes - self.last_sample_out) * 1000 / elapsed;
        self.last_sample_in = self.net_input_bytes;
        self.last_sample_out = self.net_output_bytes;
        self.ops_sample_idx = (self.ops_sample_idx + 1) % OPS_SAMPLES;
        self.last_sample_ms = now_ms;
        self.last_sample_cmds = self.total_commands;
    }

    /// CONFIG RESETSTAT.
    pub fn reset(&mut self) {
        *self = Stats {
            last_sample_ms: self.last_sample_ms,
            ..Stats::default()
        };
    }
}

/// Everything commands may read or change besides their own client.
pub struct Shared {
    pub dbs: Vec<Db>,
    pub config: Config,
    pub stats: Stats,
    /// Cached clock, refreshed once per loop iteration.
    pub now_ms: u64,
    pub now_us: u64,
    pub started: Instant,
    pub lazyfree: LazyFree,
    pub io_backend: &'static str,
    pub port: u16,
    pub connected_clients: usize,
    pub run_id: String,
    /// Set by SHUTDOWN or a signal: the loop ends after this iteration.
    pub shutdown: bool,
    /// The Lua engine, created by the first script command.
    pub scripts: Option<Box<crate::script::Engine>>,
    pub observ: Observ,
    pub monitors: Monitors,
    /// Clients waiting in blocking commands, and the keys they wait for.
    pub blocking: Blocking,
    /// Every client as CLIENT LIST sees it; pause and kill requests.
    pub clients: Clients,
}

impl Shared {
    fn refresh_clock(&mut self) {
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        self.now_us = d.as_micros() as u64;
        self.now_ms = self.now_us / 1000;
    }

    pub fn expired_keys(&self) -> u64 {
        self.dbs.iter().map(|d| d.expired).sum()
    }
}

pub struct Server<R: Reactor> {
    reactor: R,
    conns: Slab<Conn<R::Stream>>,
    shared: Shared,
    table: cmd::Table,
    /// Connections with work left from a previous iteration.
    pending: Vec<usize>,
    /// Shared buffers lent to a connection while it has nothing of its
    /// own pending, so idle connections hold no buffers at all.
    spare_rbuf: ReadBuf,
    spare_wbuf: Vec<u8>,
    next_client_id: u64,
    /// Parses ahead of execution to warm the cache for the keys coming.
    lookahead: Parser,
    next_cron: Instant,
    /// Expiry or heap compaction left due work for the next iteration.
    expire_backlog: bool,
    /// An accept failed (e.g. out of descriptors): retry from the cron.
    accept_retry: bool,
}

/// Prints where the server listens and runs it until SHUTDOWN or a signal.
pub fn run<R: Reactor>(config: Config) -> Result<(), String> {
    let mut server = Server::<R>::bind(config)?;
    let addrs: Vec<String> = server
        .reactor
        .local_addrs()
        .iter()
        .map(|a| a.to_string())
        .collect();
    println!("ferrite listening on {} ({})", addrs.join(" "), R::NAME);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    server
        .run_loop()
        .map_err(|e| format!("event loop failed: {e}"))?;
    eprintln!("ferrite: shutting down");
    Ok(())
}

impl<R: Reactor> Server<R> {
    pub fn bind(config: Config) -> Result<Self, String> {
        let want = config.maxclients as u64 + RESERVED_FDS;
        let got = sys::raise_fd_limit(want);
        let mut config = config;
        if got < want {
            let max = got.saturating_sub(RESERVED_FDS).max(1) as usize;
            eprintln!(
                "ferrite: open files limit is {got}; maxclients lowered from {} to {max}",
                config.maxclients
            );
            config.maxclients = max;
        }
        let mut addrs = Vec::new();
        for b in &config.bind {
            let ip: IpAddr = b
                .trim_start_matches('-')
                .parse()
                .map_err(|_| format!("invalid bind address '{b}'"))?;
            let port = addrs
                .first()
                .map(|a: &SocketAddr| a.port())
                .unwrap_or(config.port);
            addrs.push(SocketAddr::new(ip, port));
        }
        if addrs.is_empty() {
            return Err("no bind address".into());
        }
        // With port 0 every listener would get its own port; bind the
        // first, then the others on the port it got.
        let opts = config.io_options();
        let first = R::bind(&addrs[..1], &opts).map_err(|e| {
            format!(
                "Could not create server TCP listening socket {}: {e}",
                addrs[0]
            )
        })?;
        let port = first
            .local_addrs()
            .first()
            .map(|a| a.port())
            .unwrap_or(config.port);
        drop(first);
        for a in addrs.iter_mut() {
            a.set_port(port);
        }
        let reactor = R::bind(&addrs, &opts).map_err(|e| {
            format!(
                "Could not create server TCP listening socket {}: {e}",
                addrs[0]
            )
        })?;
        // CONFIG GET port and INFO report the port actually bound.
        config.port = port;
        sys::install_stop_handlers().map_err(|e| format!("cannot install signal handlers: {e}"))?;
        let observ = Observ::new(&config);
        let mut shared = Shared {
            dbs: (0..config.databases).map(|_| Db::new()).collect(),
            config,
            stats: Stats::default(),
            now_ms: 0,
            now_us: 0,
            started: Instant::now(),
            lazyfree: LazyFree::new(),
            io_backend: R::NAME,
            port,
            connected_clients: 0,
            run_id: run_id(),
            shutdown: false,
            scripts: None,
            observ,
            monitors: Monitors::default(),
            blocking: Blocking::default(),
            clients: Clients::default(),
        };
        shared.refresh_clock();
        Ok(Server {
            reactor,
            conns: Slab::new(),
            shared,
            table: cmd::Table::new(),
            pending: Vec::new(),
            spare_rbuf: ReadBuf::default(),
            spare_wbuf: Vec::new(),
            next_client_id: 1,
            lookahead: Parser::new(),
            next_cron: Instant::now(),
            expire_backlog: false,
            accept_retry: false,
        })
    }

    fn run_loop(&mut self) -> io::Result<()> {
        let mut events = Vec::with_capacity(1024);
        loop {
            let timeout = if !self.pending.is_empty() || self.expire_backlog {
                Some(Duration::ZERO)
            } else {
                let mut t = self.next_cron.saturating_duration_since(Instant::now());
                // Wake for the next blocked client's deadline (ms precision).
                if let Some(d) = self.shared.blocking.next_deadline() {
                    let ms = (d + 1).saturating_sub(self.shared.now_ms);
                    t = t.min(Duration::from_millis(ms));
                }
                Some(t)
            };
            events.clear();
            let waits = self.reactor.wait_calls();
            self.reactor.poll(&mut events, timeout)?;
            self.shared.refresh_clock();
            let busy_since = Instant::now();
            let cpu_since = self
                .shared
                .config
                .eventloop_cpu_tracking
                .then(sys::thread_cpu_us);
            if sys::stop_requested() {
                self.shared.shutdown = true;
            }
            for &ev in &events {
                match ev {
                    Event::Accept(n) => self.accept(n),
                    Event::Readable { id, hup } => self.on_readable(id, hup),
                    Event::Writable(id) => self.on_writable(id),
                }
            }
            self.run_pending();
            if Instant::now() >= self.next_cron {
                self.cron();
            }
            self.before_sleep();
            let stats = &mut self.shared.stats;
            stats.eventloop_cycles += 1;
            stats.io_wait_calls += self.reactor.wait_calls() - waits;
            stats.eventloop_max_us = stats
                .eventloop_max_us
                .max(busy_since.elapsed().as_micros() as u64);
            if let Some(c) = cpu_since {
                stats.eventloop_cpu_max_us =
                    stats.eventloop_cpu_max_us.max(sys::thread_cpu_us() - c);
            }
            if self.shared.shutdown {
                return Ok(());
            }
        }
    }

    fn accept(&mut self, n: usize) {
        let laddr = self.reactor.local_addrs().get(n).copied();
        loop {
            let (mut sock, addr) = match self.reactor.accept(n) {
                Ok(Some(pair)) => pair,
                Ok(None) => return,
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionAborted | ErrorKind::Interrupted
                    ) =>
                {
                    continue;
                }
                // Out of descriptors: the listener is edge-triggered, so
                // the cron retries rather than leaving queued peers waiting.
                Err(_) => {
                    self.accept_retry = true;
                    return;
                }
            };
            self.shared.stats.total_connections += 1;
            let cfg = &self.shared.config;
            if clients::denied(cfg.protected_mode, cfg.requirepass.as_bytes(), addr.ip()) {
                self.reactor.reject(&mut sock, errors::DENIED);
                continue;
            }
            if self.conns.len() >= self.shared.config.maxclients {
                self.shared.stats.rejected_connections += 1;
                self.reactor.reject(&mut sock, errors::MAX_CLIENTS);
                continue;
            }
            let entry = self.conns.vacant_entry();
            let id = entry.key();
            if self.reactor.register(&mut sock, id).is_err() {
                continue;
            }
            if let Some(fd) = R::raw_fd(&sock) {
                sys::set_keepalive(fd, self.shared.config.tcp_keepalive);
            }
            let mut state = ClientState::new(self.next_client_id, addr, self.shared.now_ms);
            self.next_client_id += 1;
            state.laddr = laddr.unwrap_or(addr);
            state.fd = R::raw_fd(&sock).unwrap_or(-1);
            state.authenticated = self.shared.config.requirepass.is_empty();
            self.shared.clients.add(id, &state);
            entry.insert(Conn::new(sock, state));
            self.shared.connected_clients = self.conns.len();
        }
    }

    fn on_readable(&mut self, id: usize, hup: bool) {
        if !self.conns.contains(id) {
            return; // closed earlier in this batch
        }
        self.read_and_process(id, hup);
    }

    fn on_writable(&mut self, id: usize) {
        if self.conns.contains(id) {
            self.flush(id);
        }
    }

    /// Reads what arrived (within the budget), runs the complete commands
    /// (within the budget) and writes the replies.
    fn read_and_process(&mut self, id: usize, hup: bool) {
        let conn = &mut self.conns[id];
        // With a backlog of complete commands already buffered, reading
        // more would only grow the buffer (and the cost of compacting it)
        // without bound; TCP flow control holds the sender meanwhile.
        let more_to_read = if conn.backlog && conn.rbuf.len() >= READ_BUDGET {
            true
        } else {
            let r = self.reactor.read(
                &mut conn.sock,
                id,
                &mut conn.rbuf,
                &mut self.spare_rbuf,
                hup,
            );
            self.shared.stats.net_input_bytes += r.bytes as u64;
            if r.bytes > 0 {
                self.shared.stats.reads_processed += 1;
            }
            // The peer will send nothing more, but what it sent before
            // closing still runs and gets its replies.
            conn.peer_closed |= r.eof;
            conn.dead |= r.error;
            r.more
        };
        if conn.rbuf.len() as u64 > self.shared.config.client_query_buffer_limit {
            // Redis closes such a client without a reply.
            conn.dead = true;
        }
        if conn.dead {
            self.close(id);
            return;
        }
        let more_cmds = self.process_input(id);
        if let Some(d) = crate::script::serve::take_deferred() {
            self.after_busy_script(d);
        }
        let conn = &mut self.conns[id];
        self.shared.clients.sync(id, &conn.state);
        if !self.shared.clients.kills.is_empty() {
            self.close_killed();
        }
        let Some(conn) = self.conns.get_mut(id) else {
            return;
        };
        if conn.kill {
            self.close(id);
            return;
        }
        conn.backlog = more_cmds;
        if conn.peer_closed && !more_cmds && conn.postponed.is_none() {
            conn.state.close_after_reply = true;
        }
        if (more_cmds || more_to_read) && !conn.pending {
            conn.pending = true;
            self.pending.push(id);
        }
        self.finish_batch(id);
        if self.shared.monitors.active() {
            self.feed_monitors(id);
        }
    }

    /// Hands the lines of the batch just run (on connection `id`) to every
    /// monitoring connection. A monitor whose output passes the replica
    /// class of `client-output-buffer-limit` is dropped, as Redis drops it.
    fn feed_monitors(&mut self, id: usize) {
        let (feed, ids) = self.shared.monitors.take(id);
        let limit = self.shared.config.output_limits[1];
        let mut keep = Vec::with_capacity(ids.len());
        for k in ids {
            let Some(conn) = self.conns.get_mut(k) else {
                continue;
            };
            // A monitor that sent QUIT gets nothing after its +OK (with
            // io_uring the socket outlives the reply's send).
            if !conn.state.monitor || conn.state.close_after_reply {
                continue;
            }
            if !feed.is_empty() {
                conn.wbuf.extend_from_slice(&feed);
                let pending = conn.wbuf.len() - conn.wpos;
                if output_over_limit(
                    pending,
                    &limit,
                    &mut conn.soft_limit_since,
                    self.shared.now_ms,
                ) {
                    conn.kill = true;
                    self.close(k);
                    continue;
                }
                self.flush(k);
            }
            if self.conns.get(k).is_some_and(|c| c.state.monitor) {
                keep.push(k);
            }
        }
        self.shared.monitors.put_back(keep, feed);
    }

    /// Runs complete commands from the connection's buffer. Returns true
    /// if complete commands remain (the slice budget ran out).
    fn process_input(&mut self, id: usize) -> bool {
        let slice_start = Instant::now();
        let mut ran = 0;
        loop {
            let (more, serve) = self.process_commands(id, &mut ran, slice_start);
            if !serve {
                return more;
            }
            // A command made keys ready: serve their blocked clients
            // before this client's next command, as Redis.
            blocking::handle_clients_blocked_on_keys(
                &mut self.shared,
                &mut self.conns,
                &mut self.pending,
            );
        }
    }

    /// The command loop of [`process_input`](Self::process_input): returns
    /// whether complete commands remain, and whether it stopped early for
    /// blocked clients to be served.
    fn process_commands(
        &mut self,
        id: usize,
        ran: &mut usize,
        slice_start: Instant,
    ) -> (bool, bool) {
        // Command timing starts here: each command's end is the next one's start.
        self.shared.observ.last_end = self.shared.observ.timer.now();
        let max_bulk = self.shared.config.proto_max_bulk_len.min(usize::MAX as u64) as usize;
        // The reactor and the other connections are lent to a script that
        // runs long (see script::serve) for this batch.
        let info = crate::script::serve::LoopInfo {
            max_bulk,
            maxclients: self.shared.config.maxclients,
            tcp_keepalive: self.shared.config.tcp_keepalive,
            now_ms: self.shared.now_ms,
            protected_mode: self.shared.config.protected_mode,
            auth_required: !self.shared.config.requirepass.is_empty(),
        };
        let (conn, _loan) = crate::script::serve::enter(
            &mut self.reactor,
            &mut self.conns,
            &mut self.next_client_id,
            id,
            info,
        );
        if conn.wbuf.is_empty() && conn.wpos == 0 {
            std::mem::swap(&mut conn.wbuf, &mut self.spare_wbuf);
        }
        let limit = self.shared.config.output_limits[0];
        let Conn {
            rbuf,
            parser,
            wbuf,
            wpos,
            state,
            soft_limit_since,
            kill,
            postponed,
            ..
        } = conn;
        let mut more = false;
        let mut serve = false;
        let mut clock_mark = wbuf.len();
        while !state.close_after_reply && !state.blocked {
            let ran_now = *ran;
            let look = (ran_now.is_multiple_of(SLICE_CLOCK_EVERY) && ran_now > 0)
                || wbuf.len() >= clock_mark + SLICE_CLOCK_BYTES;
            if look {
                clock_mark = wbuf.len();
            }
            if ran_now == COMMANDS_PER_SLICE || (look && slice_start.elapsed() >= SLICE_BUDGET) {
                more = !rbuf.is_empty();
                break;
            }
            if ran_now.is_multiple_of(WARM_MAX) {
                warm_ahead(
                    &mut self.lookahead,
                    rbuf.data_mut(),
                    &self.shared.dbs[state.db],
                    max_bulk,
                );
            }
            let data = rbuf.data_mut();
            // A command postponed by CLIENT PAUSE was parsed already.
            let was_postponed = postponed.take();
            let parsed = match was_postponed {
                Some(consumed) => Ok(Parsed::Command { consumed }),
                None => parser.parse(data, max_bulk),
            };
            match parsed {
                Ok(Parsed::Command { consumed }) => {
                    let args = Args::new(data, parser.args());
                    if let Some(mode) = self.shared.clients.paused(self.shared.now_ms)
                        && self.table.must_wait(mode, args.get(0))
                    {
                        *postponed = Some(consumed);
                        if was_postponed.is_none() {
                            self.shared.clients.postponed.push(id);
                        }
                        break;
                    }
                    state.last_interaction_ms = self.shared.now_ms;
                    let mut ctx = Ctx {
                        out: Reply::new(wbuf, state.proto),
                        client: state,
                        shared: &mut self.shared,
                    };
                    self.table.dispatch(&mut ctx, args);
                    rbuf.consume(consumed);
                    *ran += 1;
                    if output_over_limit(
                        wbuf.len() - *wpos,
                        &limit,
                        soft_limit_since,
                        self.shared.now_ms,
                    ) {
                        // As Redis: the client is dropped, its output with it.
                        *kill = true;
                        break;
                    }
                    if state.blocked {
                        self.shared.blocking.register(id);
                        break;
                    }
                    if self.shared.blocking.has_ready() {
                        serve = true;
                        break;
                    }
                }
                Ok(Parsed::Skip { consumed }) => rbuf.consume(consumed),
                // The buffer grows as bytes arrive (doubling), never ahead
                // of them: a bare `$500000000` header must not commit
                // memory. The parser keeps the length it read, so a large
                // bulk is not rescanned meanwhile.
                Ok(Parsed::Incomplete { .. }) => break,
                Err(e) => {
                    let mark = wbuf.len();
                    e.write_reply(wbuf);
                    // Counted in errorstats as Redis counts its own.
                    self.shared.observ.count_error(&wbuf[mark..]);
                    state.close_after_reply = true;
                }
            }
        }
        (more, serve)
    }

    /// Catches up after a script that served other clients while busy:
    /// accepts, shutdown, and the connections it read from or saw events
    /// for (read, flushed or closed on the next pass).
    fn after_busy_script(&mut self, d: crate::script::serve::Deferred) {
        self.shared.shutdown |= d.shutdown;
        self.shared.stats.total_connections += d.accepted;
        self.shared.connected_clients = self.conns.len();
        let laddr = self.reactor.local_addrs().first().copied();
        for id in d.accepted_ids {
            if let Some(conn) = self.conns.get_mut(id) {
                conn.state.laddr = laddr.unwrap_or(conn.state.addr);
                self.shared.clients.add(id, &conn.state);
            }
        }
        if d.accept {
            for n in 0..self.reactor.local_addrs().len() {
                self.accept(n);
            }
        }
        for id in d.ids {
            if let Some(conn) = self.conns.get_mut(id)
                && !conn.pending
            {
                conn.pending = true;
                self.pending.push(id);
            }
        }
    }

    /// Writes the replies of a batch, then hands the read buffer back to
    /// the reactor until more input arrives.
    fn finish_batch(&mut self, id: usize) {
        self.flush(id);
        let Some(conn) = self.conns.get_mut(id) else {
            return;
        };
        // A blocked or paused client keeps its unprocessed input with the
        // server (io_uring would otherwise take it to receive after it).
        let held = (conn.state.blocked || conn.postponed.is_some()) && !conn.rbuf.is_empty();
        let queued = conn.pending || conn.peer_closed || conn.state.close_after_reply || held;
        self.reactor.park_input(
            &mut conn.sock,
            id,
            &mut conn.rbuf,
            &mut self.spare_rbuf,
            queued,
        );
    }

    /// Writes pending output; the reactor reports `Writable` when it can
    /// take more.
    fn flush(&mut self, id: usize) {
        let conn = &mut self.conns[id];
        let sent_before = self.shared.stats.net_output_bytes;
        let st = self.reactor.write(
            &mut conn.sock,
            id,
            &mut conn.wbuf,
            &mut conn.wpos,
            &mut self.spare_wbuf,
            &mut self.shared.stats.net_output_bytes,
        );
        if self.shared.stats.net_output_bytes > sent_before {
            self.shared.stats.writes_processed += 1;
        }
        match st {
            Flush::Done if conn.state.close_after_reply => self.close(id),
            Flush::Failed => self.close(id),
            Flush::Done | Flush::Pending => {}
        }
    }

    fn run_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for id in pending {
            if let Some(conn) = self.conns.get_mut(id) {
                conn.pending = false;
                self.read_and_process(id, false);
            }
        }
    }

    /// Closes the connections CLIENT KILL marked (the killer itself, if
    /// it was one, closes after its reply instead).
    fn close_killed(&mut self) {
        for (slot, cid) in std::mem::take(&mut self.shared.clients.kills) {
            if self.shared.clients.holds(slot, cid) {
                self.close(slot);
            }
        }
    }

    /// Requeues the connections whose commands waited for a pause that
    /// has ended.
    fn resume_postponed(&mut self) {
        if self.shared.clients.postponed.is_empty()
            || self.shared.clients.paused(self.shared.now_ms).is_some()
        {
            return;
        }
        for id in std::mem::take(&mut self.shared.clients.postponed) {
            if let Some(conn) = self.conns.get_mut(id)
                && !conn.pending
            {
                conn.pending = true;
                self.pending.push(id);
            }
        }
    }

    fn close(&mut self, id: usize) {
        if let Some(mut conn) = self.conns.try_remove(id) {
            if conn.state.blocked {
                self.shared.blocking.remove_client(id);
            }
            self.shared.clients.remove(id);
            self.reactor.deregister(&mut conn.sock, id);
            cmd::multi::unwatch_all(&mut conn.state, &mut self.shared.dbs);
            if conn.state.monitor {
                self.shared.monitors.remove(id);
            }
            self.shared.connected_clients = self.conns.len();
            // Keep a released buffer as the spare if there is none.
            if self.spare_wbuf.capacity() == 0 {
                conn.wbuf.clear();
                self.spare_wbuf = conn.wbuf;
            }
        }
    }

    /// Periodic work, `hz` times a second: idle timeouts, the slow expiry
    /// pass, table resizing, statistics.
    fn cron(&mut self) {
        let hz = self.shared.config.hz.max(1) as u64;
        self.next_cron = Instant::now() + Duration::from_micros(1_000_000 / hz);
        let now = self.shared.now_ms;
        self.shared.stats.sample(now);
        self.shared.observ.note_memory();
        self.shared.observ.timer.recalibrate();
        if std::mem::take(&mut self.accept_retry) {
            for n in 0..self.reactor.local_addrs().len() {
                self.accept(n);
            }
        }
        let timeout_ms = self.shared.config.timeout.saturating_mul(1000);
        if timeout_ms > 0 {
            let idle: Vec<usize> = self
                .conns
                .iter()
                .filter(|(_, c)| {
                    // As Redis, a blocked client is not idle.
                    !c.state.blocked && now.saturating_sub(c.state.last_interaction_ms) > timeout_ms
                })
                .map(|(id, _)| id)
                .collect();
            for id in idle {
                self.close(id);
            }
        }
        let until = Instant::now() + HOUSEKEEPING_BUDGET;
        for db in &mut self.shared.dbs {
            db.shrink_if_needed();
            while db.is_rehashing() && db.rehash(REHASH_BATCH) {
                if Instant::now() >= until {
                    break;
                }
            }
        }
    }

    /// Work done before the loop waits: a time-boxed expiry pass over the
    /// databases with due keys.
    fn before_sleep(&mut self) {
        blocking::handle_timeouts(&mut self.shared, &mut self.conns, &mut self.pending);
        self.resume_postponed();
        let until = Instant::now() + HOUSEKEEPING_BUDGET;
        let now = self.shared.now_ms;
        // As Redis, keys do not expire actively during a client pause.
        let paused = self.shared.clients.paused(now).is_some();
        let mut backlog = false;
        for db in &mut self.shared.dbs {
            if !paused {
                let (_, more) = db.active_expire(now, until);
                backlog |= more;
            }
            if let Some(g) = db.take_garbage() {
                self.shared.lazyfree.free(g);
            }
            db.release_retired(RELEASE_BUCKETS);
        }
        self.expire_backlog = backlog;
    }
}

/// Hashes the keys (argument 1) of the next complete multibulk commands in
/// `data`, up to [`WARM_MAX`], and warms their buckets and nodes when a
/// pipeline holds at least two. Inline commands stop the look-ahead: their
/// parsing unescapes in place and must happen once.
fn warm_ahead(p: &mut Parser, data: &mut [u8], db: &Db, max_bulk: usize) {
    let mut hashes = [0u64; WARM_MAX];
    let mut n = 0;
    let mut off = 0;
    while n < WARM_MAX && data.get(off) == Some(&b'*') {
        match p.parse(&mut data[off..], max_bulk) {
            Ok(Parsed::Command { consumed }) => {
                if let Some(&(s, e)) = p.args().get(1) {
                    hashes[n] = db.hash(&data[off + s..off + e]);
                    n += 1;
                }
                off += consumed;
            }
            Ok(Parsed::Skip { consumed }) => off += consumed,
            _ => break,
        }
    }
    p.reset();
    if n >= 2 {
        db.warm_hashes(&hashes[..n]);
    }
}

/// A 40-hex-digit run id, as Redis's `run_id`, from the hasher's
/// per-process random state.
fn run_id() -> String {
    let s = ahash::RandomState::new();
    (0..5)
        .map(|i| format!("{:016x}", s.hash_one(i as u64)))
        .collect::<String>()[..40]
        .to_string()
}
