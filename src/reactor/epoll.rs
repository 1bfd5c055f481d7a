//! The epoll backend, through mio (edge-triggered readiness). The server
//! drains each readable socket until it would block or its work budget
//! runs out (then it re-queues the connection itself), so no edge is lost.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use super::{Event, Reactor};

/// Listener tokens count down from the top so they never meet slab ids.
const LISTENER_BASE: usize = usize::MAX - 64;

/// Readiness events taken per wait.
const EVENTS_CAPACITY: usize = 1024;

pub struct Epoll {
    poll: Poll,
    events: Events,
    listeners: Vec<TcpListener>,
}

impl Reactor for Epoll {
    type Stream = TcpStream;
    const NAME: &'static str = "epoll";

    fn bind(addrs: &[SocketAddr]) -> io::Result<Self> {
        let poll = Poll::new()?;
        let mut listeners = Vec::with_capacity(addrs.len());
        for (i, addr) in addrs.iter().enumerate() {
            let mut l = TcpListener::bind(*addr)?;
            poll.registry()
                .register(&mut l, Token(LISTENER_BASE + i), Interest::READABLE)?;
            listeners.push(l);
        }
        Ok(Epoll {
            poll,
            events: Events::with_capacity(EVENTS_CAPACITY),
            listeners,
        })
    }

    fn local_addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect()
    }

    fn poll(&mut self, out: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        match self.poll.poll(&mut self.events, timeout) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
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

    fn accept(&mut self, n: usize) -> io::Result<Option<(TcpStream, SocketAddr)>> {
        match self.listeners[n].accept() {
            Ok(pair) => Ok(Some(pair)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn register(&mut self, s: &mut TcpStream, id: usize) -> io::Result<()> {
        s.set_nodelay(true)?;
        self.poll
            .registry()
            .register(s, Token(id), Interest::READABLE)
    }

    fn want_write(&mut self, s: &mut TcpStream, id: usize, on: bool) -> io::Result<()> {
        let interest = if on {
            Interest::READABLE | Interest::WRITABLE
        } else {
            Interest::READABLE
        };
        self.poll.registry().reregister(s, Token(id), interest)
    }

    #[inline]
    fn recv(&mut self, s: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
        s.read(buf)
    }

    #[inline]
    fn send(&mut self, s: &mut TcpStream, buf: &[u8]) -> io::Result<usize> {
        s.write(buf)
    }

    fn deregister(&mut self, s: &mut TcpStream) {
        // The socket is about to be closed, which removes it from epoll
        // anyway; a failure here changes nothing.
        let _ = self.poll.registry().deregister(s);
    }

    fn raw_fd(s: &TcpStream) -> RawFd {
        s.as_raw_fd()
    }
}
