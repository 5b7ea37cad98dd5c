// The dev launcher itself (cli.ts starts it in a process group of its own): the parts in
// order, a progress line each, a failure naming the part and the tail of its output;
// then what to open. On SIGTERM/SIGINT (or when cli.ts is gone) the parts stop in
// reverse order, each waited for, Postgres last.
import type { ChildProcess } from "node:child_process";
import { appendFileSync, chmodSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { migrate } from "@ece/db";
import { readKeypair } from "@ece/sdk/node";
import { Redis } from "ioredis";
import pg from "pg";
import { devSecret } from "../../../api/src/config.js";
import { serveApp } from "../../../app/scripts/serve.js";
import { REPO_ROOT } from "../anchor-programs.js";
import { deploy } from "../deploy/deploy.js";
import { spawnIndexer } from "../indexer-process.js";
import { spawnLocalnetProcess } from "../localnet/spawn.js";
import { seedDemo } from "../seed/demo.js";
import { type Spawned, spawnReady } from "../spawn-ready.js";
import { portOr, portPairOr, type Running, stopProcess, tail, teeToFile } from "./parts.js";
import { NO_REDIS, onPath, startRedisServer } from "./redis.js";

const API_MAIN = join(REPO_ROOT, "api/src/main.ts");
const POSTGRES_MAIN = join(import.meta.dirname, "postgres.ts");
/** How long the web app may take to serve its first page (next dev compiles it on that request). */
const APP_TIMEOUT_MS = 240_000;

const USAGE = `Usage: npm run dev -- [options]

Starts Postgres, Redis, the localnet, migrations, the deployment, the indexer, the API,
demo data (first start only) and the web app; Ctrl-C stops them all.

  --state DIR    where everything is kept (default .localnet): ledger, wallets, postgres, redis, logs
  --ready-json   also print one JSON line with the URLs once everything is up (for programs)
  -h, --help     this text

Environment: DATABASE_URL (else embedded Postgres), REDIS_URL (else redis-server from PATH),
ADMIN_WALLETS (admins besides the deployer wallet), LOG_LEVEL (API, default info).`;

const { values } = parseArgs({
  options: {
    state: { type: "string" },
    "ready-json": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const state = resolve(process.env.INIT_CWD ?? process.cwd(), values.state ?? join(REPO_ROOT, ".localnet"));
const logs = join(state, "logs");
mkdirSync(logs, { recursive: true });
// Readable by the `postgres` user embedded Postgres runs as when we are root.
chmodSync(state, 0o755);
const walletsDir = join(state, "wallets");
const show = (p: string) => (p.startsWith(REPO_ROOT) ? relative(REPO_ROOT, p) : p);
const logFile = (name: string) => join(logs, `${name}.log`);
/** A log line of an in-process part (migrations, deploy, demo data) into its log file. */
const logLine = (name: string) => (line: string) => appendFileSync(logFile(name), `${line}\n`);

/** Started processes, in start order; stopped in reverse. */
const running: Running[] = [];
let stopping = false;

class PartFailed extends Error {
  constructor(
    readonly part: string,
    message: string,
    readonly output = "",
  ) {
    super(message);
  }
}

function track(name: string, child: ChildProcess, exited: Promise<number | null>, output: () => string): Running {
  const r: Running = { name, child, exited, output };
  running.push(r);
  exited.then((code) => {
    if (stopping) return;
    console.error(`\n✗ ${name} exited (${code ?? child.signalCode}) while running; last output:\n${tail(output())}`);
    console.error(`  (full log: ${show(logFile(name))})`);
    void shutdown(1);
  });
  return r;
}

/** A process started by spawnReady, tracked and logged. */
function adopt<T>(name: string, s: Spawned<T>): Running {
  teeToFile(s.child, logFile(name), s.stderr());
  return track(name, s.child, s.exited, s.stderr);
}

async function step<T>(name: string, what: string, run: () => Promise<T>, detail: (t: T) => string): Promise<T> {
  const t0 = performance.now();
  console.log(`… ${name.padEnd(10)} ${what}`);
  try {
    const out = await run();
    console.log(`✓ ${name.padEnd(10)} ${detail(out)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return out;
  } catch (e) {
    if (e instanceof PartFailed) throw e;
    // A process that exited before it was ready: the first line says so, the rest is its output.
    const [first, ...rest] = (e instanceof Error ? e.message : String(e)).split("\n");
    throw new PartFailed(name, first ?? "", rest.join("\n"));
  }
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (running.length) console.log("\nstopping…");
    for (const p of [...running].reverse()) {
      const how = await stopProcess(p);
      console.log(`■ ${p.name.padEnd(10)} ${how}`);
    }
    // A part still starting when the stop came is not tracked yet (next dev compiling, say):
    // it is in our process group (cli.ts made one), so it gets SIGTERM too. We ignore ours.
    try {
      process.kill(-process.pid, "SIGTERM");
    } catch {}
    process.exit(code);
  }
  return new Promise<never>(() => {});
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));
// cli.ts is gone (killed, or its terminal closed): nobody is left to press Ctrl-C.
process.on("disconnect", () => void shutdown(0));
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (e: unknown) => {
    console.error("\n✗ the launcher failed:", e);
    void shutdown(1);
  });
}

async function postgres(): Promise<{ url: string; detail: string }> {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
    } catch (e) {
      throw new Error(`DATABASE_URL does not answer: ${(e as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
    return { url, detail: `DATABASE_URL ${new URL(url).host}` };
  }
  const dir = join(state, "postgres");
  const port = await portOr(5433);
  const s = await spawnReady<{ url: string }>("postgres", POSTGRES_MAIN, ["--dir", dir, "--port", String(port)]);
  adopt("postgres", s);
  return { url: s.ready.url, detail: `embedded, 127.0.0.1:${port}, data ${show(dir)}` };
}

async function redis(): Promise<{ url: string; detail: string }> {
  let url = process.env.REDIS_URL;
  let detail = `REDIS_URL ${url}`;
  if (!url) {
    const binary = onPath("redis-server");
    if (!binary) throw new Error(NO_REDIS);
    const dir = join(state, "redis");
    const port = await portOr(6380);
    const r = await startRedisServer(binary, dir, port);
    teeToFile(r.child, logFile("redis"), r.output());
    track("redis", r.child, r.exited, r.output);
    url = r.url;
    detail = `${binary}, 127.0.0.1:${port}, append-only file in ${show(dir)}`;
  }
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // The connection's own error (ECONNREFUSED, auth) says more than the command's "Connection is closed".
  let cause: Error | undefined;
  client.on("error", (e: Error) => {
    cause ??= e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new Error(`${url} does not answer PING: ${(cause ?? (e as Error)).message}`);
  } finally {
    client.disconnect();
  }
  return { url, detail };
}

async function localnet() {
  const port = await portPairOr(8899);
  const s = await spawnLocalnetProcess([
    "--port",
    String(port),
    "--state",
    join(state, "ledger"),
    "--wallets",
    walletsDir,
  ]);
  adopt("localnet", s);
  return s.ready;
}

async function webApp(port: number, env: NodeJS.ProcessEnv): Promise<string> {
  const app = await serveApp({ port, env, dev: true, timeoutMs: APP_TIMEOUT_MS });
  teeToFile(app.child, logFile("app"), app.output());
  track("app", app.child, new Promise((r) => app.child.once("exit", r)), app.output);
  return `next dev (webpack), 127.0.0.1:${port}`;
}

async function main() {
  const started = performance.now();
  console.log(`ECE dev stack — state in ${show(state)}, logs in ${show(logs)}`);
  const db = await step("postgres", "starting", postgres, (r) => r.detail);
  const cache = await step("redis", "starting", redis, (r) => r.detail);
  const node = await step("localnet", "starting with the programs", localnet, (r) =>
    r.fresh ? `${r.rpc}, new ledger from genesis` : `${r.rpc}, ledger restored`,
  );
  await step(
    "migrate",
    "applying migrations",
    () => migrate(db.url, { log: logLine("migrate") }),
    (applied) => (applied.length ? `${applied.length} applied` : "up to date"),
  );
  const deploymentPath = join(state, "deployment.json");
  await step(
    "deploy",
    "initialising the platform (idempotent)",
    () => deploy({ url: node.rpc, ws: node.ws, walletsDir, out: deploymentPath, log: logLine("deploy") }),
    (r) => (r.sent ? `${r.sent} transactions sent` : "already deployed, nothing sent"),
  );
  await step(
    "indexer",
    "starting",
    async () => {
      const ix = await spawnIndexer({ rpcUrl: node.rpc, wsUrl: node.ws, databaseUrl: db.url }, ["--redis", cache.url]);
      adopt("indexer", ix.spawned);
      return ix;
    },
    (ix) => `following ${node.rpc}, metrics on :${ix.metricsPort}`,
  );

  const appPort = await portOr(3000);
  const appOrigin = `http://localhost:${appPort}`;
  const admin = readKeypair(join(walletsDir, "deployer.json"));
  const apiEnv: Record<string, string> = {
    LOG_LEVEL: "info",
    ...(process.env as Record<string, string>),
    DATABASE_URL: db.url,
    REDIS_URL: cache.url,
    RPC_URL: node.rpc,
    WS_URL: node.ws,
    DEPLOYMENT: deploymentPath,
    PLATFORM_KEYPAIR: join(walletsDir, "platform.json"),
    PAYOUT_PROPOSER_KEYPAIR: join(walletsDir, "proposer.json"),
    PAYOUT_EXECUTOR_KEYPAIR: join(walletsDir, "executor.json"),
    SESSION_SECRET: process.env.SESSION_SECRET ?? devSecret(join(state, "api-session-secret")),
    SIWS_DOMAIN: `localhost:${appPort}`,
    SIWS_URI: appOrigin,
    CORS_ORIGINS: `${appOrigin},http://127.0.0.1:${appPort}`,
    ADMIN_WALLETS: [admin.publicKey.toBase58(), process.env.ADMIN_WALLETS].filter(Boolean).join(","),
    // Webhooks to a receiver on this machine are what a developer tries first.
    WEBHOOK_ALLOW_PRIVATE: "1",
  };
  const api = await step(
    "api",
    "starting (with its payout worker)",
    async () => {
      const port = await portOr(4000);
      const s = await spawnReady<{ url: string }>("api", API_MAIN, ["--port", String(port)], apiEnv);
      adopt("api", s);
      return s.ready.url;
    },
    (url) => url,
  );
  await step(
    "demo",
    "demo data (first start; later starts find it)",
    () =>
      seedDemo({
        apiUrl: api,
        rpcUrl: node.rpc,
        walletsDir,
        apiEnv,
        admin,
        log: (line) => {
          console.log(`             ${line}`);
          logLine("demo")(line);
        },
      }),
    (s) =>
      `${s.made.length ? "" : "already there: "}${s.cards} cards, ${s.listings} open listings, ` +
      `battle "${s.battle}", payout run ${s.payoutWeek}`,
  );
  await step(
    "app",
    "starting next dev (compiles the first page)",
    () => webApp(appPort, { ECE_API_URL: api, ECE_RPC_URL: node.rpc }),
    (d) => d,
  );

  const manifest = JSON.parse(readFileSync(deploymentPath, "utf8")) as { multisig: { threshold: number } };
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
ECE is running (started in ${seconds} s). Ctrl-C stops everything; the next \`npm run dev\` resumes it.

  web app    ${appOrigin}
  API        ${api}   (docs: ${api}/api/docs)
  RPC        ${node.rpc}   (WebSocket ${node.ws})
  Postgres   ${db.url}
  Redis      ${cache.url}
  logs       ${show(logs)}/<part>.log

Dev wallets (solana-keygen files) in ${show(walletsDir)}:
  admin (API)            deployer
  treasury signers       signer-1, signer-2, signer-3 (${manifest.multisig.threshold} approvals needed)
  payout job             proposer (proposes), executor (executes)
  guardians (pause)      guardian-1, guardian-2
  users                  alice, bob, carol (SOL, USDC and ECE; cards, listings, battle votes)
  company payout wallets companies/<TICKER>.json

Sign in from a browser wallet: \`npm run dev:wallet -- alice${values.state ? ` --state ${values.state}` : ""}\` prints alice's
secret key in base58; import it (Phantom: Add account → Import private key; Solflare, Backpack
alike), point the wallet at the custom RPC ${node.rpc} (localnet), then open ${appOrigin}.`);
  if (values["ready-json"]) {
    console.log(
      JSON.stringify({
        app: appOrigin,
        api,
        rpc: node.rpc,
        ws: node.ws,
        databaseUrl: db.url,
        redisUrl: cache.url,
        wallets: walletsDir,
        pids: Object.fromEntries(running.map((r) => [r.name, r.child.pid])),
      }),
    );
  }
}

main().catch(async (e: unknown) => {
  if (e instanceof PartFailed) {
    console.error(`\n✗ ${e.part} failed: ${e.message}`);
    if (e.output) console.error(tail(e.output));
    console.error(`  (logs: ${show(logs)})`);
  } else {
    console.error("\n✗ the launcher failed:", e);
  }
  await shutdown(1);
});
