// ioredis latest (RESP3 by default) and ioredis 5 (RESP2) in db 5, the
// way Kuzzle's memoryStorage API drives it: SET with EX/PX and NX/XX,
// MGET, scanStream({match}), INFO, CLIENT SETNAME.
// Usage: node ioredis.js PORT
"use strict";
const assert = require("node:assert/strict");
const port = Number(process.argv[2]);

async function exercise(Redis, label, options) {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, ...options });
  await r.connect();
  const p = `io-${label}:`;
  const keys = ["a", "b", "c", "d", "e"].map((k) => p + k);
  await r.del(...keys);
  assert.equal(await r.set(p + "a", "1", "EX", 100, "NX"), "OK");
  assert.equal(await r.set(p + "a", "2", "EX", 100, "NX"), null);
  const ttl = await r.ttl(p + "a");
  assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
  assert.equal(await r.set(p + "b", "2", "PX", 100000), "OK");
  const pttl = await r.pttl(p + "b");
  assert.ok(pttl > 90000 && pttl <= 100000, `pttl ${pttl}`);
  assert.equal(await r.set(p + "b", "3", "XX"), "OK");
  assert.equal(await r.set(p + "c", "3", "XX"), null);
  assert.equal(await r.set(p + "c", "4", "PX", 100000, "NX"), "OK");
  assert.equal(await r.set(p + "c", "5", "EX", 100, "XX"), "OK");
  assert.deepEqual(await r.mget(p + "a", p + "nosuch", p + "b", p + "c"), ["1", null, "3", "5"]);
  for (let i = 0; i < 30; i++) await r.set(`${p}scan:${i}`, String(i));
  const found = new Set();
  await new Promise((resolve, reject) => {
    const s = r.scanStream({ match: `${p}scan:*`, count: 7 });
    s.on("data", (batch) => batch.forEach((k) => found.add(k)));
    s.on("end", resolve);
    s.on("error", reject);
  });
  assert.equal(found.size, 30);
  const info = await r.info();
  assert.match(info, /redis_version:7\.0\.15/);
  assert.match(info, /# Keyspace/);
  assert.equal(await r.client("SETNAME", `kuzzle-${label}`), "OK");
  assert.equal(await r.client("GETNAME"), `kuzzle-${label}`);
  const list = await r.client("LIST");
  assert.ok(list.includes(`name=kuzzle-${label}`), list);
  const own = list.split("\n").find((l) => l.includes(`name=kuzzle-${label}`));
  return { r, own, p, keys };
}

async function main() {
  const Redis6 = require("ioredis");
  const Redis5 = require("ioredis5");
  // Latest, default options: RESP3.
  {
    const { r, own, keys } = await exercise(Redis6, "latest", {});
    assert.ok(own.includes(" resp=3"), own);
    assert.ok(own.includes(" db=0 "), own);
    await r.del(...keys);
    await r.quit();
  }
  // ioredis 5, RESP2, db 5.
  {
    const { r, own, keys, p } = await exercise(Redis5, "v5", { db: 5 });
    assert.ok(own.includes(" resp=2"), own);
    assert.ok(own.includes(" db=5 "), own);
    assert.equal(await r.get(p + "a"), "1");
    await r.del(...keys);
    await r.quit();
  }
  console.log("ioredis.js: ok");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
