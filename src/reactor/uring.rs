//! The io_uring backend (through the `io-uring` crate): accepts, receives
//! and sends are submitted to one ring and reaped in batches, so the loop
//! makes one `io_uring_enter` per iteration in the steady state (submit
//! everything queued, wait for at least one completion or the next tick).
//!
//! # Buffer-lifetime contract
//!
//! The kernel writes into and reads from buffers after the call that
//! submitted the operation has returned, so:
//!
//! 1. **Ownership moves with the operation.** With `io-uring-recv-ring
//!    no`, a receive is armed into a connection's read buffer only after
//!    the server handed that buffer over ([`Reactor::park_input`]); a send goes from a write buffer the
//!    server handed over ([`Reactor::write`], which lends the connection
//!    another buffer for the replies that follow). While the operation is in
//!    flight the buffer lives in this module's [`Slot`], where nothing grows,
//!    compacts, swaps or frees it; the server gets it back only after the
//!    completion has been reaped. `Vec`s move their headers, never their
//!    heap blocks, so the slot table itself may grow.
//! 2. **Generations.** `user_data` packs the operation, the slot's
//!    generation and the slot index. Closing a connection bumps the
//!    generation, so a completion that arrives after the connection id was
//!    reused for a new client is recognised as stale and never touches the
//!    new client's state.
//! 3. **Closing cancels first, frees last.** [`Reactor::deregister`] moves
//!    the in-flight buffers *and the socket* into a graveyard entry,
//!    submits an `ASYNC_CANCEL` for each operation and drops queued
//!    submissions of that connection that never reached the kernel. The
//!    entry (buffers, descriptor) is freed only when the last completion of
//!    that generation has been reaped, so the descriptor number cannot be
//!    reused while a submission still names it.
//! 4. **A full submission queue** spills into a FIFO backlog, fed to the
//!    ring before the next wait; it never panics or drops work.
//! 5. **Provided buffers** (`io-uring-recv-ring yes`, the default): a
//!    multishot receive per connection picks buffers from a ring this
//!    module registered with the kernel; the ring and its buffers are one
//!    allocation each, never moved or freed while the ring lives. A buffer
//!    the kernel filled belongs to us until [`BufRing::give_back`] returns
//!    it (after its bytes were copied into the connection's read buffer,
//!    or when the connection closed), so the server's read buffers are
//!    never seen by the kernel in that mode and idle connections hold none.
//! 6. **Zero-copy sends** (`io-uring-zc-send-min`, off by default): the
//!    kernel reads the write buffer until its notification completion,
//!    which comes after the send's result; the send counts as in flight
//!    (the buffer stays in the slot or the grave) until that notification.
//! 7. **Dropping the ring** cancels everything and waits (bounded) for the
//!    completions; buffers whose completion never came are leaked rather
//!    than freed under the kernel.
#![allow(unsafe_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::time::{Duration, Instant};

use io_uring::{IoUring, cqueue, opcode, squeue, types};

use super::{Event, Flush, IDLE_BUFFER_KEEP, IoOptions, Reactor, ReadResult};
use crate::conn::{READ_CHUNK, ReadBuf};

/// Operation kinds in the top byte of `user_data`.
const OP_ACCEPT: u64 = 1;
const OP_RECV: u64 = 2;
const OP_SEND: u64 = 3;
const OP_CANCEL: u64 = 4;

/// `IORING_RECVSEND_POLL_FIRST` (not re-exported by the crate): arm the
/// socket's poll at once instead of first trying a receive that would find
/// nothing, since a receive is armed right after the socket was drained.
const RECVSEND_POLL_FIRST: u16 = 1;

const GEN_BITS: u32 = 24;
const GEN_MASK: u32 = (1 << GEN_BITS) - 1;

/// Queued send bytes that are handed to the kernel at once rather than
/// at the end of the loop iteration.
const EARLY_SUBMIT_BYTES: usize = 64 * 1024;

/// How long dropping the ring waits for cancelled operations.
const DROP_WAIT: Duration = Duration::from_secs(1);

/// Builds `opcode::$op` on connection `$id`'s socket: by its index in the
/// registered file table when the slot has one, else by descriptor.
macro_rules! on_socket {
    ($slot:expr, $id:expr, $op:ident($($arg:expr),*) $(.$m:ident($($marg:expr),*))*) => {
        if $slot.fixed {
            opcode::$op::new(types::Fixed($id as u32), $($arg),*)$(.$m($($marg),*))*.build()
        } else {
            opcode::$op::new(types::Fd($slot.fd), $($arg),*)$(.$m($($marg),*))*.build()
        }
    };
}

fn user_data(op: u64, generation: u32, slot: usize) -> u64 {
    (op << 56) | ((generation as u64 & GEN_MASK as u64) << 32) | (slot as u64 & 0xffff_ffff)
}

fn split_user_data(ud: u64) -> (u64, u32, usize) {
    (
        ud >> 56,
        ((ud >> 32) & GEN_MASK as u64) as u32,
        (ud & 0xffff_ffff) as usize,
    )
}

