"""Protected mode, as Redis 7: with no password, a peer from a
non-loopback address gets the -DENIED text and is closed; loopback peers
(exactly 127.0.0.1 or ::1, so not 127.0.0.2) are served; `protected-mode no` or a password lifts it.
The remote peers are 127.0.0.2 and this host's own non-loopback address
(if it has one), used as sources of connections to 127.0.0.1. Usage: python3 protected_mode.py PORT"""
import socket
import sys

port = int(sys.argv[1])
DENIED = (
    b"-DENIED Redis is running in protected mode because protected mode is enabled and no "
    b"password is set for the default user. In this mode connections are only accepted from "
    b"the loopback interface. If you want to connect from external computers to Redis you may "
    b"adopt one of the following solutions: 1) Just disable protected mode sending the command "
    b"'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the "
    b"same host the server is running, however MAKE SURE Redis is not publicly accessible from "
    b"internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively "
    b"you can just disable the protected mode by editing the Redis configuration file, and "
    b"setting the protected mode option to 'no', and then restarting the server. 3) If you "
    b"started the server manually just for testing, restart it with the '--protected-mode no' "
    b"option. 4) Setup a an authentication password for the default user. NOTE: You only need "
    b"to do one of the above things in order for the server to start accepting connections from "
    b"the outside.\r\n"
)


def local_address():
    """This host's address on its default route (no packet is sent)."""
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.connect(("192.0.2.1", 9))
        ip = u.getsockname()[0]
        u.close()
        return None if ip.startswith("127.") else ip
    except OSError:
        return None


def ask(source, line):
    s = socket.socket()
    s.settimeout(5)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    # DENIED comes unasked; sending first would race the server's close
    # (unread input turns the close into a reset).
    if line:
        s.sendall(line)
    got = b""
    while True:
        d = s.recv(65536)
        if not d:
            return got, True
        got += d
        if got.endswith(b"\r\n") and not got.startswith(b"-DENIED"):
            s.close()
            return got, False


def admin(line):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(line)
    r = s.recv(1024)
    s.close()
    return r


# Redis 7.0 compares the peer with 127.0.0.1 exactly: 127.0.0.2 is remote.
ip = local_address() or "127.0.0.2"
got, _ = ask("127.0.0.1", b"PING\r\n")
assert got == b"+PONG\r\n", got
got, closed = ask("127.0.0.2", b"")
assert got == DENIED and closed, (got, closed)
assert admin(b"CONFIG GET protected-mode\r\n").endswith(b"$3\r\nyes\r\n")
got, closed = ask(ip, b"")
assert got == DENIED and closed, (got, closed)
assert admin(b"CONFIG SET protected-mode no\r\n") == b"+OK\r\n"
try:
    got, closed = ask(ip, b"PING\r\n")
    assert got == b"+PONG\r\n", got
finally:
    assert admin(b"CONFIG SET protected-mode yes\r\n") == b"+OK\r\n"
# A password lifts it too: the peer is served, and must authenticate.
assert admin(b"CONFIG SET requirepass pmpass\r\n") == b"+OK\r\n"
try:
    got, _ = ask(ip, b"PING\r\n")
    assert got == b"-NOAUTH Authentication required.\r\n", got
finally:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"AUTH pmpass\r\nCONFIG SET requirepass \"\"\r\n")
    r = b""
    while r.count(b"\r\n") < 2:
        r += s.recv(1024)
    assert r == b"+OK\r\n+OK\r\n", r
print(f"protected_mode.py: ok (non-loopback peer {ip})")
