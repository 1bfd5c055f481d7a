//! The few operating-system calls std and mio do not wrap: the descriptor
//! limit, termination signals, TCP keepalive and resident memory.
#![allow(unsafe_code)]

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    STOP.store(true, Ordering::Relaxed);
}

/// Makes SIGINT and SIGTERM request a clean stop instead of killing the
/// process; the loop sees it through [`stop_requested`] (epoll_wait returns
/// EINTR, so the flag is read promptly).
pub fn install_stop_handlers() -> std::io::Result<()> {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: a zeroed sigaction is a valid "no flags, empty mask"
        // value; the handler only performs an atomic store, which is
        // async-signal-safe; the pointers passed are to live locals.
        let rc = unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_stop_signal as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut())
        };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Raises the open-files soft limit to fit `want` descriptors, as Redis
/// does for `maxclients`. Returns the limit now in force.
pub fn raise_fd_limit(want: u64) -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit for getrlimit to fill.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return want;
    }
    if lim.rlim_cur >= want {
        return lim.rlim_cur;
    }
    let target = want.min(lim.rlim_max);
    let new = libc::rlimit {
        rlim_cur: target,
        rlim_max: lim.rlim_max,
    };
    // SAFETY: `new` is a valid rlimit that setrlimit only reads.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &new) } == 0 {
        target
    } else {
        lim.rlim_cur
    }
}

/// Enables TCP keepalive probes every `secs` seconds (Redis's
/// `tcp-keepalive`); 0 leaves them off.
pub fn set_keepalive(fd: RawFd, secs: u64) {
    if secs == 0 {
        return;
    }
    let secs = secs.min(i32::MAX as u64) as libc::c_int;
    let interval = (secs / 3).max(1);
    let opts = [
        (libc::SOL_SOCKET, libc::SO_KEEPALIVE, 1),
        (libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, secs),
        (libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, interval),
        (libc::IPPROTO_TCP, libc::TCP_KEEPCNT, 3),
    ];
    for (level, name, val) in opts {
        // SAFETY: `fd` is an open socket owned by the caller; the option
        // value is a c_int on the stack whose size is passed alongside.
        // Failure only leaves keepalive off, which is not an error here.
        unsafe {
            libc::setsockopt(
                fd,
                level,
                name,
                &val as *const libc::c_int as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
}

/// Resident set size in bytes, from /proc/self/statm.
pub fn rss_bytes() -> u64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/statm") else {
        return 0;
    };
    let pages: u64 = s
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no memory-safety preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * page.max(4096) as u64
}

/// User and system CPU seconds of this process (INFO cpu).
pub fn cpu_times() -> (f64, f64) {
    rusage_times(libc::RUSAGE_SELF)
}

/// User and system CPU seconds of the calling thread (the loop's, for
/// INFO's `used_cpu_*_main_thread`).
pub fn thread_cpu_times() -> (f64, f64) {
    rusage_times(libc::RUSAGE_THREAD)
}

fn rusage_times(who: libc::c_int) -> (f64, f64) {
    let mut ru: libc::rusage = unsafe_zeroed_rusage();
    // SAFETY: `ru` is a valid, writable rusage for getrusage to fill.
    if unsafe { libc::getrusage(who, &mut ru) } != 0 {
        return (0.0, 0.0);
    }
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    (t(ru.ru_utime), t(ru.ru_stime))
}

fn unsafe_zeroed_rusage() -> libc::rusage {
    // SAFETY: rusage is plain integers and timevals; all-zero is valid.
    unsafe { std::mem::zeroed() }
}

/// Physical memory in bytes, from /proc/meminfo (INFO's
/// `total_system_memory`); 0 when unknown.
pub fn total_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// `Linux 6.1.0 x86_64`, as Redis's `os` field (uname's sysname, release
/// and machine).
pub fn os_name() -> String {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let sysname = match std::env::consts::OS {
        "linux" => "Linux",
        other => other,
    };
    format!("{sysname} {} {}", release.trim(), std::env::consts::ARCH)
}

/// Microseconds of CPU this thread has run: unlike wall time, it leaves
/// out the time another process held the CPU.
pub fn thread_cpu_us() -> u64 {
    // SAFETY: clock_gettime writes only into the timespec we pass.
    let ts = unsafe {
        let mut ts: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts);
        ts
    };
    ts.tv_sec as u64 * 1_000_000 + ts.tv_nsec as u64 / 1_000
}