/// One connection id's ring-side state.
#[derive(Default)]
struct Slot {
    generation: u32,
    /// Read buffer owned by the ring while `recv_armed`.
    rbuf: ReadBuf,
    recv_armed: bool,
    /// A receive completed and its result waits for [`Reactor::read`].
    recv_res: Option<i32>,
    /// Write buffer owned by the ring while `send_armed`; `wpos` is how far
    /// the kernel has sent it (partial sends are resubmitted from there).
    wbuf: Vec<u8>,
    wpos: usize,
    send_armed: bool,
    /// The socket was full at the last send: the next one is armed to wait
    /// for room instead of as an inline (`MSG_DONTWAIT`) send.
    send_waits: bool,
    /// A zero-copy send's result, held until the kernel's notification
    /// that it no longer reads the buffer (the send's last completion).
    zc_res: Option<i32>,
    /// A drained write buffer kept for the next swap (no allocation).
    wfree: Vec<u8>,
    /// Bytes sent since the server last asked.
    sent: u64,
    /// Provided-buffer mode: filled buffers (id, length) not yet read.
    chunks: VecDeque<(u16, u32)>,
    /// Provided-buffer mode: the multishot receive was cancelled because
    /// too much input waits unread (backpressure).
    throttled: bool,
    /// A `Readable` was reported and `read` has not run since: one event
    /// per connection per batch, not one per buffer.
    notified: bool,
    failed: bool,
    eof: bool,
    fd: RawFd,
    /// The socket sits at index `id` of the registered file table
    /// (`io-uring-fixed-files`): operations name it by index.
    fixed: bool,
}

/// A closed connection's socket and buffers, kept until the kernel has
/// completed (or cancelled) every operation that points at them.
struct Grave {
    _sock: TcpStream,
    _rbuf: ReadBuf,
    _wbuf: Vec<u8>,
    ops: u8,
}

pub struct Uring {
    /// Declared first so it is dropped (closed) before the buffers.
    ring: IoUring,
    /// Provided buffers for multishot receives (experiment), if enabled.
    bufs: Option<BufRing>,
    listeners: Vec<TcpListener>,
    /// `listeners`' local addresses.
    addrs: Vec<SocketAddr>,
    accepted: Vec<VecDeque<RawFd>>,
    accept_armed: Vec<bool>,
    /// A multishot accept ended on this error (out of descriptors): the
    /// server retries from its cron, which re-arms.
    accept_err: Vec<Option<i32>>,
    slots: Vec<Slot>,
    graveyard: HashMap<u64, Grave>,
    backlog: VecDeque<squeue::Entry>,
    /// Read buffers of closed connections, reused by new ones.
    pool: Vec<ReadBuf>,
    cqes: Vec<(u64, i32, u32)>,
    /// Operations submitted whose final completion has not been reaped.
    inflight: usize,
    waits: u64,
    /// Dropping: nothing is re-armed.
    closing: bool,
    /// `IORING_RECVSEND_POLL_FIRST` or 0.
    recv_ioprio: u16,
    /// Size of the registered file table (0: not used).
    fixed_files: usize,
    /// `io-uring-min-wait-us` (0: off) and the open connections it scales
    /// the batch by.
    min_wait_us: u32,
    live: usize,
    /// `io-uring-inline-sends`, and the inline sends queued since the last
    /// wait: each completes during the next submission, so the wait adds
    /// them to the completions it waits for.
    inline_sends: bool,
    fresh_sends: usize,
    /// `io-uring-zc-send-min` (0: off).
    zc_send_min: usize,
    /// Bytes of sends queued and not yet handed to the kernel.
    unsubmitted: usize,
    /// Registered-file indexes a closed connection left while submissions
    /// naming them were still queued: cleared once the queue is empty.
    stale_files: Vec<usize>,
    /// Test seam (`FERRITE_TEST_URING_STALE_FILES`): every close takes the
    /// path above.
    test_stale_files: bool,
}

/// Provided-buffer experiment: buffers per ring and their size.
const BUF_RING_ENTRIES: u16 = 1024;
const BUF_SIZE: usize = 4096;
/// Buffer group id of the ring.
const BUF_GROUP: u16 = 0;
/// Filled buffers one connection may hold unread before its multishot
/// receive is cancelled (TCP flow control then holds the sender).
const MAX_CHUNKS: usize = 64;

/// A registered ring of provided buffers (`IORING_REGISTER_PBUF_RING`).
struct BufRing {
    /// `entries` × `struct io_uring_buf` (16 bytes), page-aligned; the
    /// kernel reads it, we publish new entries through the tail.
    ring: *mut u8,
    ring_layout: std::alloc::Layout,
    /// `entries` × [`BUF_SIZE`] bytes the kernel receives into.
    data: *mut u8,
    data_layout: std::alloc::Layout,
    tail: u16,
    mask: u16,
}

