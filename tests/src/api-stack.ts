// What every API suite starts from: a localnet with the platform deployed, a
// migrated database of its own, the indexer following the chain into it, and the
// API listening on a free port. Every response the suite gets is checked against
// the OpenAPI document when the stack stops.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { buildApp, createDeps, platformFromManifest, readConfig } from "@ece/api";
import type { ApiDeps } from "../../api/src/deps.js";
import type { App } from "../../api/src/types.js";
import type { Manifest } from "../../scripts/src/deploy/manifest.js";
import { type IndexerProcess, spawnIndexer } from "../../scripts/src/indexer-process.js";
import { ApiClient } from "./api-client.js";
import { contractChecker, type Recorded } from "./api-contract.js";
import type { TestDatabase } from "./db.js";
import { startDeployed } from "./deployed.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import type { LocalnetProcess } from "./localnet.js";

export interface ApiStack {
  localnet: LocalnetProcess;
  manifest: Manifest;
  db: TestDatabase;
  indexer: IndexerProcess | null;
  /** The API's view of the node, when started with `rpcProxy`. */
  proxy: FaultProxy | null;
  deps: ApiDeps;
  app: App;
  url: string;
  client: ApiClient;
  /** The deployment manifest the API reads (for API processes a suite starts itself). */
  deploymentPath: string;
  /** Every response served so far (for the contract check). */
  recorded: Recorded[];
  /** The API's environment (for processes a suite starts against the same stack). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface ApiStackOptions {
  /** Start the indexer (suites that read the mirror). Default true. */
  indexer?: boolean;
  /** Environment overrides for the API's config (rate limits, TTLs, admin wallets, …). */
  env?: Record<string, string>;
  /** Put a fault-injecting proxy between the API and the node (the indexer stays direct). */
  rpcProxy?: boolean;
}

export async function startApiStack(label: string, opts: ApiStackOptions = {}): Promise<ApiStack> {
  const base = await startDeployed(label);
  const { localnet, manifest, db, dir, deploymentPath } = base;
  const cleanups: Array<() => Promise<unknown>> = [() => base.stop()];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    const indexer =
      opts.indexer === false
        ? null
        : await spawnIndexer({ rpcUrl: localnet.rpcUrl, wsUrl: localnet.wsUrl, databaseUrl: db.url });
    if (indexer) cleanups.push(() => indexer.stop());
    const proxy = opts.rpcProxy
      ? await startFaultProxy({ upstreamHttp: localnet.rpcUrl, upstreamWs: localnet.wsUrl, seed: 7 })
      : null;
    if (proxy) cleanups.push(() => proxy.close());
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      RPC_URL: proxy?.httpUrl ?? localnet.rpcUrl,
      WS_URL: proxy?.wsUrl ?? localnet.wsUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_PREFIX: `ece-test-${randomBytes(4).toString("hex")}:`,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      PLATFORM_KEYPAIR: join(dir, "platform.json"),
      DEPLOYMENT: deploymentPath,
      SIWS_DOMAIN: "ece.test",
      LOG_LEVEL: process.env.API_LOG_LEVEL ?? "silent",
      // Suites read what they just wrote; the page cache has a test of its own.
      LIST_CACHE_MS: "0",
      // Suites' webhook receivers listen on loopback; the refusal has a test of its own.
      WEBHOOK_ALLOW_PRIVATE: "1",
      PAYOUT_PROPOSER_KEYPAIR: join(localnet.walletsDir, "proposer.json"),
      PAYOUT_EXECUTOR_KEYPAIR: join(localnet.walletsDir, "executor.json"),
      // Suites that test payouts turn the job's worker on; elsewhere it would only add noise.
      PAYOUT_WORKER: "0",
      ...opts.env,
    };
    const config = readConfig([], env);
    const deps = await createDeps(config, { platform: platformFromManifest(manifest) });
    cleanups.push(async () => {
      const keys = await deps.redis.keys("*");
      // keys() answers with the prefix included; del() would add it again.
      if (keys.length) await deps.redis.del(...keys.map((k) => k.slice(config.redisPrefix.length)));
      await deps.close();
    });
    const app = await buildApp(deps, { logger: { level: config.logLevel } });
    const recorded: Recorded[] = [];
    app.addHook("onSend", async (req, reply, payload) => {
      if (typeof payload === "string" || payload === null || payload === undefined) {
        recorded.push({
          method: req.method,
          route: req.routeOptions.url ?? null,
          status: reply.statusCode,
          contentType: String(reply.getHeader("content-type") ?? ""),
          body: payload ?? "",
        });
      }
      return payload;
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    cleanups.push(() => app.close());
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    return {
      localnet,
      manifest,
      db,
      indexer,
      proxy,
      deps,
      app,
      url,
      client: new ApiClient(url),
      deploymentPath,
      recorded,
      env,
      async stop() {
        const checker = contractChecker((await app.inject({ method: "GET", url: "/api/openapi.json" })).json());
        const problems = new Set<string>();
        for (const r of recorded) {
          const problem = checker.check(r);
          if (problem) problems.add(problem);
        }
        await cleanup();
        if (problems.size)
          throw new Error(`responses that do not match the OpenAPI document:\n${[...problems].join("\n")}`);
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
