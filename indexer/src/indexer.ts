import { sleep } from "@ece/sdk";
import pg from "pg";
import type { Logger } from "pino";
import type { IndexerConfig } from "./config.js";
import { finalizePass } from "./follow/finalizer.js";
import { Follower } from "./follow/follower.js";
import type { IndexerMetrics } from "./metrics.js";
import { compareMirror } from "./reconcile/reconcile.js";
import { LogsWatcher } from "./rpc/logs-watcher.js";
import { openRuntime } from "./runtime.js";
import { startMetricsServer } from "./server.js";

export interface RunningIndexer {
  metricsPort: number;
  metrics: IndexerMetrics;
  follower: Follower;
  stop(): Promise<void>;
}

/** Any 64-bit key will do, as long as every indexer of a database uses it. */
const LOCK_KEY = 0x0ece_1dec;

/** Starts the follower, its WebSocket wake-ups, the finalized pass, the mirror
 * check and the metrics server. One indexer per database: a second one waits
 * on an advisory lock (released by Postgres if the holder dies). */
export async function startIndexer(config: IndexerConfig, log: Logger): Promise<RunningIndexer> {
  const { pool, rpc, metrics } = await openRuntime(config, log);
  const lock = new pg.Client({ connectionString: config.databaseUrl });
  await lock.connect();
  for (let waited = 0; ; waited++) {
    const { rows: got } = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [LOCK_KEY]);
    if (got[0]?.ok) break;
    if (waited % 10 === 0) log.info("another indexer is following this database; waiting for its lock");
    await sleep(500);
  }

  const follower = new Follower({ rpc, pool, log, metrics, batchSize: config.batchSize, fromSlot: config.fromSlot });
  const addresses = await follower.load();
  const watcher = new LogsWatcher(config.wsUrl, () => void follower.wake(), log, metrics);
  follower.onNewAddress = (a) => watcher.watch(a);
  watcher.start(addresses);

  const timers: NodeJS.Timeout[] = [setInterval(() => void follower.wake(), config.pollMs)];
  const every = (ms: number, task: () => Promise<void>) => {
    if (ms === 0) return;
    let busy = false;
    timers.push(
      setInterval(() => {
        if (busy) return;
        busy = true;
        task()
          .catch((e) => log.warn({ err: (e as Error).message }, "background task failed"))
          .finally(() => {
            busy = false;
          });
      }, ms),
    );
  };
  every(config.finalizeMs, async () => {
    while ((await finalizePass(rpc, pool, metrics)) > 0);
  });
  every(config.checkMs, async () => {
    const { differences } = await compareMirror(rpc, pool);
    metrics.mirrorDifferences.set(differences.length);
    if (differences.length > 0)
      log.warn({ differences: differences.slice(0, 20) }, "mirror differs from account state");
  });
  const { server, port } = await startMetricsServer(metrics, config.metricsPort);
  void follower.wake();
  log.info({ rpc: config.rpcUrl, addresses: addresses.length, metricsPort: port }, "indexer started");

  return {
    metricsPort: port,
    metrics,
    follower,
    async stop() {
      for (const t of timers) clearInterval(t);
      watcher.stop();
      await follower.stop();
      await new Promise((resolve) => server.close(resolve));
      await lock.end();
      await pool.end();
    },
  };
}
