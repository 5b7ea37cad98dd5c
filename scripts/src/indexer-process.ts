// The indexer as its own process, as it runs in production: for tests, the
// benchmark and the dev launcher.
import { join } from "node:path";
import type pg from "pg";
import { type Spawned, spawnReady } from "./spawn-ready.js";

const INDEXER = join(import.meta.dirname, "../../indexer/src");

export interface IndexerProcess {
  metricsPort: number;
  spawned: Spawned<{ metricsPort: number }>;
  metrics(): Promise<string>;
  /** SIGKILL: no cleanup, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
}

export interface IndexerTarget {
  rpcUrl: string;
  wsUrl: string;
  databaseUrl: string;
}

export async function spawnIndexer(t: IndexerTarget, args: string[] = []): Promise<IndexerProcess> {
  const spawned = await spawnReady<{ metricsPort: number }>(
    "indexer",
    join(INDEXER, "main.ts"),
    ["--rpc", t.rpcUrl, "--ws", t.wsUrl, "--metrics-port", "0", "--poll-ms", "250", "--finalize-ms", "500", ...args],
    { ...process.env, DATABASE_URL: t.databaseUrl },
  );
  const signal = async (s: NodeJS.Signals) => {
    if (spawned.child.exitCode === null) spawned.child.kill(s);
    await spawned.exited;
  };
  return {
    metricsPort: spawned.ready.metricsPort,
    spawned,
    metrics: async () => (await fetch(`http://127.0.0.1:${spawned.ready.metricsPort}/metrics`)).text(),
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}

/** A metric's value from Prometheus text (the first series whose labels contain `labels`). */
export function metricValue(text: string, name: string, labels = ""): number {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(name) && (l[name.length] === " " || l[name.length] === "{") && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : Number.NaN;
}

/** Waits until the mirror holds every one of `signatures`. */
export async function untilMirrored(pool: pg.Pool, signatures: Iterable<string>, timeoutMs = 60_000): Promise<void> {
  const wanted = [...signatures];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM chain_transactions WHERE signature = ANY($1)",
      [wanted],
    );
    const have = Number(rows[0]?.n);
    if (have === wanted.length) return;
    if (Date.now() > deadline)
      throw new Error(`the mirror holds ${have} of ${wanted.length} transactions after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
