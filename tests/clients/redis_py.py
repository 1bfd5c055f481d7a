"""redis-py (latest) in its default configuration (RESP3) and with
protocol=2: connect, SET with every option, GET, a pipeline without a
transaction, client_setname, info(). Usage: python3 redis_py.py PORT"""
import sys
import time

import redis

port = int(sys.argv[1])


def check(label, got, want):
    if got != want:
        raise AssertionError(f"{label}: got {got!r}, want {want!r}")


def run(r, proto):
    p = f"py{proto}:"
    conn = r.connection_pool.get_connection()
    check("negotiated protocol", int(conn.protocol), proto)
    r.connection_pool.release(conn)
    check("ping", r.ping(), True)
    r.delete(*[p + k for k in "abcdefghij"])
    # Every SET option.
    check("set", r.set(p + "a", "1"), True)
    check("get", r.get(p + "a"), b"1")
    check("set nx on existing", r.set(p + "a", "2", nx=True), None)
    check("set nx new", r.set(p + "b", "2", nx=True), True)
    check("set xx existing", r.set(p + "b", "3", xx=True), True)
    check("set xx missing", r.set(p + "c", "3", xx=True), None)
    check("set ex", r.set(p + "d", "4", ex=100), True)
    ttl = r.ttl(p + "d")
    assert 98 <= ttl <= 100, ttl
    check("set px", r.set(p + "e", "5", px=100000), True)
    pttl = r.pttl(p + "e")
    assert 98000 <= pttl <= 100000, pttl
    now = int(time.time())
    check("set exat", r.set(p + "f", "6", exat=now + 100), True)
    check("expiretime", r.expiretime(p + "f"), now + 100)
    check("set pxat", r.set(p + "g", "7", pxat=(now + 100) * 1000), True)
    check("pexpiretime", r.pexpiretime(p + "g"), (now + 100) * 1000)
    check("set keepttl", r.set(p + "d", "44", keepttl=True), True)
    assert r.ttl(p + "d") > 0
    check("set get", r.set(p + "a", "new", get=True), b"1")
    check("set get missing", r.set(p + "h", "8", get=True), None)
    check("set nx get", r.set(p + "a", "x", nx=True, get=True), b"new")
    check("get after", r.get(p + "a"), b"new")
    check("get missing", r.get(p + "nosuch"), None)
    check("mget", r.mget(p + "a", p + "nosuch", p + "b"), [b"new", None, b"3"])
    # Pipeline without a transaction.
    pipe = r.pipeline(transaction=False)
    pipe.set(p + "i", "9").incr(p + "j").incrby(p + "j", 5).get(p + "i").exists(p + "i", p + "nosuch")
    check("pipeline", pipe.execute(), [True, 1, 6, b"9", 1])
    check("client_setname", r.client_setname(f"py-client-{proto}"), True)
    check("client_getname", r.client_getname(), f"py-client-{proto}")
    info = r.info()
    check("info redis_version", info["redis_version"], "7.0.15")
    assert "connected_clients" in info and info["connected_clients"] >= 1, info
    assert isinstance(r.info("keyspace"), dict)
    ci = r.client_info()
    check("client_info resp", str(ci["resp"]), str(proto))
    check("client_info name", ci["name"], f"py-client-{proto}")
    assert any(c["name"] == f"py-client-{proto}" for c in r.client_list())
    check("dbsize type", isinstance(r.dbsize(), int), True)
    r.delete(*[p + k for k in "abcdefghij"])


run(redis.Redis(port=port), 3)
run(redis.Redis(port=port, protocol=2), 2)
# decode_responses, the other common default-adjacent setting.
r = redis.Redis(port=port, decode_responses=True)
r.set("py:s", "text")
check("decoded", r.get("py:s"), "text")
r.delete("py:s")
print("redis_py.py: ok")
