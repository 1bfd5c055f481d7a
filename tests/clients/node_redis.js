// node-redis (latest), default options: connect and basic commands.
// Usage: node node_redis.js PORT
"use strict";
const assert = require("node:assert/strict");
const { createClient } = require("redis");
const port = Number(process.argv[2]);

async function main() {
  const c = createClient({ socket: { host: "127.0.0.1", port } });
  c.on("error", (e) => {
    console.error("client error", e);
    process.exit(1);
  });
  await c.connect();
  assert.equal(await c.ping(), "PONG");
  assert.equal(await c.set("nr:a", "1"), "OK");
  assert.equal(await c.get("nr:a"), "1");
  assert.equal(await c.get("nr:nosuch"), null);
  assert.equal(await c.set("nr:b", "x", { EX: 100 }), "OK");
  const ttl = await c.ttl("nr:b");
  assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
  assert.equal(await c.incr("nr:n"), 1);
  assert.equal(await c.incrBy("nr:n", 4), 5);
  assert.deepEqual(await c.mGet(["nr:a", "nr:nosuch", "nr:n"]), ["1", null, "5"]);
  assert.equal(await c.exists(["nr:a", "nr:b"]), 2);
  assert.equal(await c.clientSetName("node-redis"), "OK");
  assert.equal(await c.clientGetName(), "node-redis");
  const info = await c.info("server");
  assert.match(info, /redis_version:7\.0\.15/);
  assert.equal(await c.del(["nr:a", "nr:b", "nr:n"]), 3);
  await c.quit();
  console.log("node_redis.js: ok");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
