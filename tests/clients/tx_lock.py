"""redis-py's Lock (acquire, a second client that cannot release it,
extend, reacquire, release: all Lua scripts run by EVALSHA with the EVAL
fallback), pipeline() with its default MULTI/EXEC transaction (replies,
runtime errors in place, queue-time errors aborting), and a WATCH-based
optimistic update that retries after another client's change.
RESP2 always; RESP3 too when the server knows HELLO.
Usage: python3 tx_lock.py PORT"""
import sys
import threading

import redis
from redis.exceptions import LockError, LockNotOwnedError, ResponseError

port = int(sys.argv[1])


def check(label, got, want):
    if got != want:
        raise AssertionError(f"{label}: got {got!r}, want {want!r}")


def locks(r, p):
    name = p + "resource"
    r.delete(name)
    a = r.lock(name, timeout=10)
    b = r.lock(name, timeout=10)
    check("a acquires", a.acquire(blocking=False), True)
    check("b cannot acquire", b.acquire(blocking=False), False)
    check("a owns", a.owned(), True)
    check("b does not own", b.owned(), False)
    ttl = r.ttl(name)
    assert 9 <= ttl <= 10, f"lock ttl {ttl}"
    # A client that does not hold the lock cannot release or extend it.
    try:
        b.do_release(b"not-the-token")
        raise AssertionError("a foreign token released the lock")
    except LockNotOwnedError:
        pass
    check("still held after foreign release", r.exists(name), 1)
    check("a extends", a.extend(20), True)
    ttl = r.ttl(name)
    assert 28 <= ttl <= 30, f"extended ttl {ttl}"
    check("a reacquires", a.reacquire(), True)
    ttl = r.ttl(name)
    assert 9 <= ttl <= 10, f"reacquired ttl {ttl}"
    a.release()
    check("released", r.exists(name), 0)
    try:
        a.release()
        raise AssertionError("released a lock twice")
    except LockError:
        pass
    # After a's release, b can take it; the context manager releases it.
    with r.lock(name, timeout=5, blocking_timeout=1) as held:
        check("with-lock owns", held.owned(), True)
    check("context released", r.exists(name), 0)


def pipelines(r, p):
    r.delete(p + "k", p + "s", p + "n")
    pipe = r.pipeline()  # transaction=True is the default: MULTI ... EXEC
    pipe.set(p + "k", "1").incr(p + "k").get(p + "k")
    check("transaction", pipe.execute(), [True, 2, b"2"])
    # A runtime error is returned in place; the rest still ran.
    r.set(p + "s", "abc")
    pipe = r.pipeline()
    pipe.incr(p + "s").set(p + "n", "7")
    res = pipe.execute(raise_on_error=False)
    assert isinstance(res[0], ResponseError), res
    check("runtime error text", str(res[0]), "value is not an integer or out of range")
    check("after error", res[1], True)
    check("n set", r.get(p + "n"), b"7")
    # A queue-time error aborts the whole transaction.
    pipe = r.pipeline()
    pipe.set(p + "n", "8").execute_command("NOSUCHCMD", "x")
    try:
        pipe.execute()
        raise AssertionError("EXEC ran despite a queue-time error")
    except ResponseError as e:
        assert "unknown command" in str(e) or "EXECABORT" in str(e), e
    check("aborted: n unchanged", r.get(p + "n"), b"7")


def optimistic(r, other, p):
    key = p + "counter"
    r.set(key, 10)
    attempts = []

    def update(pipe):
        attempts.append(1)
        current = int(pipe.get(key))
        if len(attempts) == 1:
            other.incr(key)  # somebody else changes it between WATCH and EXEC
        pipe.multi()
        pipe.set(key, current * 2)

    r.transaction(update, key)
    check("retried once", len(attempts), 2)
    check("doubled the fresh value", r.get(key), b"22")
    # Explicit WATCH / MULTI / EXEC failing with WatchError.
    with r.pipeline() as pipe:
        pipe.watch(key)
        other.set(key, "changed")
        pipe.multi()
        pipe.set(key, "mine")
        try:
            pipe.execute()
            raise AssertionError("EXEC ran although the watched key changed")
        except redis.WatchError:
            pass
    check("watched key kept the other value", r.get(key), b"changed")


def concurrent_increments(p):
    key = p + "race"
    redis.Redis(port=port, protocol=2).delete(key)

    def worker():
        c = redis.Redis(port=port, protocol=2)
        for _ in range(50):
            c.transaction(lambda pipe: (pipe.multi(), pipe.incr(key)), key)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("no lost update", int(redis.Redis(port=port, protocol=2).get(key)), 200)


def supports_hello():
    try:
        return redis.Redis(port=port, protocol=3).ping()
    except redis.RedisError:
        return False


def main():
    protocols = [2] + ([3] if supports_hello() else [])
    for proto in protocols:
        r = redis.Redis(port=port, protocol=proto)
        other = redis.Redis(port=port, protocol=proto)
        p = f"txpy{proto}:"
        locks(r, p)
        pipelines(r, p)
        optimistic(r, other, p)
        print(f"tx_lock.py: RESP{proto} ok")
    if 3 not in protocols:
        print("tx_lock.py: RESP3 skipped (the server has no HELLO)")
    concurrent_increments("txpy:")
    print("tx_lock.py: ok")


if __name__ == "__main__":
    main()
