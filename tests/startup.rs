//! Process-level behaviour: argument/config parsing, banner, signals,
//! idle timeout and maxclients.
//!
//! Tests named `ferrite_only_*` exercise ferrite's own command line and banner
//! and are skipped under `FERRITE_TEST_AGAINST=redis`; the rest (SIGTERM,
//! timeout, maxclients) behave identically on redis-server and run on both.
mod common;

use common::*;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

const EXIT_DEADLINE: Duration = Duration::from_secs(10);

fn assert_fails(args: &[&str], must_mention: Option<&str>) -> String {
    let (status, stderr) = run_ferrite_to_exit(args, EXIT_DEADLINE);
    let status = status.unwrap_or_else(|| panic!("ferrite {args:?} kept running"));
    assert!(
        !status.success(),
        "ferrite {args:?} should fail, exited {status}"
    );
    assert!(
        !stderr.trim().is_empty(),
        "ferrite {args:?} failed silently (nothing on stderr)"
    );
    if let Some(word) = must_mention {
        assert!(
            stderr.contains(word),
            "stderr of ferrite {args:?} does not mention {word:?}:\n{stderr}"
        );
    }
    stderr
}

#[test]
fn ferrite_only_unknown_directive_fails_naming_it() {
    if skip_if_redis("ferrite_only_unknown_directive_fails_naming_it") {
        return;
    }
    assert_fails(
        &["--port", "0", "--nosuchdirective", "1"],
        Some("nosuchdirective"),
    );
}

#[test]
fn ferrite_only_bad_port_value_fails() {
    if skip_if_redis("ferrite_only_bad_port_value_fails") {
        return;
    }
    assert_fails(&["--port", "abc"], None);
    assert_fails(&["--port", "70000"], None);
}

#[test]
fn ferrite_only_bad_databases_value_fails() {
    if skip_if_redis("ferrite_only_bad_databases_value_fails") {
        return;
    }
    assert_fails(&["--port", "0", "--databases", "abc"], Some("databases"));
}

#[test]
fn ferrite_only_port_in_use_fails() {
    if skip_if_redis("ferrite_only_port_in_use_fails") {
        return;
    }
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    assert_fails(&["--port", &port], None);
    drop(holder);
}

#[test]
fn ferrite_only_port_zero_banner_port_answers_ping() {
    if skip_if_redis("ferrite_only_port_zero_banner_port_answers_ping") {
        return;
    }
    let srv = Server::try_start_ferrite(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(srv.port, 0);
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["PING"]), b"+PONG\r\n");
    assert_eq!(
        call(&mut c, &["CONFIG", "GET", "port"]).strings(),
        vec!["port".to_string(), srv.port.to_string()]
    );
}

#[test]
fn banner_port_parsing() {
    assert_eq!(
        parse_banner_port("ferrite listening on 127.0.0.1:6379\n"),
        Some(6379)
    );
    assert_eq!(
        parse_banner_port("ferrite listening on 127.0.0.1:40123 (pid 7, hz 10)"),
        Some(40123)
    );
    assert_eq!(parse_banner_port("nothing here"), None);
}

#[test]
fn ferrite_only_config_file_as_first_argument() {
    if skip_if_redis("ferrite_only_config_file_as_first_argument") {
        return;
    }
    let path = std::env::temp_dir().join(format!(
        "ferrite-test-{}-{}.conf",
        std::process::id(),
        now_ms()
    ));
    std::fs::write(&path, "# test config\nport 0\nhz 20\n").unwrap();
    let p = path.to_str().unwrap().to_string();
    let res = Server::try_spawn_ferrite_raw(&[&p]);
    let _ = std::fs::remove_file(&path);
    let srv = res.unwrap_or_else(|e| panic!("{e}"));
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "hz"]),
        b"*2\r\n$2\r\nhz\r\n$2\r\n20\r\n"
    );
}

