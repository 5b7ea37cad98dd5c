import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_DATABASE_URL } from "@ece/db";
import { wsUrlFor } from "@ece/sdk";

export interface ApiConfig {
  host: string;
  /** 0 picks a free port (printed in the ready line). */
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix of every Redis key the API writes (BullMQ queues included), so deployments can share a Redis. */
  redisPrefix: string;
  rpcUrl: string;
  /** The cluster's WebSocket endpoint (Solana nodes serve it on the RPC port + 1 unless told otherwise). */
  wsUrl: string;
  /** Per attempt; an RPC call is tried `rpcAttempts` times before the request gets 503. */
  rpcTimeoutMs: number;
  rpcAttempts: number;
  /** `.localnet/deployment.json` written by `npm run deploy`: multisig, mints, vaults. */
  deploymentPath: string;
  /** The platform's own key: settlement delegate for listings, card mint authority, fee payer of card mints. */
  platformKeypairPath: string;
  /** The weekly payout job's keys: a member with Propose only, and one with Execute only (never a signer's). */
  payoutProposerKeypairPath: string;
  payoutExecutorKeypairPath: string;
  /** Weekly payouts: cron of the cycle (UTC), how often runs in flight are advanced, and the allocation formula. */
  payoutCron: string;
  payoutTickMs: number;
  /** Run the payout queue's worker and schedules in this process (off for API replicas that should not). */
  payoutWorker: boolean;
  payoutFormula: { companyShareBps: number; winnerBonusBps: number };
  /** Sign-In With Solana: the domain the message must name, and the URI and chain it carries. */
  siwsDomain: string;
  siwsUri: string;
  chainId: string;
  /** HMAC key of access tokens (hex or any string of ≥ 32 bytes). */
  sessionSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  nonceTtlSeconds: number;
  /** Origins allowed by CORS (the web app). */
  corsOrigins: string[];
  /** Requests per minute per client IP and per signed-in wallet. */
  rateLimitPerIp: number;
  rateLimitPerWallet: number;
  /** Wallets that are admins from their first sign-in (bootstrap). */
  adminWallets: string[];
  /** Marketplace fee in basis points, paid into the treasury vault of the listing's currency. */
  marketplaceFeeBps: number;
  /** Cookies get `Secure` (the app is served over https). */
  secureCookies: boolean;
  /** How long list pages (cards, the explorer) may be served from the cache, in ms; 0 turns it off. */
  listCacheMs: number;
  logLevel: string;
  /** Webhook deliveries: attempts per delivery, first retry delay (exponential with jitter after it), request timeout. */
  webhookAttempts: number;
  webhookBackoffMs: number;
  webhookTimeoutMs: number;
  /** Let webhooks go to private and loopback addresses (local development, tests). */
  webhookAllowPrivate: boolean;
  /** The compliance deny-list file (a versioned JSON file); null: the one committed with the engine. */
  complianceDenyList: string | null;
}

