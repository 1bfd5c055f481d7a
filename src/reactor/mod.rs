//! The I/O backend interface: the loop asks the reactor for events and
//! moves every byte through it, so a completion-based backend (io_uring)
//! and a readiness-based one (epoll) both fit and the server does not know
//! which one it runs on. The backend is a generic parameter of the server,
//! chosen once in `main`: no dynamic dispatch on the hot path.
//!
//! The interface is shaped by what the server needs, in completion terms:
//!
//! * `Readable { id }`: input may be ready for connection `id`; the server
//!   calls [`Reactor::read`], which leaves whatever arrived appended to the
//!   connection's read buffer. Epoll performs the `recv` there; io_uring
//!   hands back the buffer its completed receive already filled.
//! * [`Reactor::park_input`]: the server is done with the read buffer until
//!   the next `Readable`. Epoll gives a large idle buffer back to the spare;
//!   io_uring takes the buffer and arms the next receive into it.
//! * [`Reactor::write`]: sends the connection's pending output. Epoll
//!   writes until the socket is full and asks for writability; io_uring
//!   takes the buffer, submits one send and lends the connection another
//!   buffer for the replies that follow. `Writable { id }` means "call
//!   `write` again": the socket drained (epoll) or a send completed
//!   (io_uring).
//!
//! Buffer ownership: a buffer handed to the reactor (read buffer in
//! `park_input`, write buffer in `write`) belongs to the reactor until it
//! gives it back; the server only ever sees buffers no operation points at.
//! The io_uring module's header states the kernel-side contract.

pub mod epoll;
pub mod uring;

use std::io;
use std::net::SocketAddr;
use std::os::fd::RawFd;
use std::time::Duration;

use crate::conn::ReadBuf;

/// Input bytes one connection may read per iteration beyond what the
/// frame in progress needs.
pub const READ_BUDGET: usize = 1024 * 1024;

/// Read and write buffers above this size are released when idle.
pub const IDLE_BUFFER_KEEP: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Listener `n` has connections to accept.
    Accept(usize),
    /// Connection `id` may have input; `hup` when the peer also closed its
    /// side (or the socket failed), so the reader must read until end of
    /// stream.
    Readable { id: usize, hup: bool },
    /// Connection `id` can take more output (epoll) or a send completed
    /// (io_uring): call [`Reactor::write`] again.
    Writable(usize),
}

/// What one [`Reactor::read`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadResult {
    /// Bytes appended to the read buffer.
    pub bytes: usize,
    /// The peer will send nothing more.
    pub eof: bool,
    /// The connection failed: close it.
    pub error: bool,
    /// The read budget ran out with input possibly left in the socket: the
    /// server must call `read` again next iteration (no event will come).
    pub more: bool,
}

/// Where a connection's output stands after [`Reactor::write`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// Everything is written; the write buffer is empty and the server's
    /// again.
    Done,
    /// Output remains (socket full or a send in flight): a `Writable` event
    /// will come.
    Pending,
    /// The connection failed: close it.
    Failed,
}

/// Backend choice and io_uring experiments, from the configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IoOptions {
    /// Submission queue entries (rounded up to a power of two by the kernel).
    pub ring_entries: u32,
    /// `IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN`.
    pub defer_taskrun: bool,
    /// `IORING_SETUP_COOP_TASKRUN`: no interrupt to run completion work.
    pub coop_taskrun: bool,
    /// Receives armed with `IORING_RECVSEND_POLL_FIRST`.
    pub poll_first: bool,
    /// Multishot receives into a provided-buffer ring, copied into the
    /// connection's read buffer (experiment).
    pub recv_ring: bool,
    /// Size of a registered file table holding each connection's socket at
    /// its id (experiment; 0 = plain descriptors).
    pub fixed_files: usize,
    /// Batched waits (`IORING_ENTER` min-wait, Linux 6.12+): once one
    /// completion is in, wait up to this many µs for more (0 = off).
    pub min_wait_us: u32,
    /// Sends are submitted with `MSG_DONTWAIT`, so each completes during
    /// the submission (a full socket answers `EAGAIN` and the retry waits
    /// for room), and the wait counts their completions instead of ending
    /// on them.
    pub inline_sends: bool,
    /// Sends of at least this many bytes use `IORING_OP_SEND_ZC` (the
    /// kernel sends from our pages and says when it let go of them);
    /// 0 = off.
    pub zc_send_min: usize,
}

