//! The epoll backend, through mio (edge-triggered readiness). `read` drains
//! a readable socket until it would block or its budget runs out (then it
//! says so and the server calls again next iteration), so no edge is lost;
//! `write` writes until the socket is full and only then asks for
//! writability. Idle connections hold no buffers: the server's spares are
//! lent for the length of one batch.

use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use super::{Event, Flush, IDLE_BUFFER_KEEP, IoOptions, READ_BUDGET, Reactor, ReadResult};
use crate::conn::{READ_CHUNK, ReadBuf};

/// Listener tokens count down from the top so they never meet slab ids.
const LISTENER_BASE: usize = usize::MAX - 64;

/// Readiness events taken per wait.
const EVENTS_CAPACITY: usize = 1024;

pub struct Epoll {
    poll: Poll,
    events: Events,
    listeners: Vec<TcpListener>,
    /// `listeners`' local addresses.
    addrs: Vec<SocketAddr>,
    waits: u64,
}

/// A connection's socket and whether it is registered for writability.
pub struct Stream {
    sock: TcpStream,
    want_write: bool,
}

impl Reactor for Epoll {
    type Stream = Stream;
    const NAME: &'static str = "epoll";

    fn bind(addrs: &[SocketAddr], _opts: &IoOptions) -> io::Result<Self> {
        let poll = Poll::new()?;
        let mut listeners = Vec::with_capacity(addrs.len());
        let mut bound = Vec::with_capacity(addrs.len());
        for (i, addr) in addrs.iter().enumerate() {
            let mut l = TcpListener::bind(*addr)?;
            poll.registry()
                .register(&mut l, Token(LISTENER_BASE + i), Interest::READABLE)?;
            bound.push(l.local_addr()?);
            listeners.push(l);
        }
        Ok(Epoll {
            poll,
            events: Events::with_capacity(EVENTS_CAPACITY),
            listeners,
            addrs: bound,
            waits: 0,
        })
    }

    fn local_addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    fn poll(&mut self, out: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        self.waits += 1;
        match self.poll.poll(&mut self.events, timeout) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(e),
        }
        for ev in self.events.iter() {
            let t = ev.token().0;
            if t >= LISTENER_BASE {
                out.push(Event::Accept(t - LISTENER_BASE));
                continue;
            }
            let hup = ev.is_read_closed() || ev.is_error();
            if ev.is_readable() || hup {
                out.push(Event::Readable { id: t, hup });
            }
            if ev.is_writable() || ev.is_write_closed() {
                out.push(Event::Writable(t));
            }
        }
        Ok(())
    }

    fn accept(&mut self, n: usize) -> io::Result<Option<(Stream, SocketAddr)>> {
        match self.listeners[n].accept() {
            Ok((sock, addr)) => Ok(Some((
                Stream {
                    sock,
                    want_write: false,
                },
                addr,
            ))),
            Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn reject(&mut self, s: &mut Stream, msg: &[u8]) {
        let _ = s.sock.write(msg);
    }

    fn register(&mut self, s: &mut Stream, id: usize) -> io::Result<()> {
        s.sock.set_nodelay(true)?;
        self.poll
            .registry()
            .register(&mut s.sock, Token(id), Interest::READABLE)
    }

    /// A read shorter than the room offered means the socket is drained
    /// (edge-triggered: new data brings a new event), which saves the
    /// extra `read` that would only return `WouldBlock` — one syscall per
    /// request at -P 1. With `hup`, no further event will come, so it reads
    /// on to the end of stream.
    #[inline]
    fn read(
        &mut self,
        s: &mut Stream,
        _id: usize,
        rbuf: &mut ReadBuf,
        spare: &mut ReadBuf,
        hup: bool,
    ) -> ReadResult {
        if rbuf.is_empty() {
            std::mem::swap(rbuf, spare);
        }
        let mut r = ReadResult::default();
        let mut budget = READ_BUDGET;
        loop {
            // A large bulk in progress reads straight to its full size.
            let room_buf = rbuf.spare_mut(READ_CHUNK);
            let room = room_buf.len();
            let n = match s.sock.read(room_buf) {
                Ok(0) => {
                    r.eof = true;
                    break;
                }
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    r.error = true;
                    break;
                }
            };
            rbuf.commit(n);
            r.bytes += n;
            if n >= budget {
                r.more = true;
                break;
            }
            budget -= n;
            if n < room && !hup {
                break;
            }
        }
        r
    }

    #[inline]
    fn park_input(
        &mut self,
        _s: &mut Stream,
        _id: usize,
        rbuf: &mut ReadBuf,
        spare: &mut ReadBuf,
        _queued: bool,
    ) {
        if rbuf.is_empty() && spare.capacity() == 0 {
            std::mem::swap(rbuf, spare);
        }
        rbuf.shrink_if_idle(IDLE_BUFFER_KEEP);
    }

    #[inline]
    fn write(
        &mut self,
        s: &mut Stream,
        id: usize,
        wbuf: &mut Vec<u8>,
        wpos: &mut usize,
        spare: &mut Vec<u8>,
        sent: &mut u64,
    ) -> Flush {
        while *wpos < wbuf.len() {
            match s.sock.write(&wbuf[*wpos..]) {
                Ok(n) => {
                    *wpos += n;
                    *sent += n as u64;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Flush::Failed,
            }
        }
        let done = *wpos == wbuf.len();
        if done {
            wbuf.clear();
            *wpos = 0;
            if spare.capacity() == 0 {
                std::mem::swap(wbuf, spare);
            } else if wbuf.capacity() > IDLE_BUFFER_KEEP {
                *wbuf = Vec::new();
            }
        }
        if done == s.want_write {
            s.want_write = !done;
            let interest = if done {
                Interest::READABLE
            } else {
                Interest::READABLE | Interest::WRITABLE
            };
            if self
                .poll
                .registry()
                .reregister(&mut s.sock, Token(id), interest)
                .is_err()
            {
                return Flush::Failed;
            }
        }
        if done { Flush::Done } else { Flush::Pending }
    }

    fn deregister(&mut self, s: &mut Stream, _id: usize) {
        // The socket is about to be closed, which removes it from epoll
        // anyway; a failure here changes nothing.
        let _ = self.poll.registry().deregister(&mut s.sock);
    }

    fn raw_fd(s: &Stream) -> Option<RawFd> {
        Some(s.sock.as_raw_fd())
    }

    fn wait_calls(&self) -> u64 {
        self.waits
    }
}
