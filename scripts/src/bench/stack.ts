// What the benchmarks start from: a localnet process with the platform deployed (its
// manifest and wallets in a scratch directory), a migrated database and a Redis key
// prefix of their own, all removed by stop().
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "@ece/db";
import { Redis } from "ioredis";
import pg from "pg";
import { deploy } from "../deploy/deploy.js";
import type { Manifest } from "../deploy/manifest.js";
import { type SpawnedLocalnet, spawnLocalnetProcess } from "../localnet/spawn.js";

const SERVER = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchStack {
  /** Scratch directory: wallets, deployment manifest, platform key. */
  dir: string;
  node: SpawnedLocalnet;
  manifest: Manifest;
  databaseUrl: string;
  /** The API's configuration for this stack (its own Redis prefix and session secret). */
  apiEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** `localnetArgs`: extra localnet flags (e.g. --history). */
export async function startBenchStack(name: string, localnetArgs: string[] = []): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), `ece-bench-${name}-`));
  const walletsDir = join(dir, "wallets");
  const node = await spawnLocalnetProcess(["--wallets", walletsDir, ...localnetArgs]);
  const dbName = `ece_bench_${name}_${process.pid}`;
  const url = new URL(SERVER);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const dropDatabase = async () => {
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redisPrefix = `ece-bench-${randomBytes(4).toString("hex")}:`;
  // What the API and its queues wrote under the stack's prefix goes with the database.
  const clearRedis = async () => {
    const redis = new Redis(redisUrl);
    try {
      for await (const keys of redis.scanStream({ match: `${redisPrefix}*`, count: 1000 }))
        if ((keys as string[]).length) await redis.del(...(keys as string[]));
    } finally {
      redis.disconnect();
    }
  };
  const stop = async () => {
    await dropDatabase();
    await clearRedis();
    node.child.kill("SIGTERM");
    await node.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A database left by a killed run of the same process id would fail the migration's checks.
    await dropDatabase();
    await migrate(databaseUrl);
    const deploymentPath = join(dir, "deployment.json");
    const { manifest } = await deploy({ url: node.ready.rpc, ws: null, walletsDir, out: deploymentPath });
    const apiEnv = {
      DATABASE_URL: databaseUrl,
      RPC_URL: node.ready.rpc,
      WS_URL: node.ready.ws,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      PLATFORM_KEYPAIR: join(dir, "platform.json"),
      DEPLOYMENT: deploymentPath,
      PAYOUT_PROPOSER_KEYPAIR: join(walletsDir, "proposer.json"),
      PAYOUT_EXECUTOR_KEYPAIR: join(walletsDir, "executor.json"),
      LOG_LEVEL: "warn",
    };
    return { dir, node, manifest, databaseUrl, apiEnv, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
