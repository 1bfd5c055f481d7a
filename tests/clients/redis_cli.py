"""redis-cli against the server on PORT: -3, -n, -a, --scan --pattern,
--bigkeys, --stat, --latency, --pipe (100,000 keys), each with its output
asserted. -a runs against AUTH_PORT (env), a server started with
`--requirepass clipass`; without it, the password is set on PORT with
CONFIG SET for the duration of that check.
Usage: python3 redis_cli.py PORT"""
import os
import subprocess
import sys

port = sys.argv[1]
auth_port = os.environ.get("AUTH_PORT")


def cli(*args, port=port, input=None, check=True):
    r = subprocess.run(
        ["redis-cli", "-p", str(port), *args],
        input=input,
        capture_output=True,
        timeout=60,
    )
    if check and r.returncode != 0:
        raise AssertionError(f"redis-cli {args}: rc {r.returncode}: {r.stderr!r}")
    return r.stdout.decode(), r.stderr.decode()


def expect(label, got, want):
    if got != want:
        raise AssertionError(f"{label}: got {got!r}, want {want!r}")


# -3: RESP3 from the command line.
expect("-3 set ex", cli("-3", "set", "cli:k", "v", "ex", "10")[0], "OK\n")
ttl = int(cli("-3", "ttl", "cli:k")[0])
assert 9 <= ttl <= 10, ttl
expect("-3 get", cli("-3", "get", "cli:k")[0], "v\n")
hello = cli("-3", "hello", "3")[0].split("\n")
expect("-3 hello", hello[:3], ["server redis", "version 7.0.15", "proto 3"])
cli("del", "cli:k")

# -n: another database.
expect("-n 3 set", cli("-n", "3", "set", "cli:n3", "v3")[0], "OK\n")
expect("-n 3 get", cli("-n", "3", "get", "cli:n3")[0], "v3\n")
expect("-n 0 get", cli("-n", "0", "exists", "cli:n3")[0], "0\n")
cli("-n", "3", "del", "cli:n3")

# -a: a password-protected server.
own_password = auth_port is None
if own_password:
    expect("config set requirepass", cli("config", "set", "requirepass", "clipass")[0], "OK\n")
    auth_port = port
try:
    out, err = cli("ping", port=auth_port)
    expect("no password", out.strip(), "NOAUTH Authentication required.")
    out, err = cli("-a", "clipass", "ping", port=auth_port)
    expect("-a ping", out, "PONG\n")
    assert "Using a password with '-a'" in err, err
    out, err = cli("-a", "wrong", "ping", port=auth_port)
    assert "WRONGPASS" in out + err, (out, err)
finally:
    if own_password:
        cli("-a", "clipass", "config", "set", "requirepass", "", check=False)

# --scan --pattern, in db 7.
cli("-n", "7", "flushdb")
want = {f"cli:scan:{i}" for i in range(50)}
for k in want:
    cli("-n", "7", "set", k, "x")
cli("-n", "7", "set", "other:key", "x")
out = cli("-n", "7", "--scan", "--pattern", "cli:scan:*")[0]
expect("--scan --pattern", set(out.split()), want)
out = cli("-n", "7", "--scan")[0]
expect("--scan", len(out.split()), 51)
cli("-n", "7", "flushdb")

# --bigkeys, in db 8: TYPE, then the type's size command, for every key.
cli("-n", "8", "flushdb")
cli("-n", "8", "set", "big:small", "x" * 10)
cli("-n", "8", "set", "big:large", "y" * 1000)
out = cli("-n", "8", "--bigkeys")[0]
assert "Sampled 2 keys in the keyspace!" in out, out
assert "Biggest string found '\"big:large\"' has 1000 bytes" in out, out
assert "2 strings with 1010 bytes (100.00% of keys, avg size 505.00)" in out, out
cli("-n", "8", "flushdb")

# --stat for a second (line-buffered so the lines survive the timeout).
r = subprocess.run(
    ["stdbuf", "-oL", "timeout", "1.2", "redis-cli", "-p", port, "--stat", "-i", "0.2"],
    capture_output=True,
    timeout=10,
)
lines = r.stdout.decode().splitlines()
assert lines and lines[0].startswith("------- data ------"), lines
assert lines[1].split()[:6] == ["keys", "mem", "clients", "blocked", "requests", "connections"], lines
assert len(lines) >= 4, lines
cols = lines[2].split()
assert cols[0].isdigit() and cols[2].isdigit(), lines[2]

# --latency for a second: --raw prints "min max avg samples" and exits.
out = cli("--latency", "--raw")[0].split()
assert len(out) == 4, out
mn, mx, avg, samples = int(out[0]), int(out[1]), float(out[2]), int(out[3])
assert 0 <= mn <= mx and samples >= 10 and avg >= 0, out

# --pipe: 100,000 keys in db 9.
cli("-n", "9", "flushdb")
n = 100_000
parts = [b"*2\r\n$6\r\nSELECT\r\n$1\r\n9\r\n"]
for i in range(n):
    k = b"pipe:%d" % i
    v = b"v%d" % i
    parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
out = cli("--pipe", input=b"".join(parts))[0]
assert f"errors: 0, replies: {n + 1}" in out, out
expect("dbsize after --pipe", cli("-n", "9", "dbsize")[0], f"{n}\n")
expect("a piped key", cli("-n", "9", "get", "pipe:99999")[0], "v99999\n")
cli("-n", "9", "flushdb")
print("redis_cli.py: ok")