#[test]
fn ferrite_only_command_line_overrides_config_file() {
    if skip_if_redis("ferrite_only_command_line_overrides_config_file") {
        return;
    }
    let path = std::env::temp_dir().join(format!(
        "ferrite-test-override-{}-{}.conf",
        std::process::id(),
        now_ms()
    ));
    std::fs::write(&path, "port 0\nhz 20\n").unwrap();
    let p = path.to_str().unwrap().to_string();
    let res = Server::try_spawn_ferrite_raw(&[&p, "--hz", "30"]);
    let _ = std::fs::remove_file(&path);
    let srv = res.unwrap_or_else(|e| panic!("{e}"));
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "hz"]),
        b"*2\r\n$2\r\nhz\r\n$2\r\n30\r\n"
    );
}

#[test]
fn sigterm_exits_cleanly_within_2s() {
    let mut srv = Server::start();
    let mut c = srv.raw();
    assert_eq!(cmd(&mut c, &["SET", "k", "v"]), b"+OK\r\n");
    let st = Command::new("kill")
        .args(["-TERM", &srv.pid().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let status = srv
        .wait_exit(Duration::from_secs(2))
        .expect("server still running 2 s after SIGTERM");
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

#[test]
fn idle_client_is_closed_by_timeout_while_active_one_stays() {
    let srv = Server::start_with(&["--timeout", "1"]);
    let mut idle = srv.raw();
    let mut active = srv.raw();
    assert_eq!(cmd(&mut idle, &["PING"]), b"+PONG\r\n");
    idle.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 64];
    let closed_after = loop {
        assert_eq!(cmd(&mut active, &["PING"]), b"+PONG\r\n");
        match idle.read(&mut buf) {
            Ok(0) => break start.elapsed(),
            Ok(n) => panic!("idle client got {:?}", String::from_utf8_lossy(&buf[..n])),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break start.elapsed(),
            Err(_) => {}
        }
        assert!(
            start.elapsed() < Duration::from_millis(3500),
            "idle client not closed within 3.5 s with --timeout 1"
        );
    };
    assert!(
        closed_after >= Duration::from_millis(900),
        "idle client closed too early ({closed_after:?})"
    );
    assert_eq!(cmd(&mut active, &["PING"]), b"+PONG\r\n");
}

#[test]
fn maxclients_rejects_extra_connection_with_error() {
    let srv = Server::start_with(&["--maxclients", "2"]);
    let mut a = srv.raw();
    assert_eq!(cmd(&mut a, &["PING"]), b"+PONG\r\n");
    // Let the server notice the harness' own readiness probe went away.
    let settled = poll_until(Duration::from_secs(3), || {
        info_field(&info(&mut a, "clients"), "connected_clients").as_deref() == Some("1")
    });
    assert!(settled, "connected_clients never dropped to 1");
    let mut b = srv.raw();
    assert_eq!(cmd(&mut b, &["PING"]), b"+PONG\r\n");
    let mut c = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
    c.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    assert_eq!(
        read_exact_bytes(&mut c, 36),
        b"-ERR max number of clients reached\r\n"
    );
    expect_closed(&mut c);
    // Existing clients are unaffected, and a slot frees up when one leaves.
    assert_eq!(cmd(&mut a, &["PING"]), b"+PONG\r\n");
    drop(b);
    let ok = poll_until(Duration::from_secs(3), || {
        info_field(&info(&mut a, "clients"), "connected_clients").as_deref() == Some("1")
    });
    assert!(ok);
    let mut d = srv.raw();
    assert_eq!(cmd(&mut d, &["PING"]), b"+PONG\r\n");
}

#[test]
fn hz_out_of_range_at_startup_is_clamped_not_rejected() {
    let srv = Server::start_with(&["--hz", "0"]);
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "hz"]),
        b"*2\r\n$2\r\nhz\r\n$1\r\n1\r\n"
    );
    let srv = Server::start_with(&["--hz", "1000"]);
    let mut c = srv.raw();
    assert_eq!(
        cmd(&mut c, &["CONFIG", "GET", "hz"]),
        b"*2\r\n$2\r\nhz\r\n$3\r\n500\r\n"
    );
}