const list = (v: string | undefined): string[] =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** A dev secret kept next to the localnet's state so sessions survive restarts; production sets SESSION_SECRET. */
export function devSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Flags override environment variables, which override localnet defaults. */
export function readConfig(argv: string[], env = process.env): ApiConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      database: { type: "string" },
      redis: { type: "string" },
      rpc: { type: "string" },
      ws: { type: "string" },
      deployment: { type: "string" },
      "platform-keypair": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined || value === "") return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
    return n;
  };
  const bps = (name: string, value: string | undefined, fallback: number) => {
    const n = int(name, value, fallback);
    if (n > 10_000) throw new Error(`${name} is in basis points (0–10000), got ${n}`);
    return n;
  };
  const root = resolve(import.meta.dirname, "../..");
  const state = resolve(root, ".localnet");
  const sessionSecret = env.SESSION_SECRET ?? devSecret(resolve(state, "api-session-secret"));
  if (Buffer.byteLength(sessionSecret) < 32) throw new Error("SESSION_SECRET must be at least 32 bytes");
  const rpcUrl = values.rpc ?? env.RPC_URL ?? "http://127.0.0.1:8899";
  const siwsDomain = env.SIWS_DOMAIN ?? "localhost:3000";
  const fee = bps("MARKETPLACE_FEE_BPS", env.MARKETPLACE_FEE_BPS, 250);
  return {
    host: values.host ?? env.API_HOST ?? "127.0.0.1",
    port: int("--port", values.port ?? env.API_PORT, 4000),
    databaseUrl: values.database ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: values.redis ?? env.REDIS_URL ?? "redis://127.0.0.1:6379",
    redisPrefix: env.REDIS_PREFIX ?? "ece:",
    rpcUrl,
    wsUrl: values.ws ?? env.WS_URL ?? wsUrlFor(rpcUrl),
    rpcTimeoutMs: int("RPC_TIMEOUT_MS", env.RPC_TIMEOUT_MS, 5000),
    rpcAttempts: Math.max(1, int("RPC_ATTEMPTS", env.RPC_ATTEMPTS, 3)),
    deploymentPath: values.deployment ?? env.DEPLOYMENT ?? resolve(state, "deployment.json"),
    platformKeypairPath:
      values["platform-keypair"] ?? env.PLATFORM_KEYPAIR ?? resolve(state, "wallets", "platform.json"),
    siwsDomain,
    payoutProposerKeypairPath: env.PAYOUT_PROPOSER_KEYPAIR ?? resolve(state, "wallets", "proposer.json"),
    payoutExecutorKeypairPath: env.PAYOUT_EXECUTOR_KEYPAIR ?? resolve(state, "wallets", "executor.json"),
    payoutCron: env.PAYOUT_CRON ?? "0 0 * * 1",
    payoutTickMs: Math.max(100, int("PAYOUT_TICK_MS", env.PAYOUT_TICK_MS, 10_000)),
    payoutWorker: env.PAYOUT_WORKER !== "0",
    payoutFormula: {
      companyShareBps: bps("PAYOUT_COMPANY_SHARE_BPS", env.PAYOUT_COMPANY_SHARE_BPS, 8000),
      winnerBonusBps: bps("PAYOUT_WINNER_BONUS_BPS", env.PAYOUT_WINNER_BONUS_BPS, 1000),
    },
    siwsUri: env.SIWS_URI ?? `http://${siwsDomain}`,
    chainId: env.SIWS_CHAIN_ID ?? "solana:localnet",
    sessionSecret,
    accessTtlSeconds: int("ACCESS_TTL_SECONDS", env.ACCESS_TTL_SECONDS, 900),
    refreshTtlSeconds: int("REFRESH_TTL_SECONDS", env.REFRESH_TTL_SECONDS, 7 * 24 * 3600),
    nonceTtlSeconds: int("NONCE_TTL_SECONDS", env.NONCE_TTL_SECONDS, 300),
    corsOrigins: env.CORS_ORIGINS ? list(env.CORS_ORIGINS) : [`http://${siwsDomain}`, "http://127.0.0.1:3000"],
    rateLimitPerIp: int("RATE_LIMIT_PER_IP", env.RATE_LIMIT_PER_IP, 600),
    rateLimitPerWallet: int("RATE_LIMIT_PER_WALLET", env.RATE_LIMIT_PER_WALLET, 300),
    adminWallets: list(env.ADMIN_WALLETS),
    marketplaceFeeBps: fee,
    secureCookies: env.SECURE_COOKIES === "1" || siwsDomain.startsWith("https"),
    listCacheMs: int("LIST_CACHE_MS", env.LIST_CACHE_MS, 1000),
    logLevel: env.LOG_LEVEL ?? "info",
    webhookAttempts: Math.max(1, int("WEBHOOK_ATTEMPTS", env.WEBHOOK_ATTEMPTS, 8)),
    webhookBackoffMs: int("WEBHOOK_BACKOFF_MS", env.WEBHOOK_BACKOFF_MS, 5_000),
    webhookTimeoutMs: int("WEBHOOK_TIMEOUT_MS", env.WEBHOOK_TIMEOUT_MS, 10_000),
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === "1",
    complianceDenyList: env.COMPLIANCE_DENY_LIST ?? null,
  };
}
