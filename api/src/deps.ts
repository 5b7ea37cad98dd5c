// Everything a request handler talks to, created once per process and closed on shutdown.
import { createPrisma, type PrismaClient } from "@ece/db";
import { Connection, type Keypair } from "@solana/web3.js";
import { Redis } from "ioredis";
import pg from "pg";
import type { ApiConfig } from "./config.js";
import { type RpcTransport, rpcTransport } from "./core/rpc.js";
import { checkPlatform, fundOnLocalnet, loadPlatformKey, type Platform, readPlatform } from "./platform.js";

export interface ApiDeps {
  config: ApiConfig;
  prisma: PrismaClient;
  /** node-postgres for the explorer's dynamic SQL and streaming exports. */
  pool: pg.Pool;
  redis: Redis;
  connection: Connection;
  /** The transport under `connection`: its circuit breaker and outcome counts. */
  rpc: RpcTransport;
  platform: Platform;
  platformKey: Keypair;
  close(): Promise<void>;
}

export interface DepsOverrides {
  platform?: Platform;
}

export async function createDeps(config: ApiConfig, overrides: DepsOverrides = {}): Promise<ApiDeps> {
  const rpc = rpcTransport({ timeoutMs: config.rpcTimeoutMs, attempts: config.rpcAttempts });
  const connection = new Connection(config.rpcUrl, {
    commitment: "confirmed",
    wsEndpoint: config.wsUrl,
    // Retries are the transport's (with backoff, behind the breaker), not web3.js's own.
    disableRetryOnRateLimit: true,
    fetch: rpc.fetch,
  });
  const platform = overrides.platform ?? readPlatform(config.deploymentPath);
  await checkPlatform(connection, platform);
  const platformKey = loadPlatformKey(config.platformKeypairPath);
  if (config.chainId === "solana:localnet") await fundOnLocalnet(connection, platformKey.publicKey);
  const prisma = createPrisma(config.databaseUrl);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  const redis = new Redis(config.redisUrl, {
    keyPrefix: config.redisPrefix,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  await redis.connect();
  return {
    config,
    prisma,
    pool,
    redis,
    connection,
    rpc,
    platform,
    platformKey,
    async close() {
      // web3.js has no close(): without this its WebSocket client reconnects forever.
      (connection as unknown as { _rpcWebSocket: { close(): void } })._rpcWebSocket.close();
      await Promise.allSettled([prisma.$disconnect(), pool.end(), redis.quit()]);
    },
  };
}