pub trait Reactor: Sized {
    /// One connection's socket (and whatever the backend keeps with it).
    type Stream;

    /// Name shown at start-up and in INFO (`io_backend:`).
    const NAME: &'static str;

    /// Listens on every address (TCP, non-blocking).
    fn bind(addrs: &[SocketAddr], opts: &IoOptions) -> io::Result<Self>;

    /// The listeners' addresses (the kernel's port for port 0), in the
    /// order of `bind`'s `addrs`; looked up once at bind, since every
    /// accepted connection reads its listener's.
    fn local_addrs(&self) -> &[SocketAddr];

    /// Hands queued work to the kernel, waits up to `timeout` (None = until
    /// something happens) and appends what happened to `events`. An
    /// interrupted wait returns no events.
    fn poll(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()>;

    /// Accepts one pending connection of listener `n`; `Ok(None)` when
    /// none is left.
    fn accept(&mut self, n: usize) -> io::Result<Option<(Self::Stream, SocketAddr)>>;

    /// Best-effort immediate write on a socket that was never registered
    /// (the "max clients" error before closing it).
    fn reject(&mut self, s: &mut Self::Stream, msg: &[u8]);

    /// Starts reporting input of `s` as connection `id`.
    fn register(&mut self, s: &mut Self::Stream, id: usize) -> io::Result<()>;

    /// Appends what arrived for connection `id` to `rbuf`, reading at most
    /// about [`READ_BUDGET`] bytes. `spare` is a buffer the server lends
    /// when `rbuf` is empty, so idle connections hold none. With `hup`,
    /// reads on to the end of stream.
    fn read(
        &mut self,
        s: &mut Self::Stream,
        id: usize,
        rbuf: &mut ReadBuf,
        spare: &mut ReadBuf,
        hup: bool,
    ) -> ReadResult;

    /// The server is done with `rbuf` until the next `Readable` for `id`
    /// (`queued`: it will call `read` again itself next iteration, so no
    /// input should be waited for).
    fn park_input(
        &mut self,
        s: &mut Self::Stream,
        id: usize,
        rbuf: &mut ReadBuf,
        spare: &mut ReadBuf,
        queued: bool,
    );

    /// Sends `wbuf[*wpos..]`. Adds the bytes that reached the socket to
    /// `*sent`. On `Done` the buffer is empty; `spare` may be swapped in or
    /// out as the backend sees fit.
    fn write(
        &mut self,
        s: &mut Self::Stream,
        id: usize,
        wbuf: &mut Vec<u8>,
        wpos: &mut usize,
        spare: &mut Vec<u8>,
        sent: &mut u64,
    ) -> Flush;

    /// Stops watching connection `id` before `s` is dropped; operations
    /// still in flight are cancelled and their buffers kept until the
    /// kernel lets go of them.
    fn deregister(&mut self, s: &mut Self::Stream, id: usize);

    fn raw_fd(s: &Self::Stream) -> Option<RawFd>;

    /// `io_uring_enter` (or `epoll_wait`) calls so far: INFO stats
    /// `io_waits`, and the test that the loop makes one per iteration.
    fn wait_calls(&self) -> u64;
}

/// The `io-backend` directive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackendChoice {
    /// io_uring when the kernel allows it, else epoll (logged).
    #[default]
    Auto,
    Uring,
    Epoll,
}

impl BackendChoice {
    pub fn name(self) -> &'static str {
        match self {
            BackendChoice::Auto => "auto",
            BackendChoice::Uring => "uring",
            BackendChoice::Epoll => "epoll",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Some(BackendChoice::Auto),
            "uring" | "io_uring" => Some(BackendChoice::Uring),
            "epoll" => Some(BackendChoice::Epoll),
            _ => None,
        }
    }
}