impl BufRing {
    fn new(ring: &IoUring) -> io::Result<BufRing> {
        let entries = BUF_RING_ENTRIES;
        let ring_layout = std::alloc::Layout::from_size_align(entries as usize * 16, 4096)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let data_layout = std::alloc::Layout::from_size_align(entries as usize * BUF_SIZE, 4096)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: both layouts have a non-zero size.
        let (rp, dp) = unsafe {
            (
                std::alloc::alloc_zeroed(ring_layout),
                std::alloc::alloc_zeroed(data_layout),
            )
        };
        if rp.is_null() || dp.is_null() {
            return Err(io::Error::from(io::ErrorKind::OutOfMemory));
        }
        let mut b = BufRing {
            ring: rp,
            ring_layout,
            data: dp,
            data_layout,
            tail: 0,
            mask: entries - 1,
        };
        // SAFETY: `rp` points at `entries` zeroed, page-aligned ring slots
        // that stay allocated (and unmoved) until `Drop`, which runs only
        // after the ring was dropped or every operation completed.
        unsafe {
            ring.submitter()
                .register_buf_ring_with_flags(rp as u64, entries, BUF_GROUP, 0)?;
        }
        for bid in 0..entries {
            b.give_back(bid);
        }
        Ok(b)
    }

    /// Returns buffer `bid` to the kernel.
    fn give_back(&mut self, bid: u16) {
        let slot = (self.tail & self.mask) as usize;
        // SAFETY: `slot` < entries, so the 16-byte entry lies inside the
        // ring allocation; the kernel reads entries only below the tail we
        // publish afterwards, so writing this one races with nothing. The
        // tail is the `resv` field of entry 0 (offset 14), published with
        // release ordering as the kernel's ABI requires.
        unsafe {
            let e = self.ring.add(slot * 16);
            (e as *mut u64).write(self.data.add(bid as usize * BUF_SIZE) as u64);
            (e.add(8) as *mut u32).write(BUF_SIZE as u32);
            (e.add(12) as *mut u16).write(bid);
            self.tail = self.tail.wrapping_add(1);
            std::sync::atomic::AtomicU16::from_ptr(self.ring.add(14) as *mut u16)
                .store(self.tail, std::sync::atomic::Ordering::Release);
        }
    }

    /// The first `len` bytes of buffer `bid`, which the kernel filled and
    /// handed to us (it is not in the ring until `give_back`).
    fn bytes(&self, bid: u16, len: u32) -> &[u8] {
        let len = (len as usize).min(BUF_SIZE);
        // SAFETY: `bid` < entries, so the range is inside `data`; the
        // kernel does not write a buffer it has completed until we give it
        // back, and the returned borrow ends before we do.
        unsafe {
            std::slice::from_raw_parts(self.data.add((bid & self.mask) as usize * BUF_SIZE), len)
        }
    }
}

impl Drop for BufRing {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with these layouts; `Uring` drops us
        // only once the ring is closed and no receive is in flight (it
        // leaks us otherwise).
        unsafe {
            std::alloc::dealloc(self.ring, self.ring_layout);
            std::alloc::dealloc(self.data, self.data_layout);
        }
    }
}

/// A connection's socket. The descriptor moves to the graveyard on close.
pub struct Stream(Option<TcpStream>);

/// Why this kernel (or sandbox) will not give us a ring, or `Ok` when it
/// will. Creates and drops a small ring with the same setup flags.
pub fn probe(opts: &IoOptions) -> Result<(), String> {
    if let Ok(v) = std::env::var("FERRITE_TEST_URING_ERRNO") {
        // Test seam: simulate a refusing kernel on one that allows rings.
        let errno = match v.as_str() {
            "ENOSYS" => libc::ENOSYS,
            "ENOMEM" => libc::ENOMEM,
            _ => libc::EPERM,
        };
        return Err(explain(&io::Error::from_raw_os_error(errno)));
    }
    let ring = builder(opts).build(8).map_err(|e| explain(&e))?;
    if !ring.params().is_feature_ext_arg() {
        return Err("the kernel lacks IORING_FEAT_EXT_ARG (needs Linux 5.11+)".into());
    }
    let mut p = io_uring::Probe::new();
    ring.submitter()
        .register_probe(&mut p)
        .map_err(|e| format!("cannot probe io_uring opcodes: {e}"))?;
    if opts.zc_send_min > 0 && !p.is_supported(opcode::SendZc::CODE) {
        return Err("the kernel's io_uring lacks IORING_OP_SEND_ZC (io-uring-zc-send-min)".into());
    }
    for (code, name) in [
        (opcode::AcceptMulti::CODE, "ACCEPT"),
        (opcode::Recv::CODE, "RECV"),
        (opcode::Send::CODE, "SEND"),
        (opcode::AsyncCancel::CODE, "ASYNC_CANCEL"),
    ] {
        if !p.is_supported(code) {
            return Err(format!("the kernel's io_uring lacks IORING_OP_{name}"));
        }
    }
    if opts.recv_ring {
        let bufs = BufRing::new(&ring)
            .map_err(|e| format!("cannot register a provided-buffer ring: {e}"))?;
        // The ring goes first: the kernel must not hold registered memory
        // we free.
        drop(ring);
        drop(bufs);
    }
    Ok(())
}

fn explain(e: &io::Error) -> String {
    let disabled = std::fs::read_to_string("/proc/sys/kernel/io_uring_disabled")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "?".into());
    match e.raw_os_error() {
        Some(libc::ENOSYS) => "ENOSYS: this kernel has no io_uring".into(),
        Some(libc::EPERM) => format!(
            "EPERM: io_uring is not allowed here (kernel.io_uring_disabled={disabled}, or a seccomp filter)"
        ),
        Some(libc::ENOMEM) => {
            "ENOMEM: the locked-memory limit (ulimit -l) is too low for the ring".into()
        }
        Some(libc::EINVAL) => format!("EINVAL: the kernel refused the ring's setup flags ({e})"),
        _ => format!("io_uring_setup failed: {e}"),
    }
}

