// On a machine with no Postgres or Redis, the suites start their own (tests/src/services.ts):
// asked to look where nothing listens, it starts embedded Postgres and a redis-server, both
// usable, and stops them.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { Redis } from "ioredis";
import pg from "pg";
import { freePort } from "../../app/scripts/serve.js";
import { ensureServices } from "../src/services.js";

const closed = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port: Number(new URL(url).port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("test services: Postgres and Redis of the run's own where the machine has none", function () {
  this.timeout(120_000);

  it("starts embedded Postgres and a redis-server, both answer, both stop", async () => {
    const services = await ensureServices({ env: {}, postgresPort: await freePort(), redisPort: await freePort() });
    try {
      const { TEST_DATABASE_URL: db, REDIS_URL: redis } = services.env;
      assert.ok(db && redis, JSON.stringify(services.env));
      const pool = new pg.Pool({ connectionString: db });
      await pool.query("CREATE DATABASE ece_services_probe");
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_database WHERE datname = $1",
        ["ece_services_probe"],
      );
      assert.equal(rows[0]?.n, 1);
      await pool.end();
      const client = new Redis(redis);
      await client.set("probe", "1");
      assert.equal(await client.get("probe"), "1");
      await client.quit();
    } finally {
      await services.stop();
    }
    assert.ok(await closed(services.env.TEST_DATABASE_URL as string), "postgres stopped");
    assert.ok(await closed(services.env.REDIS_URL as string), "redis stopped");
  });

  it("starts nothing where the machine runs them", async () => {
    const services = await ensureServices();
    assert.deepEqual(services.env, {});
    await services.stop();
  });
});
