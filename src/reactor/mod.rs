//! The I/O backend interface: the loop asks the reactor for events and
//! does all socket I/O through it, so a completion-based backend
//! (io_uring) can replace the readiness-based one (epoll) without the
//! server changing. The backend is a generic parameter of the server,
//! chosen once in `main`: no dynamic dispatch on the hot path.

pub mod epoll;

use std::io;
use std::net::SocketAddr;
use std::os::fd::RawFd;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Listener `n` has connections to accept.
    Accept(usize),
    /// Connection `id` has input; `hup` when the peer also closed its side
    /// (or the socket failed), so the reader must read until end of stream.
    Readable { id: usize, hup: bool },
    /// Connection `id` can take more output after a short write.
    Writable(usize),
}

pub trait Reactor: Sized {
    type Stream;

    /// Name shown at start-up and in INFO (`io_backend:`).
    const NAME: &'static str;

    /// Listens on every address (TCP, non-blocking).
    fn bind(addrs: &[SocketAddr]) -> io::Result<Self>;

    fn local_addrs(&self) -> Vec<SocketAddr>;

    /// Waits up to `timeout` (None = until something happens) and appends
    /// what happened to `events`. An interrupted wait returns no events.
    fn poll(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()>;

    /// Accepts one pending connection of listener `n`; `Ok(None)` when
    /// none is left.
    fn accept(&mut self, n: usize) -> io::Result<Option<(Self::Stream, SocketAddr)>>;

    /// Starts reporting readability of `s` as connection `id`.
    fn register(&mut self, s: &mut Self::Stream, id: usize) -> io::Result<()>;

    /// Asks for (or stops asking for) writability events of `s`.
    fn want_write(&mut self, s: &mut Self::Stream, id: usize, on: bool) -> io::Result<()>;

    /// Reads into `buf`; `ErrorKind::WouldBlock` when nothing is ready,
    /// `Ok(0)` at end of stream.
    fn recv(&mut self, s: &mut Self::Stream, buf: &mut [u8]) -> io::Result<usize>;

    /// Writes from `buf`; `ErrorKind::WouldBlock` when the socket is full.
    fn send(&mut self, s: &mut Self::Stream, buf: &[u8]) -> io::Result<usize>;

    /// Stops watching `s` before it is dropped.
    fn deregister(&mut self, s: &mut Self::Stream);

    fn raw_fd(s: &Self::Stream) -> RawFd;
}