fn builder(opts: &IoOptions) -> io_uring::Builder {
    let mut b = IoUring::builder();
    b.setup_cqsize(opts.ring_entries.max(8) * 4);
    if opts.defer_taskrun {
        b.setup_single_issuer().setup_defer_taskrun();
    } else if opts.coop_taskrun {
        b.setup_coop_taskrun();
    }
    if opts.defer_taskrun || opts.coop_taskrun {
        // An operation that fails at submission must not leave the ones
        // behind it in the queue: some name a registered-file index that
        // a closing connection is about to clear (5.18+, below what these
        // two flags need).
        b.setup_submit_all();
    }
    b
}

fn is_transient(res: i32) -> bool {
    res == -libc::EAGAIN || res == -libc::EINTR || res == -libc::ENOBUFS
}

impl Uring {
    /// Queues an operation for the next `io_uring_enter`.
    fn push(&mut self, e: squeue::Entry, counts: bool) {
        if counts {
            self.inflight += 1;
        }
        if self.backlog.is_empty() {
            // SAFETY: every entry built in this module points only at
            // memory owned by `self.slots` (or at nothing): the slot keeps
            // it unmoved until the completion is reaped, or the graveyard
            // does after a close (module header, rules 1 and 3).
            if unsafe { self.ring.submission().push(&e) }.is_ok() {
                return;
            }
        }
        self.backlog.push_back(e);
    }

