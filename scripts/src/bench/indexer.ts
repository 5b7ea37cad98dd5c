// Indexer benchmark: ingest rate of a backlog into Postgres, lag behind
// `confirmed` while the chain takes 200 program transactions/s, and the
// indexer's memory over that run. Localnet, indexer and load generator each
// run in their own process on the same 2 cores.
import pg from "pg";
import { metricValue, spawnIndexer } from "../indexer-process.js";
import { prepareTraffic } from "../traffic/index.js";
import { percentile } from "./load.js";
import type { Row } from "./localnet.js";
import { startBenchStack } from "./stack.js";

const MIX = { pauseFlow: 0 };

/** The indexer's RSS and V8 heap in use, in MiB, from its own metrics. */
async function memory(metricsPort: number): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const mib = (name: string) => metricValue(text, name) / 2 ** 20;
  return { rss: mib("process_resident_memory_bytes"), heap: mib("nodejs_heap_size_used_bytes") };
}

async function count(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM chain_transactions");
  return Number(rows[0]?.n);
}

export async function indexerBench(opts: {
  backlog: number;
  minutes: number;
  rate: number;
}): Promise<{ rows: Row[]; notes: string[] }> {
  const stack = await startBenchStack("indexer", ["--history", "500000"]);
  const { node, manifest, databaseUrl } = stack;
  const pool = new pg.Pool({ connectionString: databaseUrl });
  try {
    const { rpc, ws } = node.ready;
    const traffic = await prepareTraffic({ rpcUrl: rpc, walletsDir: node.ready.wallets, manifest });

    // 1. Ingest: a backlog on chain first, then the indexer from nothing.
    await traffic.run({ count: opts.backlog, mix: MIX });
    const target = { rpcUrl: rpc, wsUrl: ws, databaseUrl };
    const indexer = await spawnIndexer(target);
    let firstRowAt = 0;
    let total = 0;
    for (let stable = 0; stable < 10; ) {
      const n = await count(pool);
      if (n > 0 && firstRowAt === 0) firstRowAt = performance.now();
      stable = n === total && n > 0 ? stable + 1 : 0;
      total = n;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The last ten polls saw no change: the end is one second before now.
    const ingestSeconds = (performance.now() - 1_000 - firstRowAt) / 1000;
    const ingest = total / ingestSeconds;

    // 2. Lag and memory: the indexer live while the chain takes `rate` tx/s.
    const confirmedAt = new Map<number, number>();
    let watching = true;
    const watcher = (async () => {
      let last = -1;
      while (watching) {
        const r = (await (
          await fetch(rpc, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getSlot", params: [{ commitment: "confirmed" }] }),
          })
        ).json()) as { result: number };
        const now = Date.now();
        for (let s = last + 1; s <= r.result; s++) confirmedAt.set(s, now);
        last = r.result;
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const samples: { rss: number; heap: number }[] = [];
    const sampler = setInterval(() => void memory(indexer.metricsPort).then((m) => samples.push(m)), 5_000);
    const before = await count(pool);
    // Minute by minute, so the run lasts the minutes asked whatever rate the generator reaches.
    const live = { signatures: [] as string[], elapsedMs: 0 };
    for (let minute = 0; minute < opts.minutes; minute++) {
      const run = await traffic.run({ count: opts.rate * 60, rate: opts.rate, mix: MIX, maxInFlight: 128 });
      live.signatures.push(...run.signatures);
      live.elapsedMs += run.elapsedMs;
    }
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 3_000));
    watching = false;
    await watcher;
    const { rows } = await pool.query<{ slot: string; at: Date }>(
      "SELECT slot, indexed_at AS at FROM chain_transactions WHERE signature = ANY($1)",
      [live.signatures],
    );
    const lags = rows
      .map((r) => (r.at.getTime() - (confirmedAt.get(Number(r.slot)) ?? Number.NaN)) / 1000)
      .filter((x) => Number.isFinite(x))
      .sort((a, b) => a - b);
    const missing = live.signatures.length - rows.length;
    await indexer.stop();

    const achievedRate = live.signatures.length / (live.elapsedMs / 1000);
    // From the first minute on: before it, the heap still grows to its working size.
    const warm = samples.slice(Math.min(12, samples.length - 1));
    const range = (k: "rss" | "heap") =>
      `${(warm[0]?.[k] ?? Number.NaN).toFixed(0)} → ${(warm.at(-1)?.[k] ?? Number.NaN).toFixed(0)} MiB (max ${Math.max(...warm.map((x) => x[k])).toFixed(0)})`;
    const rowsOut: Row[] = [
      {
        measure: `ingest, backlog of ${total} program transactions`,
        value: `${Math.round(ingest)} tx/s`,
        target: "≥ 1,000 tx/s",
        extra: "—",
      },
      {
        measure: `lag p50 behind confirmed at ${achievedRate.toFixed(0)} tx/s`,
        value: `${percentile(lags, 50).toFixed(2)} s`,
        target: "—",
        extra: "—",
      },
      {
        measure: `lag p99 behind confirmed at ${achievedRate.toFixed(0)} tx/s`,
        value: `${percentile(lags, 99).toFixed(2)} s`,
        target: "≤ 2 s",
        extra: "—",
      },
      { measure: "lag max", value: `${(lags.at(-1) ?? Number.NaN).toFixed(2)} s`, target: "—", extra: "—" },
      {
        measure: `indexer V8 heap in use over ${(live.elapsedMs / 60_000).toFixed(1)} min: 1 min → end`,
        value: range("heap"),
        target: "flat",
        extra: "—",
      },
      { measure: "indexer RSS, same run", value: range("rss"), target: "—", extra: "—" },
    ];
    return {
      rows: rowsOut,
      notes: [
        `${before} rows before the live run, ${live.signatures.length} live transactions mirrored with ${missing} missing`,
        "lag = row written (clock_timestamp) − first time getSlot(confirmed) reached the transaction's slot, polled every 20 ms",
        "mix without pause flows (they stop all other traffic while they run)",
      ],
    };
  } finally {
    await pool.end();
    await stack.stop();
  }
}
