// API benchmark: authenticated reads of the cards list and the auditor's transaction
// explorer with autocannon over loopback, on a database seeded with 1,000,000 mirrored
// transactions and 10,000 cards. The localnet and the API each run in their own
// process; autocannon runs in this one (all on the same 2 cores).
import { join } from "node:path";
import { ECE_TOKEN_PROGRAM_ID, ECE_TREASURY_PROGRAM_ID } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import autocannon from "autocannon";
import pg from "pg";
import { signInToApi } from "../api-sign-in.js";
import { seed } from "../seed/seed.js";
import { spawnReady } from "../spawn-ready.js";
import type { Row } from "./localnet.js";
import { startBenchStack } from "./stack.js";

const API_MAIN = join(import.meta.dirname, "../../../api/src/main.ts");
const TARGET_RPS = 3_000;
const TARGET_P99_MS = 30;

export interface ApiBenchOptions {
  transactions: number;
  cards: number;
  seconds: number;
  connections: number;
}

interface Scenario {
  name: string;
  path: string;
  token: string;
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The path of page `n` (1-based) of a list, following its cursors. */
async function pageN(base: string, path: string, token: string, n: number): Promise<string> {
  let current = path;
  for (let i = 1; i < n; i++) {
    const body = await json<{ nextCursor: string | null }>(`${base}${current}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!body.nextCursor) throw new Error(`${path} has fewer than ${n} pages`);
    current = `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  return current;
}

function cannon(base: string, s: Scenario, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${base}${s.path}`,
    headers: { authorization: `Bearer ${s.token}` },
    connections,
    duration: seconds,
  });
}

export async function apiBench(opts: ApiBenchOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const stack = await startBenchStack("api");
  const { databaseUrl } = stack;
  let api: Awaited<ReturnType<typeof spawnReady<{ url: string }>>> | null = null;
  try {
    const seeded = await seed({
      databaseUrl,
      transactions: opts.transactions,
      cards: opts.cards,
      log: (l) => console.log(`  seed: ${l}`),
    });
    console.log(`  seeded in ${seeded.seconds.toFixed(0)} s`);

    // Two wallets: a user for the cards, an auditor for the explorer (roles granted before sign-in).
    const user = newKeypair();
    const auditor = newKeypair();
    const pool = new pg.Pool({ connectionString: databaseUrl });
    await pool.query(`INSERT INTO users (id, wallet, roles) VALUES (gen_random_uuid(), $1, '{user,auditor}')`, [
      auditor.publicKey.toBase58(),
    ]);
    await pool.end();

    // One secret and Redis prefix for both API processes (with and without the page cache), so one sign-in serves both.
    const env = {
      ...process.env,
      ...stack.apiEnv,
      RATE_LIMIT_PER_IP: "100000000",
      RATE_LIMIT_PER_WALLET: "100000000",
    };
    const startApi = async (listCacheMs: number) => {
      api = await spawnReady<{ url: string }>("api", API_MAIN, ["--port", "0"], {
        ...env,
        LIST_CACHE_MS: String(listCacheMs),
      });
      return api.ready.url;
    };
    const stopApi = async () => {
      if (!api) return;
      api.child.kill("SIGTERM");
      await api.exited;
      api = null;
    };
    let base = await startApi(0);
    const userToken = (await signInToApi(base, user)).accessToken;
    const auditorToken = (await signInToApi(base, auditor)).accessToken;

    const { wallet, to } = seeded.sample;
    const week = new Date(new Date(to).getTime() - 7 * 86_400_000).toISOString();
    const twoWeeks = new Date(new Date(to).getTime() - 14 * 86_400_000).toISOString();
    const token = ECE_TOKEN_PROGRAM_ID.toBase58();
    const treasury = ECE_TREASURY_PROGRAM_ID.toBase58();
    const scenarios: Scenario[] = [
      { name: "cards: first page (50)", path: "/api/v1/cards", token: userToken },
      { name: "cards: sector=energy", path: "/api/v1/cards?sector=energy", token: userToken },
      {
        name: "cards: page 20 by cursor",
        path: await pageN(base, "/api/v1/cards?limit=50", userToken, 20),
        token: userToken,
      },
      {
        name: "cards: sort=name, page 5",
        path: await pageN(base, "/api/v1/cards?sort=name", userToken, 5),
        token: userToken,
      },
      { name: "transactions: first page", path: "/api/v1/transactions", token: auditorToken },
      { name: "transactions: wallet=busiest", path: `/api/v1/transactions?wallet=${wallet}`, token: auditorToken },
      {
        name: "transactions: program+instruction (approve)",
        path: `/api/v1/transactions?program=${treasury}&instruction=approve`,
        token: auditorToken,
      },
      {
        name: "transactions: time range (a week, two weeks ago)",
        path: `/api/v1/transactions?from=${encodeURIComponent(twoWeeks)}&to=${encodeURIComponent(week)}`,
        token: auditorToken,
      },
      {
        name: "transactions: program=ece_token, page 10",
        path: await pageN(base, `/api/v1/transactions?program=${token}`, auditorToken, 10),
        token: auditorToken,
      },
    ];

    const rows: Row[] = [];
    const misses: string[] = [];
    // Every scenario without the page cache (each request queries and serializes), then with
    // the API's default 1 s cache (at most one query per page and second).
    const modes = [
      { label: "no cache", listCacheMs: 0 },
      { label: "1 s page cache", listCacheMs: 1000 },
    ];
    for (const mode of modes) {
      if (mode.listCacheMs !== 0) {
        await stopApi();
        base = await startApi(mode.listCacheMs);
      }
      for (const s of scenarios) {
        // Check the scenario answers 200 before loading it, then warm the caches for 2 s.
        await json(`${base}${s.path}`, { headers: { authorization: `Bearer ${s.token}` } });
        await cannon(base, s, 2, opts.connections);
        const r = await cannon(base, s, opts.seconds, opts.connections);
        const bad = r.non2xx + r.errors + r.timeouts;
        const ok = r.requests.average >= TARGET_RPS && r.latency.p99 <= TARGET_P99_MS && bad === 0;
        if (!ok) misses.push(`${s.name} (${mode.label})`);
        console.log(
          `  ${s.name} (${mode.label}): ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, ${bad} errors/non-2xx`,
        );
        rows.push({
          measure: `GET ${s.name} (${mode.label})`,
          value: `${Math.round(r.requests.average).toLocaleString("en-US")} req/s; p50 ${r.latency.p50} / p90 ${r.latency.p90} / p99 ${r.latency.p99} ms; ${bad} non-2xx`,
          target: `≥ ${TARGET_RPS.toLocaleString("en-US")} req/s, p99 ≤ ${TARGET_P99_MS} ms`,
          extra: ok ? "met" : "missed",
        });
      }
    }
    return {
      rows,
      notes: [
        `${seeded.transactions.toLocaleString("en-US")} transactions (${seeded.instructions.toLocaleString("en-US")} instructions, ${seeded.events.toLocaleString("en-US")} events) and ${seeded.cards.toLocaleString("en-US")} cards of ${seeded.companies} companies seeded in ${seeded.seconds.toFixed(0)} s`,
        "each scenario runs twice: with LIST_CACHE_MS=0 (every request runs its query and serializes the page) and with the default 1 s page cache (x-cache: hit; at most one query per page and second)",
        `autocannon ${opts.connections} connections for ${opts.seconds} s per row after 2 s of warm-up, bearer token, API with LOG_LEVEL=warn in its own process`,
        `last column: target met or missed${misses.length ? ` (missed: ${misses.join(", ")})` : ""}`,
      ],
    };
  } finally {
    if (api) {
      const running = api as { child: { kill(s: string): void }; exited: Promise<unknown> };
      running.child.kill("SIGTERM");
      await running.exited;
    }
    await stack.stop();
  }
}
