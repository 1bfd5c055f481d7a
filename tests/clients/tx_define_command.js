// ioredis defineCommand (a lock released by a Lua script, EVALSHA with the
// EVAL fallback, also inside multi()), multi()/exec() with runtime errors
// in place and queue-time errors aborting, and WATCH making exec() fail.
// RESP2 always; RESP3 too when the server knows HELLO.
// Usage: node tx_define_command.js PORT   (after `npm install ioredis`)
"use strict";
const assert = require("node:assert/strict");
const Redis = require("ioredis");
const port = Number(process.argv[2]);

const RELEASE =
  "if redis.call('get',KEYS[1]) == ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end";

function client(protocol) {
  return new Redis({ port, host: "127.0.0.1", lazyConnect: true, protocol, maxRetriesPerRequest: 1 });
}

async function exercise(protocol) {
  const r = client(protocol);
  const other = client(protocol);
  await r.connect();
  await other.connect();
  const p = `txjs${protocol}:`;
  const lock = p + "resource";
  await r.del(lock, p + "k", p + "s", p + "n");
  r.defineCommand("releaseLock", { numberOfKeys: 1, lua: RELEASE });
  other.defineCommand("releaseLock", { numberOfKeys: 1, lua: RELEASE });
  await r.script("FLUSH");

  // The seed's lock pattern.
  assert.equal(await r.set(lock, "token-a", "EX", 10, "NX"), "OK");
  assert.equal(await other.set(lock, "token-b", "EX", 10, "NX"), null);
  assert.equal(await other.releaseLock(lock, "token-b"), 0, "a foreign token releases nothing");
  assert.equal(await r.get(lock), "token-a");
  assert.equal(await r.releaseLock(lock, "token-a"), 1);
  assert.equal(await r.exists(lock), 0);

  // multi(): replies in order, a defined command inside.
  await r.set(lock, "token-c");
  const res = await r.multi().set(p + "k", "1").incr(p + "k").get(p + "k").releaseLock(lock, "token-c").exec();
  assert.deepEqual(res, [[null, "OK"], [null, 2], [null, "2"], [null, 1]]);
  assert.equal(await r.exists(lock), 0);

  // A runtime error comes back in place; the rest ran.
  await r.set(p + "s", "abc");
  const mixed = await r.multi().incr(p + "s").set(p + "n", "7").exec();
  assert.ok(mixed[0][0] instanceof Error, "error in place");
  assert.match(mixed[0][0].message, /value is not an integer or out of range/);
  assert.deepEqual(mixed[1], [null, "OK"]);
  assert.equal(await r.get(p + "n"), "7");

  // A queue-time error aborts the transaction.
  await assert.rejects(
    r.multi().set(p + "n", "8").call("NOSUCHCMD", "x").exec(),
    /EXECABORT|unknown command/,
  );
  assert.equal(await r.get(p + "n"), "7");

  // WATCH: another client's change makes exec() give null.
  await r.watch(p + "n");
  await other.set(p + "n", "changed");
  assert.equal(await r.multi().set(p + "n", "mine").exec(), null);
  assert.equal(await r.get(p + "n"), "changed");
  // Unchanged: it runs.
  await r.watch(p + "n");
  assert.deepEqual(await r.multi().set(p + "n", "mine").exec(), [[null, "OK"]]);

  r.disconnect();
  other.disconnect();
  console.log(`tx_define_command.js: RESP${protocol} ok`);
}

async function supportsHello() {
  const r = client(3);
  r.on("error", () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

(async () => {
  await exercise(2);
  if (await supportsHello()) {
    await exercise(3);
  } else {
    console.log("tx_define_command.js: RESP3 skipped (the server has no HELLO)");
  }
  console.log("tx_define_command.js: ok");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