    /// Moves the backlog into the submission queue, submitting without
    /// waiting whenever the queue fills.
    fn drain_backlog(&mut self) -> io::Result<()> {
        while let Some(e) = self.backlog.front() {
            // SAFETY: as in `push`: the entry's buffers are owned by a slot
            // or a grave until its completion is reaped.
            if unsafe { self.ring.submission().push(e) }.is_ok() {
                self.backlog.pop_front();
            } else {
                self.waits += 1;
                match self.ring.submit() {
                    Ok(_) => {}
                    // No room for completions or no memory for requests
                    // now: the rest goes in at a later wait.
                    Err(e) if matches!(e.raw_os_error(), Some(libc::EBUSY | libc::EAGAIN)) => {
                        return Ok(());
                    }
                    Err(e) if e.raw_os_error() == Some(libc::EINTR) => return Ok(()),
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    fn arm_accept(&mut self, n: usize) {
        let fd = self.listeners[n].as_raw_fd();
        let e = opcode::AcceptMulti::new(types::Fd(fd))
            .flags(libc::SOCK_CLOEXEC)
            .build()
            .user_data(user_data(OP_ACCEPT, 0, n));
        self.accept_armed[n] = true;
        self.push(e, true);
    }

    fn arm_recv(&mut self, id: usize) {
        if self.bufs.is_some() {
            let slot = &mut self.slots[id];
            let e = on_socket!(slot, id, RecvMulti(BUF_GROUP));
            let e = e.user_data(user_data(OP_RECV, slot.generation, id));
            slot.recv_armed = true;
            slot.throttled = false;
            self.push(e, true);
            return;
        }
        let slot = &mut self.slots[id];
        let room = slot.rbuf.spare_mut(READ_CHUNK);
        let (ptr, len) = (room.as_mut_ptr(), room.len().min(u32::MAX as usize) as u32);
        let e = on_socket!(slot, id, Recv(ptr, len).ioprio(self.recv_ioprio));
        let e = e.user_data(user_data(OP_RECV, slot.generation, id));
        slot.recv_armed = true;
        self.push(e, true);
    }

    fn arm_send(&mut self, id: usize) {
        let slot = &mut self.slots[id];
        let rest = &slot.wbuf[slot.wpos..];
        let (ptr, len) = (rest.as_ptr(), rest.len().min(u32::MAX as usize) as u32);
        // MSG_DONTWAIT makes the kernel complete the send during the
        // submission whatever happens (sent, partly sent or EAGAIN) rather
        // than arm a poll and finish it later: the wait can count it.
        let inline = self.inline_sends && !slot.send_waits;
        let flags = libc::MSG_NOSIGNAL | if inline { libc::MSG_DONTWAIT } else { 0 };
        let zc = self.zc_send_min > 0 && len as usize >= self.zc_send_min;
        let e = if zc {
            on_socket!(slot, id, SendZc(ptr, len).flags(flags))
        } else {
            on_socket!(slot, id, Send(ptr, len).flags(flags))
        };
        if inline {
            self.fresh_sends += 1;
        }
        self.unsubmitted += len as usize;
        let e = e.user_data(user_data(OP_SEND, slot.generation, id));
        slot.send_armed = true;
        self.push(e, true);
        // The kernel copies what it sends: while the replies are still in
        // the cache, not after the rest of the batch has pushed them out
        // (a batch of large replies is bigger than the cache).
        if self.unsubmitted >= EARLY_SUBMIT_BYTES && self.backlog.is_empty() {
            self.unsubmitted = 0;
            self.waits += 1;
            let _ = self.ring.submit();
        }
    }

    fn complete(&mut self, ud: u64, res: i32, flags: u32, out: &mut Vec<Event>) {
        let (op, generation, idx) = split_user_data(ud);
        if op == OP_CANCEL {
            return;
        }
        if op == OP_ACCEPT {
            if !cqueue::more(flags) {
                self.inflight -= 1;
                self.accept_armed[idx] = false;
            }
            if res >= 0 {
                self.accepted[idx].push_back(res);
            } else if !cqueue::more(flags) && !self.closing {
                if matches!(-res, libc::EMFILE | libc::ENFILE | libc::ENOMEM) {
                    self.accept_err[idx] = Some(-res);
                } else {
                    self.arm_accept(idx);
                }
            }
            if !out.contains(&Event::Accept(idx)) {
                out.push(Event::Accept(idx));
            }
            return;
        }
        let last = !cqueue::more(flags);
        if last {
            self.inflight -= 1;
        }
        if let (Some(bufs), Some(bid)) = (&mut self.bufs, cqueue::buffer_select(flags))
            && op == OP_RECV
            && self
                .slots
                .get(idx)
                .is_none_or(|s| s.generation != generation)
        {
            bufs.give_back(bid); // a closed connection's input
        }
        let live = self.slots.get(idx).is_some_and(|s| {
            s.generation == generation
                && match op {
                    OP_RECV => s.recv_armed,
                    _ => s.send_armed,
                }
        });
        if !live {
            // A closed connection's operation: free its grave once the last
            // one is in.
            let key = ud & ((1 << 56) - 1);
            if !last {
                return;
            }
            if let Some(g) = self.graveyard.get_mut(&key) {
                g.ops -= 1;
                if g.ops == 0 {
                    self.graveyard.remove(&key);
                }
            }
            return;
        }
        match op {
            OP_RECV if self.bufs.is_some() => {
                let slot = &mut self.slots[idx];
                if last {
                    slot.recv_armed = false;
                }
                if let Some(bid) = cqueue::buffer_select(flags) {
                    slot.chunks.push_back((bid, res.max(0) as u32));
                    if slot.chunks.len() >= MAX_CHUNKS && !last && !slot.throttled {
                        slot.throttled = true;
                        let e = opcode::AsyncCancel::new(ud)
                            .build()
                            .user_data(user_data(OP_CANCEL, generation, idx));
                        self.push(e, false);
                    }
                } else if res == 0 {
                    slot.eof = true;
                } else if res < 0 && res != -libc::ENOBUFS && res != -libc::ECANCELED {
                    slot.recv_res = Some(res);
                }
                let slot = &mut self.slots[idx];
                if !slot.notified {
                    slot.notified = true;
                    out.push(Event::Readable {
                        id: idx,
                        hup: false,
                    });
                }
            }
            OP_RECV => {
                let slot = &mut self.slots[idx];
                slot.recv_armed = false;
                if is_transient(res) && !self.closing {
                    self.arm_recv(idx);
                    return;
                }
                slot.recv_res = Some(res);
                out.push(Event::Readable {
                    id: idx,
                    hup: false,
                });
            }
            OP_SEND => {
                let slot = &mut self.slots[idx];
                if !last {
                    // A zero-copy send's result: the buffer stays ours to
                    // keep until the notification, its last completion.
                    slot.zc_res = Some(res);
                    return;
                }
                let res = if cqueue::notif(flags) {
                    slot.zc_res.take().unwrap_or(-libc::EIO)
                } else {
                    res
                };
                slot.send_armed = false;
                if res > 0 {
                    slot.wpos += res as usize;
                    slot.sent += res as u64;
                    // A partial send means the socket is full: the rest
                    // waits for room.
                    slot.send_waits = slot.wpos < slot.wbuf.len();
                    if slot.send_waits && !self.closing {
                        self.arm_send(idx);
                        return;
                    }
                    slot.wbuf.clear();
                    slot.wpos = 0;
                    if slot.wfree.capacity() == 0 && slot.wbuf.capacity() <= IDLE_BUFFER_KEEP {
                        slot.wfree = std::mem::take(&mut slot.wbuf);
                    } else {
                        slot.wbuf = Vec::new();
                    }
                } else if is_transient(res) && !self.closing {
                    slot.send_waits |= res == -libc::EAGAIN;
                    self.arm_send(idx);
                    return;
                } else {
                    slot.failed = true;
                }
                out.push(Event::Writable(idx));
            }
            _ => {}
        }
    }
}

impl Reactor for Uring {
    type Stream = Stream;
    const NAME: &'static str = "io_uring";

    fn bind(addrs: &[SocketAddr], opts: &IoOptions) -> io::Result<Self> {
        let entries = opts.ring_entries.max(8);
        let ring = builder(opts).build(entries)?;
        if opts.min_wait_us > 0 && !ring.params().is_feature_min_timeout() {
            return Err(io::Error::other(
                "io-uring-min-wait-us needs IORING_FEAT_MIN_TIMEOUT (Linux 6.12+)",
            ));
        }
        let fixed_files = if opts.fixed_files > 0 {
            ring.submitter()
                .register_files_sparse(opts.fixed_files as u32)?;
            opts.fixed_files
        } else {
            0
        };
        let bufs = if opts.recv_ring {
            Some(BufRing::new(&ring)?)
        } else {
            None
        };
        let mut listeners = Vec::with_capacity(addrs.len());
        let mut bound = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let l = TcpListener::bind(addr)?;
            bound.push(l.local_addr()?);
            listeners.push(l);
        }
        let n = listeners.len();
        let mut u = Uring {
            ring,
            bufs,
            listeners,
            addrs: bound,
            accepted: (0..n).map(|_| VecDeque::new()).collect(),
            accept_armed: vec![false; n],
            accept_err: vec![None; n],
            slots: Vec::new(),
            graveyard: HashMap::new(),
            backlog: VecDeque::new(),
            pool: Vec::new(),
            cqes: Vec::with_capacity(1024),
            inflight: 0,
            waits: 0,
            closing: false,
            fixed_files,
            min_wait_us: opts.min_wait_us,
            live: 0,
            inline_sends: opts.inline_sends,
            fresh_sends: 0,
            zc_send_min: opts.zc_send_min,
            unsubmitted: 0,
            stale_files: Vec::new(),
            test_stale_files: std::env::var_os("FERRITE_TEST_URING_STALE_FILES").is_some(),
            recv_ioprio: if opts.poll_first {
                RECVSEND_POLL_FIRST
            } else {
                0
            },
        };
        for i in 0..n {
            u.arm_accept(i);
        }
        Ok(u)
    }

    fn local_addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    fn poll(&mut self, out: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        self.drain_backlog()?;
        self.waits += 1;
        self.unsubmitted = 0;
        // Inline sends complete during this very submission; were the wait
        // to end on their completions, most replies would cost one more
        // loop iteration and `io_uring_enter`. So they are added to the
        // count waited for, which stays exact: the kernel skips the wait
        // when it could not submit everything, and a backlog left over
        // (some sends not submitted) falls back to waiting for one.
        let mut fresh = std::mem::take(&mut self.fresh_sends);
        if !self.backlog.is_empty() {
            fresh = 0;
        }
        let (mut want, mut min_wait) = (1, 0);
        if timeout != Some(Duration::ZERO) {
            if self.min_wait_us > 0 {
                // Wait for a quarter of the connections' completions, no
                // longer than `min_wait_us` once one is in: fewer wake-ups
                // per request when many clients are active.
                want = (self.live / 4).clamp(1, 32);
                min_wait = self.min_wait_us;
            }
            want += fresh;
        }
        let r = if min_wait > 0 {
            let args = types::SubmitArgs::new().min_wait_usec(min_wait);
            match timeout {
                Some(d) => {
                    let ts = types::Timespec::from(d);
                    let args = args.timespec(&ts);
                    self.ring.submitter().submit_with_args(want, &args)
                }
                None => self.ring.submitter().submit_with_args(want, &args),
            }
        } else {
            match timeout {
                Some(d) => {
                    let ts = types::Timespec::from(d);
                    let args = types::SubmitArgs::new().timespec(&ts);
                    self.ring.submitter().submit_with_args(want, &args)
                }
                None => self.ring.submit_and_wait(want),
            }
        };
        match r {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ETIME | libc::EINTR | libc::EBUSY | libc::EAGAIN)
                ) => {}
            Err(e) => return Err(e),
        }
        if !self.stale_files.is_empty() && self.ring.submission().is_empty() {
            for idx in std::mem::take(&mut self.stale_files) {
                let _ = self
                    .ring
                    .submitter()
                    .register_files_update(idx as u32, &[-1]);
            }
        }
        // One pass over the completion queue, one head update at the end.
        let mut cqes = std::mem::take(&mut self.cqes);
        cqes.extend(
            self.ring
                .completion()
                .map(|c| (c.user_data(), c.result(), c.flags())),
        );
        for &(ud, res, flags) in &cqes {
            self.complete(ud, res, flags, out);
        }
        cqes.clear();
        self.cqes = cqes;
        Ok(())
    }

    fn accept(&mut self, n: usize) -> io::Result<Option<(Stream, SocketAddr)>> {
        while let Some(fd) = self.accepted[n].pop_front() {
            // SAFETY: `fd` was just returned by the kernel's accept for us
            // and nothing else owns it; the TcpStream closes it when dropped.
            let sock = unsafe { TcpStream::from_raw_fd(fd) };
            match sock.peer_addr() {
                Ok(addr) => return Ok(Some((Stream(Some(sock)), addr))),
                // Gone before we looked: nothing to serve.
                Err(_) => continue,
            }
        }
        if let Some(err) = self.accept_err[n].take() {
            return Err(io::Error::from_raw_os_error(err));
        }
        if !self.accept_armed[n] {
            self.arm_accept(n);
        }
        Ok(None)
    }

    fn reject(&mut self, s: &mut Stream, msg: &[u8]) {
        if let Some(sock) = &mut s.0 {
            let _ = sock.write(msg);
        }
    }

    fn register(&mut self, s: &mut Stream, id: usize) -> io::Result<()> {
        let sock = s.0.as_ref().ok_or(io::ErrorKind::NotConnected)?;
        sock.set_nodelay(true)?;
        if self.slots.len() <= id {
            self.slots.resize_with(id + 1, Slot::default);
        }
        let slot = &mut self.slots[id];
        debug_assert!(!slot.recv_armed && !slot.send_armed);
        let generation = slot.generation;
        let rbuf = if self.bufs.is_some() {
            ReadBuf::default()
        } else {
            self.pool.pop().unwrap_or_default()
        };
        self.live += 1;
        let fd = sock.as_raw_fd();
        // One registration syscall per connection; a failure only means
        // this connection uses its plain descriptor.
        let fixed = id < self.fixed_files
            && !self.stale_files.contains(&id)
            && self
                .ring
                .submitter()
                .register_files_update(id as u32, &[fd])
                .is_ok();
        let slot = &mut self.slots[id];
        *slot = Slot {
            generation,
            rbuf,
            fd,
            fixed,
            ..Slot::default()
        };
        self.arm_recv(id);
        Ok(())
    }

    #[inline]
    fn read(
        &mut self,
        _s: &mut Stream,
        id: usize,
        rbuf: &mut ReadBuf,
        _spare: &mut ReadBuf,
        _hup: bool,
    ) -> ReadResult {
        let mut r = ReadResult::default();
        if let Some(bufs) = &mut self.bufs {
            if rbuf.is_empty() {
                std::mem::swap(rbuf, _spare);
            }
            let slot = &mut self.slots[id];
            slot.notified = false;
            // Room for all of it at once: one compaction or growth at most.
            let total: usize = slot.chunks.iter().map(|&(_, n)| n as usize).sum();
            if total > 0 {
                rbuf.spare_mut(total);
            }
            while let Some((bid, len)) = slot.chunks.pop_front() {
                let src = bufs.bytes(bid, len);
                rbuf.spare_mut(src.len())[..src.len()].copy_from_slice(src);
                rbuf.commit(src.len());
                r.bytes += src.len();
                bufs.give_back(bid);
            }
            r.eof = slot.eof;
            r.error = slot.recv_res.take().is_some();
            return r;
        }
        let slot = &mut self.slots[id];
        let Some(res) = slot.recv_res.take() else {
            return r;
        };
        // The filled buffer goes back to the server; the empty placeholder
        // it held meanwhile (if it has any memory) joins the pool.
        let old = std::mem::replace(rbuf, std::mem::take(&mut slot.rbuf));
        if old.capacity() > 0 {
            self.pool.push(old);
        }
        match res {
            0 => {
                r.eof = true;
                slot.eof = true;
            }
            n if n > 0 => {
                rbuf.commit(n as usize);
                r.bytes = n as usize;
            }
            _ => r.error = true,
        }
        r
    }

    #[inline]
    fn park_input(
        &mut self,
        _s: &mut Stream,
        id: usize,
        rbuf: &mut ReadBuf,
        _spare: &mut ReadBuf,
        queued: bool,
    ) {
        if self.bufs.is_some() {
            if rbuf.is_empty() && _spare.capacity() == 0 {
                std::mem::swap(rbuf, _spare);
            }
            rbuf.shrink_if_idle(IDLE_BUFFER_KEEP);
            let slot = &self.slots[id];
            if !(queued || slot.eof || slot.failed || slot.recv_armed || !slot.chunks.is_empty()) {
                self.arm_recv(id);
            }
            return;
        }
        let slot = &mut self.slots[id];
        if queued || slot.eof || slot.failed || slot.recv_armed || slot.recv_res.is_some() {
            return;
        }
        let mut buf = std::mem::take(rbuf);
        if buf.capacity() == 0 {
            buf = self.pool.pop().unwrap_or_default();
        } else {
            buf.shrink_if_idle(IDLE_BUFFER_KEEP);
        }
        self.slots[id].rbuf = buf;
        self.arm_recv(id);
    }

    #[inline]
    fn write(
        &mut self,
        _s: &mut Stream,
        id: usize,
        wbuf: &mut Vec<u8>,
        wpos: &mut usize,
        _spare: &mut Vec<u8>,
        sent: &mut u64,
    ) -> Flush {
        let slot = &mut self.slots[id];
        *sent += std::mem::take(&mut slot.sent);
        if slot.failed {
            return Flush::Failed;
        }
        if slot.send_armed {
            return Flush::Pending;
        }
        if *wpos >= wbuf.len() {
            wbuf.clear();
            *wpos = 0;
            if wbuf.capacity() > IDLE_BUFFER_KEEP {
                *wbuf = Vec::new();
            }
            return Flush::Done;
        }
        // Hand the buffer to the ring; replies produced meanwhile go to
        // the slot's drained one.
        slot.wbuf = std::mem::replace(wbuf, std::mem::take(&mut slot.wfree));
        slot.wpos = std::mem::take(wpos);
        self.arm_send(id);
        Flush::Pending
    }

    fn deregister(&mut self, s: &mut Stream, id: usize) {
        let Some(sock) = s.0.take() else {
            return;
        };
        let Some(slot) = self.slots.get_mut(id) else {
            return;
        };
        self.live -= 1;
        let generation = slot.generation;
        slot.generation = (generation + 1) & GEN_MASK;
        if std::mem::take(&mut slot.fixed) {
            // Queued submissions name the table index: hand them to the
            // kernel (which then holds the file) before the index is
            // cleared and later given to another socket.
            // The kernel may take only part of the queue per call.
            while !self.ring.submission().is_empty() && !self.test_stale_files {
                if !matches!(self.ring.submit(), Ok(n) if n > 0) {
                    break;
                }
            }
            if self.ring.submission().is_empty() && !self.test_stale_files {
                let _ = self
                    .ring
                    .submitter()
                    .register_files_update(id as u32, &[-1]);
            } else {
                // Some submissions still name the index (the kernel ran out
                // of memory for requests): it keeps the old socket until
                // the queue has been taken, and the next connection with
                // this id uses its plain descriptor meanwhile.
                self.stale_files.push(id);
            }
        }
        let slot = &mut self.slots[id];
        let mut ops = 0u8;
        let mut cancels = Vec::new();
        for (armed, op) in [(slot.recv_armed, OP_RECV), (slot.send_armed, OP_SEND)] {
            if armed {
                ops += 1;
                cancels.push(user_data(op, generation, id));
            }
        }
        let inline_send = slot.send_armed && self.inline_sends && !slot.send_waits;
        slot.recv_armed = false;
        slot.send_armed = false;
        slot.send_waits = false;
        slot.zc_res = None;
        slot.recv_res = None;
        if let Some(bufs) = &mut self.bufs {
            for (bid, _) in slot.chunks.drain(..) {
                bufs.give_back(bid);
            }
        }
        let rbuf = std::mem::take(&mut slot.rbuf);
        let wbuf = std::mem::take(&mut slot.wbuf);
        slot.wfree = Vec::new();
        if ops == 0 {
            if rbuf.capacity() > 0 && rbuf.capacity() <= IDLE_BUFFER_KEEP {
                let mut rbuf = rbuf;
                rbuf.consume(rbuf.len());
                self.pool.push(rbuf);
            }
            return; // `sock` is closed here
        }
        // Submissions that never reached the kernel are simply dropped.
        let before = self.backlog.len();
        let mut send_dropped = false;
        self.backlog.retain(|e| {
            let (op, g, i) = split_user_data(e.get_user_data());
            let mine = i == id && g == generation && (op == OP_RECV || op == OP_SEND);
            send_dropped |= mine && op == OP_SEND;
            !mine
        });
        if send_dropped && inline_send {
            // It will not complete in the next submission after all (the
            // count may already be 0 if a wait found a backlog).
            self.fresh_sends = self.fresh_sends.saturating_sub(1);
        }
        let dropped = before - self.backlog.len();
        self.inflight -= dropped;
        ops -= dropped as u8;
        if ops > 0 {
            for ud in cancels {
                let e = opcode::AsyncCancel::new(ud)
                    .build()
                    .user_data(user_data(OP_CANCEL, generation, id));
                self.push(e, false);
            }
            self.graveyard.insert(
                user_data(0, generation, id),
                Grave {
                    _sock: sock,
                    _rbuf: rbuf,
                    _wbuf: wbuf,
                    ops,
                },
            );
        }
    }

    fn raw_fd(s: &Stream) -> Option<RawFd> {
        s.0.as_ref().map(|t| t.as_raw_fd())
    }

    fn wait_calls(&self) -> u64 {
        self.waits
    }
}

impl Drop for Uring {
    fn drop(&mut self) {
        self.closing = true;
        let queued = self
            .backlog
            .iter()
            .filter(|e| split_user_data(e.get_user_data()).0 != OP_CANCEL)
            .count();
        self.inflight -= queued;
        self.backlog.clear();
        self.fresh_sends = 0;
        let mut cancels = Vec::new();
        for (n, armed) in self.accept_armed.iter().enumerate() {
            if *armed {
                cancels.push(user_data(OP_ACCEPT, 0, n));
            }
        }
        for (id, s) in self.slots.iter().enumerate() {
            if s.recv_armed {
                cancels.push(user_data(OP_RECV, s.generation, id));
            }
            if s.send_armed {
                cancels.push(user_data(OP_SEND, s.generation, id));
            }
        }
        for ud in cancels {
            let (_, g, i) = split_user_data(ud);
            let e = opcode::AsyncCancel::new(ud)
                .build()
                .user_data(user_data(OP_CANCEL, g, i));
            self.push(e, false);
        }
        let deadline = Instant::now() + DROP_WAIT;
        let mut events = Vec::new();
        while self.inflight > 0 && Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if self.poll(&mut events, Some(left)).is_err() {
                break;
            }
            events.clear();
        }
        if self.inflight > 0 {
            // The kernel may still write into these: never free them.
            std::mem::forget(std::mem::take(&mut self.slots));
            std::mem::forget(std::mem::take(&mut self.graveyard));
            std::mem::forget(self.bufs.take());
        }
        for q in &mut self.accepted {
            for fd in q.drain(..) {
                // SAFETY: accepted descriptors not yet handed out are ours.
                drop(unsafe { TcpStream::from_raw_fd(fd) });
            }
        }
    }
}
